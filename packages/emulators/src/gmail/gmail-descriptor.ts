import type { EmulatorDescriptor } from "../shared/emulator-descriptor";
import { gmailCli } from "./gmail-cli";
import { gmailServiceHarness } from "./service-harness";

/** The Gmail emulator, as `emulator-list.ts` lists it. */
export const gmailDescriptor: EmulatorDescriptor = {
  id: "gmail",
  envPrefix: "AUTOFLOW_GMAIL_",
  cli: gmailCli,
  serviceHarness: gmailServiceHarness,
  samples: { realApiUrl: "https://gmail.googleapis.com" },
};

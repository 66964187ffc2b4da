import { emulatorServiceHarness, type ServiceHarness } from "../shared/service-harness";
import { DEFAULT_GMAIL_ADDRESS, GmailEmulator } from "./gmail-emulator";

/** The Gmail emulator as the service's HTTP contract tests drive it: connections are to ada@example.com's mailbox. */
export function gmailServiceHarness(): ServiceHarness {
  return emulatorServiceHarness(new GmailEmulator(), {
    expectedMetadata: { emailAddress: DEFAULT_GMAIL_ADDRESS },
  });
}

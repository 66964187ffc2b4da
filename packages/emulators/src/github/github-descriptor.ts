import type { EmulatorDescriptor } from "../shared/emulator-descriptor";
import { githubCli } from "./github-cli";
import { githubSdkMethods } from "./github-sdk-methods";
import { githubServiceHarness } from "./service-harness";
import { GITHUB_SIGNATURE } from "./webhook-deliveries";

/** The GitHub emulator, as `emulator-list.ts` lists it. */
export const githubDescriptor: EmulatorDescriptor = {
  id: "github",
  envPrefix: "AUTOFLOW_GITHUB_",
  cli: githubCli,
  serviceHarness: githubServiceHarness,
  webhookSignature: GITHUB_SIGNATURE,
  sdk: { package: "octokit", byPathOnly: false, methods: githubSdkMethods },
  samples: { realApiUrl: "https://api.github.com" },
};

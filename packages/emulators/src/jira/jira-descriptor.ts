import type { EmulatorDescriptor } from "../shared/emulator-descriptor";
import { jiraCli } from "./jira-cli";
import { jiraSdkMethods } from "./jira-sdk-methods";
import { JIRA_SIGNATURE } from "./jira-webhook-signature";
import { jiraServiceHarness } from "./service-harness";

/** The Jira emulator, as `emulator-list.ts` lists it. */
export const jiraDescriptor: EmulatorDescriptor = {
  id: "jira",
  envPrefix: "AUTOFLOW_JIRA_",
  cli: jiraCli,
  serviceHarness: jiraServiceHarness,
  webhookSignature: JIRA_SIGNATURE,
  sdk: { package: "jira.js", byPathOnly: false, methods: jiraSdkMethods },
  // OAuth clients call the gateway (`https://api.atlassian.com/ex/jira/{cloudId}/...`) with the minted token.
  samples: { realApiUrl: "https://api.atlassian.com" },
};

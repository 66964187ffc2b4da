import { emulatorServiceHarness, type ServiceHarness } from "../shared/service-harness";
import { JiraEmulator } from "./jira-emulator";
import { DEFAULT_JIRA_USER } from "./jira-seed";

/**
 * The Jira emulator as the service's HTTP contract tests drive it: OAuth 2.0 (3LO) connections of the emulator's
 * app, acting for Ada on the one site (its cloud id from `/oauth/token/accessible-resources`).
 */
export function jiraServiceHarness(): ServiceHarness {
  const emulator = new JiraEmulator();
  return emulatorServiceHarness(emulator, {
    expectedMetadata: { accountId: DEFAULT_JIRA_USER.accountId, cloudId: emulator.cloudId },
    // An API token for Basic auth on the site: the site URL is the emulator's, which the service trusts as its
    // configured AUTOFLOW_JIRA_API_URL.
    pastedCredential: () => {
      const { apiToken, email, siteUrl } = emulator.mintApiToken();
      return { apiKey: apiToken, email, siteUrl };
    },
  });
}

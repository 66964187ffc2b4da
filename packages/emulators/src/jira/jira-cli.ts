import type { EmulatorCli } from "../shared/emulator-descriptor";
import { JiraEmulator } from "./jira-emulator";

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * How `autoflow-emulators` runs the Jira emulator. The printed token is an OAuth access token (for the gateway,
 * `<API URL>/ex/jira/<cloudId>`, the cloud id from `/oauth/token/accessible-resources`), followed by an API token
 * with its email and site URL (Basic auth on the site). `--seed jira=<email>` mints an
 * API token for Basic auth on the site (the line printed names the email, the token and the site URL); any other
 * value creates an issue in OPS with that summary.
 */
export const jiraCli: EmulatorCli = {
  seedHelp:
    "an API token for a user (jira=ada@example.com: printed with its email and site URL), or an issue in OPS with this summary (jira=Disk full)",
  seedExample: "ada@example.com",
  checkSeed: (value) =>
    /[\r\n]/.test(value) || value.trim() === "" ? `"${value}" is not a summary or an email` : undefined,
  create: ({ port }) => {
    const emulator = new JiraEmulator(port === undefined ? {} : { port });
    return {
      emulator,
      // The API-token credential, whole: what `POST /api/integrations/jira/connections` takes.
      credentials() {
        const { apiToken, email, siteUrl } = emulator.mintApiToken();
        return [
          ["API token", apiToken],
          ["Email", email],
          ["Site URL", siteUrl],
        ];
      },
      seed(value) {
        if (EMAIL.test(value)) {
          const token = emulator.mintApiToken({ email: value });
          return `API token ${token.apiToken} for ${token.email} on ${token.siteUrl} (cloud id ${emulator.cloudId})`;
        }
        const issue = emulator.createIssue(value);
        return `${issue.key} (${value})`;
      },
    };
  },
};

import type { ServiceHarness } from "../shared/service-harness";
import { SlackEmulator } from "./slack-emulator";

/** The Slack emulator as the service's HTTP contract tests drive it. */
export function slackServiceHarness(): ServiceHarness {
  const emulator = new SlackEmulator({ clientId: "1111.2222", clientSecret: "slack-emulated-client-secret" });
  return {
    start: async () => void (await emulator.start()),
    stop: () => emulator.stop(),
    endpoints: () => ({ apiUrl: emulator.apiUrl, webUrl: emulator.url }),
    oauthClient: () => ({ clientId: emulator.clientId, clientSecret: emulator.clientSecret }),
    mintToken: () => emulator.mintToken(),
    async revokeToken(token) {
      const response = await fetch(`${emulator.apiUrl}auth.revoke`, {
        method: "POST",
        headers: { authorization: `Bearer ${token}` },
      });
      if (!((await response.json()) as { ok?: boolean }).ok) throw new Error("auth.revoke failed");
    },
    rateLimit: () => emulator.rateLimit(0, 60_000),
    clearFaults: () => emulator.clearFaults(),
    expectedMetadata: { teamId: "T01ACME000", teamName: "Acme" },
  };
}

import { emulatorServiceHarness, type ServiceHarness } from "../shared/service-harness";
import { SlackEmulator } from "./slack-emulator";

/** The Slack emulator as the service's HTTP contract tests drive it. */
export function slackServiceHarness(): ServiceHarness {
  const emulator = new SlackEmulator({ clientId: "1111.2222", clientSecret: "slack-emulated-client-secret" });
  return emulatorServiceHarness(emulator, {
    // Revoked as a user's app does it: through the Web API's auth.revoke.
    async revokeToken(token) {
      const response = await fetch(`${emulator.apiUrl}auth.revoke`, {
        method: "POST",
        headers: { authorization: `Bearer ${token}` },
      });
      if (!((await response.json()) as { ok?: boolean }).ok) throw new Error("auth.revoke failed");
    },
    expectedMetadata: { teamId: "T01ACME000", teamName: "Acme" },
  });
}

import type { ServiceHarness } from "../shared/service-harness";
import { GithubEmulator } from "./github-emulator";

/** The GitHub emulator as the service's HTTP contract tests drive it. */
export function githubServiceHarness(): ServiceHarness {
  const emulator = new GithubEmulator();
  return {
    start: async () => void (await emulator.start()),
    stop: () => emulator.stop(),
    endpoints: () => ({ apiUrl: emulator.url, webUrl: emulator.url }),
    oauthClient: () => ({
      clientId: emulator.oauthApp.clientId,
      clientSecret: emulator.oauthApp.clientSecret,
    }),
    mintToken: () => emulator.mintToken({ clientId: emulator.oauthApp.clientId }),
    async revokeToken(token) {
      if (!emulator.oauth.revoke(token)) throw new Error("unknown GitHub token");
    },
    rateLimit: () => emulator.rateLimit(0, 60_000),
    clearFaults: () => emulator.clearFaults(),
    expectedMetadata: { login: "octocat" },
  };
}

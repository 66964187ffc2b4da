import { GithubEmulator, SlackEmulator } from "@autoflow/emulators";

/** How the HTTP contract tests drive one provider's emulator. */
export interface ProviderHarness {
  start(): Promise<void>;
  stop(): Promise<void>;
  /** The `AUTOFLOW_<PROVIDER>_*` variables that point the service at the emulator. */
  env(): Record<string, string>;
  /** A token the emulator accepts and the lifecycle's OAuth app may revoke. */
  mintToken(): string;
  /** Revokes a token at the provider, as a user removing the app would. */
  revokeToken(token: string): Promise<void>;
  /** Every API call answers the provider's rate-limit response until `clearFaults`. */
  rateLimit(): void;
  clearFaults(): Promise<void>;
  /** Metadata every public connection must carry. */
  expectedMetadata: Record<string, unknown>;
}

function slackHarness(): ProviderHarness {
  const emulator = new SlackEmulator({ clientId: "1111.2222", clientSecret: "slack-emulated-client-secret" });
  return {
    start: async () => void (await emulator.start()),
    stop: () => emulator.stop(),
    env: () => ({
      AUTOFLOW_SLACK_CLIENT_ID: emulator.clientId,
      AUTOFLOW_SLACK_CLIENT_SECRET: emulator.clientSecret,
      AUTOFLOW_SLACK_API_URL: emulator.apiUrl,
      AUTOFLOW_SLACK_WEB_URL: emulator.url,
    }),
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
    expectedMetadata: { teamId: "T0001", teamName: "Acme" },
  };
}

function githubHarness(): ProviderHarness {
  const emulator = new GithubEmulator();
  return {
    start: async () => void (await emulator.start()),
    stop: () => emulator.stop(),
    env: () => ({
      AUTOFLOW_GITHUB_CLIENT_ID: emulator.oauthApp.clientId,
      AUTOFLOW_GITHUB_CLIENT_SECRET: emulator.oauthApp.clientSecret,
      AUTOFLOW_GITHUB_API_URL: emulator.url,
      AUTOFLOW_GITHUB_WEB_URL: emulator.url,
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

/**
 * One harness per registered provider, by id. The HTTP tests iterate over `PROVIDERS` and fail for a
 * registered provider without a harness here, so a new provider is covered as soon as it is registered.
 */
export const PROVIDER_HARNESSES: Readonly<Record<string, () => ProviderHarness>> = {
  slack: slackHarness,
  github: githubHarness,
};

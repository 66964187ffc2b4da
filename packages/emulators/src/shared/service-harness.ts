import type { ProviderEmulator } from "@autoflow/core";

/**
 * How the connection service's HTTP contract tests drive one provider's emulator, whatever the provider:
 * where its API and OAuth pages are, its OAuth app, a token it accepts, and how to make it refuse.
 */
export interface ServiceHarness {
  start(): Promise<void>;
  stop(): Promise<void>;
  /** The API base URL and the browser-facing (OAuth) base URL the service is pointed at. */
  endpoints(): { apiUrl: string; webUrl: string };
  /** The OAuth app the emulator knows. */
  oauthClient(): { clientId: string; clientSecret: string };
  /** A token the emulator accepts and the OAuth app may revoke. */
  mintToken(): string;
  /** Revokes a token at the provider, as a user removing the app would. */
  revokeToken(token: string): Promise<void>;
  /** Every API call answers the provider's rate-limit response until `clearFaults`. */
  rateLimit(): void;
  clearFaults(): Promise<void>;
  /** Metadata every public connection made through this emulator must carry. */
  expectedMetadata: Record<string, unknown>;
  /**
   * For providers whose pasted credential is more than a token: the body `POST .../connections` takes for one
   * the emulator accepts (an API token with its account's email and its site). Absent for the others.
   */
  pastedCredential?(): { apiKey: string; email?: string; siteUrl?: string };
}

/** What a service harness drives on an emulator: the kit's surface, and a rate limit per window. */
export type HarnessedEmulator = Pick<
  ProviderEmulator,
  "start" | "stop" | "apiUrl" | "webUrl" | "mintToken" | "revokeToken" | "clearFaults" | "oauthClient"
> & { rateLimit(perWindow: number, windowMs: number): void };

/**
 * An emulator's service harness, written once: start and stop, its API and web URLs, its OAuth app, a token it
 * accepts, revoking at the emulator, a rate limit that refuses every call, clearing faults. A provider gives what
 * its connections must carry (`expectedMetadata`) and overrides only where its emulator differs.
 */
export function emulatorServiceHarness(
  emulator: HarnessedEmulator,
  own: Pick<ServiceHarness, "expectedMetadata"> & Partial<ServiceHarness>,
): ServiceHarness {
  return {
    start: async () => void (await emulator.start()),
    stop: () => emulator.stop(),
    endpoints: () => ({ apiUrl: emulator.apiUrl, webUrl: emulator.webUrl }),
    oauthClient: () => {
      const client = emulator.oauthClient;
      if (!client) throw new Error("this emulator has no OAuth app");
      return { clientId: client.clientId, clientSecret: client.clientSecret };
    },
    mintToken: () => emulator.mintToken(),
    async revokeToken(token) {
      if (!emulator.revokeToken(token)) throw new Error("the emulator does not know that token");
    },
    rateLimit: () => emulator.rateLimit(0, 60_000),
    clearFaults: async () => {
      await emulator.clearFaults();
    },
    ...own,
  };
}

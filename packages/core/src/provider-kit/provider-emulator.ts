import type { StandardFault } from "../testing/standard-faults";

/** A request the emulator received, as the shared provider suite reads it. */
export interface EmulatedRequest {
  method: string;
  path: string;
}

/**
 * What every provider's emulator implements (a loopback stand-in for the provider's API), so the shared
 * provider test suite (`describeProvider`) is written once against it: start and stop, its base URL, a
 * token it accepts, the standard faults answered in the provider's own wire format, and the request log.
 */
export interface ProviderEmulator {
  /** Starts listening on 127.0.0.1; resolves to the base URL. */
  start(): Promise<string>;
  stop(): Promise<void>;
  /** The base URL (after `start`). */
  readonly url: string;
  /** The API base URL a client of the provider is pointed at (after `start`): the service's `AUTOFLOW_<P>_API_URL`. */
  readonly apiUrl: string;
  /** The browser-facing base URL, where OAuth pages live (after `start`): the service's `AUTOFLOW_<P>_WEB_URL`. */
  readonly webUrl: string;
  /**
   * The environment variables that point the connection service at this emulator (after `start`), named
   * `<prefix>API_URL`, `<prefix>WEB_URL`, and `<prefix>CLIENT_ID` / `<prefix>CLIENT_SECRET` when the
   * emulator has an OAuth app. The prefix defaults to `AUTOFLOW_<PROVIDER>_`.
   */
  env(prefix?: string): Record<string, string>;
  /** Mints a token the emulated API accepts (a bot token, a personal access token, an API key), with every scope. */
  mintToken(): string;
  /** Makes a minted or issued token stop working at once, as a revocation at the provider does; false if unknown. */
  revokeToken(token: string): boolean;
  /** The emulator's OAuth client, where the provider has OAuth: what `env()` exports as `CLIENT_ID`/`CLIENT_SECRET`. */
  readonly oauthClient?: { clientId: string; clientSecret: string };
  /** Back to the seeded state: everything created since, faults and the request log are gone; tokens keep working. */
  reset(): Promise<void>;
  /** Makes the next call fail with `fault`, answered the way the provider answers it. */
  injectFault(fault: StandardFault): void | Promise<void>;
  /** Removes every injected fault. */
  clearFaults(): void | Promise<void>;
  /** Every request received, oldest first. */
  readonly requests: readonly EmulatedRequest[];
}

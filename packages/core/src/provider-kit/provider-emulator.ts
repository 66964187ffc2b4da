import type { StandardFault } from "../testing/standard-faults";

/** A request the emulator received, as the shared provider suite reads it. */
export interface EmulatedRequest {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body?: unknown;
}

/**
 * What every provider's emulator implements (a loopback stand-in for the provider's API), so the shared
 * provider test suite is written once against it: start and stop, the base URL the SDK is pointed at, a
 * token it accepts, the standard faults in the provider's own wire format, and the request log.
 */
export interface ProviderEmulator {
  /** The provider slug, e.g. "slack". */
  readonly provider: string;
  /** Starts listening on 127.0.0.1; resolves to the base URL. */
  start(): Promise<string>;
  stop(): Promise<void>;
  /** The base URL (after `start`). */
  readonly url: string;
  /** Issues a token the emulated API accepts (a bot token, a personal access token, an API key). */
  issueToken(options?: { scopes?: string[] }): string;
  /** Makes the next matching call fail with `fault`, answered the way the provider answers it. */
  injectFault(fault: StandardFault): void | Promise<void>;
  /** Removes every injected fault. */
  clearFaults(): void;
  /** Every request received, oldest first. */
  readonly requests: readonly EmulatedRequest[];
}

import type { StandardFault } from "@autoflow/core/testing";
import type { EmulatorServer } from "./emulator-server";
import type { FaultMatch } from "./faults";
import type { RequestViolation } from "./request-validation";
import type { EmulatorResponse, RecordedRequest } from "./types";

/** The standard faults that are answers (the provider's error body); the others are the transport's. */
export type HttpFault = Exclude<
  StandardFault,
  "connection-refused" | "connection-reset" | "timeout" | "answer-lost"
>;

// Injected faults last until clearFaults(): "fail the next N" with N as large as it gets.
const UNTIL_CLEARED = Number.MAX_SAFE_INTEGER;

/**
 * What every emulator's surface has in common, written once: starting and stopping its `EmulatorServer`, its
 * URLs (all the server's root unless the provider serves its API or OAuth under a path), the request log and the
 * description's violations, and the standard faults, where an emulator supplies only its provider's answer to
 * each HTTP fault (`faultAnswer`); the transport faults (refused, reset, timeout, lost answer) are the server's.
 */
export abstract class HttpEmulator {
  protected abstract readonly server: EmulatorServer;
  /** Which requests the standard faults hit (an API under a path, not the OAuth pages). Default every request. */
  protected readonly faultScope: FaultMatch = {};

  /** The provider's answer to `fault`, in its wire format (status, headers, error body). */
  protected abstract faultAnswer(fault: HttpFault): EmulatorResponse;

  /** Starts listening; resolves to the root URL. */
  start(): Promise<string> {
    return this.server.start();
  }

  /** Stops listening (a subclass first ends what it sends: webhook deliveries in flight). */
  async stop(): Promise<void> {
    await this.server.stop();
  }

  get url(): string {
    return this.server.url;
  }

  /** Where the SDK is pointed: the root unless the provider's API lives under a path. */
  get apiUrl(): string {
    return this.server.url;
  }

  /** Where the browser goes for OAuth: the root unless the provider's pages live elsewhere. */
  get webUrl(): string {
    return this.server.url;
  }

  /** Every request so far, oldest first. */
  get requests(): RecordedRequest[] {
    return this.server.requests;
  }

  /** Requests that broke the provider's description, oldest first. */
  get requestViolations(): readonly RequestViolation[] {
    return this.server.requestViolations;
  }

  /** Makes every request (in `faultScope`) fail the way the provider fails for `fault`, until `clearFaults()`. */
  async injectFault(fault: StandardFault): Promise<void> {
    const { faults } = this.server;
    const scope = this.faultScope;
    switch (fault) {
      case "connection-refused":
        await this.server.refuseConnections();
        return;
      case "connection-reset":
        faults.resetNext(UNTIL_CLEARED, scope);
        return;
      case "timeout":
        faults.hangNext(UNTIL_CLEARED, scope);
        return;
      case "answer-lost":
        faults.loseAnswerNext(UNTIL_CLEARED, scope);
        return;
      default:
        faults.failNext(UNTIL_CLEARED, this.faultAnswer(fault), scope);
    }
  }

  /** Ends every injected fault and rate limit, and accepts connections again. */
  async clearFaults(): Promise<void> {
    this.server.faults.clear();
    await this.server.acceptConnections();
  }
}

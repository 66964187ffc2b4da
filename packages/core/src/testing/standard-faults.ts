import type { IntegrationErrorType } from "../errors";

/** What every provider must classify the same way (spec 003), whatever its wire format. */
export type FaultExpectation = {
  type: IntegrationErrorType;
  retryable: boolean;
  /** When the fault carries a Retry-After of this many seconds, `retryAt` must be that far away. */
  retryAfterSeconds?: number;
  /** The error's `reason`, when the fault must carry one (`outcome_unknown`). */
  reason?: string;
};

/**
 * The standard fault set every provider package runs through the contract kit. The provider's
 * emulator injects each fault in its own wire format (an HTTP 200 `{ ok: false }`, a JSON error body).
 */
export const STANDARD_FAULTS = {
  /** 401, or the provider's invalid-token answer. */
  unauthorized: { type: "auth", retryable: false },
  /** 403: a token without the scope the call needs. */
  forbidden: { type: "auth", retryable: false },
  "not-found": { type: "schema", retryable: false },
  /** 400/422 or the provider's invalid-arguments answer. */
  "invalid-input": { type: "schema", retryable: false },
  /** 429 with `Retry-After: 30`. */
  "rate-limited": { type: "rate-limit", retryable: true, retryAfterSeconds: 30 },
  "server-error": { type: "upstream", retryable: true },
  "bad-gateway": { type: "upstream", retryable: true },
  unavailable: { type: "upstream", retryable: true },
  /** Nothing listens on the port: the request certainly was not sent, so it is retried. */
  "connection-refused": { type: "network", retryable: true },
  /**
   * The socket is destroyed after the headers, mid-body. The request was sent, so its outcome is unknown: the
   * fault matrix's call is a write that declares no safe repeat (a provider whose call does declare one
   * overrides this with `retryable: true`).
   */
  "connection-reset": { type: "network", retryable: false, reason: "outcome_unknown" },
  /** The server never answers; the client's timeout fires. Sent, so unknown, as `connection-reset`. */
  timeout: { type: "network", retryable: false, reason: "outcome_unknown" },
  /** The provider handles the request (its state changes), then the answer is lost: the socket is reset. */
  "answer-lost": { type: "network", retryable: false, reason: "outcome_unknown" },
} as const satisfies Record<string, FaultExpectation>;

export type StandardFault = keyof typeof STANDARD_FAULTS;
export const STANDARD_FAULT_NAMES = Object.keys(STANDARD_FAULTS) as StandardFault[];

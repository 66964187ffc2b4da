import type { EmulatorResponse } from "../shared/types";
import { stripeError } from "./stripe-wire";

/** How long Stripe keeps an idempotency key's first answer. */
export const IDEMPOTENCY_WINDOW_MS = 24 * 3600_000;

type Entry = {
  fingerprint: string;
  /** Undefined while the first request with the key is still being handled. */
  response?: EmulatorResponse;
  expiresAt: number;
};

/** What to do with a request that carries an `Idempotency-Key`. */
export type IdempotencyDecision =
  | { kind: "run"; finish(response: EmulatorResponse): void }
  | { kind: "answer"; response: EmulatorResponse };

/**
 * Stripe's idempotency rules, per account and key: the first request with a key runs; a repeat with the same
 * method, path and parameters within 24 hours answers the first request's answer again (`Idempotent-Replayed:
 * true`); a repeat with other parameters is refused with 400 `idempotency_error`; a repeat while the first is still
 * running is refused with 409 `idempotency_key_in_use` (retryable). An answer refused for its parameters (400) is
 * not kept, as Stripe keeps no result for a request that never started executing.
 */
export class IdempotencyKeys {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly now: () => number) {}

  begin(account: string, key: string, fingerprint: string): IdempotencyDecision {
    const id = `${account} ${key}`;
    const now = this.now();
    const entry = this.entries.get(id);
    if (entry && entry.expiresAt > now) {
      if (entry.fingerprint !== fingerprint) {
        return {
          kind: "answer",
          response: stripeError(
            400,
            "idempotency_error",
            `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${key}' if you meant to execute a different request.`,
          ),
        };
      }
      if (!entry.response) {
        return {
          kind: "answer",
          response: stripeError(
            409,
            "invalid_request_error",
            "There is currently another in-progress request using this Stripe-Idempotency-Key. Please try again later.",
            { code: "idempotency_key_in_use" },
          ),
        };
      }
      const replayed = entry.response;
      return {
        kind: "answer",
        response: { ...replayed, headers: { ...replayed.headers, "idempotent-replayed": "true" } },
      };
    }
    const fresh: Entry = { fingerprint, expiresAt: now + IDEMPOTENCY_WINDOW_MS };
    this.entries.set(id, fresh);
    return {
      kind: "run",
      finish: (response) => {
        const status = response.status ?? 200;
        if (status === 400 || status === 401 || status === 429) this.entries.delete(id);
        else fresh.response = response;
      },
    };
  }

  clear(): void {
    this.entries.clear();
  }
}

import type { UnknownOutcomeOptions } from "./runtime/idempotency";

/**
 * Exponential backoff with optional jitter. `limit` is the number of retries after the first attempt.
 * `onUnknownOutcome` overrides the job's choice for this task (see `UnknownOutcomeOptions`).
 */
export interface RetryOptions extends UnknownOutcomeOptions {
  limit?: number;
  factor?: number;
  minTimeoutInMs?: number;
  maxTimeoutInMs?: number;
  /** Full jitter: the delay is drawn uniformly from [delay / 2, delay]. */
  randomize?: boolean;
}

/** Named, documented retry policies. */
export const retry = {
  /** The default for provider tasks: up to 8 retries over roughly two minutes. */
  standardBackoff: { limit: 8, factor: 1.8, minTimeoutInMs: 500, maxTimeoutInMs: 30_000, randomize: true },
  /** Three quick retries, for calls that are cheap to repeat. */
  rapidBackoff: { limit: 3, factor: 2, minTimeoutInMs: 100, maxTimeoutInMs: 2_000, randomize: true },
  /** No retries at all. */
  none: { limit: 0 },
} as const satisfies Record<string, RetryOptions>;

const defaults = { limit: 0, factor: 2, minTimeoutInMs: 1_000, maxTimeoutInMs: 60_000, randomize: false };

/**
 * The delay before retry number `retryNumber` (1 for the first retry), or `undefined` when the
 * limit is spent. `random` is injectable so tests are deterministic.
 */
export function backoffDelay(
  options: RetryOptions | undefined,
  retryNumber: number,
  random: () => number = Math.random,
): number | undefined {
  const o = { ...defaults, ...options };
  if (retryNumber < 1 || retryNumber > o.limit) return undefined;
  const raw = Math.min(o.maxTimeoutInMs, o.minTimeoutInMs * o.factor ** (retryNumber - 1));
  const delay = o.randomize ? raw / 2 + (random() * raw) / 2 : raw;
  return Math.round(delay);
}

/** Whether another attempt is allowed after `attemptsMade` attempts. */
export function canRetry(options: RetryOptions | undefined, attemptsMade: number): boolean {
  return attemptsMade <= (options?.limit ?? defaults.limit);
}

import { toIntegrationError } from "../classify";
import type { IntegrationError } from "../errors";
import type { IO, IOTask, RunTaskErrorCallback } from "../io";
import { backoffDelay, type RetryOptions } from "../retry";
import type { UnknownOutcomeVerdict } from "./unknown-outcome";

export type RetryDecision =
  | { retry: true; retryAt: Date; error: IntegrationError }
  | { retry: false; error: IntegrationError }
  /** The outcome was unknown and the task's reconciler found its side effect: complete with `output`. */
  | { retry: false; reconciled: { output: unknown }; error: IntegrationError };

export interface RetryDecisionInput {
  error: unknown;
  onError?: RunTaskErrorCallback | undefined;
  task: IOTask;
  io: IO;
  retry?: RetryOptions | undefined;
  /** Attempts made so far, including the one that just failed. */
  attemptsMade: number;
  provider: string;
  now: number;
  random: () => number;
  /** Judges an `outcome_unknown` error by the task's idempotency (repeat, reconcile, or fail). */
  unknownOutcome?: ((error: IntegrationError) => Promise<UnknownOutcomeVerdict>) | undefined;
}

/**
 * Decides what happens after a failed attempt, in this order: the task's `onError` (its `retryAt`
 * wins over backoff, `skipRetrying` fails now, a returned Error replaces the thrown one); then the
 * unknown outcome (`reason: "outcome_unknown"`: the task's idempotency decides whether it may be repeated, and a
 * reconciler may find it already happened, whatever `onError` asked: its `retryAt` says when to repeat, never that
 * a repeat is safe); then the taxonomy (`auth` and `schema` fail fast); then the retry limit; then the provider's
 * own `retryAt` (Retry-After, rate-limit reset) or, failing that, exponential backoff.
 */
export async function decideRetry(input: RetryDecisionInput): Promise<RetryDecision> {
  const { attemptsMade, now } = input;
  let thrown = input.error;
  let requestedAt: Date | undefined;
  if (input.onError) {
    const answer = await input.onError(input.error, input.task, input.io);
    if (answer instanceof Error) thrown = answer;
    else if (answer) {
      if (answer.error) thrown = answer.error;
      const error = toIntegrationError(thrown, input.provider);
      if (answer.skipRetrying) return { retry: false, error };
      requestedAt = answer.retryAt;
    }
  }
  let error = toIntegrationError(thrown, input.provider);
  if (error.reason === "outcome_unknown" && input.unknownOutcome) {
    const verdict = await input.unknownOutcome(error);
    if (verdict.action === "complete") return { retry: false, reconciled: { output: verdict.output }, error };
    if (verdict.action === "fail") return { retry: false, error: verdict.error };
    // Not an attempt: the call is not repeated, so the retry limit does not apply.
    if (verdict.action === "look-again") return { retry: true, retryAt: verdict.at, error: verdict.error };
    error = verdict.error;
  }
  const retriesLeft = attemptsMade <= (input.retry?.limit ?? 0);
  if (!retriesLeft) return { retry: false, error };
  if (requestedAt) return { retry: true, retryAt: atLeast(requestedAt, now), error };
  if (!error.retryable) return { retry: false, error };
  if (error.retryAt) return { retry: true, retryAt: atLeast(error.retryAt, now), error };
  const delay = backoffDelay(input.retry, attemptsMade, input.random) ?? 0;
  return { retry: true, retryAt: new Date(now + delay), error };
}

function atLeast(date: Date, now: number): Date {
  return date.getTime() < now ? new Date(now) : date;
}

import { IntegrationError } from "../errors";
import type { RunTaskErrorDecision } from "../io";

/**
 * The one default `onError` of every provider task (spec 001's hook). Errors reach it already
 * translated by the provider's error table: a retryable error with a time the provider named
 * (`Retry-After`, a rate-limit reset) is retried then; anything else is left to the taxonomy and the
 * task's backoff. Pass your own `onError` to a task to decide differently.
 */
export function onProviderError(error: unknown): RunTaskErrorDecision | undefined {
  if (IntegrationError.isInstance(error) && error.retryable && error.retryAt) {
    return { retryAt: error.retryAt, error };
  }
  return undefined;
}

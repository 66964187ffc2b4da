import type { SerializedIntegrationError } from "../errors";
import { truncateJson } from "../truncate-json";
import type { TaskAttemptError, TaskRecord } from "./task-store";

/**
 * The most entries `TaskRecord.attemptErrors` keeps: the first failure and the latest ones. A task that retries
 * for an hour (a rate limit that keeps answering 429) must not grow its log entry without bound.
 */
export const MAX_ATTEMPT_ERRORS = 20;

/** The most UTF-8 bytes of an entry's error message kept (an upstream's HTML error page can be megabytes). */
export const ATTEMPT_ERROR_MESSAGE_BYTES = 2_000;

const MESSAGE_LIMITS = {
  maxStringBytes: ATTEMPT_ERROR_MESSAGE_BYTES,
  maxTotalBytes: ATTEMPT_ERROR_MESSAGE_BYTES,
};

/**
 * Appends a failure of the task's current attempt (`record.attempts`) to its history: `error` as the record's
 * `error` holds it (already scrubbed), `retryAt` when a next attempt was scheduled, `at` on the run's clock.
 */
export function recordAttemptError(
  record: TaskRecord,
  error: SerializedIntegrationError,
  at: string,
  retryAt?: string,
): void {
  const message = truncateJson(error.message, MESSAGE_LIMITS).value;
  const entry: TaskAttemptError = {
    attempt: record.attempts,
    error: message === error.message ? error : { ...error, message },
    ...(retryAt !== undefined && { retryAt }),
    at,
  };
  const history = [...(record.attemptErrors ?? []), entry];
  record.attemptErrors =
    history.length <= MAX_ATTEMPT_ERRORS
      ? history
      : [history[0] as TaskAttemptError, ...history.slice(-(MAX_ATTEMPT_ERRORS - 1))];
}

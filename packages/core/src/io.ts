import type { DisplayProperty } from "./display";
import type { IntegrationTaskKey } from "./integration";
import type { TaskOutput } from "./json";
import type { RetryOptions } from "./retry";
import type { TaskIdempotency, TaskReconciler } from "./runtime/idempotency";

/** The task as the callback sees it: identity, attempt and display data. */
export interface IOTask {
  /** The task's full id within the run: parent ids and its own key, `/`-separated. */
  readonly id: string;
  /** The task's own key, serialized. */
  readonly key: string;
  /** Stable across attempts and replays; derived from run id, parent and key. Send it where the provider supports idempotency. */
  readonly idempotencyKey: string;
  readonly runId: string;
  readonly parentId?: string;
  readonly name: string;
  readonly icon?: string;
  /** 1 on the first attempt. */
  readonly attempt: number;
  readonly params?: unknown;
  readonly properties: readonly DisplayProperty[];
  readonly connectionKey?: string;
  /**
   * Aborted when the run is cancelled (`JobRunner.cancel`) or the attempt's `timeoutMs` passes: hand it to the
   * call you make (`fetch(url, { signal })`, an SDK's `signal` option). Provider tasks' requests get it already.
   */
  readonly signal: AbortSignal;
}

/** Paths (dot-separated, `*` matches any one segment) whose values are replaced before params are logged. */
export type RedactOptions = {
  paths: string[];
};

export interface RunTaskOptions {
  /** Display name, e.g. "Post Message". Defaults to the key. */
  name?: string;
  /** Icon slug, usually the integration's id. */
  icon?: string;
  description?: string;
  properties?: DisplayProperty[];
  /** The task's input, recorded (redacted) in the task log. */
  params?: unknown;
  /** Backoff for retryable failures; no retries when omitted. */
  retry?: RetryOptions;
  /**
   * How long one attempt may take, in ms of real time (also on a test clock: it bounds real I/O). On expiry the
   * attempt's `signal` is aborted and the attempt fails as a `network` error with `code: "timeout"`: with
   * `reason: "timeout"` (retryable) when no request of a provider task had left yet, otherwise with
   * `reason: "outcome_unknown"`, repeated only as the task's `idempotency` allows. A plain task's callback is
   * opaque to the runtime, so its timeout is always `outcome_unknown`. No deadline when omitted.
   */
  timeoutMs?: number;
  /**
   * How a repeat is made safe when an attempt's outcome is unknown (its answer lost, the worker gone mid-call):
   * see `TaskIdempotency`. Provider tasks always say (the kit declares undeclared writes `none`); a plain task
   * without it is re-run on resume and its `outcome_unknown` errors are not retried.
   */
  idempotency?: TaskIdempotency;
  /** For `idempotency: "reconcile"`: finds out whether the side effect happened before anything is repeated. */
  reconcile?: TaskReconciler;
  connectionKey?: string;
  redact?: RedactOptions;
  /**
   * Credential values this task works with (e.g. a workflow step's decrypted credential): scrubbed
   * from this task's and every later task's params, outputs, errors and logs in the run.
   */
  secrets?: readonly string[];
}

/** What an `onError` callback may decide. */
export type RunTaskErrorDecision =
  | { retryAt: Date; error?: Error; skipRetrying?: false }
  | { skipRetrying: true; error?: Error; retryAt?: undefined };

/**
 * Called when a task's callback throws. Return `{ retryAt }` to retry at a time the provider named,
 * `{ skipRetrying: true }` to fail now, an `Error` to replace the thrown one (e.g. a translated
 * `IntegrationError`), or nothing to let the error taxonomy and the task's backoff decide.
 */
export type RunTaskErrorCallback = (
  error: unknown,
  task: IOTask,
  io: IO,
) =>
  | RunTaskErrorDecision
  | Error
  | undefined
  | void
  | Promise<RunTaskErrorDecision | Error | undefined | void>;

export interface IOLogger {
  debug(message: string, data?: Record<string, unknown>): void;
  info(message: string, data?: Record<string, unknown>): void;
  warn(message: string, data?: Record<string, unknown>): void;
  error(message: string, data?: Record<string, unknown>): void;
}

/** The job's handle on the runtime: every side effect goes through `runTask` so it is logged once and replayed. */
export interface IO {
  readonly runId: string;
  readonly logger: IOLogger;
  /**
   * Runs `callback` once per run for `key`: its output is written to the task log, and a replay of
   * the run returns that output without calling `callback` again.
   */
  runTask<T>(
    key: IntegrationTaskKey,
    callback: (task: IOTask, io: IO) => Promise<T>,
    options?: RunTaskOptions,
    onError?: RunTaskErrorCallback,
  ): Promise<TaskOutput<T>>;
  /**
   * `try`/`catch` that never swallows the runtime's control-flow signals (suspensions): use it
   * instead of a bare `try` around tasks.
   */
  try<T, E>(tryCallback: () => Promise<T>, catchCallback: (error: unknown) => Promise<E>): Promise<T | E>;
  /** A durable sleep: a long one suspends the run and resumes it later instead of holding the process. */
  wait(key: IntegrationTaskKey, seconds: number): Promise<void>;
}

import type { IntegrationError } from "../errors";
import type { IOTask } from "../io";

/**
 * How a task's side effect is made safe to repeat when the outcome of an attempt is unknown (the answer was
 * lost after the request was sent, or the worker died during the call):
 * - `native`: the provider dedupes by a key we send (the task's `idempotencyKey`); repeat freely.
 * - `idempotent`: repeating is harmless (a read, a PUT, a delete, an "already done" answer); repeat freely.
 * - `reconcile`: the task's `reconcile` looks for the side effect first; found completes the task with it,
 *   certainly absent repeats the call, anything else fails the task with `outcome_unknown`.
 * - `none`: nothing makes a repeat safe (an undeclared write): the task fails with `outcome_unknown` and says
 *   what to check, unless the job opted in with `retry: { onUnknownOutcome: "retry" }`.
 *
 * A task without a declaration (a plain `io.runTask` grouping other tasks) is re-run when its run resumes, as
 * before: the calls inside it are tasks of their own, each with its declaration.
 */
export type TaskIdempotency = "native" | "idempotent" | "reconcile" | "none";

/** What a reconciler is told about the task whose outcome is unknown. */
export interface ReconcileContext {
  /** The task: its key, id, run id, idempotency key and (redacted) params as the task log keeps them. */
  readonly task: IOTask;
  /** The task's stable marker (`taskMarker(task)`), which the task's call left in the object it created. */
  readonly marker: string;
  /** When the attempt whose outcome is unknown started: look for objects created at or after it. */
  readonly callStartedAt: Date;
  /** Why the outcome is unknown: the lost answer's error, or the worker that died mid-call. */
  readonly error: IntegrationError;
  /** Now on the run's clock: what a reconciler measures a search lag against (never the wall clock). */
  readonly now: Date;
}

/**
 * A reconciler's answer: the side effect happened (`output` is what the task would have returned), it
 * certainly did not (the call is repeated), or the reconciler cannot tell (the task fails with `outcome_unknown`).
 * `lookAgainAt` says it cannot tell *yet*: the provider's search lags (an index, an eventually consistent
 * listing), so the runtime waits until then (durably: the task is `waiting`, a restart keeps it) and asks the
 * reconciler again, without repeating the call. It must lie within `MAX_LOOK_AGAIN_MS` of the call's start.
 */
export type ReconcileResult<T = unknown> =
  | { found: true; output: T }
  | { found: false }
  | { unknown: true; lookAgainAt?: Date };

/** How long after a call its reconciler may keep looking (`lookAgainAt`): past it, unknown is final. */
export const MAX_LOOK_AGAIN_MS = 60 * 60_000;

/** Looks for a task's side effect after an unknown outcome (the runtime's form; provider tasks get their client too). */
export type TaskReconciler<T = unknown> = (context: ReconcileContext) => Promise<ReconcileResult<T>>;

/** What a job says about tasks whose outcome is unknown and that declare no safe repeat. */
export interface UnknownOutcomeOptions {
  /**
   * `fail` (the default): the task fails with `outcome_unknown`, so a person checks before anything is repeated.
   * `retry`: repeat the call anyway (at-least-once), for jobs whose writes tolerate a duplicate.
   */
  onUnknownOutcome?: "fail" | "retry";
}

const MARKER_PREFIX = "autoflow-task:";

/**
 * The task's stable marker: the same for every attempt and replay of the task in its run (derived from the
 * run id and task id through its idempotency key), distinct across runs. A `reconcile` task leaves it in the
 * object it creates (an HTML comment in a body, message metadata) so its reconciler can find the object.
 */
export function taskMarker(task: Pick<IOTask, "idempotencyKey">): string {
  return `${MARKER_PREFIX}${task.idempotencyKey.slice(0, 32)}`;
}

/** The marker as a hidden HTML comment, for bodies rendered as Markdown or HTML (an issue, a comment). */
export function markerComment(marker: string): string {
  return `<!-- ${marker} -->`;
}

import { IntegrationError } from "../errors";
import type { IOTask, RunTaskOptions } from "../io";
import type { UnknownOutcomeOptions } from "./idempotency";
import { MAX_LOOK_AGAIN_MS, taskMarker } from "./idempotency";
import { isControlFlowSignal } from "./signals";
import type { TaskRecord } from "./task-store";

/** What the runtime does about an attempt whose outcome is unknown. */
export type UnknownOutcomeVerdict =
  /** Repeating is safe (declared, found not to have happened, or opted in): `error` is now retryable. */
  | { action: "repeat"; error: IntegrationError }
  /** Nothing may be repeated: the task fails with this `outcome_unknown` error. */
  | { action: "fail"; error: IntegrationError }
  /** The reconciler found the side effect: the task completes with its output. */
  | { action: "complete"; output: unknown }
  /** The reconciler cannot tell yet: the task waits until `at` and asks it again (`error`: the pending state). */
  | { action: "look-again"; at: Date; error: IntegrationError };

/** The code of a task waiting to ask its reconciler again (`lookAgainAt`), as its log keeps it. */
export const RECONCILE_PENDING = "reconcile_pending";

export interface UnknownOutcomeInput {
  /** Why the outcome is unknown (`reason: "outcome_unknown"`). */
  error: IntegrationError;
  task: IOTask;
  record: Pick<TaskRecord, "id" | "name" | "icon">;
  options: RunTaskOptions;
  /** The job's choice for tasks that declare no safe repeat. */
  job: UnknownOutcomeOptions | undefined;
  /** When the attempt whose outcome is unknown started. */
  callStartedAt: Date;
  /** Now, on the run's clock. */
  now: Date;
  /** Told what the reconciler answered. */
  onReconciled(result: "found" | "not-found" | "unknown" | "look-again", error: IntegrationError): void;
}

/**
 * Decides what happens after an attempt whose outcome is unknown, by the task's `idempotency`: `native` and
 * `idempotent` repeat; `reconcile` asks the task's reconciler first (found completes, certainly absent
 * repeats, anything else fails); `none` fails with a message that says what to check, unless the task's
 * `retry.onUnknownOutcome` or the job's says `retry`. A task without a declaration repeats only when opted in.
 */
export async function judgeUnknownOutcome(input: UnknownOutcomeInput): Promise<UnknownOutcomeVerdict> {
  const { error, options } = input;
  switch (options.idempotency) {
    case "native":
    case "idempotent":
      return { action: "repeat", error: error.withRetryable(true) };
    case "reconcile":
      return reconcile(input);
    default: {
      const policy = options.retry?.onUnknownOutcome ?? input.job?.onUnknownOutcome;
      if (policy === "retry") return { action: "repeat", error: error.withRetryable(true) };
      if (options.idempotency === undefined) return { action: "fail", error };
      return {
        action: "fail",
        error: unknownOutcomeError(
          error,
          `${describeTask(input)} may have happened: ${error.message}. Its outcome is unknown and the task ` +
            "declares no safe repeat, so it was not repeated. Check whether it happened before re-running " +
            `the run (or declare the task's idempotency, or opt the job in with retry: { onUnknownOutcome: "retry" }).`,
        ),
      };
    }
  }
}

async function reconcile(input: UnknownOutcomeInput): Promise<UnknownOutcomeVerdict> {
  const { error, options, task } = input;
  let failure: unknown;
  let answer: Awaited<ReturnType<NonNullable<RunTaskOptions["reconcile"]>>> | undefined;
  try {
    if (!options.reconcile) throw new TypeError('it declares idempotency "reconcile" without a reconciler');
    answer = await options.reconcile({
      task,
      marker: taskMarker(task),
      callStartedAt: input.callStartedAt,
      error,
      now: input.now,
    });
  } catch (thrown) {
    if (isControlFlowSignal(thrown)) throw thrown;
    failure = thrown;
  }
  if (answer && "found" in answer && answer.found) {
    input.onReconciled("found", error);
    return { action: "complete", output: answer.output };
  }
  if (answer && "found" in answer && !answer.found) {
    input.onReconciled("not-found", error);
    return { action: "repeat", error: error.withRetryable(true) };
  }
  const lookAgainAt = answer && "unknown" in answer ? answer.lookAgainAt : undefined;
  if (lookAgainAt && lookAgainAt.getTime() - input.callStartedAt.getTime() <= MAX_LOOK_AGAIN_MS) {
    const at = lookAgainAt.getTime() < input.now.getTime() ? input.now : lookAgainAt;
    const pending = new IntegrationError({
      type: error.type,
      provider: error.provider,
      message: `${describeTask(input)} may have happened: ${error.message}. Its reconciler cannot tell yet; it looks again at ${at.toISOString()}.`,
      ...(error.method !== undefined && { method: error.method }),
      ...(error.taskKey !== undefined && { taskKey: error.taskKey }),
      reason: "outcome_unknown",
      code: RECONCILE_PENDING,
      retryable: true,
      retryAt: at,
      cause: error,
    });
    input.onReconciled("look-again", pending);
    return { action: "look-again", at, error: pending };
  }
  const why =
    failure === undefined
      ? "its reconciler could not tell whether it happened"
      : `its reconciler failed (${failure instanceof Error ? failure.message : String(failure)})`;
  const unknown = unknownOutcomeError(
    error,
    `${describeTask(input)} may have happened: ${error.message}. Its outcome is unknown and ${why}, so it was ` +
      "not repeated. Check whether it happened before re-running the run.",
  );
  input.onReconciled("unknown", unknown);
  return { action: "fail", error: unknown };
}

function describeTask({ record, options }: UnknownOutcomeInput): string {
  const provider = record.icon ?? options.icon;
  return `Task "${record.id}" (${record.name}${provider !== undefined && provider !== record.name ? `, ${provider}` : ""})`;
}

/** The same error, final (not retryable), with a message that says what to check. */
function unknownOutcomeError(error: IntegrationError, message: string): IntegrationError {
  return new IntegrationError({
    type: error.type,
    provider: error.provider,
    message,
    ...(error.status !== undefined && { status: error.status }),
    ...(error.code !== undefined && { code: error.code }),
    ...(error.method !== undefined && { method: error.method }),
    ...(error.taskKey !== undefined && { taskKey: error.taskKey }),
    reason: "outcome_unknown",
    retryable: false,
    cause: error,
  });
}

/** The error of an attempt the worker did not live to finish: its call may or may not have reached the provider. */
export function interruptedAttemptError(record: TaskRecord, provider: string): IntegrationError {
  return new IntegrationError({
    type: "network",
    provider,
    reason: "outcome_unknown",
    code: "worker_interrupted",
    message: `the worker stopped during attempt ${record.attempts}, before its answer was recorded`,
  });
}

import {
  type DisplayProperty,
  type IntegrationErrorType,
  type Json,
  type LoadedRun,
  type SerializedIntegrationError,
  type TaskRecord,
  truncateJson,
} from "@autoflow/core";

/** One failed attempt of a task, as a run's timeline shows it. */
export interface AttemptErrorView {
  /** Which attempt failed, from 1. */
  attempt: number;
  /** The frozen taxonomy's type. */
  type: IntegrationErrorType;
  reason?: string;
  code?: string;
  message: string;
  /** When the next attempt was scheduled for (a rate limit's reset, a backoff). */
  retryAt?: string;
  /** When the attempt failed. */
  at: string;
}

/** Every task of a run's task log (nested provider calls included), for the dashboard's timeline. */
export interface TaskView {
  id: string;
  parentId?: string;
  name: string;
  icon?: string;
  properties?: DisplayProperty[];
  status: TaskRecord["status"];
  attempts: number;
  attemptErrors?: AttemptErrorView[];
  /** A waiting task's next attempt. */
  retryAt?: string;
  /** Completed with what its reconciler found: the answer was lost, the side effect was there. */
  reconciled?: true;
  /** Completed before the run's current execution began: this execution replayed it from the log. */
  fromLog?: true;
  startedAt: string;
  completedAt?: string;
  durationMs?: number;
  output?: Json;
  /** The output is cut for display (see `TASK_VIEW_LIMITS`). */
  outputTruncated?: true;
  error?: SerializedIntegrationError;
}

/** What a timeline shows of task outputs: a string up to 16 KiB, about 1 MiB for all tasks together. */
export const TASK_VIEW_LIMITS = { maxStringBytes: 16 * 1024, maxTotalBytes: 1024 * 1024 } as const;

function attemptErrorView(entry: NonNullable<TaskRecord["attemptErrors"]>[number]): AttemptErrorView {
  const { error } = entry;
  return {
    attempt: entry.attempt,
    type: error.type,
    ...(error.reason && { reason: error.reason }),
    ...(error.code && { code: error.code }),
    message: error.message,
    ...(entry.retryAt && { retryAt: entry.retryAt }),
    at: entry.at,
  };
}

/**
 * A run's tasks in the order they first started. Outputs are cut to `TASK_VIEW_LIMITS` (they are already
 * scrubbed of secrets in the log: a redacted value shows as the log holds it).
 */
export function toTaskViews({ run, tasks }: LoadedRun): TaskView[] {
  let remaining: number = TASK_VIEW_LIMITS.maxTotalBytes;
  const resumedAt = run.resumedAt ? Date.parse(run.resumedAt) : undefined;
  return [...tasks]
    .sort((a, b) => a.sequence - b.sequence)
    .map((task) => {
      const output = truncateJson(task.output, {
        maxStringBytes: TASK_VIEW_LIMITS.maxStringBytes,
        maxTotalBytes: Math.max(0, remaining),
      });
      remaining -= output.bytes;
      const completed = task.completedAt ? Date.parse(task.completedAt) : undefined;
      return {
        id: task.id,
        ...(task.parentId && { parentId: task.parentId }),
        name: task.name,
        ...(task.icon && { icon: task.icon }),
        ...(task.properties?.length && { properties: task.properties }),
        status: task.status,
        attempts: task.attempts,
        ...(task.attemptErrors?.length && { attemptErrors: task.attemptErrors.map(attemptErrorView) }),
        ...(task.status === "waiting" && task.retryAt && { retryAt: task.retryAt }),
        ...(task.reconciled && { reconciled: true as const }),
        ...(resumedAt !== undefined &&
          completed !== undefined &&
          completed < resumedAt && { fromLog: true as const }),
        startedAt: task.startedAt,
        ...(task.completedAt && { completedAt: task.completedAt }),
        ...(completed !== undefined && { durationMs: Math.max(0, completed - Date.parse(task.startedAt)) }),
        ...(output.value !== undefined && { output: output.value }),
        ...(output.truncated && { outputTruncated: true as const }),
        ...(task.error && { error: task.error }),
      };
    });
}

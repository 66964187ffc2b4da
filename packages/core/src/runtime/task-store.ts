import type { DisplayProperty } from "../display";
import type { IntegrationErrorType, SerializedIntegrationError } from "../errors";
import type { Json } from "../json";
import type { ResourceMappingStore } from "./resource-mappings";

/** `cancelled`: stopped by `JobRunner.cancel` (or the service's cancel route); never retried or resumed. */
export type RunStatus = "running" | "suspended" | "completed" | "failed" | "cancelled";

/** The statuses a run ends in: nothing runs, resumes or retries it after. */
export const FINISHED_RUN_STATUSES: readonly RunStatus[] = ["completed", "failed", "cancelled"];

/** Whether a run in `status` has ended (completed, failed or cancelled). */
export function isFinishedRunStatus(status: RunStatus): boolean {
  return FINISHED_RUN_STATUSES.includes(status);
}

/** The task a failed run failed at. */
export interface RunFailedTask {
  /** Full id within the run: parent ids and own key, `/`-separated. */
  id: string;
  /** The task's own key, serialized. */
  key: string;
  name: string;
  /** The provider whose call failed (its id), for provider tasks. */
  provider?: string;
}

/** One job run. `payload` and `output` are already redacted JSON. */
export interface RunRecord {
  id: string;
  jobId: string;
  status: RunStatus;
  payload?: Json;
  output?: Json;
  error?: SerializedIntegrationError;
  /** The task a failed run failed at; absent when the job failed outside a task. */
  failedTask?: RunFailedTask;
  /** When a suspended run is due to resume. */
  resumeAt?: string;
  /**
   * When someone asked to cancel the run (`TaskStore.requestCancel`). Kept by `saveRun` when the saved record
   * has none, so a worker saving its progress never erases a cancel another process recorded.
   */
  cancelRequestedAt?: string;
  /**
   * When the run's current execution began, set only when that execution found tasks already in the log (a
   * recovery after a worker died, a suspended run resuming, a restart); absent on a first execution. A task
   * whose `completedAt` is earlier was replayed from the log in this execution, not run again: a run's
   * timeline marks it so.
   */
  resumedAt?: string;
  createdAt: string;
  updatedAt: string;
}

/** `waiting`: a retry or `io.wait` is scheduled for `retryAt`; `cancelled`: running when its run was cancelled. */
export type TaskStatus = "running" | "waiting" | "completed" | "failed" | "cancelled";

/**
 * One failure in a task's attempt history (`TaskRecord.attemptErrors`), so a run's timeline shows every attempt,
 * not only the last error.
 */
export interface TaskAttemptError {
  /** Which attempt failed, from 1 (`TaskRecord.attempts` when it failed). */
  attempt: number;
  /** The error as `TaskRecord.error` holds it (secrets scrubbed), its message cut to 2,000 UTF-8 bytes. */
  error: SerializedIntegrationError;
  /** When the next attempt (or the reconciler's next look) was scheduled for; absent when the task failed for good. */
  retryAt?: string;
  /** When the failure was recorded, on the run's clock. */
  at: string;
}

/** One entry of the durable task log. Timestamps are ISO-8601. */
export interface TaskRecord {
  runId: string;
  /** Full id within the run: parent ids and own key, `/`-separated. */
  id: string;
  parentId?: string;
  /** The task's own key, serialized. */
  key: string;
  idempotencyKey: string;
  name: string;
  icon?: string;
  status: TaskStatus;
  params?: Json;
  output?: Json;
  error?: SerializedIntegrationError;
  properties?: DisplayProperty[];
  attempts: number;
  retryAt?: string;
  /**
   * Each failure the log recorded for the task, oldest first: every failed attempt (with the `retryAt` it then
   * waited for) and its final failure, so a run's timeline shows them all where `error` keeps only the latest.
   * An attempt whose outcome was unknown gets one more entry, with the same `attempt`, each time its reconciler
   * is asked again and cannot tell yet. At most 20: the first and the latest 19. Absent until a failure.
   */
  attemptErrors?: TaskAttemptError[];
  startedAt: string;
  /**
   * When the latest attempt's call started, written before the call: after a lost answer or a worker that
   * died mid-call, a reconciler looks for the side effect from then on.
   */
  attemptStartedAt?: string;
  completedAt?: string;
  /** The task completed with what its reconciler found (the call's answer was lost, its side effect was there). */
  reconciled?: true;
  /** Order of first start within the run, so listings read like the run did. */
  sequence: number;
}

/** A run with every task it recorded, as loaded for a replay. */
export interface LoadedRun {
  run: RunRecord;
  tasks: TaskRecord[];
}

/** Which runs `TaskStore.listRuns` lists: newest first (by start, then id), `limit` at a time. */
export interface ListRunsOptions {
  /** Only this job's runs. */
  jobId?: string;
  /** Only runs in this status. */
  status?: RunStatus;
  /** At most this many runs: an integer from 0 to 1000. */
  limit: number;
  /** The next page: only runs listed after this run (the last id of the previous page); none when it is unknown. */
  before?: string;
}

/** One run as a listing shows it: no payload or output, its task count, and what it failed at. */
export interface RunSummary {
  id: string;
  jobId: string;
  status: RunStatus;
  /** When the run was first saved (its `createdAt`). */
  startedAt: string;
  /** When a completed, failed or cancelled run ended (its last `updatedAt`); absent while it is running or suspended. */
  finishedAt?: string;
  updatedAt: string;
  /** When a suspended run is due to resume. */
  resumeAt?: string;
  /** How many tasks the run recorded (nested ones included). */
  taskCount: number;
  /** The task a failed run failed at. */
  failedTask?: RunFailedTask;
  /** The taxonomy type of a failed run's error. */
  errorType?: IntegrationErrorType;
}

/** The most runs one `listRuns` call returns. */
export const MAX_LIST_RUNS_LIMIT = 1000;

/** Throws when `options.limit` is not an integer from 0 to `MAX_LIST_RUNS_LIMIT`: every store checks alike. */
export function assertListRunsLimit(options: ListRunsOptions): void {
  const { limit } = options;
  if (!(Number.isSafeInteger(limit) && limit >= 0 && limit <= MAX_LIST_RUNS_LIMIT)) {
    throw new RangeError(`listRuns limit must be an integer from 0 to ${MAX_LIST_RUNS_LIMIT}, got ${limit}`);
  }
}

/** A run's summary from its record and task count. */
export function runSummary(run: RunRecord, taskCount: number): RunSummary {
  const finished = isFinishedRunStatus(run.status);
  return {
    id: run.id,
    jobId: run.jobId,
    status: run.status,
    startedAt: run.createdAt,
    ...(finished && { finishedAt: run.updatedAt }),
    updatedAt: run.updatedAt,
    ...(run.resumeAt !== undefined && { resumeAt: run.resumeAt }),
    taskCount,
    ...(run.failedTask !== undefined && { failedTask: run.failedTask }),
    ...(run.status === "failed" && run.error !== undefined && { errorType: run.error.type }),
  };
}

/**
 * Durable storage for runs and their task logs. Implementations: in-memory, SQLite (`@autoflow/core/sqlite`),
 * and PostgreSQL in the service package. All must pass `describeTaskStore` from `@autoflow/core/testing`.
 */
export interface TaskStore {
  /** The run and all its tasks, ordered by `sequence`; `undefined` when the run is unknown. */
  loadRun(runId: string): Promise<LoadedRun | undefined>;
  /** Insert or replace a run by id. */
  saveRun(run: RunRecord): Promise<void>;
  /** Insert or replace a task by (runId, id). */
  saveTask(task: TaskRecord): Promise<void>;
  /**
   * Runs newest first (by `createdAt`, then id), filtered by job and status, `limit` at a time; page with
   * `before`. Read one run with its tasks with `loadRun`.
   */
  listRuns(options: ListRunsOptions): Promise<RunSummary[]>;
  /**
   * Records a request to cancel the run at `at` (ISO-8601) and returns the run as it now stands (`undefined` when
   * unknown). A finished run is left as it is (the caller answers "already finished"); a suspended run becomes
   * `cancelled` at once (nothing is executing it); a running one keeps `running` with `cancelRequestedAt` set,
   * and the process executing it ends it `cancelled` before its next task (`isCancelRequested`).
   */
  requestCancel(runId: string, at: string): Promise<RunRecord | undefined>;
  /** Whether someone asked to cancel the run: a runner asks before every task attempt. */
  isCancelRequested(runId: string): Promise<boolean>;
  /** Suspended runs whose `resumeAt` is at or before `now`, soonest first. */
  listDueRuns(now: Date, limit?: number): Promise<RunRecord[]>;
  /**
   * External records' resources (see `ResourceMappingStore`), shared by every run of the store: how a sync task
   * (a ticket sync) converges. The three stores here have them; a store without them runs every task
   * but those, which fail with a message saying so.
   */
  readonly mappings?: ResourceMappingStore;
  close(): Promise<void>;
}

/** The run after a cancel request at `at` (see `TaskStore.requestCancel`): every store applies the same rule. */
export function withCancelRequest(run: RunRecord, at: string): RunRecord {
  if (isFinishedRunStatus(run.status)) return run;
  const requested: RunRecord = { ...run, cancelRequestedAt: run.cancelRequestedAt ?? at };
  if (run.status !== "suspended") return requested;
  delete requested.resumeAt;
  return { ...requested, status: "cancelled", updatedAt: at };
}

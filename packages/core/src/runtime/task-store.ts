import type { DisplayProperty } from "../display";
import type { SerializedIntegrationError } from "../errors";
import type { Json } from "../json";

export type RunStatus = "running" | "suspended" | "completed" | "failed";

/** One job run. `payload` and `output` are already redacted JSON. */
export interface RunRecord {
  id: string;
  jobId: string;
  status: RunStatus;
  payload?: Json;
  output?: Json;
  error?: SerializedIntegrationError;
  /** When a suspended run is due to resume. */
  resumeAt?: string;
  createdAt: string;
  updatedAt: string;
}

/** `waiting`: a retry or `io.wait` is scheduled for `retryAt`. */
export type TaskStatus = "running" | "waiting" | "completed" | "failed";

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
  /** Suspended runs whose `resumeAt` is at or before `now`, soonest first. */
  listDueRuns(now: Date, limit?: number): Promise<RunRecord[]>;
  close(): Promise<void>;
}

import type { DisplayProperty } from "../display";
import type { SerializedIntegrationError } from "../errors";
import type { Json } from "../json";
import {
  type RunFailedTask,
  type RunRecord,
  type RunStatus,
  type RunSummary,
  runSummary,
  type TaskAttemptError,
  type TaskRecord,
  type TaskStatus,
} from "./task-store";

// The row shapes and mappings every SQL task store shares (SQLite here, PostgreSQL in the service):
// JSON columns travel as text, SQL NULL means "absent".

/** A row of `autoflow_runs`, JSON columns as text. */
export interface RunRow {
  id: string;
  job_id: string;
  status: string;
  payload: string | null;
  output: string | null;
  error: string | null;
  resume_at: string | null;
  created_at: string;
  updated_at: string;
  /** The task a failed run failed at, as JSON text (absent from rows of stores that do not select it). */
  failed_task?: string | null;
  /** When a cancel was requested (absent from rows of stores that do not select it). */
  cancel_requested_at?: string | null;
  /** When the run's current execution resumed it (absent from rows of stores that do not select it). */
  resumed_at?: string | null;
}

/** A run row as a listing reads it: no payload or output, with its task count. */
export type RunSummaryRow = Omit<RunRow, "payload" | "output"> & {
  /** A number, or the text of one (PostgreSQL's bigint). */
  task_count: number | string;
};

/** A row of `autoflow_tasks`, JSON columns as text. */
export interface TaskRow {
  run_id: string;
  id: string;
  parent_id: string | null;
  key: string;
  idempotency_key: string;
  name: string;
  icon: string | null;
  status: string;
  params: string | null;
  output: string | null;
  error: string | null;
  properties: string | null;
  attempts: number;
  retry_at: string | null;
  started_at: string;
  attempt_started_at: string | null;
  completed_at: string | null;
  /** 1 (or true, on PostgreSQL) when the task completed through its reconciler. */
  reconciled: number | boolean | null;
  sequence: number;
  /** The task's attempt history as JSON text (absent from rows of stores that do not select it). */
  attempt_errors?: string | null;
}

/** `undefined` becomes SQL NULL, while JSON `null` is the text "null", so the two stay distinct. */
export function toJsonText(value: unknown): string | null {
  return value === undefined ? null : JSON.stringify(value);
}

/** A run row as the record it stores; absent optional fields stay absent. */
export function rowToRun(row: RunRow): RunRecord {
  const run: RunRecord = {
    id: row.id,
    jobId: row.job_id,
    status: row.status as RunStatus,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
  if (row.payload !== null) run.payload = JSON.parse(row.payload) as Json;
  if (row.output !== null) run.output = JSON.parse(row.output) as Json;
  if (row.error !== null) run.error = JSON.parse(row.error) as SerializedIntegrationError;
  if (row.resume_at !== null) run.resumeAt = row.resume_at;
  if (row.cancel_requested_at !== undefined && row.cancel_requested_at !== null) {
    run.cancelRequestedAt = row.cancel_requested_at;
  }
  if (row.failed_task !== undefined && row.failed_task !== null) {
    run.failedTask = JSON.parse(row.failed_task) as RunFailedTask;
  }
  if (row.resumed_at !== undefined && row.resumed_at !== null) run.resumedAt = row.resumed_at;
  return run;
}

/** A listing's row as the run's summary. */
export function rowToRunSummary(row: RunSummaryRow): RunSummary {
  return runSummary(rowToRun({ ...row, payload: null, output: null }), Number(row.task_count));
}

/** A task row as the record it stores; absent optional fields stay absent. */
export function rowToTask(row: TaskRow): TaskRecord {
  const task: TaskRecord = {
    runId: row.run_id,
    id: row.id,
    key: row.key,
    idempotencyKey: row.idempotency_key,
    name: row.name,
    status: row.status as TaskStatus,
    attempts: row.attempts,
    startedAt: row.started_at,
    sequence: row.sequence,
  };
  if (row.parent_id !== null) task.parentId = row.parent_id;
  if (row.icon !== null) task.icon = row.icon;
  if (row.params !== null) task.params = JSON.parse(row.params) as Json;
  if (row.output !== null) task.output = JSON.parse(row.output) as Json;
  if (row.error !== null) task.error = JSON.parse(row.error) as SerializedIntegrationError;
  if (row.properties !== null) task.properties = JSON.parse(row.properties) as DisplayProperty[];
  if (row.retry_at !== null) task.retryAt = row.retry_at;
  if (row.attempt_started_at !== null) task.attemptStartedAt = row.attempt_started_at;
  if (row.completed_at !== null) task.completedAt = row.completed_at;
  if (row.reconciled === true || row.reconciled === 1) task.reconciled = true;
  if (row.attempt_errors !== undefined && row.attempt_errors !== null) {
    task.attemptErrors = JSON.parse(row.attempt_errors) as TaskAttemptError[];
  }
  return task;
}

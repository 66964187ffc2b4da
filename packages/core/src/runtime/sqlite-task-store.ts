import { resolve } from "node:path";
import { DatabaseSync, type StatementSync } from "node:sqlite";
import { runMigrations, TASK_STORE_MIGRATIONS } from "./sqlite-migrations";
import { createPrivateSqliteFile, restrictSqliteSideFiles } from "./sqlite-private-file";
import { SqliteResourceMappings } from "./sqlite-resource-mappings";
import {
  type RunRow,
  type RunSummaryRow,
  rowToRun,
  rowToRunSummary,
  rowToTask,
  type TaskRow,
  toJsonText,
} from "./task-rows";
import {
  assertListRunsLimit,
  type ListRunsOptions,
  type LoadedRun,
  type RunRecord,
  type RunSummary,
  type TaskRecord,
  type TaskStore,
} from "./task-store";

// Relative to `process.cwd()`, beside the project that runs the jobs; `.autoflow/` is git-ignored by convention.
const DEFAULT_SQLITE_PATH = ".autoflow/autoflow.db";

/** Options for `SqliteTaskStore`. */
export interface SqliteTaskStoreOptions {
  /**
   * Database file, relative to `process.cwd()`; created 0600, its missing folders 0700. `":memory:"` for a
   * throwaway store.
   */
  path?: string;
}

const RUN_COLUMNS =
  "id, job_id, status, payload, output, error, resume_at, created_at, updated_at, failed_task, cancel_requested_at, " +
  "resumed_at";
const TASK_COLUMNS =
  "run_id, id, parent_id, key, idempotency_key, name, icon, status, params, output, error, properties, " +
  "attempts, retry_at, started_at, attempt_started_at, completed_at, reconciled, sequence, attempt_errors";

/**
 * A `TaskStore` in one SQLite file (`node:sqlite`), shareable by several processes on the same machine.
 * Import it from `@autoflow/core/sqlite`; the schema is migrated on open.
 */
export class SqliteTaskStore implements TaskStore {
  /** The resolved database file, or `":memory:"`. */
  readonly path: string;
  private readonly db: DatabaseSync;
  // Prepared once: replaying a long run loads and rewrites thousands of rows through these.
  private readonly selectRun: StatementSync;
  private readonly selectTasks: StatementSync;
  private readonly upsertRun: StatementSync;
  private readonly upsertTask: StatementSync;
  private readonly selectDueRuns: StatementSync;
  private readonly cancelRun: StatementSync;
  private readonly selectCancelRequested: StatementSync;
  readonly mappings: SqliteResourceMappings;
  /** One prepared listing per combination of filters. */
  private readonly listings = new Map<string, StatementSync>();

  constructor(options: SqliteTaskStoreOptions = {}) {
    const path = options.path ?? DEFAULT_SQLITE_PATH;
    this.path = path === ":memory:" ? path : resolve(process.cwd(), path);
    createPrivateSqliteFile(this.path);
    this.db = new DatabaseSync(this.path);
    try {
      configureSqlite(this.db);
      runMigrations(this.db, TASK_STORE_MIGRATIONS);
      restrictSqliteSideFiles(this.path);
      this.selectRun = this.db.prepare(`SELECT ${RUN_COLUMNS} FROM autoflow_runs WHERE id = ?`);
      this.selectTasks = this.db.prepare(
        `SELECT ${TASK_COLUMNS} FROM autoflow_tasks WHERE run_id = ? ORDER BY sequence, id`,
      );
      this.upsertRun = this.db.prepare(
        `INSERT INTO autoflow_runs (${RUN_COLUMNS})
         VALUES ($id, $job_id, $status, $payload, $output, $error, $resume_at, $created_at, $updated_at,
                 $failed_task, $cancel_requested_at, $resumed_at)
         ON CONFLICT (id) DO UPDATE SET
           job_id = excluded.job_id, status = excluded.status, payload = excluded.payload,
           output = excluded.output, error = excluded.error, resume_at = excluded.resume_at,
           created_at = excluded.created_at, updated_at = excluded.updated_at,
           failed_task = excluded.failed_task, resumed_at = excluded.resumed_at,
           cancel_requested_at = COALESCE(excluded.cancel_requested_at, autoflow_runs.cancel_requested_at)`,
      );
      this.upsertTask = this.db.prepare(
        `INSERT INTO autoflow_tasks (${TASK_COLUMNS})
         VALUES ($run_id, $id, $parent_id, $key, $idempotency_key, $name, $icon, $status, $params, $output,
                 $error, $properties, $attempts, $retry_at, $started_at, $attempt_started_at, $completed_at,
                 $reconciled, $sequence, $attempt_errors)
         ON CONFLICT (run_id, id) DO UPDATE SET
           parent_id = excluded.parent_id, key = excluded.key, idempotency_key = excluded.idempotency_key,
           name = excluded.name, icon = excluded.icon, status = excluded.status, params = excluded.params,
           output = excluded.output, error = excluded.error, properties = excluded.properties,
           attempts = excluded.attempts, retry_at = excluded.retry_at, started_at = excluded.started_at,
           attempt_started_at = excluded.attempt_started_at, completed_at = excluded.completed_at,
           reconciled = excluded.reconciled, sequence = excluded.sequence,
           attempt_errors = excluded.attempt_errors`,
      );
      // ISO-8601 UTC strings sort as text, so the (status, resume_at) index serves both filter and order.
      this.selectDueRuns = this.db.prepare(
        `SELECT ${RUN_COLUMNS} FROM autoflow_runs
         WHERE status = 'suspended' AND resume_at <= ?
         ORDER BY resume_at, id LIMIT ?`,
      );
      // One statement, so a worker's saveRun cannot land between reading the status and writing the request.
      this.cancelRun = this.db.prepare(
        `UPDATE autoflow_runs SET
           cancel_requested_at = COALESCE(cancel_requested_at, $at),
           status = CASE WHEN status = 'suspended' THEN 'cancelled' ELSE status END,
           resume_at = CASE WHEN status = 'suspended' THEN NULL ELSE resume_at END,
           updated_at = CASE WHEN status = 'suspended' THEN $at ELSE updated_at END
         WHERE id = $id AND status NOT IN ('completed', 'failed', 'cancelled')`,
      );
      this.selectCancelRequested = this.db.prepare(
        "SELECT cancel_requested_at FROM autoflow_runs WHERE id = ?",
      );
      this.mappings = new SqliteResourceMappings(this.db);
    } catch (error) {
      this.db.close();
      throw error;
    }
  }

  async loadRun(runId: string): Promise<LoadedRun | undefined> {
    this.assertOpen();
    const row = this.selectRun.get(runId) as RunRow | undefined;
    if (row === undefined) return undefined;
    const tasks = (this.selectTasks.all(runId) as unknown as TaskRow[]).map(rowToTask);
    return { run: rowToRun(row), tasks };
  }

  async saveRun(run: RunRecord): Promise<void> {
    this.assertOpen();
    this.upsertRun.run({
      id: run.id,
      job_id: run.jobId,
      status: run.status,
      payload: toJsonText(run.payload),
      output: toJsonText(run.output),
      error: toJsonText(run.error),
      resume_at: run.resumeAt ?? null,
      created_at: run.createdAt,
      updated_at: run.updatedAt,
      failed_task: toJsonText(run.failedTask),
      cancel_requested_at: run.cancelRequestedAt ?? null,
      resumed_at: run.resumedAt ?? null,
    });
  }

  async requestCancel(runId: string, at: string): Promise<RunRecord | undefined> {
    this.assertOpen();
    this.cancelRun.run({ id: runId, at });
    const row = this.selectRun.get(runId) as RunRow | undefined;
    return row === undefined ? undefined : rowToRun(row);
  }

  async isCancelRequested(runId: string): Promise<boolean> {
    this.assertOpen();
    const row = this.selectCancelRequested.get(runId) as { cancel_requested_at: string | null } | undefined;
    return row?.cancel_requested_at != null;
  }

  async saveTask(task: TaskRecord): Promise<void> {
    this.assertOpen();
    this.upsertTask.run({
      run_id: task.runId,
      id: task.id,
      parent_id: task.parentId ?? null,
      key: task.key,
      idempotency_key: task.idempotencyKey,
      name: task.name,
      icon: task.icon ?? null,
      status: task.status,
      params: toJsonText(task.params),
      output: toJsonText(task.output),
      error: toJsonText(task.error),
      properties: toJsonText(task.properties),
      attempts: task.attempts,
      retry_at: task.retryAt ?? null,
      started_at: task.startedAt,
      attempt_started_at: task.attemptStartedAt ?? null,
      completed_at: task.completedAt ?? null,
      reconciled: task.reconciled ? 1 : null,
      sequence: task.sequence,
      attempt_errors: toJsonText(task.attemptErrors),
    });
  }

  async listRuns(options: ListRunsOptions): Promise<RunSummary[]> {
    this.assertOpen();
    assertListRunsLimit(options);
    const { jobId, status, before } = options;
    const params: Record<string, string | number> = { limit: options.limit };
    const where: string[] = [];
    if (jobId !== undefined) {
      where.push("r.job_id = $job_id");
      params.job_id = jobId;
    }
    if (status !== undefined) {
      where.push("r.status = $status");
      params.status = status;
    }
    if (before !== undefined) {
      // An unknown cursor compares with NULL: nothing is listed.
      where.push("(r.created_at, r.id) < (SELECT created_at, id FROM autoflow_runs WHERE id = $before)");
      params.before = before;
    }
    const shape = where.join(" AND ");
    let statement = this.listings.get(shape);
    if (statement === undefined) {
      statement = this.db.prepare(
        `SELECT r.id, r.job_id, r.status, r.error, r.resume_at, r.created_at, r.updated_at, r.failed_task,
                (SELECT COUNT(*) FROM autoflow_tasks t WHERE t.run_id = r.id) AS task_count
         FROM autoflow_runs r ${shape === "" ? "" : `WHERE ${shape}`}
         ORDER BY r.created_at DESC, r.id DESC LIMIT $limit`,
      );
      this.listings.set(shape, statement);
    }
    return (statement.all(params) as unknown as RunSummaryRow[]).map(rowToRunSummary);
  }

  async listDueRuns(now: Date, limit?: number): Promise<RunRecord[]> {
    this.assertOpen();
    if (limit !== undefined && !(Number.isSafeInteger(limit) && limit >= 0)) {
      throw new RangeError(`listDueRuns limit must be a non-negative integer, got ${limit}`);
    }
    // SQLite reads a negative LIMIT as "no limit".
    const rows = this.selectDueRuns.all(now.toISOString(), limit ?? -1) as unknown as RunRow[];
    return rows.map(rowToRun);
  }

  async close(): Promise<void> {
    if (this.db.isOpen) this.db.close();
  }

  private assertOpen(): void {
    if (!this.db.isOpen) {
      throw new Error(`SqliteTaskStore (${this.path}) is closed; open a new store to keep using it`);
    }
  }
}

/** The settings every AutoFlow store over a SQLite file shares: wait for other processes' locks, WAL, durable against a crash. */
export function configureSqlite(db: DatabaseSync): void {
  // First, so the pragmas and migrations below wait for a lock another process holds instead of failing.
  db.exec("PRAGMA busy_timeout = 5000");
  // WAL lets readers and one writer from other processes proceed at the same time.
  enableWal(db);
  // In WAL mode NORMAL is durable against a process crash, which is what replay needs; only an OS crash or
  // power loss can drop the last commits, and it saves an fsync per task write.
  db.exec("PRAGMA synchronous = NORMAL");
  db.exec("PRAGMA foreign_keys = ON");
}

/** How long opening a store keeps retrying the switch to WAL while another process holds the file (as busy_timeout). */
const WAL_SWITCH_WAIT_MS = 5_000;
const WAL_SWITCH_RETRY_MS = 50;

/**
 * Switches the file to WAL once (a file already in WAL is left alone). The switch needs an exclusive lock, and SQLite
 * answers `database is locked` for it at once rather than through the busy handler when another process is opening
 * the same new file at that moment, so the switch is retried for as long as `busy_timeout` would have waited.
 */
function enableWal(db: DatabaseSync): void {
  const started = Date.now();
  for (;;) {
    try {
      const current = db.prepare("PRAGMA journal_mode").get() as { journal_mode?: string } | undefined;
      if (current?.journal_mode === "wal") return;
      db.exec("PRAGMA journal_mode = WAL");
      return;
    } catch (error) {
      const locked = error instanceof Error && /database is locked|SQLITE_BUSY/i.test(error.message);
      if (!locked || Date.now() - started >= WAL_SWITCH_WAIT_MS) throw error;
      // A synchronous pause: the store opens synchronously, like node:sqlite itself.
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, WAL_SWITCH_RETRY_MS);
    }
  }
}

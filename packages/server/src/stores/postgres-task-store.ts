import {
  assertListRunsLimit,
  type ListRunsOptions,
  type LoadedRun,
  type RunRecord,
  type RunRow,
  type RunSummary,
  type RunSummaryRow,
  rowToRun,
  rowToRunSummary,
  rowToTask,
  type TaskRecord,
  type TaskRow,
  type TaskStore,
  toJsonText,
} from "@autoflow/core";
import { runPostgresMigrations } from "./postgres-migrations";
import { PostgresResourceMappings } from "./postgres-resource-mappings";
import { PostgresStore } from "./postgres-store";
import type { PostgresStoreOptions } from "./postgres-store-options";

// JSON is read back as text: pg would parse both SQL NULL and JSON null to `null`, losing which was stored.
const RUN_SELECT =
  "id, job_id, status, payload::text AS payload, output::text AS output, error::text AS error, resume_at, " +
  "created_at, updated_at, failed_task::text AS failed_task, cancel_requested_at, resumed_at";
const TASK_SELECT =
  "run_id, id, parent_id, key, idempotency_key, name, icon, status, params::text AS params, " +
  "output::text AS output, error::text AS error, properties::text AS properties, attempts, retry_at, " +
  "started_at, attempt_started_at, completed_at, reconciled, sequence, attempt_errors::text AS attempt_errors";

/**
 * A `TaskStore` on PostgreSQL (`pg`): the same `autoflow_runs`/`autoflow_tasks` tables as core's SQLite store,
 * with JSON in JSON columns (not JSONB, which refuses a NUL character a run's input may carry: the text is kept
 * as written, as SQLite keeps it). Open it with `PostgresTaskStore.open`.
 */
export class PostgresTaskStore extends PostgresStore implements TaskStore {
  readonly mappings: PostgresResourceMappings;

  private constructor(options: PostgresStoreOptions) {
    super(options);
    this.mappings = new PostgresResourceMappings(options.pool);
  }

  /** Migrates the schema (unless told not to) and returns the store. */
  static async open(options: PostgresStoreOptions): Promise<PostgresTaskStore> {
    if (!options.skipMigrations) await runPostgresMigrations(options.pool);
    return new PostgresTaskStore(options);
  }

  async loadRun(runId: string): Promise<LoadedRun | undefined> {
    this.assertOpen();
    const runs = await this.pool.query<RunRow>(`SELECT ${RUN_SELECT} FROM autoflow_runs WHERE id = $1`, [
      runId,
    ]);
    const [row] = runs.rows;
    if (row === undefined) return undefined;
    const tasks = await this.pool.query<TaskRow>(
      `SELECT ${TASK_SELECT} FROM autoflow_tasks WHERE run_id = $1 ORDER BY sequence, id`,
      [runId],
    );
    return { run: rowToRun(row), tasks: tasks.rows.map(rowToTask) };
  }

  async saveRun(run: RunRecord): Promise<void> {
    this.assertOpen();
    await this.pool.query(
      `INSERT INTO autoflow_runs (id, job_id, status, payload, output, error, resume_at, created_at, updated_at,
                                  failed_task, cancel_requested_at, resumed_at)
       VALUES ($1, $2, $3, $4::json, $5::json, $6::json, $7, $8, $9, $10::json, $11, $12)
       ON CONFLICT (id) DO UPDATE SET
         job_id = excluded.job_id, status = excluded.status, payload = excluded.payload,
         output = excluded.output, error = excluded.error, resume_at = excluded.resume_at,
         created_at = excluded.created_at, updated_at = excluded.updated_at,
         failed_task = excluded.failed_task, resumed_at = excluded.resumed_at,
         cancel_requested_at = COALESCE(excluded.cancel_requested_at, autoflow_runs.cancel_requested_at)`,
      [
        run.id,
        run.jobId,
        run.status,
        toJsonText(run.payload),
        toJsonText(run.output),
        toJsonText(run.error),
        run.resumeAt ?? null,
        run.createdAt,
        run.updatedAt,
        toJsonText(run.failedTask),
        run.cancelRequestedAt ?? null,
        run.resumedAt ?? null,
      ],
    );
  }

  async requestCancel(runId: string, at: string): Promise<RunRecord | undefined> {
    this.assertOpen();
    // One statement, so a worker's saveRun cannot land between reading the status and writing the request.
    await this.pool.query(
      `UPDATE autoflow_runs SET
         cancel_requested_at = COALESCE(cancel_requested_at, $2),
         status = CASE WHEN status = 'suspended' THEN 'cancelled' ELSE status END,
         resume_at = CASE WHEN status = 'suspended' THEN NULL ELSE resume_at END,
         updated_at = CASE WHEN status = 'suspended' THEN $2 ELSE updated_at END
       WHERE id = $1 AND status NOT IN ('completed', 'failed', 'cancelled')`,
      [runId, at],
    );
    const runs = await this.pool.query<RunRow>(`SELECT ${RUN_SELECT} FROM autoflow_runs WHERE id = $1`, [
      runId,
    ]);
    const [row] = runs.rows;
    return row === undefined ? undefined : rowToRun(row);
  }

  async isCancelRequested(runId: string): Promise<boolean> {
    this.assertOpen();
    const { rows } = await this.pool.query<{ requested: boolean }>(
      "SELECT cancel_requested_at IS NOT NULL AS requested FROM autoflow_runs WHERE id = $1",
      [runId],
    );
    return rows[0]?.requested === true;
  }

  async saveTask(task: TaskRecord): Promise<void> {
    this.assertOpen();
    await this.pool.query(
      `INSERT INTO autoflow_tasks (run_id, id, parent_id, key, idempotency_key, name, icon, status, params, output,
                                   error, properties, attempts, retry_at, started_at, completed_at, sequence,
                                   attempt_started_at, reconciled, attempt_errors)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::json, $10::json, $11::json, $12::json, $13, $14, $15, $16, $17,
               $18, $19, $20::json)
       ON CONFLICT (run_id, id) DO UPDATE SET
         parent_id = excluded.parent_id, key = excluded.key, idempotency_key = excluded.idempotency_key,
         name = excluded.name, icon = excluded.icon, status = excluded.status, params = excluded.params,
         output = excluded.output, error = excluded.error, properties = excluded.properties,
         attempts = excluded.attempts, retry_at = excluded.retry_at, started_at = excluded.started_at,
         completed_at = excluded.completed_at, sequence = excluded.sequence,
         attempt_started_at = excluded.attempt_started_at, reconciled = excluded.reconciled,
         attempt_errors = excluded.attempt_errors`,
      [
        task.runId,
        task.id,
        task.parentId ?? null,
        task.key,
        task.idempotencyKey,
        task.name,
        task.icon ?? null,
        task.status,
        toJsonText(task.params),
        toJsonText(task.output),
        toJsonText(task.error),
        toJsonText(task.properties),
        task.attempts,
        task.retryAt ?? null,
        task.startedAt,
        task.completedAt ?? null,
        task.sequence,
        task.attemptStartedAt ?? null,
        task.reconciled ? true : null,
        toJsonText(task.attemptErrors),
      ],
    );
  }

  async listRuns(options: ListRunsOptions): Promise<RunSummary[]> {
    this.assertOpen();
    assertListRunsLimit(options);
    const params: unknown[] = [options.limit];
    const where: string[] = [];
    if (options.jobId !== undefined) {
      params.push(options.jobId);
      where.push(`r.job_id = $${params.length}`);
    }
    if (options.status !== undefined) {
      params.push(options.status);
      where.push(`r.status = $${params.length}`);
    }
    if (options.before !== undefined) {
      params.push(options.before);
      // An unknown cursor compares with NULL: nothing is listed.
      where.push(
        `(r.created_at, r.id) < (SELECT created_at, id FROM autoflow_runs WHERE id = $${params.length})`,
      );
    }
    const { rows } = await this.pool.query<RunSummaryRow>(
      `SELECT r.id, r.job_id, r.status, r.error::text AS error, r.resume_at, r.created_at, r.updated_at,
              r.failed_task::text AS failed_task,
              (SELECT COUNT(*) FROM autoflow_tasks t WHERE t.run_id = r.id)::int AS task_count
       FROM autoflow_runs r ${where.length > 0 ? `WHERE ${where.join(" AND ")}` : ""}
       ORDER BY r.created_at DESC, r.id DESC LIMIT $1`,
      params,
    );
    return rows.map(rowToRunSummary);
  }

  async listDueRuns(now: Date, limit?: number): Promise<RunRecord[]> {
    this.assertOpen();
    if (limit !== undefined && !(Number.isSafeInteger(limit) && limit >= 0)) {
      throw new RangeError(`listDueRuns limit must be a non-negative integer, got ${limit}`);
    }
    // PostgreSQL reads LIMIT NULL as "no limit"; the partial index on (resume_at, id) serves filter and order.
    const { rows } = await this.pool.query<RunRow>(
      `SELECT ${RUN_SELECT} FROM autoflow_runs
       WHERE status = 'suspended' AND resume_at <= $1
       ORDER BY resume_at, id LIMIT $2`,
      [now.toISOString(), limit ?? null],
    );
    return rows.map(rowToRun);
  }
}

import { runPostgresMigrations } from "./postgres-migrations";
import { PostgresStore } from "./postgres-store";
import type { PostgresStoreOptions } from "./postgres-store-options";
import {
  IN_FLIGHT_RUN_STATUSES,
  type ListRunsFilter,
  rowToWorkflow,
  rowToWorkflowRun,
  runListLimit,
  triggerProviderOf,
  triggerScopeColumn,
  WORKFLOW_COLUMNS,
  WORKFLOW_RUN_COLUMNS,
  type WorkflowRecord,
  type WorkflowRow,
  type WorkflowRunRecord,
  type WorkflowRunRow,
  type WorkflowRunStatus,
  type WorkflowStore,
} from "./workflow-store";

/** Workflows and their run index on PostgreSQL. Open it with `.open`. */
export class PostgresWorkflowStore extends PostgresStore implements WorkflowStore {
  private constructor(options: PostgresStoreOptions) {
    super(options);
  }

  /** Migrates the schema (unless told not to) and returns the store. */
  static async open(options: PostgresStoreOptions): Promise<PostgresWorkflowStore> {
    if (!options.skipMigrations) await runPostgresMigrations(options.pool);
    return new PostgresWorkflowStore(options);
  }

  async saveWorkflow(record: WorkflowRecord): Promise<void> {
    this.assertOpen();
    await this.pool.query(
      `INSERT INTO autoflow_workflows (id, user_id, definition, trigger_provider, created_at, updated_at, trigger_scope)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [
        record.id,
        record.userId,
        JSON.stringify(record.definition),
        triggerProviderOf(record.definition),
        record.createdAt,
        record.updatedAt,
        triggerScopeColumn(record),
      ],
    );
  }

  async updateWorkflow(record: WorkflowRecord): Promise<boolean> {
    this.assertOpen();
    const result = await this.pool.query(
      `UPDATE autoflow_workflows SET definition = $1, trigger_provider = $2, updated_at = $3, trigger_scope = $4
       WHERE id = $5 AND user_id = $6`,
      [
        JSON.stringify(record.definition),
        triggerProviderOf(record.definition),
        record.updatedAt,
        triggerScopeColumn(record),
        record.id,
        record.userId,
      ],
    );
    return (result.rowCount ?? 0) > 0;
  }

  async getWorkflow(userId: string, id: string): Promise<WorkflowRecord | undefined> {
    const rows = await this.rows<WorkflowRow>(
      `SELECT ${WORKFLOW_COLUMNS} FROM autoflow_workflows WHERE id = $1 AND user_id = $2`,
      [id, userId],
    );
    return rows[0] && rowToWorkflow(rows[0]);
  }

  async listWorkflows(userId: string): Promise<WorkflowRecord[]> {
    const rows = await this.rows<WorkflowRow>(
      `SELECT ${WORKFLOW_COLUMNS} FROM autoflow_workflows WHERE user_id = $1 ORDER BY created_at, id`,
      [userId],
    );
    return rows.map(rowToWorkflow);
  }

  async deleteWorkflow(userId: string, id: string): Promise<boolean> {
    this.assertOpen();
    const result = await this.pool.query("DELETE FROM autoflow_workflows WHERE id = $1 AND user_id = $2", [
      id,
      userId,
    ]);
    return (result.rowCount ?? 0) > 0;
  }

  async listTriggeredWorkflows(provider: string): Promise<WorkflowRecord[]> {
    const rows = await this.rows<WorkflowRow>(
      `SELECT ${WORKFLOW_COLUMNS} FROM autoflow_workflows WHERE trigger_provider = $1 ORDER BY created_at, id`,
      [provider],
    );
    return rows.map(rowToWorkflow);
  }

  async workflowsVersion(): Promise<number> {
    const rows = await this.rows<{ version: string }>(
      "SELECT version FROM autoflow_workflows_version WHERE id = 1",
      [],
    );
    return Number(rows[0]?.version ?? 0);
  }

  async addRun(run: WorkflowRunRecord): Promise<"added" | "exists"> {
    this.assertOpen();
    const result = await this.pool.query(
      `INSERT INTO autoflow_workflow_runs (${WORKFLOW_RUN_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (run_id) DO NOTHING`,
      [run.runId, run.userId, run.workflowId, run.status, run.source, run.createdAt, run.updatedAt],
    );
    return (result.rowCount ?? 0) > 0 ? "added" : "exists";
  }

  async getRunRecord(runId: string): Promise<WorkflowRunRecord | undefined> {
    const rows = await this.rows<WorkflowRunRow>(
      `SELECT ${WORKFLOW_RUN_COLUMNS} FROM autoflow_workflow_runs WHERE run_id = $1`,
      [runId],
    );
    return rows[0] && rowToWorkflowRun(rows[0]);
  }

  async setRunStatus(runId: string, status: WorkflowRunStatus, updatedAt: string): Promise<void> {
    this.assertOpen();
    await this.pool.query(
      "UPDATE autoflow_workflow_runs SET status = $1, updated_at = $2 WHERE run_id = $3",
      [status, updatedAt, runId],
    );
  }

  async listRuns(userId: string, filter?: ListRunsFilter): Promise<WorkflowRunRecord[]> {
    const where = ["user_id = $1"];
    const params: unknown[] = [userId];
    const add = (clause: string, value: unknown) => {
      params.push(value);
      where.push(clause.replace("?", `$${params.length}`));
    };
    if (filter?.workflowId !== undefined) add("workflow_id = ?", filter.workflowId);
    if (filter?.status !== undefined) add("status = ?", filter.status);
    if (filter?.before !== undefined) add("created_at < ?", filter.before);
    params.push(runListLimit(filter));
    const rows = await this.rows<WorkflowRunRow>(
      `SELECT ${WORKFLOW_RUN_COLUMNS} FROM autoflow_workflow_runs WHERE ${where.join(" AND ")}
       ORDER BY created_at DESC, run_id DESC LIMIT $${params.length}`,
      params,
    );
    return rows.map(rowToWorkflowRun);
  }

  async listRunsByStatus(
    statuses: readonly WorkflowRunStatus[],
    updatedBefore: string,
    limit = 100,
    userId?: string,
  ): Promise<WorkflowRunRecord[]> {
    if (statuses.length === 0) return [];
    const rows = await this.rows<WorkflowRunRow>(
      `SELECT ${WORKFLOW_RUN_COLUMNS} FROM autoflow_workflow_runs
       WHERE status = ANY($1::text[]) AND updated_at <= $2 AND ($4::text IS NULL OR user_id = $4)
       ORDER BY updated_at, run_id LIMIT $3`,
      [statuses, updatedBefore, limit, userId ?? null],
    );
    return rows.map(rowToWorkflowRun);
  }

  async countRunsInFlight(userId: string): Promise<number> {
    const rows = await this.rows<{ count: string }>(
      `SELECT COUNT(*) AS count FROM autoflow_workflow_runs WHERE user_id = $1 AND status = ANY($2::text[])`,
      [userId, IN_FLIGHT_RUN_STATUSES],
    );
    return Number(rows[0]?.count ?? 0);
  }

  private async rows<T extends object>(sql: string, params: unknown[]): Promise<T[]> {
    this.assertOpen();
    return (await this.pool.query<T>(sql, params)).rows;
  }
}

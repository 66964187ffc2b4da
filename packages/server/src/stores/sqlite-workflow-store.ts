import type { DatabaseSync, SQLInputValue, StatementSync } from "node:sqlite";
import { openServiceDatabase } from "./sqlite-database";
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

/** Workflows and their run index in the service's SQLite file. */
export class SqliteWorkflowStore implements WorkflowStore {
  readonly path: string;
  private readonly db: DatabaseSync;
  // Prepared once per SQL text: the webhook dispatcher looks up triggered workflows for every delivery.
  private readonly statements = new Map<string, StatementSync>();

  constructor(options: { path?: string } = {}) {
    const opened = openServiceDatabase(options.path);
    this.path = opened.path;
    this.db = opened.db;
  }

  async saveWorkflow(record: WorkflowRecord): Promise<void> {
    this.assertOpen();
    this.statement(
      `INSERT INTO autoflow_workflows (id, user_id, definition, trigger_provider, created_at, updated_at, trigger_scope)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      record.id,
      record.userId,
      JSON.stringify(record.definition),
      triggerProviderOf(record.definition),
      record.createdAt,
      record.updatedAt,
      triggerScopeColumn(record),
    );
  }

  async updateWorkflow(record: WorkflowRecord): Promise<boolean> {
    this.assertOpen();
    const result = this.statement(
      `UPDATE autoflow_workflows SET definition = ?, trigger_provider = ?, updated_at = ?, trigger_scope = ?
         WHERE id = ? AND user_id = ?`,
    ).run(
      JSON.stringify(record.definition),
      triggerProviderOf(record.definition),
      record.updatedAt,
      triggerScopeColumn(record),
      record.id,
      record.userId,
    );
    return Number(result.changes) > 0;
  }

  async getWorkflow(userId: string, id: string): Promise<WorkflowRecord | undefined> {
    const row = this.get<WorkflowRow>(
      `SELECT ${WORKFLOW_COLUMNS} FROM autoflow_workflows WHERE id = ? AND user_id = ?`,
      id,
      userId,
    );
    return row && rowToWorkflow(row);
  }

  async listWorkflows(userId: string): Promise<WorkflowRecord[]> {
    return this.all<WorkflowRow>(
      `SELECT ${WORKFLOW_COLUMNS} FROM autoflow_workflows WHERE user_id = ? ORDER BY created_at, id`,
      userId,
    ).map(rowToWorkflow);
  }

  async deleteWorkflow(userId: string, id: string): Promise<boolean> {
    this.assertOpen();
    const result = this.statement("DELETE FROM autoflow_workflows WHERE id = ? AND user_id = ?").run(
      id,
      userId,
    );
    return Number(result.changes) > 0;
  }

  async listTriggeredWorkflows(provider: string): Promise<WorkflowRecord[]> {
    return this.all<WorkflowRow>(
      `SELECT ${WORKFLOW_COLUMNS} FROM autoflow_workflows WHERE trigger_provider = ? ORDER BY created_at, id`,
      provider,
    ).map(rowToWorkflow);
  }

  async workflowsVersion(): Promise<number> {
    const row = this.get<{ version: number }>("SELECT version FROM autoflow_workflows_version WHERE id = 1");
    return Number(row?.version ?? 0);
  }

  async addRun(run: WorkflowRunRecord): Promise<"added" | "exists"> {
    this.assertOpen();
    const result = this.statement(
      `INSERT INTO autoflow_workflow_runs (${WORKFLOW_RUN_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (run_id) DO NOTHING`,
    ).run(run.runId, run.userId, run.workflowId, run.status, run.source, run.createdAt, run.updatedAt);
    return Number(result.changes) > 0 ? "added" : "exists";
  }

  async getRunRecord(runId: string): Promise<WorkflowRunRecord | undefined> {
    const row = this.get<WorkflowRunRow>(
      `SELECT ${WORKFLOW_RUN_COLUMNS} FROM autoflow_workflow_runs WHERE run_id = ?`,
      runId,
    );
    return row && rowToWorkflowRun(row);
  }

  async setRunStatus(runId: string, status: WorkflowRunStatus, updatedAt: string): Promise<void> {
    this.assertOpen();
    this.statement("UPDATE autoflow_workflow_runs SET status = ?, updated_at = ? WHERE run_id = ?").run(
      status,
      updatedAt,
      runId,
    );
  }

  async listRuns(userId: string, filter?: ListRunsFilter): Promise<WorkflowRunRecord[]> {
    const where = ["user_id = ?"];
    const params: SQLInputValue[] = [userId];
    if (filter?.workflowId !== undefined) {
      where.push("workflow_id = ?");
      params.push(filter.workflowId);
    }
    if (filter?.status !== undefined) {
      where.push("status = ?");
      params.push(filter.status);
    }
    if (filter?.before !== undefined) {
      where.push("created_at < ?");
      params.push(filter.before);
    }
    params.push(runListLimit(filter));
    return this.all<WorkflowRunRow>(
      `SELECT ${WORKFLOW_RUN_COLUMNS} FROM autoflow_workflow_runs WHERE ${where.join(" AND ")}
       ORDER BY created_at DESC, run_id DESC LIMIT ?`,
      ...params,
    ).map(rowToWorkflowRun);
  }

  async listRunsByStatus(
    statuses: readonly WorkflowRunStatus[],
    updatedBefore: string,
    limit = 100,
    userId?: string,
  ): Promise<WorkflowRunRecord[]> {
    if (statuses.length === 0) return [];
    const byUser = userId === undefined ? "" : "AND user_id = ?";
    return this.all<WorkflowRunRow>(
      `SELECT ${WORKFLOW_RUN_COLUMNS} FROM autoflow_workflow_runs
       WHERE status IN (${statuses.map(() => "?").join(", ")}) AND updated_at <= ? ${byUser}
       ORDER BY updated_at, run_id LIMIT ?`,
      ...statuses,
      updatedBefore,
      ...(userId === undefined ? [] : [userId]),
      limit,
    ).map(rowToWorkflowRun);
  }

  async countRunsInFlight(userId: string): Promise<number> {
    const row = this.get<{ count: number }>(
      `SELECT COUNT(*) AS count FROM autoflow_workflow_runs
       WHERE user_id = ? AND status IN (${IN_FLIGHT_RUN_STATUSES.map(() => "?").join(", ")})`,
      userId,
      ...IN_FLIGHT_RUN_STATUSES,
    );
    return Number(row?.count ?? 0);
  }

  async close(): Promise<void> {
    if (this.db.isOpen) this.db.close();
  }

  private get<T>(sql: string, ...params: SQLInputValue[]): T | undefined {
    this.assertOpen();
    return this.statement(sql).get(...params) as unknown as T | undefined;
  }

  private all<T>(sql: string, ...params: SQLInputValue[]): T[] {
    this.assertOpen();
    return this.statement(sql).all(...params) as unknown as T[];
  }

  private statement(sql: string): StatementSync {
    this.assertOpen();
    let prepared = this.statements.get(sql);
    if (!prepared) {
      prepared = this.db.prepare(sql);
      this.statements.set(sql, prepared);
    }
    return prepared;
  }

  private assertOpen(): void {
    if (!this.db.isOpen) {
      throw new Error(`SqliteWorkflowStore (${this.path}) is closed; open a new store to keep using it`);
    }
  }
}

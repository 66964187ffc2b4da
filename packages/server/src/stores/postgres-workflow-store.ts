import { runPostgresMigrations } from "./postgres-migrations";
import { PostgresStore } from "./postgres-store";
import type { PostgresStoreOptions } from "./postgres-store-options";
import { rowToWorkflow, type WorkflowRecord, type WorkflowRow, type WorkflowStore } from "./workflow-store";

/** Workflows on PostgreSQL. Open it with `.open`. */
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
      "INSERT INTO autoflow_workflows (id, user_id, definition, created_at) VALUES ($1, $2, $3, $4)",
      [record.id, record.userId, JSON.stringify(record.definition), record.createdAt],
    );
  }

  async getWorkflow(userId: string, id: string): Promise<WorkflowRecord | undefined> {
    this.assertOpen();
    const { rows } = await this.pool.query<WorkflowRow>(
      "SELECT id, user_id, definition, created_at FROM autoflow_workflows WHERE id = $1 AND user_id = $2",
      [id, userId],
    );
    return rows[0] && rowToWorkflow(rows[0]);
  }
}

import type { DatabaseSync } from "node:sqlite";
import { openServiceDatabase } from "./sqlite-database";
import { rowToWorkflow, type WorkflowRecord, type WorkflowRow, type WorkflowStore } from "./workflow-store";

/** Workflows in the service's SQLite file. */
export class SqliteWorkflowStore implements WorkflowStore {
  readonly path: string;
  private readonly db: DatabaseSync;

  constructor(options: { path?: string } = {}) {
    const opened = openServiceDatabase(options.path);
    this.path = opened.path;
    this.db = opened.db;
  }

  async saveWorkflow(record: WorkflowRecord): Promise<void> {
    this.assertOpen();
    this.db
      .prepare("INSERT INTO autoflow_workflows (id, user_id, definition, created_at) VALUES (?, ?, ?, ?)")
      .run(record.id, record.userId, JSON.stringify(record.definition), record.createdAt);
  }

  async getWorkflow(userId: string, id: string): Promise<WorkflowRecord | undefined> {
    this.assertOpen();
    const row = this.db
      .prepare(
        "SELECT id, user_id, definition, created_at FROM autoflow_workflows WHERE id = ? AND user_id = ?",
      )
      .get(id, userId) as unknown as WorkflowRow | undefined;
    return row && rowToWorkflow(row);
  }

  async close(): Promise<void> {
    if (this.db.isOpen) this.db.close();
  }

  private assertOpen(): void {
    if (!this.db.isOpen) {
      throw new Error(`SqliteWorkflowStore (${this.path}) is closed; open a new store to keep using it`);
    }
  }
}

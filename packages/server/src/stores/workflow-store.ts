import type { Workflow } from "@autoflow/actions";

/** A stored workflow: its owner and its definition as validated when it was created. */
export interface WorkflowRecord {
  id: string;
  /** The owner (the JWT's `sub`); also the tenant its runs execute for. */
  userId: string;
  definition: Workflow;
  /** ISO-8601. */
  createdAt: string;
}

/** Where workflows are kept. Reads are always scoped to a user: another user's workflow is not found. */
export interface WorkflowStore {
  saveWorkflow(record: WorkflowRecord): Promise<void>;
  /** The user's workflow, or `undefined` when there is none with that id for this user. */
  getWorkflow(userId: string, id: string): Promise<WorkflowRecord | undefined>;
  close(): Promise<void>;
}

/** An `autoflow_workflows` row as both databases return it (PostgreSQL parses the JSON column itself). */
export interface WorkflowRow {
  id: string;
  user_id: string;
  definition: string | Workflow;
  created_at: string;
}

/** The record of a row. */
export function rowToWorkflow(row: WorkflowRow): WorkflowRecord {
  return {
    id: row.id,
    userId: row.user_id,
    definition:
      typeof row.definition === "string" ? (JSON.parse(row.definition) as Workflow) : row.definition,
    createdAt: row.created_at,
  };
}

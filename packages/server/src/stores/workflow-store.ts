import type { Workflow } from "@autoflow/actions";
import type { TriggerScope } from "@autoflow/core";

/** A stored workflow: its owner and its definition as validated when it was saved. */
export interface WorkflowRecord {
  id: string;
  /** The owner (the JWT's `sub`); also the tenant its runs execute for. */
  userId: string;
  definition: Workflow;
  /** ISO-8601. */
  createdAt: string;
  /** ISO-8601; the last `updateWorkflow`. */
  updatedAt: string;
  /**
   * What the trigger was verified to see when the workflow was saved (the connection, account and resource);
   * absent without a trigger, and on workflows stored before scopes were checked, which stay paused.
   */
  triggerScope?: TriggerScope;
}

/** Why a workflow does not start from deliveries, as `GET /api/workflows/:id` shows it. */
export interface WorkflowPause {
  reason: string;
}

/**
 * A workflow with a trigger but no verified scope (stored before scopes were checked) is paused: it would otherwise
 * run for any tenant's deliveries. Saving it again with its scope inputs checks the scope and resumes it.
 */
export function pauseOf(record: WorkflowRecord): WorkflowPause | undefined {
  if (!record.definition.trigger || record.triggerScope) return undefined;
  return {
    reason:
      `Trigger "${record.definition.trigger.key}" has no verified scope (it was stored before deliveries were ` +
      "limited to their tenant): save the workflow again with the trigger's scope inputs to resume it",
  };
}

/**
 * Where a workflow run stands, as the service tracks it: `queued` until a worker takes it, then the task log's
 * own run status. The task log stays the source of truth for steps; this index makes listing and recovery cheap.
 */
export type WorkflowRunStatus =
  | "deferred"
  | "queued"
  | "running"
  | "suspended"
  | "completed"
  | "failed"
  | "cancelled";

/**
 * The statuses that count against a user's runs in flight. A `deferred` run (a webhook's run stored while its
 * owner had the most runs in flight) does not: it becomes `queued`, oldest first, as their runs finish.
 */
export const IN_FLIGHT_RUN_STATUSES = [
  "queued",
  "running",
  "suspended",
] as const satisfies readonly WorkflowRunStatus[];

/** How a run was started. */
export type WorkflowRunSource = "api" | "trigger" | "code";

/** One row of the run index: which user's workflow a run belongs to and where it stands. */
export interface WorkflowRunRecord {
  runId: string;
  userId: string;
  workflowId: string;
  status: WorkflowRunStatus;
  source: WorkflowRunSource;
  /** ISO-8601. */
  createdAt: string;
  updatedAt: string;
}

/** Filters for `listRuns`; newest first. */
export interface ListRunsFilter {
  workflowId?: string;
  status?: WorkflowRunStatus;
  /** Only runs created strictly before this ISO-8601 time (the last page's oldest `createdAt`). */
  before?: string;
  /** Default 50, at most 200. */
  limit?: number;
}

/**
 * Where workflows and their run index are kept. Reads and writes by a user are always scoped to that user:
 * another user's workflow or run is not found.
 */
export interface WorkflowStore {
  /** Inserts a new workflow. */
  saveWorkflow(record: WorkflowRecord): Promise<void>;
  /** Replaces the user's workflow's definition; `false` when the user has no workflow with that id. */
  updateWorkflow(record: WorkflowRecord): Promise<boolean>;
  /** The user's workflow, or `undefined` when there is none with that id for this user. */
  getWorkflow(userId: string, id: string): Promise<WorkflowRecord | undefined>;
  /** The user's workflows, oldest first. */
  listWorkflows(userId: string): Promise<WorkflowRecord[]>;
  /** Removes the user's workflow (its runs stay readable: each holds the steps it ran); `false` when not found. */
  deleteWorkflow(userId: string, id: string): Promise<boolean>;
  /** Every user's workflows whose trigger belongs to `provider`, for the webhook dispatcher (which checks their scopes). */
  listTriggeredWorkflows(provider: string): Promise<WorkflowRecord[]>;
  /**
   * A number that changes whenever a workflow is created, changed or removed, by any process on this database (a
   * database trigger bumps it): read it first, and a list read after it is current until the number changes.
   */
  workflowsVersion(): Promise<number>;

  /** Records a new run; `exists` (and no change) when the run id is already recorded. */
  addRun(run: WorkflowRunRecord): Promise<"added" | "exists">;
  /** The run's index row, whatever its owner (the worker's view); `undefined` when unknown. */
  getRunRecord(runId: string): Promise<WorkflowRunRecord | undefined>;
  setRunStatus(runId: string, status: WorkflowRunStatus, updatedAt: string): Promise<void>;
  /** The user's runs, newest first. */
  listRuns(userId: string, filter?: ListRunsFilter): Promise<WorkflowRunRecord[]>;
  /**
   * Runs in any of `statuses` last updated at or before `updatedBefore`, oldest first (recovery sweeps); only
   * `userId`'s when given.
   */
  listRunsByStatus(
    statuses: readonly WorkflowRunStatus[],
    updatedBefore: string,
    limit?: number,
    userId?: string,
  ): Promise<WorkflowRunRecord[]>;
  /** How many of the user's runs are queued, running or suspended (`IN_FLIGHT_RUN_STATUSES`). */
  countRunsInFlight(userId: string): Promise<number>;
  close(): Promise<void>;
}

/** An `autoflow_workflows` row as both databases return it (PostgreSQL parses the JSON column itself). */
export interface WorkflowRow {
  id: string;
  user_id: string;
  definition: string | Workflow;
  created_at: string;
  updated_at: string | null;
  trigger_scope: string | null;
}

/** The columns every workflow query selects. */
export const WORKFLOW_COLUMNS = "id, user_id, definition, created_at, updated_at, trigger_scope";

/** The record of a row. */
export function rowToWorkflow(row: WorkflowRow): WorkflowRecord {
  return {
    id: row.id,
    userId: row.user_id,
    definition:
      typeof row.definition === "string" ? (JSON.parse(row.definition) as Workflow) : row.definition,
    createdAt: row.created_at,
    // Rows written before the column existed were never edited.
    updatedAt: row.updated_at ?? row.created_at,
    ...(row.trigger_scope !== null && { triggerScope: JSON.parse(row.trigger_scope) as TriggerScope }),
  };
}

/** The `trigger_scope` column's value: the scope as JSON, or NULL. */
export function triggerScopeColumn(record: WorkflowRecord): string | null {
  return record.triggerScope ? JSON.stringify(record.triggerScope) : null;
}

/** The provider whose deliveries start this workflow (`crm` for `crm.contactCreated`), or `null`. */
export function triggerProviderOf(definition: Workflow): string | null {
  const key = definition.trigger?.key;
  return typeof key === "string" && key.includes(".") ? (key.split(".")[0] ?? null) : null;
}

/** An `autoflow_workflow_runs` row. */
export interface WorkflowRunRow {
  run_id: string;
  user_id: string;
  workflow_id: string;
  status: WorkflowRunStatus;
  source: WorkflowRunSource;
  created_at: string;
  updated_at: string;
}

export const WORKFLOW_RUN_COLUMNS = "run_id, user_id, workflow_id, status, source, created_at, updated_at";

export function rowToWorkflowRun(row: WorkflowRunRow): WorkflowRunRecord {
  return {
    runId: row.run_id,
    userId: row.user_id,
    workflowId: row.workflow_id,
    status: row.status,
    source: row.source,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** `filter.limit` bounded to 1..200, default 50. */
export function runListLimit(filter: ListRunsFilter | undefined): number {
  const limit = filter?.limit ?? 50;
  return Math.min(Math.max(Math.trunc(limit), 1), 200);
}

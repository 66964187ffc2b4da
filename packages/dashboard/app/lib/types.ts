/** The HTTP API's shapes, as the dashboard reads them (the service's `src/http` routes are the source of truth). */

export interface Session {
  userId: string;
  csrfToken: string;
}

/** A field an API-key connection takes beside the key. */
export type ConnectionField = "email" | "siteUrl";

export interface Provider {
  id: string;
  name: string;
  oauth: boolean;
  apiKey: boolean;
  connectionFields: ConnectionField[];
}

/** A connection's public shape: never the token, only `tokenMasked`; provider metadata beside it. */
export interface Connection {
  id: string;
  userId: string;
  authMethod: string;
  tokenMasked: string;
  createdAt: string;
  revokedAt?: string;
  needsReauth?: true;
  [metadata: string]: unknown;
}

export type HealthStatus = "ok" | "degraded" | "down";
export type ErrorType = "auth" | "rate-limit" | "schema" | "network" | "upstream";

/** The connection health envelope, with the user's trigger counts on this provider. */
export interface Health {
  status: HealthStatus;
  checkedAt: string;
  authMethod?: string;
  tokenRefreshStatus?: "not_applicable" | "healthy" | "failed";
  details: {
    auth: boolean;
    apiReachable: boolean;
    rateLimited: boolean;
    errorType?: ErrorType;
    message?: string;
  };
  triggers?: Record<HealthStatus, number>;
}

export interface TriggerView {
  id: string;
  provider: string;
  key: string;
  owner: { workflowId: string } | { jobId: string };
  connectionId: string | null;
  kind: "webhook" | "polling";
  status: HealthStatus;
  details: Health["details"];
  checkedAt: string;
  lastEventAt: string | null;
  lastPollAt: string | null;
  cursorAgeSeconds: number | null;
  subscriptionExpiresAt: string | null;
  lastRenewedAt: string | null;
  consecutiveFailures: number;
}

export interface DeadDelivery {
  id: string;
  provider: string;
  event: string;
  action?: string;
  status: "dead";
  attempts: number;
  lastError?: string;
  receivedAt: string;
  deadAt: string;
}

export type RunStatus =
  | "deferred"
  | "queued"
  | "running"
  | "suspended"
  | "completed"
  | "failed"
  | "cancelled";

/** A workflow run as `GET /api/runs` lists it. */
export interface WorkflowRunSummary {
  id: string;
  workflowId: string;
  status: RunStatus;
  source: string;
  createdAt: string;
  updatedAt: string;
}

/** A code job's run as `GET /api/job-runs` lists it. */
export interface JobRunSummary {
  id: string;
  jobId: string;
  status: RunStatus;
  startedAt: string;
  finishedAt?: string;
  updatedAt: string;
  resumeAt?: string;
  taskCount: number;
  errorType?: ErrorType;
  failedTask?: { id: string; name: string };
}

export interface TaskError {
  type: ErrorType | string;
  message: string;
  reason?: string;
  code?: string;
  retryAt?: string;
}

export interface AttemptError extends TaskError {
  attempt: number;
  at: string;
}

export interface TaskProperty {
  label: string;
  text: string;
  url?: string;
}

export type TaskStatus = "running" | "waiting" | "completed" | "failed" | "cancelled";

/** One task of a run as the run views show it. */
export interface TaskView {
  id: string;
  parentId?: string;
  name: string;
  icon?: string;
  properties?: TaskProperty[];
  status: TaskStatus;
  attempts: number;
  attemptErrors?: AttemptError[];
  retryAt?: string;
  reconciled?: true;
  fromLog?: true;
  startedAt: string;
  completedAt?: string;
  durationMs?: number;
  output?: unknown;
  outputTruncated?: true;
  error?: TaskError;
}

/** A workflow step, the run view's older shape (shown as tasks when a view has no `tasks`). */
export interface StepView {
  id: string;
  action: string;
  status: TaskStatus | "pending";
  output?: unknown;
  outputTruncated?: true;
  error?: TaskError;
  attempts: number;
  reconciled?: true;
  startedAt?: string;
  completedAt?: string;
}

/** A workflow run's or a code job's run's view: `GET /api/runs/:id` and `GET /api/job-runs/:id`. */
export interface RunView {
  id: string;
  workflowId?: string;
  jobId?: string;
  status: RunStatus;
  source?: string;
  createdAt: string;
  updatedAt: string;
  resumeAt?: string;
  resumedAt?: string;
  error?: TaskError;
  output?: unknown;
  outputTruncated?: true;
  tasks?: TaskView[];
  steps?: StepView[];
}

/** Which list a run belongs to: a stored workflow's (`/api/runs`) or a code job's (`/api/job-runs`). */
export type RunKind = "workflow" | "job";

/** A JSON Schema (draft 2020-12) as the catalogue sends it. */
export type JsonSchema = Record<string, unknown>;

/** An action of `GET /api/catalog/actions`, with its display metadata. */
export interface CatalogAction {
  key: string;
  name: string;
  description?: string;
  provider: string;
  authType: string[];
  authOptional: boolean;
  inputSchema: JsonSchema;
  outputSchema?: JsonSchema;
}

/** A trigger of `GET /api/catalog/triggers`. */
export interface CatalogTrigger {
  key: string;
  name: string;
  description?: string;
  provider: string;
  kind: "webhook" | "polling";
  inputSchema: JsonSchema;
  payloadSchema?: JsonSchema;
}

/** One step of a workflow, as the API stores it. */
export interface WorkflowStep {
  id: string;
  action: string;
  inputs?: Record<string, unknown>;
  credentialId?: string;
}

/** What `POST /api/workflows` and `PUT /api/workflows/:id` take. */
export interface WorkflowDefinition {
  name?: string;
  trigger?: { key: string; inputs?: Record<string, unknown> };
  steps: WorkflowStep[];
}

/** A stored workflow: `GET /api/workflows/:id`. */
export interface Workflow extends WorkflowDefinition {
  id: string;
  createdAt: string;
  updatedAt: string;
  paused?: { reason: string };
}

/** A problem of a refused definition: the field's path (`steps.1.inputs.text`) and the API's message. */
export interface Problem {
  path: string;
  message: string;
}

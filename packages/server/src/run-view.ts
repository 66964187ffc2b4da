import type { Step, StepJobPayload } from "@autoflow/actions";
import {
  type Json,
  type JsonSizeLimits,
  type LoadedRun,
  type SerializedIntegrationError,
  type TaskRecord,
  truncateJson,
} from "@autoflow/core";
import type { WorkflowRunRecord, WorkflowRunSource, WorkflowRunStatus } from "./stores/workflow-store";
import { type TaskView, toTaskViews } from "./task-view";

/** One step of a run as `GET /api/runs/:id` shows it. */
export interface StepView {
  id: string;
  action: string;
  /** `pending`: not started yet (or never, when an earlier step failed). */
  status: TaskRecord["status"] | "pending";
  output?: Json;
  /** The output is cut for display (strings past 64 KiB, or the run view's 1 MiB spent by earlier steps). */
  outputTruncated?: true;
  error?: SerializedIntegrationError;
  /** The most attempts of the step's task or any provider call under it: 2 means one retry. */
  attempts: number;
  /**
   * A provider call of the step lost its answer and was completed with what its reconciler found (the side
   * effect had happened): nothing was repeated. An unknown outcome that could not be settled fails the step with
   * `error.reason: "outcome_unknown"`.
   */
  reconciled?: true;
  startedAt?: string;
  completedAt?: string;
}

/** A run as `GET /api/runs` lists it. */
export interface RunSummary {
  id: string;
  workflowId: string;
  /** `queued` until a worker takes it. */
  status: WorkflowRunStatus;
  source: WorkflowRunSource;
  createdAt: string;
  updatedAt: string;
}

/** A workflow run as `GET /api/runs/:id` shows it: its state and every step's, from the task log. */
export interface RunView {
  id: string;
  workflowId?: string;
  /** `queued` (or `deferred`) until a worker takes it, then the task log's run status. */
  status: WorkflowRunStatus;
  source?: WorkflowRunSource;
  createdAt: string;
  updatedAt: string;
  /** When a suspended run (a long rate-limit wait) resumes. */
  resumeAt?: string;
  /** When the run's current execution began, after a crash, a restart or a suspension: tasks completed before came from the log. */
  resumedAt?: string;
  error?: SerializedIntegrationError;
  steps: StepView[];
  /** Every task of the task log, nested provider calls included, for a timeline (`TaskView`). */
  tasks: TaskView[];
}

/**
 * What a run view shows of step outputs: a string up to 64 KiB, and about 1 MiB for all steps together (100
 * steps echoing a large payload would otherwise make a view of hundreds of megabytes). The task log keeps more
 * (`TASK_OUTPUT_LIMITS` in core); each cut says how much it left out.
 */
export const RUN_VIEW_LIMITS: Readonly<JsonSizeLimits> = {
  maxStringBytes: 64 * 1024,
  maxTotalBytes: 1024 * 1024,
};

/** The view's byte budget, spent by steps in order. */
interface ViewBudget {
  remaining: number;
}

function stepView(step: Step, tasks: readonly TaskRecord[], budget: ViewBudget): StepView {
  const task = tasks.find((t) => t.id === step.id);
  if (!task) return { id: step.id, action: step.action, status: "pending", attempts: 0 };
  const nested = tasks.filter((t) => t.id.startsWith(`${step.id}/`));
  const output = truncateJson(task.output, {
    maxStringBytes: RUN_VIEW_LIMITS.maxStringBytes,
    maxTotalBytes: Math.max(0, budget.remaining),
  });
  budget.remaining -= output.bytes;
  return {
    id: step.id,
    action: step.action,
    status: task.status,
    ...(output.value !== undefined && { output: output.value }),
    ...(output.truncated && { outputTruncated: true as const }),
    ...(task.error && { error: task.error }),
    attempts: Math.max(task.attempts, ...nested.map((t) => t.attempts)),
    ...((task.reconciled || nested.some((t) => t.reconciled)) && { reconciled: true as const }),
    startedAt: task.startedAt,
    ...(task.completedAt && { completedAt: task.completedAt }),
  };
}

/**
 * The view of a stored workflow run; the steps come from the run's payload, their state from its tasks, and
 * whether it still waits for a worker from the run index.
 */
export function toRunView(loaded: LoadedRun, record?: WorkflowRunRecord): RunView {
  const { run, tasks } = loaded;
  const payload = run.payload as unknown as Partial<StepJobPayload> | undefined;
  const budget: ViewBudget = { remaining: RUN_VIEW_LIMITS.maxTotalBytes };
  return {
    id: run.id,
    ...(payload?.workflowId && { workflowId: payload.workflowId }),
    // Not taken by a worker yet (`deferred`: waiting for the owner's runs in flight to drop under the limit).
    status: record?.status === "queued" || record?.status === "deferred" ? record.status : run.status,
    ...(record && { source: record.source }),
    createdAt: run.createdAt,
    updatedAt: run.updatedAt,
    ...(run.resumeAt && { resumeAt: run.resumeAt }),
    ...(run.resumedAt && { resumedAt: run.resumedAt }),
    ...(run.error && { error: run.error }),
    steps: (payload?.steps ?? []).map((step) => stepView(step, tasks, budget)),
    tasks: toTaskViews(loaded),
  };
}

/** The list entry of an indexed run. */
export function toRunSummary(record: WorkflowRunRecord): RunSummary {
  return {
    id: record.runId,
    workflowId: record.workflowId,
    status: record.status,
    source: record.source,
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
  };
}

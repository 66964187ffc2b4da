import type { Step, StepJobPayload } from "@autoflow/actions";
import type { Json, LoadedRun, SerializedIntegrationError, TaskRecord } from "@autoflow/core";

/** One step of a run as `GET /api/runs/:id` shows it. */
export interface StepView {
  id: string;
  action: string;
  /** `pending`: not started yet (or never, when an earlier step failed). */
  status: TaskRecord["status"] | "pending";
  output?: Json;
  error?: SerializedIntegrationError;
  /** The most attempts of the step's task or any provider call under it: 2 means one retry. */
  attempts: number;
  startedAt?: string;
  completedAt?: string;
}

/** A workflow run as `GET /api/runs/:id` shows it: its state and every step's, from the task log. */
export interface RunView {
  id: string;
  workflowId?: string;
  status: LoadedRun["run"]["status"];
  createdAt: string;
  updatedAt: string;
  /** When a suspended run (a long rate-limit wait) resumes. */
  resumeAt?: string;
  error?: SerializedIntegrationError;
  steps: StepView[];
}

function stepView(step: Step, tasks: readonly TaskRecord[]): StepView {
  const task = tasks.find((t) => t.id === step.id);
  if (!task) return { id: step.id, action: step.action, status: "pending", attempts: 0 };
  const nested = tasks.filter((t) => t.id.startsWith(`${step.id}/`));
  return {
    id: step.id,
    action: step.action,
    status: task.status,
    ...(task.output !== undefined && { output: task.output }),
    ...(task.error && { error: task.error }),
    attempts: Math.max(task.attempts, ...nested.map((t) => t.attempts)),
    startedAt: task.startedAt,
    ...(task.completedAt && { completedAt: task.completedAt }),
  };
}

/** The view of a stored workflow run; the steps come from the run's payload, their state from its tasks. */
export function toRunView(loaded: LoadedRun): RunView {
  const { run, tasks } = loaded;
  const payload = run.payload as unknown as Partial<StepJobPayload> | undefined;
  return {
    id: run.id,
    ...(payload?.workflowId && { workflowId: payload.workflowId }),
    status: run.status,
    createdAt: run.createdAt,
    updatedAt: run.updatedAt,
    ...(run.resumeAt && { resumeAt: run.resumeAt }),
    ...(run.error && { error: run.error }),
    steps: (payload?.steps ?? []).map((step) => stepView(step, tasks)),
  };
}

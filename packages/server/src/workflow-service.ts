import { randomUUID } from "node:crypto";
import {
  type ActionProviders,
  type ActionRegistry,
  createStepJob,
  integrationRegistry,
  type StepJobPayload,
  validateWorkflow,
} from "@autoflow/actions";
import type { Clock, JobRunner, Json, TaskStore } from "@autoflow/core";
import type { ProviderLifecycles } from "./http/app";
import type { Logger } from "./logger";
import { type RunView, toRunView } from "./run-view";
import type { WorkflowRecord, WorkflowStore } from "./stores/workflow-store";
import { createCredentialResolver } from "./workflow-credentials";

/** The job id every workflow run is stored under. */
export const WORKFLOW_JOB_ID = "autoflow.workflow";

/** What the workflow service needs. */
export interface WorkflowServiceOptions {
  workflows: WorkflowStore;
  tasks: TaskStore;
  runner: JobRunner;
  lifecycles: ProviderLifecycles;
  /** How actions reach each provider (the same API URLs as the lifecycles). */
  actionProviders?: ActionProviders;
  registry?: ActionRegistry;
  log?: Logger;
  clock?: Clock;
  /** How often suspended runs (a long rate-limit wait) are checked for resumption. Default 1 000 ms. */
  resumeIntervalMs?: number;
}

/** Workflows and their runs, always scoped to one user. */
export interface WorkflowService {
  /** Validates and stores a new workflow; an invalid one throws a `schema` IntegrationError naming the problems. */
  create(userId: string, definition: { name?: string; steps: unknown }): Promise<WorkflowRecord>;
  /** Starts a run of the user's workflow in this process; `undefined` when the user has no such workflow. */
  start(userId: string, workflowId: string, trigger?: unknown): Promise<{ runId: string } | undefined>;
  /** The user's run with every step's state; `undefined` for an unknown run or another user's. */
  getRun(userId: string, runId: string): Promise<RunView | undefined>;
  /** Stops resuming suspended runs and waits for the runs in progress. */
  close(): Promise<void>;
}

/**
 * Workflow runs over the service's stores: a run is the action package's step job with the workflow's steps
 * snapshotted into its payload (so a resume runs the plan it started with), credentials resolved from the
 * owner's connections on every execution, executed in process on the `JobRunner` over the task store.
 */
export function createWorkflowService(options: WorkflowServiceOptions): WorkflowService {
  const registry = options.registry ?? integrationRegistry;
  const now = () => new Date(options.clock?.now() ?? Date.now()).toISOString();
  const job = createStepJob({
    id: WORKFLOW_JOB_ID,
    registry,
    resolveCredential: createCredentialResolver(options.lifecycles),
    ...(options.actionProviders && { providers: options.actionProviders }),
  });
  const running = new Set<Promise<unknown>>();
  const scheduler = options.runner.schedule([job], {
    intervalMs: options.resumeIntervalMs ?? 1_000,
    onError: (error) => options.log?.error(`workflow resume failed: ${describe(error)}`),
  });

  return {
    async create(userId, definition) {
      const id = `wf_${randomUUID()}`;
      const record: WorkflowRecord = {
        id,
        userId,
        definition: validateWorkflow({ ...definition, id }, registry),
        createdAt: now(),
      };
      await options.workflows.saveWorkflow(record);
      return record;
    },

    async start(userId, workflowId, trigger) {
      const workflow = await options.workflows.getWorkflow(userId, workflowId);
      if (!workflow) return undefined;
      const runId = `run_${randomUUID()}`;
      const payload: StepJobPayload = {
        tenantId: userId,
        workflowId,
        steps: workflow.definition.steps,
        ...(trigger !== undefined && { trigger }),
      };
      const at = now();
      // Stored before the 202, so the run is readable at once; the runner picks it up as its own.
      await options.tasks.saveRun({
        id: runId,
        jobId: WORKFLOW_JOB_ID,
        status: "running",
        payload: payload as unknown as Json,
        createdAt: at,
        updatedAt: at,
      });
      const execution = options.runner
        .run(job, { runId })
        .catch((error) => options.log?.error(`workflow run ${runId} crashed: ${describe(error)}`))
        .finally(() => running.delete(execution));
      running.add(execution);
      return { runId };
    },

    async getRun(userId, runId) {
      const loaded = await options.tasks.loadRun(runId);
      const payload = loaded?.run.payload as { tenantId?: unknown } | undefined;
      if (!loaded || loaded.run.jobId !== WORKFLOW_JOB_ID || payload?.tenantId !== userId) return undefined;
      return toRunView(loaded);
    },

    async close() {
      await scheduler.stop();
      await Promise.all(running);
    },
  };
}

const describe = (error: unknown) =>
  error instanceof Error ? `${error.name}: ${error.message}` : String(error);

import { randomUUID } from "node:crypto";
import {
  type ActionProviders,
  type ActionRegistry,
  createStepJob,
  createWorkflowTrigger,
  type StepJobPayload,
  type TriggerRegistry,
  validateWorkflow,
  type Workflow,
  type WorkflowTrigger,
} from "@autoflow/actions";
import {
  type Clock,
  type InboxEntry,
  IntegrationError,
  type JobRunner,
  type Json,
  type PollingTrigger,
  runIdForDelivery,
  runIdForPolledItem,
  type TaskStore,
  type Trigger,
} from "@autoflow/core";
import { integrationRegistry, triggerRegistry } from "@autoflow/providers";
import type { LimitsConfig } from "./config";
import type { ProviderLifecycles } from "./http/app";
import type { Logger } from "./logger";
import type { RunExecutor, RunQueue } from "./queue/run-queue";
import { type RunSummary, type RunView, toRunSummary, toRunView } from "./run-view";
import { createTriggeredWorkflowCache } from "./stores/triggered-workflow-cache";
import type {
  ListRunsFilter,
  WorkflowRecord,
  WorkflowRunSource,
  WorkflowRunStatus,
  WorkflowStore,
} from "./stores/workflow-store";
import { createCredentialResolver } from "./workflow-credentials";
import { refuseCredentialsInRunPayload, refuseCredentialsInWorkflow } from "./workflow-secret-check";
import { checkTriggerScope, createDeliveryAudience } from "./workflow-tenancy";

/** The job id every workflow run is stored under. */
export const WORKFLOW_JOB_ID = "autoflow.workflow";

/** The per-user bounds without configuration: 100 runs in flight, 100 steps per workflow. */
export const DEFAULT_WORKFLOW_LIMITS: Readonly<LimitsConfig> = {
  maxRunsInFlightPerUser: 100,
  maxStepsPerWorkflow: 100,
};

/** What a workflow is created or replaced with. */
export interface WorkflowDefinitionInput {
  name?: string;
  steps: unknown;
  trigger?: WorkflowTrigger;
}

/** What the workflow service needs. */
export interface WorkflowServiceOptions {
  workflows: WorkflowStore;
  tasks: TaskStore;
  runner: JobRunner;
  /** Where runs wait for a worker: in process (SQLite) or pg-boss (PostgreSQL). */
  queue: RunQueue;
  lifecycles: ProviderLifecycles;
  /** How actions reach each provider (the same API URLs as the lifecycles). */
  actionProviders?: ActionProviders;
  /** The actions steps may name. Default: the provider list's `integrationRegistry`. */
  registry?: ActionRegistry;
  /** The triggers workflows may start from. Default: the provider list's `triggerRegistry`. */
  triggers?: TriggerRegistry;
  log?: Logger;
  clock?: Clock;
  /** Per-user bounds (`AUTOFLOW_MAX_*`). Default `DEFAULT_WORKFLOW_LIMITS`. */
  limits?: Partial<LimitsConfig>;
  /** Told about every workflow a delivery started (trigger health records its last event). */
  onTriggered?: (workflow: WorkflowRecord) => void;
  /**
   * With a shared queue: how often runs the index still shows as `queued` (a crash between storing a run and
   * queueing it) are queued again. Default 60 s.
   */
  sweepIntervalMs?: number;
}

/** Workflows and their runs. Every call that takes a `userId` is scoped to that user. */
export interface WorkflowService {
  /** Validates and stores a new workflow; an invalid one throws a `schema` IntegrationError naming the problems. */
  create(userId: string, definition: WorkflowDefinitionInput): Promise<WorkflowRecord>;
  /** Replaces the definition (runs already started keep the steps they started with); `undefined` when not found. */
  update(
    userId: string,
    id: string,
    definition: WorkflowDefinitionInput,
  ): Promise<WorkflowRecord | undefined>;
  get(userId: string, id: string): Promise<WorkflowRecord | undefined>;
  list(userId: string): Promise<WorkflowRecord[]>;
  /** Deletes the workflow; its runs stay readable. `false` when not found. */
  remove(userId: string, id: string): Promise<boolean>;
  /**
   * Stores a run of the user's workflow and queues it; `undefined` when the user has no such workflow. The run
   * is readable at once, `queued` until a worker takes it.
   */
  start(
    userId: string,
    workflowId: string,
    trigger?: unknown,
    options?: { source?: WorkflowRunSource },
  ): Promise<{ runId: string } | undefined>;
  /**
   * Starts a run of every workflow whose trigger matches the delivery and whose tenancy admits it (the workflow's
   * checked scope holds the delivery's tenant through a live connection of its owner; a delivery that came through
   * one connection's hook, only that connection owner's), with one deterministic run id per (delivery, workflow):
   * a redelivery or a re-dispatch after a crash starts nothing new. Returns the ids.
   */
  startFromDelivery(entry: InboxEntry): Promise<string[]>;
  /**
   * Checks the triggered workflows `startFromDelivery` caches against the store's workflows version (one read),
   * dropping them when any process wrote a workflow since. The dispatcher calls it once per batch of deliveries.
   */
  revalidateTriggeredWorkflows(): Promise<void>;
  /**
   * Whether an inbox entry concerns the user: it came through one of their live connections' hooks, or (provider-wide)
   * its tenant lies inside one of their workflows' checked scopes. What a per-user listing of deliveries filters on.
   */
  deliveryVisibleTo(userId: string, entry: InboxEntry): Promise<boolean>;
  /** The users with workflows on the entry's provider whom it concerns (as `deliveryVisibleTo` decides). */
  usersForDelivery(entry: InboxEntry): Promise<string[]>;
  /**
   * The triggers of stored workflows (their scope checked), built with the service's provider options (the hooks
   * they register and the listings they poll reach the configured API) and, for a polling trigger, the connection
   * its scope was checked with: one user's, or every user's.
   */
  listTriggers(userId?: string): Promise<{ workflow: WorkflowRecord; trigger: Trigger<unknown> }[]>;
  /**
   * Starts a run of the workflow for an item its polling trigger listed, with one deterministic run id per
   * (trigger identity, item, workflow): an item listed again (a crash before the cursor was saved) starts nothing
   * new. Returns the run id.
   */
  startFromPoll(workflow: WorkflowRecord, trigger: PollingTrigger<unknown>, item: unknown): Promise<string>;
  /** The user's run with every step's state; `undefined` for an unknown run or another user's. */
  getRun(userId: string, runId: string): Promise<RunView | undefined>;
  listRuns(userId: string, filter?: ListRunsFilter): Promise<RunSummary[]>;
  /**
   * Cancels the user's run (`undefined` for an unknown run or another user's): `cancelled` when it has ended so
   * (it was queued, deferred or suspended, or this process was executing it), `cancelling` when a worker in
   * another process is executing it and stops before its next step, `finished` when it had already ended.
   */
  cancelRun(userId: string, runId: string): Promise<CancelRunAnswer | undefined>;
  /**
   * Executes queued runs in this process. In process (SQLite) it first re-queues what a stopped process left
   * queued, running or suspended; with a shared queue, pg-boss hands a dead worker's run to another.
   */
  work(): Promise<void>;
  /** Stops taking runs and waits for the ones in progress. */
  close(): Promise<void>;
}

/** What `WorkflowService.cancelRun` did; `status` is the run's status after it (for `finished`, how it ended). */
export type CancelRunAnswer =
  | { runId: string; outcome: "cancelled"; status: "cancelled" }
  | { runId: string; outcome: "cancelling"; status: "running" }
  | { runId: string; outcome: "finished"; status: WorkflowRunStatus };

/**
 * Workflow runs over the service's stores: a run is the action package's step job with the workflow's steps
 * snapshotted into its payload (so a resume runs the plan it started with), credentials resolved from the
 * owner's connections on every execution, executed by whichever worker the queue hands it to.
 */
export function createWorkflowService(options: WorkflowServiceOptions): WorkflowService {
  const registry = options.registry ?? integrationRegistry;
  const triggers = options.triggers ?? triggerRegistry;
  const { workflows, tasks, queue, log } = options;
  const triggeredWorkflows = createTriggeredWorkflowCache(workflows);
  const now = () => new Date(options.clock?.now() ?? Date.now()).toISOString();
  const job = createStepJob({
    id: WORKFLOW_JOB_ID,
    registry,
    resolveCredential: createCredentialResolver(options.lifecycles),
    ...(options.actionProviders && { providers: options.actionProviders }),
  });
  let sweeper: NodeJS.Timeout | undefined;
  const limits: LimitsConfig = { ...DEFAULT_WORKFLOW_LIMITS, ...options.limits };

  const validate = (id: string, definition: WorkflowDefinitionInput) => {
    // First, so a pasted token is refused before anything else reads, echoes or stores it.
    refuseCredentialsInWorkflow(definition);
    const steps = Array.isArray(definition.steps) ? definition.steps.length : 0;
    if (steps > limits.maxStepsPerWorkflow) {
      throw new IntegrationError({
        type: "schema",
        provider: "autoflow",
        code: "too_many_steps",
        message: `steps: ${steps} steps, at most ${limits.maxStepsPerWorkflow} are allowed in a workflow`,
      });
    }
    return validateWorkflow(
      {
        id,
        ...(definition.name !== undefined && { name: definition.name }),
        steps: definition.steps,
        ...(definition.trigger !== undefined && { trigger: definition.trigger }),
      },
      registry,
      triggers,
    );
  };

  const setStatus = (runId: string, status: WorkflowRunStatus) =>
    workflows.setRunStatus(runId, status, now());

  /** Queues the user's deferred runs, oldest first, while they have fewer than the most allowed in flight. */
  const releaseDeferred = async (userId: string): Promise<void> => {
    const free = limits.maxRunsInFlightPerUser - (await workflows.countRunsInFlight(userId));
    if (free <= 0) return;
    for (const run of await workflows.listRunsByStatus(["deferred"], now(), free, userId)) {
      await setStatus(run.runId, "queued");
      await queue.enqueue(run.runId);
    }
  };

  /** Every user's deferred runs that could go now: the sweep's net for a release a crash interrupted. */
  const releaseAllDeferred = async (): Promise<void> => {
    const waiting = await workflows.listRunsByStatus(["deferred"], now(), 1_000);
    for (const userId of new Set(waiting.map((run) => run.userId))) await releaseDeferred(userId);
  };

  /** The definition with the scope its trigger was checked to see with the user's connection (400 when none can). */
  const withScope = async (
    userId: string,
    definition: Workflow,
  ): Promise<Pick<WorkflowRecord, "definition" | "triggerScope">> => {
    if (!definition.trigger) return { definition };
    const triggerScope = await checkTriggerScope({
      userId,
      trigger: definition.trigger,
      triggers,
      lifecycles: options.lifecycles,
      ...(options.actionProviders && { actionProviders: options.actionProviders }),
    });
    return { definition, triggerScope };
  };

  /**
   * The connection a workflow's trigger was checked with, as a polling trigger lists with it: its auth as it is
   * now (refreshed), read on every poll; a revoked or foreign connection fails the poll as `auth`.
   */
  const scopeConnection = (workflow: WorkflowRecord, connectionId: string) => ({
    id: connectionId,
    async auth() {
      const provider = workflow.definition.trigger?.key.split(".")[0] ?? "";
      const lifecycle = options.lifecycles[provider];
      if (!lifecycle) {
        throw new IntegrationError({
          type: "auth",
          provider: "autoflow",
          code: "credential_not_found",
          message: `no ${provider} provider is configured for workflow ${workflow.id}'s trigger`,
        });
      }
      return lifecycle.authFor(workflow.userId, { connectionId });
    },
  });

  /** Stores the run (task log first, then the index) and queues it; idempotent per run id. */
  const startRun = async (
    workflow: WorkflowRecord,
    runId: string,
    trigger: unknown,
    source: WorkflowRunSource,
  ): Promise<void> => {
    const known = await workflows.getRunRecord(runId);
    if (known) {
      // Recorded but maybe never queued (a crash in between): queueing it again is a no-op otherwise.
      if (known.status === "queued") await queue.enqueue(runId);
      return;
    }
    const payload: StepJobPayload = {
      tenantId: workflow.userId,
      workflowId: workflow.id,
      steps: workflow.definition.steps,
      ...(trigger !== undefined && { trigger }),
    };
    // Past its owner's runs in flight, a run not started by the user (a webhook's) is stored but held:
    // `deferred`, never dropped, and queued oldest first as their runs finish.
    const deferred =
      source !== "api" &&
      (await workflows.countRunsInFlight(workflow.userId)) >= limits.maxRunsInFlightPerUser;
    const at = now();
    await tasks.saveRun({
      id: runId,
      jobId: WORKFLOW_JOB_ID,
      status: "running",
      payload: payload as unknown as Json,
      createdAt: at,
      updatedAt: at,
    });
    const added = await workflows.addRun({
      runId,
      userId: workflow.userId,
      workflowId: workflow.id,
      status: deferred ? "deferred" : "queued",
      source,
      createdAt: at,
      updatedAt: at,
    });
    if (added !== "added") return;
    if (!deferred) await queue.enqueue(runId);
    // Their runs may all have finished between the count and the insert, leaving none to release this one.
    else await releaseDeferred(workflow.userId);
  };

  const execute: RunExecutor = async (runId) => {
    await setStatus(runId, "running");
    const result = await options.runner.run(job, { runId });
    await setStatus(runId, result.status);
    if (result.status === "failed") log?.warn(`Workflow run ${runId} failed: ${result.error.message}`);
    if (result.status !== "suspended") {
      // A place among the owner's runs in flight is free: their oldest deferred run takes it.
      await workflows
        .getRunRecord(runId)
        .then((record) => record && releaseDeferred(record.userId))
        .catch((error: unknown) =>
          log?.error(`Deferred runs of run ${runId}'s owner not queued: ${describe(error)}`),
        );
    }
    return result.status === "suspended"
      ? { status: "suspended", resumeAt: result.resumeAt }
      : { status: result.status };
  };

  /** Queues runs the index shows in `statuses` since before `olderThanMs` ago. */
  const requeue = async (statuses: readonly WorkflowRunStatus[], olderThanMs: number) => {
    const before = new Date((options.clock?.now() ?? Date.now()) - olderThanMs).toISOString();
    for (const run of await workflows.listRunsByStatus(statuses, before, 1_000)) {
      const stored = run.status === "suspended" ? (await tasks.loadRun(run.runId))?.run : undefined;
      await queue.enqueue(run.runId, stored?.resumeAt ? { notBefore: new Date(stored.resumeAt) } : {});
    }
  };

  return {
    async create(userId, definition) {
      const id = `wf_${randomUUID()}`;
      const at = now();
      const record: WorkflowRecord = {
        id,
        userId,
        ...(await withScope(userId, validate(id, definition))),
        createdAt: at,
        updatedAt: at,
      };
      await workflows.saveWorkflow(record);
      return record;
    },

    async update(userId, id, definition) {
      const existing = await workflows.getWorkflow(userId, id);
      if (!existing) return undefined;
      // The scope is checked again on every save: a saved trigger always carries the scope of its current inputs.
      const { triggerScope: _previous, ...kept } = existing;
      const record: WorkflowRecord = {
        ...kept,
        ...(await withScope(userId, validate(id, definition))),
        updatedAt: now(),
      };
      return (await workflows.updateWorkflow(record)) ? record : undefined;
    },

    get: (userId, id) => workflows.getWorkflow(userId, id),
    list: (userId) => workflows.listWorkflows(userId),
    remove: (userId, id) => workflows.deleteWorkflow(userId, id),

    async start(userId, workflowId, trigger, startOptions) {
      const workflow = await workflows.getWorkflow(userId, workflowId);
      if (!workflow) return undefined;
      refuseCredentialsInRunPayload(trigger);
      const source = startOptions?.source ?? "api";
      if (source === "api" && (await workflows.countRunsInFlight(userId)) >= limits.maxRunsInFlightPerUser) {
        // A 429: the user waits for their own runs, which finish on their own. Other sources are deferred.
        throw new IntegrationError({
          type: "rate-limit",
          provider: "autoflow",
          code: "too_many_runs_in_flight",
          message:
            `${limits.maxRunsInFlightPerUser} of your workflow runs are queued, running or waiting, ` +
            "the most allowed at once: start this one when some have finished",
        });
      }
      const runId = `run_${randomUUID()}`;
      await startRun(workflow, runId, trigger, source);
      return { runId };
    },

    async startFromDelivery(entry) {
      const started: string[] = [];
      const audience = createDeliveryAudience(options.lifecycles);
      for (const workflow of await triggeredWorkflows.list(entry.provider)) {
        const definition = workflow.definition.trigger;
        if (!definition) continue;
        let trigger: ReturnType<typeof createWorkflowTrigger>;
        try {
          trigger = createWorkflowTrigger(definition, triggers);
        } catch (error) {
          // Validated when saved; a trigger the registry no longer knows must not block the other workflows.
          log?.warn(`Workflow ${workflow.id} has an unusable trigger: ${describe(error)}`);
          continue;
        }
        // A polling trigger's runs come from its listing, never from a delivery.
        if (trigger.kind !== "webhook") continue;
        if (!trigger.matches(entry) || !(await audience.admits(workflow, entry))) continue;
        const runId = runIdForDelivery(entry.provider, entry.deliveryId, `workflow:${workflow.id}`);
        await startRun(workflow, runId, trigger.payloadOf(entry), "trigger");
        started.push(runId);
        options.onTriggered?.(workflow);
      }
      return started;
    },

    revalidateTriggeredWorkflows: () => triggeredWorkflows.revalidate(),

    async listTriggers(userId) {
      const candidates =
        userId === undefined
          ? (
              await Promise.all(
                Object.keys(options.lifecycles).map((provider) => workflows.listTriggeredWorkflows(provider)),
              )
            ).flat()
          : await workflows.listWorkflows(userId);
      const found: { workflow: WorkflowRecord; trigger: Trigger<unknown> }[] = [];
      for (const workflow of candidates) {
        const definition = workflow.definition.trigger;
        // A trigger without its checked scope is paused: it starts nothing, needs no hook and polls nothing.
        if (!definition || !workflow.triggerScope) continue;
        try {
          const context = {
            ...(options.actionProviders && { providers: options.actionProviders }),
            connection: scopeConnection(workflow, workflow.triggerScope.connectionId),
          };
          found.push({ workflow, trigger: createWorkflowTrigger(definition, triggers, context) });
        } catch (error) {
          log?.warn(`Workflow ${workflow.id} has an unusable trigger: ${describe(error)}`);
        }
      }
      return found;
    },

    async startFromPoll(workflow, trigger, item) {
      const runId = runIdForPolledItem(trigger.id, trigger.itemId(item), `workflow:${workflow.id}`);
      await startRun(workflow, runId, item, "trigger");
      options.onTriggered?.(workflow);
      return runId;
    },

    async deliveryVisibleTo(userId, entry) {
      return createDeliveryAudience(options.lifecycles).visibleTo(
        userId,
        entry,
        entry.auth?.kind === "connection" ? [] : await workflows.listWorkflows(userId),
      );
    },

    async usersForDelivery(entry) {
      const audience = createDeliveryAudience(options.lifecycles);
      const candidates = await workflows.listTriggeredWorkflows(entry.provider);
      const users: string[] = [];
      for (const userId of new Set(candidates.map((workflow) => workflow.userId))) {
        if (await audience.visibleTo(userId, entry, candidates)) users.push(userId);
      }
      return users;
    },

    async getRun(userId, runId) {
      const record = await workflows.getRunRecord(runId);
      if (!record || record.userId !== userId) return undefined;
      const loaded = await tasks.loadRun(runId);
      return loaded && toRunView(loaded, record);
    },

    async listRuns(userId, filter) {
      return (await workflows.listRuns(userId, filter)).map(toRunSummary);
    },

    async cancelRun(userId, runId) {
      const record = await workflows.getRunRecord(runId);
      if (!record || record.userId !== userId) return undefined;
      const result = await options.runner.cancel(runId);
      if (result.outcome === "not_found") return undefined;
      if (result.outcome === "finished") return { runId, outcome: "finished", status: result.status };
      if (result.outcome === "requested" && (record.status === "queued" || record.status === "deferred")) {
        // No worker has taken it: it ends here, and a worker that takes it later finds it cancelled.
        const loaded = await tasks.loadRun(runId);
        if (loaded && loaded.run.status === "running") {
          await tasks.saveRun({ ...loaded.run, status: "cancelled", updatedAt: now() });
        }
      } else if (result.outcome === "requested") {
        return { runId, outcome: "cancelling", status: "running" };
      }
      await setStatus(runId, "cancelled");
      await releaseDeferred(userId).catch((error: unknown) =>
        log?.error(`Deferred runs of run ${runId}'s owner not queued: ${describe(error)}`),
      );
      return { runId, outcome: "cancelled", status: "cancelled" };
    },

    async work() {
      if (queue.kind === "in-process") {
        // This process owns the database: whatever the index shows unfinished was left by a stopped process.
        await requeue(["queued", "running", "suspended"], 0);
        // A finished run releases its owner's deferred runs; the sweep catches a release a stop interrupted.
        const sweep = () =>
          releaseAllDeferred().catch((error) => log?.error(`Deferred run sweep failed: ${describe(error)}`));
        await sweep();
        sweeper = setInterval(sweep, options.sweepIntervalMs ?? 60_000);
        sweeper.unref();
      } else {
        const sweep = () =>
          requeue(["queued"], 60_000)
            .then(releaseAllDeferred)
            .catch((error) => log?.error(`Run sweep failed: ${describe(error)}`));
        await sweep();
        sweeper = setInterval(sweep, options.sweepIntervalMs ?? 60_000);
        sweeper.unref();
      }
      await queue.work(execute);
    },

    async close() {
      clearInterval(sweeper);
      await queue.close();
    },
  };
}

const describe = (error: unknown) =>
  error instanceof Error ? `${error.name}: ${error.message}` : String(error);

import type { ActionProviders, EgressLookup } from "@autoflow/actions";
import type { Clock, JobRunner } from "@autoflow/core";
import type { ServerConfig, WorkerConfig } from "./config";
import type { ProviderLifecycles } from "./http/app";
import type { Logger } from "./logger";
import { createActionProviders } from "./providers";
import { openRunQueue, type RunQueueTuning } from "./queue/open-run-queue";
import type { Stores } from "./stores/open-stores";
import { createWorkflowService, type WorkflowService, type WorkflowServiceOptions } from "./workflow-service";

/**
 * The workflow service over the stores' database with its run queue (in process on SQLite, pg-boss on
 * PostgreSQL), as both the HTTP service and a separate worker process build it.
 */
export async function openWorkflowService(options: {
  config: ServerConfig;
  /** Overrides `config.worker` (a worker process always works, at least one run at a time). */
  worker?: WorkerConfig;
  stores: Stores;
  lifecycles: ProviderLifecycles;
  runner: JobRunner;
  logger: Logger;
  queue?: RunQueueTuning;
  actionProviders?: ActionProviders;
  /** The DNS lookup the egress checks of user-aimed requests resolve with. Default `node:dns`. */
  egressLookup?: EgressLookup;
  clock?: Clock;
  onTriggered?: WorkflowServiceOptions["onTriggered"];
}): Promise<WorkflowService> {
  const { config, stores, logger, egressLookup, clock } = options;
  const queue = await openRunQueue({
    kind: stores.kind,
    ...(config.databaseUrl && { databaseUrl: config.databaseUrl }),
    worker: options.worker ?? config.worker,
    ...(options.queue && { tuning: options.queue }),
    log: logger,
    ...(clock && { now: () => clock.now() }),
  });
  return createWorkflowService({
    workflows: stores.workflows,
    tasks: stores.tasks,
    runner: options.runner,
    queue,
    lifecycles: options.lifecycles,
    actionProviders: createActionProviders(
      config.providers,
      {
        ...options.actionProviders,
        // The operator's egress lists under any options a caller passed (a test's short timeouts).
        http: {
          egress: config.egress,
          ...(egressLookup && { lookup: egressLookup }),
          ...options.actionProviders?.http,
        },
      },
      { policy: config.egress, ...(egressLookup && { lookup: egressLookup }) },
    ),
    log: logger,
    ...(options.clock && { clock: options.clock }),
    ...(options.onTriggered && { onTriggered: options.onTriggered }),
    ...(config.limits && { limits: config.limits }),
  });
}

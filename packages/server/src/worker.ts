import type { ActionProviders, EgressLookup } from "@autoflow/actions";
import { type Clock, JobRunner, type RunEventListener } from "@autoflow/core";
import { registerProviderSecrets } from "@autoflow/providers";
import type { PoolConfig } from "pg";
import type { ServerConfig } from "./config";
import { createLogger, type Logger, runnerLogger } from "./logger";
import { openWorkflowService } from "./open-workflow-service";
import { createProviderLifecycles } from "./providers";
import type { RunQueueTuning } from "./queue/open-run-queue";
import { configuredSecrets } from "./server";
import { openStores } from "./stores/open-stores";

/** Options for `startWorker` beyond the environment's configuration. */
export interface StartWorkerOptions {
  logger?: Logger;
  /** Extra `pg` pool settings (e.g. a test's `search_path`). */
  postgres?: Omit<PoolConfig, "connectionString">;
  /** pg-boss settings beyond the configuration. */
  queue?: RunQueueTuning;
  /** Merged over the configuration's action options per provider. */
  actionProviders?: ActionProviders;
  /** The DNS lookup the egress checks of user-aimed requests resolve with. Default `node:dns`. */
  egressLookup?: EgressLookup;
  /** Every event of every run this worker executes (progress displays, metrics). */
  onEvent?: RunEventListener;
  clock?: Clock;
}

/** A running worker process's handle. */
export interface RunningWorker {
  /** Stops taking runs, waits for the ones in progress, closes the stores. */
  close(): Promise<void>;
}

/**
 * A workflow worker without the HTTP API: it takes runs from the shared pg-boss queue on PostgreSQL and executes
 * them with credentials from the vault. Start as many as the work needs, on any machines that reach the
 * database; each run is executed by one of them at a time, and a dead worker's run resumes on another.
 */
export async function startWorker(
  config: ServerConfig,
  options: StartWorkerOptions = {},
): Promise<RunningWorker> {
  if (!config.databaseUrl) {
    throw new Error(
      "A separate worker needs DATABASE_URL (PostgreSQL): with SQLite the service runs workflows in its own process",
    );
  }
  registerProviderSecrets();
  const logger = options.logger ?? createLogger({ secrets: configuredSecrets(config) });
  const stores = await openStores({
    vault: config.vault,
    sqlitePath: config.sqlitePath,
    databaseUrl: config.databaseUrl,
    ...(options.postgres && { postgres: options.postgres }),
  });
  try {
    const { egressLookup } = options;
    const lifecycles = createProviderLifecycles(stores.connections, config.providers, {
      ...(options.clock && { clock: options.clock }),
      egress: { policy: config.egress, ...(egressLookup && { lookup: egressLookup }) },
    });
    const runner = new JobRunner({
      store: stores.tasks,
      secrets: configuredSecrets(config),
      logger: runnerLogger(logger),
      ...(options.onEvent && { onEvent: options.onEvent }),
      ...(options.clock && { clock: options.clock }),
    });
    const workflows = await openWorkflowService({
      config,
      worker: { ...config.worker, concurrency: Math.max(1, config.worker.concurrency) },
      stores,
      lifecycles,
      runner,
      logger,
      ...(options.queue && { queue: options.queue }),
      ...(options.actionProviders && { actionProviders: options.actionProviders }),
      ...(egressLookup && { egressLookup }),
      ...(options.clock && { clock: options.clock }),
    });
    await workflows.work();
    logger.info(`AutoFlow worker taking workflow runs (${config.worker.concurrency || 1} at a time)`);
    let closing: Promise<void> | undefined;
    return {
      close() {
        closing ??= (async () => {
          await workflows.close();
          await stores.close();
        })();
        return closing;
      },
    };
  } catch (error) {
    await stores.close();
    throw error;
  }
}

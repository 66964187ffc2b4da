import type { WorkerConfig } from "../config";
import type { Logger } from "../logger";
import { InProcessRunQueue } from "./in-process-run-queue";
import { PgBossRunQueue, type PgBossRunQueueOptions } from "./pg-boss-run-queue";
import type { RunQueue } from "./run-queue";

/** Test and tuning knobs for the pg-boss queue beyond the configuration. */
export type RunQueueTuning = Partial<Omit<PgBossRunQueueOptions, "connectionString" | "onError">>;

/**
 * The run queue for the service's database: in process over SQLite (one process owns the file; it executes
 * `worker.concurrency` runs at once, the rest wait in line), pg-boss over PostgreSQL (every service and worker
 * process on the database shares it).
 */
export async function openRunQueue(options: {
  kind: "sqlite" | "postgres";
  databaseUrl?: string;
  worker: WorkerConfig;
  tuning?: RunQueueTuning;
  log?: Logger;
}): Promise<RunQueue> {
  const { log } = options;
  if (options.kind === "sqlite") {
    return new InProcessRunQueue({
      // This process is the only worker on SQLite: concurrency 0 (API-only elsewhere) still runs one at a time.
      concurrency: Math.max(1, options.worker.concurrency),
      onError: (runId, error) => log?.error(`Workflow run ${runId} could not execute: ${describe(error)}`),
    });
  }
  if (!options.databaseUrl) throw new Error("The pg-boss run queue needs DATABASE_URL");
  return PgBossRunQueue.open({
    connectionString: options.databaseUrl,
    schema: options.worker.queueSchema,
    heartbeatSeconds: options.worker.heartbeatSeconds,
    concurrency: Math.max(1, options.worker.concurrency),
    ...options.tuning,
    onError: (error) => log?.error(`Run queue: ${describe(error)}`),
  });
}

const describe = (error: unknown) =>
  error instanceof Error ? `${error.name}: ${error.message}` : String(error);

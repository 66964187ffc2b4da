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
  /**
   * The service's clock (milliseconds since the epoch), which runs' `resumeAt` are read on: a suspended run is
   * held for its time by this clock, not the wall clock. Default `Date.now`.
   */
  now?: () => number;
}): Promise<RunQueue> {
  const { log } = options;
  if (options.kind === "sqlite") {
    return new InProcessRunQueue({
      // This process is the only worker on SQLite: concurrency 0 (API-only elsewhere) still runs one at a time.
      concurrency: Math.max(1, options.worker.concurrency),
      onError: (runId, error) => log?.error(`Workflow run ${runId} could not execute: ${describe(error)}`),
      ...(options.now && { now: options.now }),
    });
  }
  if (!options.databaseUrl) throw new Error("The pg-boss run queue needs DATABASE_URL");
  return PgBossRunQueue.open({
    connectionString: options.databaseUrl,
    schema: options.worker.queueSchema,
    heartbeatSeconds: options.worker.heartbeatSeconds,
    concurrency: Math.max(1, options.worker.concurrency),
    ...options.tuning,
    ...(options.now && { now: options.now }),
    onError: (error) => log?.error(`Run queue: ${describe(error)}`),
  });
}

const describe = (error: unknown) =>
  error instanceof Error ? `${error.name}: ${error.message}` : String(error);

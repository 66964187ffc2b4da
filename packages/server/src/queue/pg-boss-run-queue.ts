import { PgBoss } from "pg-boss";
import type { RunExecutor, RunQueue } from "./run-queue";

/** The pg-boss queue workflow runs go through. */
export const WORKFLOW_RUN_QUEUE = "autoflow-workflow-runs";

/** Options for `PgBossRunQueue.open`. */
export interface PgBossRunQueueOptions {
  connectionString: string;
  /** The PostgreSQL schema pg-boss keeps its tables in. Default `pgboss`. */
  schema?: string;
  /**
   * A worker that stops sending heartbeats (killed, its machine gone) for this long loses the run to another
   * worker, which resumes it from the task log. pg-boss allows 10 at least. Default 30.
   */
  heartbeatSeconds?: number;
  /**
   * How often pg-boss supervises the queue: finds heartbeats that stopped (a dead worker's run goes back to the
   * queue) and refreshes its counts. Default 15 (tests use 1).
   */
  superviseIntervalSeconds?: number;
  /** How many runs this process executes at once. Default 4. */
  concurrency?: number;
  /** How often an idle worker asks for work. Default 1 s (LISTEN/NOTIFY wakes it sooner). */
  pollingIntervalSeconds?: number;
  /** How many times a run whose worker died is handed to another worker. Default 5. */
  retryLimit?: number;
  /** Told about pg-boss's own errors (a lost connection it recovers from). */
  onError?: (error: Error) => void;
  /**
   * Milliseconds since the epoch on the service's clock, which `notBefore` is on: a run is held that long from
   * now (pg-boss's `startAfter` is on the database's wall clock). Default `Date.now`.
   */
  now?: () => number;
}

interface RunMessage {
  runId: string;
}

/**
 * Workflow runs queued through pg-boss, so any number of worker processes on any number of machines share them.
 * The `stately` policy keyed by run id lets a run be queued once and active once at a time: a run is never
 * executed by two workers at once, and enqueueing it twice (a redelivered trigger) queues it once. A worker that
 * dies mid-run stops its heartbeat; pg-boss then fails the attempt and retries it on another worker, where the
 * runner resumes from the task log. Business failures are not pg-boss failures: the runtime already retried
 * what the taxonomy retries, so the message completes with the run's outcome.
 */
export class PgBossRunQueue implements RunQueue {
  readonly kind = "pg-boss";
  private readonly boss: PgBoss;
  private readonly options: PgBossRunQueueOptions;
  private working = false;

  private constructor(boss: PgBoss, options: PgBossRunQueueOptions) {
    this.boss = boss;
    this.options = options;
  }

  /** Starts pg-boss (creating or migrating its schema) and the run queue. */
  static async open(options: PgBossRunQueueOptions): Promise<PgBossRunQueue> {
    const boss = new PgBoss({
      connectionString: options.connectionString,
      schema: options.schema ?? "pgboss",
      monitorIntervalSeconds: options.superviseIntervalSeconds ?? 15,
      superviseIntervalSeconds: options.superviseIntervalSeconds ?? 15,
      useListenNotify: true,
      // Cron schedules are not used; their timers would only cost queries.
      schedule: false,
    });
    boss.on("error", (error: Error) => options.onError?.(error));
    await boss.start();
    const heartbeatSeconds = Math.max(10, options.heartbeatSeconds ?? 30);
    const settings = {
      heartbeatSeconds,
      retryLimit: options.retryLimit ?? 5,
      retryDelay: 0,
      notify: true,
      // A run waiting hours for a rate limit is re-enqueued for then; only an unheard-of hang should expire.
      expireInSeconds: 24 * 60 * 60,
    };
    if (await boss.getQueue(WORKFLOW_RUN_QUEUE)) await boss.updateQueue(WORKFLOW_RUN_QUEUE, settings);
    else {
      await boss
        .createQueue(WORKFLOW_RUN_QUEUE, { ...settings, policy: "stately" })
        .catch(async (error: unknown) => {
          // Another process created it between our check and our create.
          if (!(await boss.getQueue(WORKFLOW_RUN_QUEUE))) throw error;
        });
    }
    return new PgBossRunQueue(boss, options);
  }

  /** `at` on the service's clock, as the same distance from now on the wall clock pg-boss schedules by. */
  private wallClockTime(at: Date): Date {
    const now = this.options.now;
    return now ? new Date(Date.now() + Math.max(0, at.getTime() - now())) : at;
  }

  async enqueue(runId: string, options: { notBefore?: Date } = {}): Promise<void> {
    await this.boss.send(WORKFLOW_RUN_QUEUE, { runId } satisfies RunMessage, {
      singletonKey: runId,
      ...(options.notBefore && { startAfter: this.wallClockTime(options.notBefore) }),
    });
  }

  async work(execute: RunExecutor): Promise<void> {
    if (this.working) throw new Error("This queue is already working");
    this.working = true;
    // One pg-boss worker per slot rather than `localConcurrency`, so each slot can be woken by its own id: a
    // slot that just finished a run looks for the next at once instead of sleeping out the poll interval, and
    // only an empty fetch lets it idle (LISTEN/NOTIFY still wakes it when a run is queued).
    for (let slot = 0; slot < (this.options.concurrency ?? 4); slot++) {
      let workerId: string | undefined;
      workerId = await this.boss.work<RunMessage>(
        WORKFLOW_RUN_QUEUE,
        { batchSize: 1, pollingIntervalSeconds: this.options.pollingIntervalSeconds ?? 1 },
        async ([message]) => {
          if (!message) return;
          const outcome = await execute(message.data.runId);
          if (outcome.status === "suspended") {
            await this.enqueue(message.data.runId, { notBefore: outcome.resumeAt });
          }
          if (workerId) this.boss.notifyWorker(workerId);
        },
      );
    }
  }

  async close(): Promise<void> {
    // `graceful` waits for the handlers in progress, so their runs settle before the stores close.
    await this.boss.stop({ graceful: true, timeout: 30_000 });
  }
}

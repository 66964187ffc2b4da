import type { RunExecutor, RunOutcome, RunQueue } from "./run-queue";

/** Options for `InProcessRunQueue`. */
export interface InProcessRunQueueOptions {
  /** Told about a run whose execution threw (a store failure, not a failed run: that is an outcome). */
  onError?: (runId: string, error: unknown) => void;
}

/**
 * The embedded default (SQLite, one process): a run starts at once in this process, and a suspended one is
 * started again by a timer at its `resumeAt`. Nothing survives the process: the service re-enqueues the runs
 * its run index still shows as queued, running or suspended when it starts.
 */
export class InProcessRunQueue implements RunQueue {
  readonly kind = "in-process";
  private execute: RunExecutor | undefined;
  private readonly waiting: string[] = [];
  private readonly inFlight = new Map<string, Promise<void>>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private closed = false;
  private readonly options: InProcessRunQueueOptions;

  constructor(options: InProcessRunQueueOptions = {}) {
    this.options = options;
  }

  async enqueue(runId: string, options: { notBefore?: Date } = {}): Promise<void> {
    if (this.closed) throw new Error("The run queue is closed");
    const delay = (options.notBefore?.getTime() ?? 0) - Date.now();
    if (delay > 0) {
      clearTimeout(this.timers.get(runId));
      const timer = setTimeout(() => {
        this.timers.delete(runId);
        this.start(runId);
      }, delay);
      // A long wait must not keep a stopped process alive; the restart re-enqueues the run.
      timer.unref();
      this.timers.set(runId, timer);
      return;
    }
    this.start(runId);
  }

  async work(execute: RunExecutor): Promise<void> {
    this.execute = execute;
    for (const runId of this.waiting.splice(0)) this.start(runId);
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    while (this.inFlight.size > 0) await Promise.all(this.inFlight.values());
  }

  private start(runId: string): void {
    if (this.closed) return;
    // Already executing here: enqueueing it again is the no-op the interface promises.
    if (this.inFlight.has(runId)) return;
    const execute = this.execute;
    if (!execute) {
      if (!this.waiting.includes(runId)) this.waiting.push(runId);
      return;
    }
    const running = (async () => {
      let outcome: RunOutcome;
      try {
        outcome = await execute(runId);
      } catch (error) {
        this.options.onError?.(runId, error);
        return;
      } finally {
        // Before re-enqueueing: a suspension already due must start again, not look like a duplicate.
        this.inFlight.delete(runId);
      }
      if (outcome.status === "suspended" && !this.closed) {
        await this.enqueue(runId, { notBefore: outcome.resumeAt });
      }
    })();
    this.inFlight.set(runId, running);
  }
}

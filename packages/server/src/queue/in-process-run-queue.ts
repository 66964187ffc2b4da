import type { RunExecutor, RunOutcome, RunQueue } from "./run-queue";

/** Options for `InProcessRunQueue`. */
export interface InProcessRunQueueOptions {
  /**
   * How many runs execute at once (`AUTOFLOW_WORKER_CONCURRENCY`); the rest wait in arrival order. Default 4,
   * at least 1: on SQLite this process is the only worker.
   */
  concurrency?: number;
  /** Told about a run whose execution threw (a store failure, not a failed run: that is an outcome). */
  onError?: (runId: string, error: unknown) => void;
  /** Milliseconds since the epoch, for `notBefore`. Default `Date.now`. */
  now?: () => number;
}

/**
 * The embedded default (SQLite, one process): runs wait in one first-in-first-out line and at most
 * `concurrency` of them execute at once, so a flood of deliveries queues instead of starting thousands of runs
 * (each holding memory, sockets and a half-done step a crash would repeat). A suspended run is put back at the
 * end of the line by a timer at its `resumeAt`. Nothing survives the process: the service re-enqueues the runs
 * its run index still shows as queued, running or suspended when it starts.
 */
export class InProcessRunQueue implements RunQueue {
  readonly kind = "in-process";
  private execute: RunExecutor | undefined;
  /** Ready to start, oldest first; `queued` mirrors it so enqueueing a waiting run twice is a no-op. */
  private readonly line: string[] = [];
  private readonly queued = new Set<string>();
  private readonly inFlight = new Map<string, Promise<void>>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private closed = false;
  private readonly concurrency: number;
  private readonly options: InProcessRunQueueOptions;

  constructor(options: InProcessRunQueueOptions = {}) {
    this.options = options;
    this.concurrency = Math.max(1, Math.trunc(options.concurrency ?? 4));
  }

  /** Runs waiting for a free slot (not those whose `notBefore` is still ahead). */
  get waiting(): number {
    return this.line.length;
  }

  /** Runs executing now; never more than `concurrency`. */
  get running(): number {
    return this.inFlight.size;
  }

  async enqueue(runId: string, options: { notBefore?: Date } = {}): Promise<void> {
    if (this.closed) throw new Error("The run queue is closed");
    const now = this.options.now?.() ?? Date.now();
    const delay = (options.notBefore?.getTime() ?? 0) - now;
    clearTimeout(this.timers.get(runId));
    this.timers.delete(runId);
    if (delay > 0) {
      const timer = setTimeout(() => {
        this.timers.delete(runId);
        this.add(runId);
      }, delay);
      // A long wait must not keep a stopped process alive; the restart re-enqueues the run.
      timer.unref();
      this.timers.set(runId, timer);
      return;
    }
    this.add(runId);
  }

  async work(execute: RunExecutor): Promise<void> {
    this.execute = execute;
    this.pump();
  }

  /** Starts nothing more (waiting runs stay queued in the run index for the next start) and waits for the ones executing. */
  async close(): Promise<void> {
    this.closed = true;
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    while (this.inFlight.size > 0) await Promise.all(this.inFlight.values());
  }

  /** Puts the run at the end of the line, unless it is already waiting or executing (the promised no-op). */
  private add(runId: string): void {
    if (this.closed || this.queued.has(runId) || this.inFlight.has(runId)) return;
    this.queued.add(runId);
    this.line.push(runId);
    this.pump();
  }

  /** Starts waiting runs, oldest first, while a slot is free. */
  private pump(): void {
    const execute = this.execute;
    if (!execute) return;
    while (!this.closed && this.inFlight.size < this.concurrency) {
      const runId = this.line.shift();
      if (runId === undefined) return;
      this.queued.delete(runId);
      this.start(runId, execute);
    }
  }

  private start(runId: string, execute: RunExecutor): void {
    const running = (async () => {
      let outcome: RunOutcome | undefined;
      try {
        outcome = await execute(runId);
      } catch (error) {
        this.options.onError?.(runId, error);
      } finally {
        // Before re-enqueueing: a suspension already due must go back in line, not look like a duplicate.
        this.inFlight.delete(runId);
      }
      if (outcome?.status === "suspended" && !this.closed) {
        await this.enqueue(runId, { notBefore: outcome.resumeAt });
      }
      this.pump();
    })();
    this.inFlight.set(runId, running);
  }
}

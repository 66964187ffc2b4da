/** What executing a run came to, as far as the queue cares. */
export type RunOutcome =
  | { status: "completed" | "failed" | "cancelled" }
  /** The run waits (a long rate-limit reset, `io.wait`): hand it to a worker again at `resumeAt`. */
  | { status: "suspended"; resumeAt: Date };

/** Executes one stored run to its next stop; resuming from the task log when it ran before. */
export type RunExecutor = (runId: string) => Promise<RunOutcome>;

/**
 * Hands stored workflow runs to workers. The run (its payload, its task log) is in the database before it is
 * enqueued; the queue only carries its id, so a message delivered twice resumes the same run rather than
 * starting another one.
 */
export interface RunQueue {
  readonly kind: "in-process" | "pg-boss";
  /** Queues the run; `notBefore` holds it until then. Enqueueing a run that is already queued is a no-op. */
  enqueue(runId: string, options?: { notBefore?: Date }): Promise<void>;
  /** Starts executing queued runs in this process. Without a call, this process only enqueues. */
  work(execute: RunExecutor): Promise<void>;
  /** Stops taking runs and waits for the ones in progress. */
  close(): Promise<void>;
}

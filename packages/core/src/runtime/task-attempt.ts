import { IntegrationError } from "../errors";

/**
 * One attempt of a task: the `AbortSignal` its callback gets (aborted by a cancel of the run or the attempt's
 * `timeoutMs`), and whether a provider request left during it (the kit's fetch says so through
 * `noteRequestSent`), which decides whether a timeout's outcome is unknown.
 */
export class TaskAttempt {
  readonly signal: AbortSignal;
  /** A request of this attempt was handed to the network: a timeout after it may come after the provider acted. */
  requestSent = false;
  /**
   * Whether the runtime can tell when a request may leave: the provider kit turns it on for its tasks and says
   * when the SDK call starts. A plain callback is opaque: its timeout's outcome is always unknown.
   */
  tracksRequests = false;
  private readonly deadline = new AbortController();

  constructor(
    cancel: AbortSignal,
    private readonly timeoutMs: number | undefined,
    private readonly provider: string,
  ) {
    this.signal = AbortSignal.any([cancel, this.deadline.signal]);
  }

  /**
   * Runs `work`, settling as soon as the signal aborts (with its reason: a `RunCancelledSignal` or the timeout's
   * `IntegrationError`), even when `work` ignores the signal: its late answer is dropped.
   */
  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.signal.aborted) throw this.signal.reason;
    const { timeoutMs } = this;
    const timer =
      timeoutMs === undefined
        ? undefined
        : setTimeout(() => this.deadline.abort(this.timeoutError(timeoutMs)), timeoutMs);
    let onAbort: () => void = () => {};
    const aborted = new Promise<never>((_, reject) => {
      onAbort = () => reject(this.signal.reason);
      this.signal.addEventListener("abort", onAbort, { once: true });
    });
    const pending = work();
    // The race may settle on the abort first: the work's own (later) rejection is then nobody's to handle.
    pending.catch(() => {});
    try {
      return await Promise.race([pending, aborted]);
    } finally {
      clearTimeout(timer);
      this.signal.removeEventListener("abort", onAbort);
    }
  }

  private timeoutError(timeoutMs: number): IntegrationError {
    const unknown = this.requestSent || !this.tracksRequests;
    return new IntegrationError({
      type: "network",
      provider: this.provider,
      code: "timeout",
      reason: unknown ? "outcome_unknown" : "timeout",
      message: unknown
        ? `no answer within the task's timeout of ${timeoutMs} ms; the request may have reached the provider`
        : `no answer within the task's timeout of ${timeoutMs} ms, before any request was sent`,
    });
  }
}

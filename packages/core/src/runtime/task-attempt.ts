import { forwardAbort } from "../abort-forwarding";
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
  /** Aborted by the attempt's timeout, or by the run's cancel while the attempt runs. */
  private readonly controller = new AbortController();
  private readonly unlinkCancel: () => void;

  constructor(
    cancel: AbortSignal,
    private readonly timeoutMs: number | undefined,
    private readonly provider: string,
  ) {
    this.signal = this.controller.signal;
    this.unlinkCancel = forwardAbort(this.controller, [cancel]);
  }

  /**
   * Runs `work`, settling as soon as the signal aborts (with its reason: a `RunCancelledSignal` or the timeout's
   * `IntegrationError`), even when `work` ignores the signal: its late answer is dropped.
   */
  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.signal.aborted) {
      this.unlinkCancel();
      throw this.signal.reason;
    }
    const { timeoutMs } = this;
    const timer =
      timeoutMs === undefined
        ? undefined
        : setTimeout(() => this.controller.abort(this.timeoutError(timeoutMs)), timeoutMs);
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
      this.unlinkCancel();
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

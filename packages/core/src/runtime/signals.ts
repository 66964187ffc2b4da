const marker = Symbol.for("autoflow.signal.ControlFlow");

/**
 * Thrown through user code when a run must stop here and resume later (a long retry wait, `io.wait`).
 * It is not an error: `io.try` rethrows it, and the runtime notices it even when a bare `catch` swallows it.
 */
export class RunSuspendedSignal extends Error {
  override readonly name = "RunSuspendedSignal";
  readonly resumeAt: Date;

  constructor(resumeAt: Date, reason: string) {
    super(`Run suspended until ${resumeAt.toISOString()}: ${reason}`);
    this.resumeAt = resumeAt;
    Object.defineProperty(this, marker, { value: true });
  }
}

const cancelledMarker = Symbol.for("autoflow.signal.RunCancelled");

/**
 * Thrown through user code when the run was cancelled (`JobRunner.cancel`): the running task's `signal` is
 * aborted with it and no further task starts. Like a suspension it is not an error, and `io.try` rethrows it.
 */
export class RunCancelledSignal extends Error {
  override readonly name = "RunCancelledSignal";

  constructor(runId: string) {
    super(`Run ${runId} was cancelled`);
    Object.defineProperty(this, marker, { value: true });
    Object.defineProperty(this, cancelledMarker, { value: true });
  }
}

/** True for the runtime's control-flow signals, also when thrown by another installed copy of core. */
export function isControlFlowSignal(error: unknown): error is RunSuspendedSignal | RunCancelledSignal {
  return typeof error === "object" && error !== null && (error as Record<symbol, unknown>)[marker] === true;
}

/** True for a cancellation (`RunCancelledSignal`), also from another installed copy of core. */
export function isCancelSignal(error: unknown): error is RunCancelledSignal {
  return (
    typeof error === "object" &&
    error !== null &&
    (error as Record<symbol, unknown>)[cancelledMarker] === true
  );
}

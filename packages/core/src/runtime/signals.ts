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

/** True for the runtime's control-flow signals, also when thrown by another installed copy of core. */
export function isControlFlowSignal(error: unknown): error is RunSuspendedSignal {
  return typeof error === "object" && error !== null && (error as Record<symbol, unknown>)[marker] === true;
}

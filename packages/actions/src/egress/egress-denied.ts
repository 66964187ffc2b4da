const marker = Symbol.for("autoflow.error.EgressDenied");

/** A destination the egress policy refused; raised from the connection's DNS lookup or before it. */
export class EgressDeniedError extends Error {
  override readonly name = "EgressDeniedError";

  constructor(message: string) {
    super(message);
    Object.defineProperty(this, marker, { value: true });
  }

  /** Finds one in `error` or its causes (fetch wraps the lookup's error in `TypeError: fetch failed`). */
  static find(error: unknown): EgressDeniedError | undefined {
    let current: unknown = error;
    for (let depth = 0; depth < 6 && typeof current === "object" && current !== null; depth++) {
      if ((current as Record<symbol, unknown>)[marker] === true) return current as EgressDeniedError;
      current = (current as { cause?: unknown }).cause;
    }
    return undefined;
  }
}

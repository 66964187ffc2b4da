import type { IO } from "../io";

// A registered symbol, so a second installed copy of core finds the same method on the run's IO.
export const DECLARE_SECRETS = Symbol.for("autoflow.io.declareSecrets");

/**
 * Tells the run that `secrets` are credentials from now on (a token refreshed in the middle of a run): they
 * are scrubbed from every later task's params, outputs, errors and logs, as `RunTaskOptions.secrets` does
 * for values known when a task starts. An IO that is not the runtime's ignores it.
 */
export function declareSecrets(io: IO, secrets: readonly string[]): void {
  const declare = (io as unknown as Record<symbol, unknown>)[DECLARE_SECRETS];
  if (typeof declare === "function") declare.call(io, secrets);
}

import type { AnyAction } from "../define-action";
import { type ActionRegistry, createActionRegistry } from "../registry";
import type { Step } from "../workflow";
import { createStepRunner, type RunStepsOptions, type RunStepsResult } from "./run-steps";

/** A provider package's registry actions, and a runner for steps that name them. */
export interface ActionsHarness {
  /** The actions in a registry of their own, as the provider list's registry holds them. */
  registry: ActionRegistry;
  /** Runs `steps` as one step-job run, with the vault and provider options of `context()` unless `options` replace them. */
  run(steps: Step[], options?: Partial<RunStepsOptions>): Promise<RunStepsResult>;
}

/**
 * The harness for a provider package's registry-action tests: `actions` (its manifest's `actions`) run through
 * the real worker, with the credentials and provider options `context()` gives (called on every run, so it may
 * read an emulator's URL and mint its tokens once the emulator has started).
 */
export function actionsHarness(
  actions: readonly AnyAction[],
  context: () => Pick<RunStepsOptions, "vault" | "providers">,
): ActionsHarness {
  const registry = createActionRegistry(actions);
  const runSteps = createStepRunner(registry);
  return { registry, run: (steps, options) => runSteps(steps, { ...context(), ...options }) };
}

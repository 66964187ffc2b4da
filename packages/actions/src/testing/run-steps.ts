import {
  JobRunner,
  type JobRunnerOptions,
  MemoryTaskStore,
  type NormalizedAuth,
  type RunResult,
  type TaskOutput,
  type TaskRecord,
} from "@autoflow/core";
import type { ActionProviders } from "../provider-options";
import type { ActionRegistry } from "../registry";
import { createStepJob, type StepJobOutput } from "../step-job";
import type { Step } from "../workflow";

/** An in-memory vault: credential id -> decrypted normalized auth (or anything else, to test the shape check). */
export type Vault = Record<string, NormalizedAuth | Record<string, unknown>>;

/** How one `runSteps` call runs: the credentials, the provider options, and where the task log goes. */
export interface RunStepsOptions {
  vault: Vault;
  providers: ActionProviders;
  /** Default: a fresh random id. Pass the same id and `store` again to resume or replay a run. */
  runId?: string;
  /** Default: a fresh `MemoryTaskStore`. */
  store?: MemoryTaskStore;
  /** Default `logger: false`: a step that fails on purpose prints nothing; the result carries the failure. */
  runner?: JobRunnerOptions;
}

/** What `runSteps` returns: the run's result, its task log, and the store and run id to run it again. */
export interface RunStepsResult {
  result: RunResult<StepJobOutput>;
  tasks: TaskRecord[];
  store: MemoryTaskStore;
  runId: string;
}

/** Runs `steps` as one step-job run through the real `JobRunner`. */
export type RunSteps = (steps: Step[], options: RunStepsOptions) => Promise<RunStepsResult>;

/**
 * A `runSteps` over `registry`'s actions: each call runs its steps as one step-job run (tenant `tenant-1`,
 * credentials from the vault) and returns the result with the run's task log.
 */
export function createStepRunner(registry: ActionRegistry): RunSteps {
  return async (steps, options) => {
    const store = options.store ?? new MemoryTaskStore();
    const job = createStepJob({
      registry,
      providers: options.providers,
      resolveCredential: ({ credentialId }) => options.vault[credentialId],
    });
    const runId = options.runId ?? `run-${Math.random().toString(36).slice(2)}`;
    const result = await new JobRunner({ store, logger: false, ...options.runner }).run(job, {
      runId,
      payload: { tenantId: "tenant-1", steps },
    });
    const tasks = (await store.loadRun(runId))?.tasks ?? [];
    return { result, tasks, store, runId };
  };
}

/** The completed run's output, or a thrown error that shows why the run did not complete. */
export function outputOf<T>(result: RunResult<T>): TaskOutput<T> {
  if (result.status !== "completed") throw new Error(`run ${result.status}: ${JSON.stringify(result)}`);
  return result.output;
}

import {
  JobRunner,
  type JobRunnerOptions,
  MemoryTaskStore,
  type NormalizedAuth,
  type TaskRecord,
} from "@autoflow/core";
import {
  type ActionProviders,
  type ActionRegistry,
  createActionRegistry,
  createStepJob,
  httpRequest,
  type Step,
} from "../src/index";

/** The one action this package ships: `http.request`. */
export const httpRegistry: ActionRegistry = createActionRegistry([httpRequest]);

/** An in-memory vault: credential id -> decrypted normalized auth. */
export type Vault = Record<string, NormalizedAuth | Record<string, unknown>>;

/** Runs `steps` as one step-job run through the real JobRunner; returns the result and the task log. */
export async function runSteps(
  steps: Step[],
  options: {
    vault: Vault;
    providers: ActionProviders;
    /** Default `httpRegistry`. */
    registry?: ActionRegistry;
    runId?: string;
    store?: MemoryTaskStore;
    runner?: JobRunnerOptions;
  },
) {
  const store = options.store ?? new MemoryTaskStore();
  const job = createStepJob({
    registry: options.registry ?? httpRegistry,
    providers: options.providers,
    resolveCredential: ({ credentialId }) => options.vault[credentialId],
  });
  const runId = options.runId ?? `run-${Math.random().toString(36).slice(2)}`;
  const result = await new JobRunner({ store, ...options.runner }).run(job, {
    runId,
    payload: { tenantId: "tenant-1", steps },
  });
  const tasks: TaskRecord[] = (await store.loadRun(runId))?.tasks ?? [];
  return { result, tasks, store, runId };
}

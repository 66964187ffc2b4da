import { type ActionProviders, createStepJob, type Step } from "@autoflow/actions";
import type { ProviderEndpoints } from "@autoflow/core";
import {
  JobRunner,
  type JobRunnerOptions,
  MemoryTaskStore,
  type NormalizedAuth,
  type TaskRecord,
} from "@autoflow/core";
import { integrationRegistry, PROVIDERS } from "../src/index";

/**
 * Provider options that point every listed provider's actions at its emulator (`endpoints`, by provider id), as
 * the service derives them from `AUTOFLOW_<ID>_API_URL`, with short timeouts and fast retries.
 */
export function providersFor(endpoints: Readonly<Record<string, ProviderEndpoints>>): ActionProviders {
  const providers: ActionProviders = {
    http: { timeoutMs: 2_000, retry: { limit: 3, minTimeoutInMs: 10, maxTimeoutInMs: 50 } },
  };
  for (const provider of PROVIDERS) {
    providers[provider.id] = { ...provider.clientOptions(endpoints[provider.id] ?? {}), timeoutMs: 2_000 };
  }
  return providers;
}

/** An in-memory vault: credential id -> decrypted normalized auth. */
export type Vault = Record<string, NormalizedAuth | Record<string, unknown>>;

/** Runs `steps` as one step-job run through the real JobRunner; returns the result and the task log. */
export async function runSteps(
  steps: Step[],
  options: {
    vault: Vault;
    providers: ActionProviders;
    runId?: string;
    store?: MemoryTaskStore;
    runner?: JobRunnerOptions;
  },
) {
  const store = options.store ?? new MemoryTaskStore();
  const job = createStepJob({
    registry: integrationRegistry,
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

/** The completed output, or a thrown error that shows why the run did not complete. */
export function outputOf<T>(result: { status: string; output?: T }): T {
  if (result.status !== "completed") throw new Error(`run ${result.status}: ${JSON.stringify(result)}`);
  return result.output as T;
}

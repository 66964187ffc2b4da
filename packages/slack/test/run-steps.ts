import {
  type ActionProviders,
  type ActionRegistry,
  createActionRegistry,
  createStepJob,
  type Step,
} from "@autoflow/actions";
import { JobRunner, MemoryTaskStore, type NormalizedAuth, type TaskRecord } from "@autoflow/core";
import { slackProvider } from "../src/provider";

/** This package's registry actions, as the provider list's registry holds them. */
export const registry: ActionRegistry = createActionRegistry(slackProvider.actions);

/** An in-memory vault: credential id -> decrypted normalized auth. */
export type Vault = Record<string, NormalizedAuth | Record<string, unknown>>;

/** Runs `steps` as one step-job run through the real JobRunner; returns the result and the task log. */
export async function runSteps(steps: Step[], options: { vault: Vault; providers: ActionProviders }) {
  const store = new MemoryTaskStore();
  const job = createStepJob({
    registry,
    providers: options.providers,
    resolveCredential: ({ credentialId }) => options.vault[credentialId],
  });
  const runId = `run-${Math.random().toString(36).slice(2)}`;
  const result = await new JobRunner({ store }).run(job, { runId, payload: { tenantId: "tenant-1", steps } });
  const tasks: TaskRecord[] = (await store.loadRun(runId))?.tasks ?? [];
  return { result, tasks };
}

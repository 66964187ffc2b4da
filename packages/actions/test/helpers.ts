import {
  JobRunner,
  type JobRunnerOptions,
  MemoryTaskStore,
  type NormalizedAuth,
  type TaskRecord,
} from "@autoflow/core";
import type { GithubEmulator, SlackEmulator } from "@autoflow/emulators";
import { type ActionProviders, createStepJob, type Step } from "../src/index";

/** Provider options that point every action at the emulators, with fast retries. */
export function providersFor(slack: SlackEmulator, github: GithubEmulator): ActionProviders {
  return {
    slack: { slackApiUrl: slack.apiUrl, timeoutMs: 2_000 },
    github: { baseUrl: github.url, timeoutMs: 2_000 },
    http: { timeoutMs: 2_000, retry: { limit: 3, minTimeoutInMs: 10, maxTimeoutInMs: 50 } },
  };
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

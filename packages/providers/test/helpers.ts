import { type ActionProviders, runStep } from "@autoflow/actions";
import { createStepRunner } from "@autoflow/actions/testing";
import { defineJob, JobRunner, MemoryTaskStore, type ProviderEndpoints } from "@autoflow/core";
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

/** Runs `steps` over the provider list's `integrationRegistry` as one step-job run through the real JobRunner. */
export const runSteps = createStepRunner(integrationRegistry);

/** Calls `runStep` directly inside a job, returning what it returned or threw and the run's task records. */
export async function runStepInJob(
  step: { action: string; inputs: unknown; credential?: unknown },
  providers: ActionProviders,
) {
  let thrown: unknown;
  const job = defineJob({
    id: "run-step",
    run: async (_payload, io) => {
      try {
        return await runStep({
          ...step,
          tenantId: "t1",
          stepId: "s1",
          io,
          registry: integrationRegistry,
          providers,
        });
      } catch (error) {
        thrown = error;
        return null;
      }
    },
  });
  const store = new MemoryTaskStore();
  const result = await new JobRunner({ store, logger: false }).run(job, { runId: "direct" });
  return { result, thrown, tasks: (await store.loadRun("direct"))?.tasks ?? [] };
}

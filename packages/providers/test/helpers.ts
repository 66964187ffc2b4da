import type { ActionProviders } from "@autoflow/actions";
import { createStepRunner } from "@autoflow/actions/testing";
import type { ProviderEndpoints } from "@autoflow/core";
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

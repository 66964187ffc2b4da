import type { ProviderPackage } from "@autoflow/actions";
import type { AuthResolver } from "@autoflow/core";
import { PROVIDERS } from "@autoflow/providers";
import type { ProviderConfig } from "./config";
import type { ProviderLifecycles } from "./http/app";
import { egressClientOptions, type ServiceEgress } from "./provider-egress";

/** Options for `createJobAuthResolver`. */
export interface JobAuthResolverOptions {
  lifecycles: ProviderLifecycles;
  /** The user whose connections the code jobs run with. */
  jobsUserId: string;
  configs: Readonly<Record<string, ProviderConfig>>;
  egress: ServiceEgress;
  /** Default the provider list. */
  providers?: readonly ProviderPackage[];
}

/**
 * How the service's code jobs get their HOSTED auth: `jobsUserId`'s connection to the integration's provider, and,
 * for a provider whose connections name their own host (a customer's site), the egress-checked fetch the service's own
 * requests to it go through, so a job's task is held to the egress policy as a workflow step is (a site rebound
 * inside after it was connected reaches nothing). One checked fetch per provider: clients stay cached across runs.
 */
export function createJobAuthResolver(options: JobAuthResolverOptions): AuthResolver {
  const { lifecycles, jobsUserId } = options;
  const fetches = new Map<string, typeof fetch>();
  for (const provider of options.providers ?? PROVIDERS) {
    const { fetch } = egressClientOptions(provider, options.configs[provider.id], options.egress);
    if (fetch) fetches.set(provider.id, fetch);
  }
  return async ({ integration, forceRefresh }) => {
    const id = integration.metadata.id;
    const auth = await lifecycles[id]?.authFor(jobsUserId, forceRefresh ? { forceRefresh } : {});
    const fetch = fetches.get(id);
    return auth && fetch ? { ...auth, fetch } : auth;
  };
}

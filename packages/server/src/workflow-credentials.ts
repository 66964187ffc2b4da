import type { CredentialRequest } from "@autoflow/actions";
import { ConnectionLifecycleError, IntegrationError, type NormalizedAuth } from "@autoflow/core";
import type { ProviderLifecycles } from "./http/app";

const notFound = (error: unknown) =>
  ConnectionLifecycleError.isInstance(error) && error.code === "connection_not_found";

/**
 * Resolves a step's `credentialId` to the run owner's (`tenantId`'s) credential through the lifecycles
 * (fresh: refreshed when it is about to expire, or at once with `forceRefresh`): a provider id (`crm`) names the user's newest connection of
 * that provider, anything else a connection id of the action's provider (any provider's for `http.request`).
 * A connection the user does not have is an `auth` IntegrationError naming the step.
 */
export function createCredentialResolver(
  lifecycles: ProviderLifecycles,
): (request: CredentialRequest) => Promise<NormalizedAuth> {
  return async ({ credentialId, tenantId, stepId, provider, forceRefresh }) => {
    const byProvider = lifecycles[credentialId];
    const own = lifecycles[provider];
    const candidates = byProvider ? [byProvider] : own ? [own] : Object.values(lifecycles);
    for (const lifecycle of candidates) {
      try {
        return await lifecycle.normalizedAuthFor(
          tenantId,
          byProvider ? undefined : credentialId,
          forceRefresh ? { forceRefresh } : {},
        );
      } catch (error) {
        if (!notFound(error)) throw error;
      }
    }
    throw new IntegrationError({
      type: "auth",
      provider,
      code: "credential_not_found",
      message: `Step "${stepId}": no connection "${credentialId}" for this user; connect one or bind another`,
    });
  };
}

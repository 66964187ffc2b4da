import {
  createCheckedFetch,
  type EgressLookup,
  type EgressPolicy,
  type ProviderPackage,
} from "@autoflow/actions";
import type { ProviderConfig } from "./config";

/** How the service sends requests a user can aim: its egress policy, and the DNS lookup the checks resolve with. */
export interface ServiceEgress {
  /** The operator's lists (`config.egress`); `{}` refuses anything inside. */
  policy: EgressPolicy;
  /** Default `node:dns` (tests answer an inside address for a public name). */
  lookup?: EgressLookup;
}

/** The egress policy without the operator's lists: no loopback, private or metadata address. */
export const STRICT_EGRESS: ServiceEgress = { policy: {} };

/**
 * The client options that send a provider's requests under the egress policy, when its connections name their own
 * host (its manifest's `userAimedHosts`): `{ fetch }`, a checked fetch that trusts the provider's configured API and
 * web URLs (the operator's choice, an emulator in development), as the `siteUrl` check at connect time does, and
 * checks every other request, every connection included, so a site rebound inside since is refused. `{}` for any
 * other provider, whose clients reach only the provider's own hosts or the ones the operator configured.
 */
export function egressClientOptions(
  provider: ProviderPackage,
  config: ProviderConfig | undefined,
  egress: ServiceEgress,
): { fetch?: typeof fetch } {
  if (!provider.userAimedHosts) return {};
  return {
    fetch: createCheckedFetch({
      policy: egress.policy,
      ...(egress.lookup && { lookup: egress.lookup }),
      trustedOrigins: [config?.apiUrl, config?.webUrl],
      provider: provider.id,
    }),
  };
}

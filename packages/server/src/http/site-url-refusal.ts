import { destinationRefusal, type EgressLookup, type EgressPolicy } from "@autoflow/actions";
import type { ProviderConfig } from "../config";

/**
 * The service's check of a `siteUrl` given with an API key: the provider's own configured API or web URL (the
 * operator's choice, an emulator in development) is trusted; any other site must pass the egress policy
 * (public addresses only, unless the operator's allow-list names it), so a user cannot aim the service's
 * calls at its own network or a cloud metadata address. Checked again on every later request to the site (the
 * provider's clients send through `createCheckedFetch`): a name that resolves inside later is refused then.
 */
export function siteUrlRefusal(
  providers: Readonly<Record<string, ProviderConfig>>,
  egress: EgressPolicy,
  lookup?: EgressLookup,
): (provider: string, siteUrl: string) => Promise<string | undefined> {
  return async (provider, siteUrl) => {
    const config = providers[provider];
    const origin = originOf(siteUrl);
    const configured = [config?.apiUrl, config?.webUrl].map((url) => url && originOf(url));
    if (origin !== undefined && configured.includes(origin)) return undefined;
    return destinationRefusal(siteUrl, egress, lookup);
  };
}

function originOf(url: string): string | undefined {
  try {
    return new URL(url).origin;
  } catch {
    return undefined;
  }
}

import { checkedAgent, type EgressLookup } from "./checked-agent";
import { EgressDeniedError } from "./egress-denied";
import type { EgressPolicy } from "./egress-policy";
import { checkRequestUrl, egressDeniedError } from "./request-url-check";

/** Options for `createCheckedFetch`. */
export interface CheckedFetchOptions {
  /** Where requests may go: the operator's `AUTOFLOW_EGRESS_*` lists; `{}` refuses anything inside. */
  policy: EgressPolicy;
  /** The DNS lookup every connection resolves with. Default `node:dns`. */
  lookup?: EgressLookup;
  /**
   * URLs (or origins) the operator configured, such as a provider's API and web URLs (an emulator on loopback in
   * development): requests to their origins are sent as they are, unchecked.
   */
  trustedOrigins?: readonly (string | undefined)[];
  /** The `provider` a refusal's error names (the provider whose client sends). Default `http`. */
  provider?: string;
}

function originOf(url: string | undefined): string[] {
  if (!url) return [];
  try {
    return [new URL(url).origin];
  } catch {
    return [];
  }
}

/**
 * A fetch for requests a user can aim (a provider client sending to the site a connection names), under the egress
 * policy: the URL is checked first (http(s) only, not denied, an IP literal only when allowed), then the request
 * is sent through an agent that checks every address it dials, so a name rebound to an inside address after the
 * site was checked (DNS rebinding) is refused at that connection. Redirects are not followed (`redirect:
 * "manual"`): the 3xx answer goes back to the caller, so an allowed host cannot bounce the request, credential
 * and all, inside. A refusal throws the `schema` IntegrationError with `reason` `egress_denied`, never retried.
 * Requests to `trustedOrigins` go out through the global fetch unchanged.
 */
export function createCheckedFetch(options: CheckedFetchOptions): typeof fetch {
  const { policy, provider } = options;
  const trusted = new Set((options.trustedOrigins ?? []).flatMap(originOf));
  const agent = checkedAgent(policy, options.lookup);
  return async (input, init) => {
    const url = new URL(input instanceof Request ? input.url : input);
    if (trusted.has(url.origin)) return fetch(input, init);
    checkRequestUrl(url, policy, provider);
    try {
      // Node's own fetch with the checked agent as its dispatcher (rather than undici's fetch): it takes the
      // bodies SDKs build with the global classes (a FormData upload), which undici's own fetch would send as text.
      return await fetch(input, { ...init, redirect: "manual", dispatcher: agent } as RequestInit);
    } catch (error) {
      const egress = EgressDeniedError.find(error);
      if (egress) throw egressDeniedError(egress.message, provider);
      throw error;
    }
  };
}

import { IntegrationError } from "@autoflow/core";
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
 * site was checked (DNS rebinding) is refused at that connection. Redirects are not followed, so an allowed host
 * cannot bounce the request, credential and all, inside: a redirect is refused (`redirectRefused`) rather than
 * handed to an SDK that would read it as a failed call worth retrying. A refusal throws a `schema` IntegrationError
 * with `reason` `egress_denied`, never retried. Requests to `trustedOrigins` go out through the global fetch unchanged.
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
      const response = await fetch(input, { ...init, redirect: "manual", dispatcher: agent } as RequestInit);
      if (!REDIRECTS.has(response.status)) return response;
      await response.body?.cancel();
      throw redirectRefused(url, response, provider);
    } catch (error) {
      if (IntegrationError.isInstance(error)) throw error;
      const egress = EgressDeniedError.find(error);
      if (egress) throw egressDeniedError(egress.message, provider);
      throw error;
    }
  };
}

const REDIRECTS: ReadonlySet<number> = new Set([301, 302, 303, 307, 308]);

/**
 * A redirect from a site a connection names, refused: permanent (the site will answer the same next time), naming
 * where it pointed by origin only (a Location's path and query can carry a token), and what the user can do.
 */
function redirectRefused(url: URL, response: Response, provider = "http"): IntegrationError {
  const location = response.headers.get("location");
  let target = "another address";
  try {
    if (location) target = new URL(location, url).origin;
  } catch {
    // An unparseable Location names nothing worth showing.
  }
  return new IntegrationError({
    type: "schema",
    provider,
    status: response.status,
    reason: "egress_denied",
    code: "redirect_not_followed",
    message:
      `${url.host} answered ${response.status}, a redirect to ${target}: redirects from a site a connection ` +
      "names are not followed (give the address it redirects to as the site URL)",
  });
}

import { IntegrationError } from "@autoflow/core";
import { type EgressPolicy, hostListed, isIpLiteral, refusal } from "./egress-policy";

/**
 * The error a refused destination is, for the step or task that aimed at it: `schema` with `reason` and `code`
 * `egress_denied`, permanent (never retried), naming the host and why, and how an operator allows it.
 */
export function egressDeniedError(message: string, provider = "http"): IntegrationError {
  return new IntegrationError({
    type: "schema",
    provider,
    reason: "egress_denied",
    code: "egress_denied",
    message: `Refused by the egress policy: ${message} (an operator can allow it with AUTOFLOW_EGRESS_ALLOW)`,
  });
}

/**
 * Checks a request's URL before any connection: http(s) only, not a denied name, and an IP literal against the
 * policy (a literal is dialled without a lookup, so the agent's check never sees it). Throws `egressDeniedError`.
 */
export function checkRequestUrl(url: URL, policy: EgressPolicy, provider?: string): void {
  if (url.protocol !== "http:" && url.protocol !== "https:")
    throw egressDeniedError(`${url.protocol} URLs are not sent`, provider);
  const host = url.hostname;
  if (hostListed(host, policy.deny)) throw egressDeniedError(`${host} is on the deny-list`, provider);
  if (isIpLiteral(host)) {
    const why = refusal(host, policy);
    if (why) throw egressDeniedError(why, provider);
  }
}

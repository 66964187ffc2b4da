import {
  createHmacWebhookVerifier,
  createUrlTokenVerifier,
  type Json,
  type VerifiedWebhook,
  WebhookRejection,
  type WebhookVerifier,
} from "@autoflow/core";
import { jiraTenantOf } from "./jira-tenancy";

export interface JiraWebhookVerifierOptions {
  /** The secrets: admin webhooks' signing secrets, and the tokens of dynamic webhooks' URLs; any one passes. */
  secrets: readonly string[];
}

/**
 * Verifies Jira webhook deliveries over the raw bytes, before anything is parsed. Admin webhooks registered with a
 * secret carry `X-Hub-Signature: sha256=<hex HMAC-SHA256 of the body>` (not `X-Hub-Signature-256`; no timestamp is
 * signed), checked with the kit's `createHmacWebhookVerifier`. Dynamic webhooks (OAuth apps, registered through the
 * REST API) carry no signature: they prove themselves with the unguessable token of the per-connection URL they
 * were registered with, checked with the kit's `createUrlTokenVerifier`. The delivery id is Jira's
 * `X-Atlassian-Webhook-Identifier` (the same on every retry) with the event's `timestamp`; the tenant is the site.
 * @see https://developer.atlassian.com/cloud/jira/platform/webhooks/#secure-admin-webhooks
 */
export function createJiraWebhookVerifier(options: JiraWebhookVerifierOptions): WebhookVerifier {
  const secrets = options.secrets.filter((secret) => secret !== "");
  if (secrets.length === 0) throw new TypeError("createJiraWebhookVerifier: at least one secret is required");
  const signed = createHmacWebhookVerifier({
    provider: "jira",
    secrets,
    signatureHeader: "X-Hub-Signature",
    signaturePrefix: "sha256=",
    toDelivery: jiraDelivery,
  });
  const byUrl = createUrlTokenVerifier({
    provider: "jira",
    tokens: secrets,
    // Dynamic webhooks deliver to `<the connection's hook URL>?token=<secret>`: the intake passes the request's URL.
    readToken: ({ url }) => url?.searchParams.get("token") ?? undefined,
    toDelivery: jiraDelivery,
  });
  return {
    provider: "jira",
    verify: (request, now) =>
      request.headers.has("x-hub-signature") ? signed.verify(request, now) : byUrl.verify(request, now),
  };
}

/** A verified Jira event: its delivery id, its `webhookEvent`, its site; anything that is not an event is refused. */
function jiraDelivery(payload: Json, headers: Headers): VerifiedWebhook {
  const event = typeof payload === "object" && payload !== null && !Array.isArray(payload) ? payload : {};
  const { webhookEvent, timestamp } = event;
  if (typeof webhookEvent !== "string")
    throw new WebhookRejection("not_json", "The body is not a Jira event");
  const identifier = headers.get("x-atlassian-webhook-identifier");
  const issueId = (event.issue as { id?: unknown } | undefined)?.id;
  // Jira's identifier is the same on every retry of a delivery; with the event's timestamp it names one event.
  const deliveryId = `${identifier ?? `${webhookEvent}:${String(issueId)}`}@${String(timestamp ?? "")}`;
  const tenant = jiraTenantOf(event);
  return {
    kind: "delivery",
    delivery: { provider: "jira", deliveryId, event: webhookEvent, payload, ...(tenant && { tenant }) },
  };
}

import { createHmac } from "node:crypto";
import type { WebhookRetryPolicy } from "../shared/webhook-delivery";
import type { WebhookSignatureScheme } from "../shared/webhook-signature";

/**
 * Jira's signature on an admin webhook registered with a secret: `X-Hub-Signature: sha256=<hex HMAC-SHA256 of the
 * raw body>` (the WebSub header name, not GitHub's `-256`). Nothing else is signed: no timestamp.
 * @see https://developer.atlassian.com/cloud/jira/platform/webhooks/#secure-admin-webhooks
 */
export const JIRA_SIGNATURE: WebhookSignatureScheme = {
  sign: (body, secret) => ({ "x-hub-signature": `sha256=${jiraSignature(body, secret)}` }),
  malformed: { "x-hub-signature": "sha256" },
};

/** The hex HMAC-SHA256 of `body` with `secret`. */
export function jiraSignature(body: string, secret: string): string {
  return createHmac("sha256", secret).update(body, "utf8").digest("hex");
}

const RETRIED_STATUSES = new Set([408, 409, 425, 429]);

/**
 * Jira retries a delivery up to five times when the receiver answers 408, 409, 425, 429 or 5xx, or does not answer
 * in time; Jira waits 5 to 15 minutes at random, the emulator 10 minutes each time (on its clock).
 * Any other answer (a 400 or 404 too) ends the delivery: the sender's log counts it as delivered, since Jira does not
 * retry it.
 * @see https://developer.atlassian.com/cloud/jira/platform/webhooks/#retry-policy
 */
export const JIRA_WEBHOOK_RETRIES: WebhookRetryPolicy = {
  delaysMs: [10 * 60_000, 10 * 60_000, 10 * 60_000, 10 * 60_000, 10 * 60_000],
  isFailure: (status) => RETRIED_STATUSES.has(status) || status >= 500,
};

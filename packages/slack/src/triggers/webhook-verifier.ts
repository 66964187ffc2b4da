import {
  createHmacWebhookVerifier,
  type Json,
  type JsonObject,
  type VerifiedWebhook,
  WebhookRejection,
  type WebhookVerifier,
} from "@autoflow/core";
import { slackTenantOf } from "./slack-tenancy";

/** Options for `createSlackWebhookVerifier`. */
export interface SlackWebhookVerifierOptions {
  /**
   * The app's Signing Secret (Basic Information -> App Credentials). Give two during a rotation:
   * a request signed with either is accepted.
   */
  signingSecrets: readonly string[];
  /** How far `X-Slack-Request-Timestamp` may be from now. Default 300 s, Slack's own advice. */
  toleranceSeconds?: number;
}

function object(value: Json): JsonObject | undefined {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? value : undefined;
}

/**
 * Verifies Slack Events API requests: `X-Slack-Signature` is `v0=` + HMAC-SHA256(signing secret,
 * `v0:{X-Slack-Request-Timestamp}:{raw body}`), compared in constant time over the raw bytes; a
 * timestamp outside the tolerance is a replay and refused. Only then is the body parsed:
 * `url_verification` is answered with its challenge, `event_callback` becomes a delivery keyed by
 * `event_id` (which Slack repeats on every retry, so a retry is a duplicate).
 *
 * Built on core's `createHmacWebhookVerifier` because `@slack/web-api` ships no standalone verifier:
 * Bolt's `verifySlackRequest` lives in `@slack/bolt`, a whole app framework, and `@slack/events-api`
 * is deprecated.
 * @see https://api.slack.com/authentication/verifying-requests-from-slack
 */
export function createSlackWebhookVerifier(options: SlackWebhookVerifierOptions): WebhookVerifier {
  const secrets = [...options.signingSecrets];
  if (secrets.length === 0 || secrets.some((s) => typeof s !== "string" || s.length === 0)) {
    throw new TypeError("createSlackWebhookVerifier: `signingSecrets` needs at least one non-empty secret");
  }
  return createHmacWebhookVerifier({
    provider: "slack",
    secrets,
    signatureHeader: "X-Slack-Signature",
    signaturePrefix: "v0=",
    timestamp: {
      header: "X-Slack-Request-Timestamp",
      unit: "seconds",
      toleranceSeconds: options.toleranceSeconds ?? 300,
    },
    signedContent: ({ body, timestamp }) => Buffer.concat([Buffer.from(`v0:${timestamp}:`), body]),
    toDelivery: slackDelivery,
  });
}

/** What a verified Events API request is: a challenge answer, an acknowledgement, or an event delivery. */
function slackDelivery(json: Json): VerifiedWebhook {
  const payload = object(json);
  if (!payload) throw new WebhookRejection("not_json", "The body is not a JSON object");
  if (payload.type === "url_verification") {
    return { kind: "respond", status: 200, body: { challenge: String(payload.challenge ?? "") } };
  }
  if (payload.type !== "event_callback") {
    // e.g. `app_rate_limited`: signed and genuine, but nothing a job runs on.
    return { kind: "respond", status: 200, body: { ok: true, ignored: String(payload.type ?? "") } };
  }
  const event = object(payload.event ?? null);
  if (!event || typeof event.type !== "string") {
    throw new WebhookRejection("not_json", "The event_callback has no event.type");
  }
  if (typeof payload.event_id !== "string" || payload.event_id === "") {
    throw new WebhookRejection("missing_delivery_id", "The event_callback has no event_id");
  }
  // The legacy verification token is a credential: keep it out of the inbox and run payloads.
  const { token: _token, ...stored } = payload;
  const tenant = slackTenantOf(stored);
  return {
    kind: "delivery",
    delivery: {
      provider: "slack",
      deliveryId: payload.event_id,
      event: event.type,
      ...(typeof event.subtype === "string" && { action: event.subtype }),
      payload: stored,
      ...(tenant && { tenant }),
    },
  };
}

import { createHmac, timingSafeEqual } from "node:crypto";
import {
  type Json,
  type JsonObject,
  parseJsonBody,
  type VerifiedWebhook,
  WebhookRejection,
  type WebhookRequest,
  type WebhookVerifier,
} from "@autoflow/core";

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

const SIGNATURE = /^v0=([0-9a-f]{64})$/;
const TIMESTAMP = /^\d{1,12}$/;

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
 * Written here because `@slack/web-api` ships no standalone verifier: Bolt's
 * `verifySlackRequest` lives in `@slack/bolt`, a whole app framework, and `@slack/events-api` is
 * deprecated.
 */
export function createSlackWebhookVerifier(options: SlackWebhookVerifierOptions): WebhookVerifier {
  const secrets = [...options.signingSecrets];
  if (secrets.length === 0 || secrets.some((s) => typeof s !== "string" || s.length === 0)) {
    throw new TypeError("createSlackWebhookVerifier: `signingSecrets` needs at least one non-empty secret");
  }
  const tolerance = options.toleranceSeconds ?? 300;

  return {
    provider: "slack",
    verify({ headers, body }: WebhookRequest, now: number): VerifiedWebhook {
      const signature = headers.get("x-slack-signature");
      const timestamp = headers.get("x-slack-request-timestamp");
      if (!signature || !timestamp) {
        throw new WebhookRejection(
          "missing_signature",
          "X-Slack-Signature and X-Slack-Request-Timestamp are required",
        );
      }
      const given = SIGNATURE.exec(signature)?.[1];
      if (!given || !TIMESTAMP.test(timestamp)) {
        throw new WebhookRejection("malformed_signature", "X-Slack-Signature is not v0=<64 hex digits>");
      }
      // Checked before the HMAC: a captured request replayed later is refused however valid its signature.
      if (Math.abs(now / 1000 - Number(timestamp)) > tolerance) {
        throw new WebhookRejection("stale_timestamp", "X-Slack-Request-Timestamp is too far from now");
      }
      const expected = Buffer.from(given, "hex");
      let valid = false;
      // Every secret is tried (no early exit), so the time taken does not tell which one matched.
      for (const secret of secrets) {
        const digest = createHmac("sha256", secret).update(`v0:${timestamp}:`).update(body).digest();
        valid = timingSafeEqual(digest, expected) || valid;
      }
      if (!valid) throw new WebhookRejection("bad_signature", "X-Slack-Signature does not match the body");

      const payload = object(parseJsonBody(body));
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
      return {
        kind: "delivery",
        delivery: {
          provider: "slack",
          deliveryId: payload.event_id,
          event: event.type,
          ...(typeof event.subtype === "string" && { action: event.subtype }),
          payload: stored,
        },
      };
    },
  };
}

import { isUtf8 } from "node:buffer";
import {
  createHmacWebhookVerifier,
  type Json,
  parseJsonBody,
  type VerifiedWebhook,
  WebhookRejection,
  type WebhookVerifier,
} from "@autoflow/core";
import { GITHUB_PROVIDER } from "../errors";
import { githubTenantOf } from "./github-tenancy";

export interface GithubWebhookVerifierOptions {
  /**
   * The webhook secrets; a delivery signed with any of them is accepted. Keep two during a rotation
   * (the new one first), then drop the old one once GitHub signs with the new one.
   */
  secrets: readonly string[];
}

const NOT_SIGNED = "X-Hub-Signature-256 does not match the body";

/**
 * Verifies GitHub webhook deliveries: `X-Hub-Signature-256` (`sha256=` + HMAC-SHA256 of the raw body)
 * with core's `createHmacWebhookVerifier` (timing-safe), against each secret, before anything is parsed;
 * then the JSON (the body itself, or its `payload` field when the hook is form-encoded), the delivery id (`X-GitHub-Delivery`), the event (`X-GitHub-Event`) and the payload's `action`.
 * GitHub's `ping` (sent when a hook is created) is a delivery like any other: it is signed, harmless,
 * matches no trigger but `onEvent("ping")`, and lands in the inbox so a misconfigured secret shows up
 * as a failed ping in GitHub's hook settings.
 * @see https://docs.github.com/webhooks/using-webhooks/validating-webhook-deliveries
 */
export function createGithubWebhookVerifier(options: GithubWebhookVerifierOptions): WebhookVerifier {
  const secrets = options.secrets.filter((s) => s !== "");
  if (secrets.length === 0)
    throw new TypeError("createGithubWebhookVerifier: at least one secret is required");
  const hmac = createHmacWebhookVerifier({
    provider: GITHUB_PROVIDER,
    secrets,
    signatureHeader: "X-Hub-Signature-256",
    signaturePrefix: "sha256=",
    // GitHub's digest is lowercase hex; an uppercased header is still the same signature.
    parseSignature: (value) => [value.trim().toLowerCase()],
    signedContent: ({ body }) => {
      // GitHub signs UTF-8 JSON text and never an empty body: anything else was not signed by it.
      if (body.byteLength === 0 || !isUtf8(body)) throw new WebhookRejection("bad_signature", NOT_SIGNED);
      return body;
    },
    readJson: readGithubJson,
    toDelivery: githubDelivery,
  });
  return {
    provider: GITHUB_PROVIDER,
    // Answers with a promise, as it always has, so callers that chain on it keep working.
    async verify(request, now) {
      return hmac.verify(request, now);
    },
  };
}

const FORM = "application/x-www-form-urlencoded";

/**
 * The payload of a verified body. A hook's `content_type` is `form` (GitHub's default) or `json`: a form body
 * is `payload=<url-encoded JSON>`, and the signature covers the form bytes, so the JSON is taken out only now.
 */
function readGithubJson(body: Uint8Array, headers: Headers): Json {
  const mediaType = headers.get("content-type")?.split(";")[0]?.trim().toLowerCase();
  if (mediaType !== FORM) return parseJsonBody(body);
  const payload = new URLSearchParams(new TextDecoder().decode(body)).get("payload");
  if (payload === null) throw new WebhookRejection("not_json", "The form body has no payload field");
  try {
    return JSON.parse(payload) as Json;
  } catch {
    throw new WebhookRejection("not_json", "The form body's payload field is not JSON");
  }
}

/** A verified delivery: its id and event from GitHub's headers, its action and tenant from the payload. */
function githubDelivery(payload: Json, headers: Headers): VerifiedWebhook {
  const deliveryId = headers.get("x-github-delivery");
  if (!deliveryId) throw new WebhookRejection("missing_delivery_id", "X-GitHub-Delivery is missing");
  const event = headers.get("x-github-event");
  // Signed but unnamed: nothing could match it, and core has no rejection code for it.
  if (!event) return { kind: "respond", status: 400, body: { ok: false, error: "missing_event" } };
  const action =
    typeof payload === "object" && payload !== null && !Array.isArray(payload) ? payload.action : undefined;
  return {
    kind: "delivery",
    delivery: {
      provider: GITHUB_PROVIDER,
      deliveryId,
      event,
      ...(typeof action === "string" && { action }),
      payload,
      ...withTenant(payload),
    },
  };
}

function withTenant(payload: Json) {
  const tenant = githubTenantOf(payload);
  return tenant ? { tenant } : {};
}

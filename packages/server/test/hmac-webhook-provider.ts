import { createHmac, timingSafeEqual } from "node:crypto";
import { type JsonObject, parseJsonBody, WebhookRejection, type WebhookTrigger } from "@autoflow/core";
import type { WebhookProvider } from "../src/webhooks";

/**
 * A provider shaped like GitHub's, for driving the provider-independent intake: `x-signature` is
 * `sha256=` + HMAC-SHA256 of the raw body under any configured secret, `x-delivery` the delivery id and the
 * body's `kind` the event. Configure it with `AUTOFLOW_TEST_WEBHOOK_SECRETS`.
 */
export const HMAC_PROVIDER: WebhookProvider = {
  id: "test",
  createVerifier: (secrets) => ({
    provider: "test",
    verify({ headers, body }) {
      const signature = headers.get("x-signature");
      if (!signature) throw new WebhookRejection("missing_signature", "no signature");
      const given = Buffer.from(signature);
      const valid = secrets.some((secret) => {
        const expected = Buffer.from(sign(body, secret));
        return given.length === expected.length && timingSafeEqual(given, expected);
      });
      if (!valid) throw new WebhookRejection("bad_signature", "bad signature");
      const payload = parseJsonBody(body) as JsonObject;
      const deliveryId = headers.get("x-delivery");
      if (!deliveryId) throw new WebhookRejection("missing_delivery_id", "no delivery id");
      return {
        kind: "delivery",
        delivery: { provider: "test", deliveryId, event: String(payload.kind), payload },
      };
    },
  }),
};

/** The `x-signature` of a body under a secret. */
export function sign(body: string | Uint8Array, secret: string): string {
  return `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;
}

/** The event payload `opened` triggers on. */
export interface OpenedPayload {
  kind: string;
  repo: string;
  number: number;
}

/** A webhook trigger on the test provider: `kind: "opened"` in `repo`. */
export function openedIn(repo: string): WebhookTrigger<OpenedPayload> {
  return {
    kind: "webhook",
    provider: "test",
    title: `opened in ${repo}`,
    matches: (d) => d.event === "opened" && (d.payload as JsonObject).repo === repo,
    payloadOf: (d) => d.payload as unknown as OpenedPayload,
  };
}

/** Posts a signed delivery to the service; `signature` overrides (or with `null` omits) the valid one. */
export async function deliver(
  url: string,
  payload: unknown,
  deliveryId: string,
  options: { secret: string; signature?: string | null; path?: string },
): Promise<{ status: number; json: unknown }> {
  const body = typeof payload === "string" ? payload : JSON.stringify(payload);
  const headers: Record<string, string> = { "content-type": "application/json", "x-delivery": deliveryId };
  const signature = options.signature === undefined ? sign(body, options.secret) : options.signature;
  if (signature !== null) headers["x-signature"] = signature;
  const response = await fetch(`${url}${options.path ?? "/api/webhooks/test"}`, {
    method: "POST",
    headers,
    body,
  });
  const text = await response.text();
  return { status: response.status, json: text ? JSON.parse(text) : undefined };
}

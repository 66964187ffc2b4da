import type { Json } from "../json";
import { DEFAULT_MAX_JSON_DEPTH, valueExceedsJsonDepth } from "../json-depth";
import type { DeliveryAuthSource } from "./delivery-tenancy";
import type { WebhookInbox } from "./webhook-inbox";
import { WebhookRejection, type WebhookVerifier } from "./webhook-verifier";

export interface WebhookHandlerOptions {
  verifier: WebhookVerifier;
  inbox: WebhookInbox;
  /** Bodies above this are refused with 413 before verification. Default 1 MiB. */
  maxBodyBytes?: number;
  /** Payloads nesting deeper than this are refused (400 `not_json`) before the inbox. Default 64. */
  maxJsonDepth?: number;
  /**
   * How this intake authenticates what it accepts, recorded on every delivery: `{ kind: "connection", connectionId }`
   * when the verifier holds one connection's secrets. Default `{ kind: "provider" }` (the provider-wide secret).
   */
  auth?: DeliveryAuthSource;
  /** Called after a delivery is safely in the inbox, e.g. to wake the dispatcher. Not awaited. */
  onAccepted?: () => void;
  now?: () => number;
}

export type WebhookResponse = { status: number; body: Json };

/**
 * The whole intake of one provider's webhooks, framework-free: size check, signature over the raw
 * bytes, parse, durable inbox write, then the answer. A redelivery is acknowledged (2xx) but not
 * run again. The job runs later, from the inbox, so the answer never waits for it.
 */
export async function handleWebhook(
  options: WebhookHandlerOptions,
  headers: Headers,
  body: Uint8Array,
  url?: URL,
): Promise<WebhookResponse> {
  const now = options.now ?? Date.now;
  try {
    if (body.byteLength > (options.maxBodyBytes ?? 1024 * 1024)) {
      throw new WebhookRejection("too_large", "The body is too large");
    }
    const verified = await options.verifier.verify({ headers, body, ...(url && { url }) }, now());
    if (verified.kind === "respond") return { status: verified.status, body: verified.body };
    // A 400 the provider does not retry, instead of a stack overflow (a 500, retried forever) on storing it.
    if (valueExceedsJsonDepth(verified.delivery.payload, options.maxJsonDepth ?? DEFAULT_MAX_JSON_DEPTH)) {
      throw new WebhookRejection("not_json", "The body nests too deeply");
    }
    const outcome = await options.inbox.accept({
      ...verified.delivery,
      receivedAt: new Date(now()).toISOString(),
      // The intake's own word, never the verifier's or the payload's: it decides which users' workflows may start.
      auth: options.auth ?? { kind: "provider" },
    });
    if (outcome === "accepted") options.onAccepted?.();
    return { status: 200, body: { ok: true, ...(outcome === "duplicate" && { duplicate: true }) } };
  } catch (error) {
    if (WebhookRejection.isInstance(error))
      return { status: error.status, body: { ok: false, error: error.code } };
    throw error;
  }
}

/**
 * The same intake as a Fetch API handler (`(Request) => Promise<Response>`): mount it in Hono
 * (`app.post("/webhooks/acme", (c) => handler(c.req.raw))`), or in any server that speaks
 * Request/Response. The body is read as bytes, so the signature is checked on what was sent.
 */
export function createWebhookHandler(
  options: WebhookHandlerOptions,
): (request: Request) => Promise<Response> {
  const limit = options.maxBodyBytes ?? 1024 * 1024;
  return async (request) => {
    const declared = Number(request.headers.get("content-length") ?? "0");
    if (declared > limit) return Response.json({ ok: false, error: "too_large" }, { status: 413 });
    const body = new Uint8Array(await request.arrayBuffer());
    const { status, body: answer } = await handleWebhook(
      options,
      request.headers,
      body,
      new URL(request.url),
    );
    return Response.json(answer, { status });
  };
}

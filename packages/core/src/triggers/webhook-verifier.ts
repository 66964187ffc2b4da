import type { Json } from "../json";
import type { WebhookDelivery } from "./trigger";

/** The request as the verifier sees it: headers and the RAW body bytes, never parsed JSON. */
export interface WebhookRequest {
  headers: Headers;
  body: Uint8Array;
  /**
   * The URL the request was made to, as received (path and query): where a provider that cannot sign delivers to
   * an unguessable per-connection URL, its token is in the query. Absent when the intake does not pass it.
   */
  url?: URL;
}

/** What a verified request is: a delivery for the inbox, or a direct answer (a URL verification challenge). */
export type VerifiedWebhook =
  | { kind: "delivery"; delivery: Omit<WebhookDelivery, "receivedAt"> }
  | { kind: "respond"; status: number; body: Json };

/**
 * A provider's webhook verification: checks the signature over the raw bytes with a timing-safe
 * compare (accepting any of several secrets during a rotation), then parses and extracts the
 * delivery. Throws `WebhookRejection` for anything it refuses.
 */
export interface WebhookVerifier {
  readonly provider: string;
  verify(request: WebhookRequest, now: number): Promise<VerifiedWebhook> | VerifiedWebhook;
}

const marker = Symbol.for("autoflow.error.WebhookRejection");

export type WebhookRejectionCode =
  | "missing_signature"
  | "malformed_signature"
  | "bad_signature"
  | "stale_timestamp"
  | "not_json"
  | "missing_delivery_id"
  | "too_large";

const STATUS: Record<WebhookRejectionCode, 400 | 401 | 413> = {
  missing_signature: 401,
  malformed_signature: 401,
  bad_signature: 401,
  stale_timestamp: 401,
  not_json: 400,
  missing_delivery_id: 400,
  too_large: 413,
};

/** A refused webhook request; nothing was stored and nothing runs. */
export class WebhookRejection extends Error {
  override readonly name = "WebhookRejection";
  readonly code: WebhookRejectionCode;
  readonly status: 400 | 401 | 413;

  constructor(code: WebhookRejectionCode, message: string) {
    super(message);
    this.code = code;
    this.status = STATUS[code];
    Object.defineProperty(this, marker, { value: true });
  }

  static isInstance(error: unknown): error is WebhookRejection {
    return typeof error === "object" && error !== null && (error as Record<symbol, unknown>)[marker] === true;
  }
}

/** Parses a verified body; a body that is not JSON is a 400, after (never before) the signature check. */
export function parseJsonBody(body: Uint8Array): Json {
  try {
    return JSON.parse(new TextDecoder().decode(body)) as Json;
  } catch {
    throw new WebhookRejection("not_json", "The body is not JSON");
  }
}

import type { WebhookFailure } from "./webhook-post";
import type { WebhookSignatureKind } from "./webhook-signature";

/** How a provider retries a delivery that failed on its own (some never do; others a few times on a schedule). */
export interface WebhookRetryPolicy {
  /** The waits before retry 1, 2, ...: as many retries as entries, on the emulator clock. */
  delaysMs: readonly number[];
  /** Which answers count as failures. Default: any status outside 2xx. */
  isFailure?: (status: number) => boolean;
  /** Whether an answer asks for no retry (a provider's "no retry" response header). Default never. */
  declined?: (headers: Headers) => boolean;
}

/** No automatic retries: a failed delivery stays failed until it is redelivered on request. */
export const NO_WEBHOOK_RETRIES: WebhookRetryPolicy = { delaysMs: [] };

/** One delivery to send: the provider's envelope, already serialized, so the bytes signed are the bytes sent. */
export interface WebhookRequest<M extends object> {
  /** The provider's delivery id (a delivery header, an envelope's event id): every retry and redelivery keeps it. */
  id: string;
  url: string;
  body: string;
  /** The shared secret; without one, deliveries go unsigned. */
  secret?: string | undefined;
  /** The provider's headers that are the same on every attempt (content type, event name, user agent). */
  headers: Record<string, string>;
  /** The provider's own fields, copied onto every attempt in the log (a hook id, an event name, an action). */
  meta: M;
  /** How long the receiver has to answer. Default the sender's. */
  timeoutMs?: number;
  /** Default the sender's. */
  retry?: WebhookRetryPolicy;
}

/** A delivery in the log, with every attempt to send it. */
export interface WebhookDelivery<M extends object> extends WebhookRequest<M> {
  attempts: WebhookAttempt<M>[];
  /** The last status an attempt got back. */
  status?: number;
  /** Whether any attempt was answered with a success. */
  delivered: boolean;
}

/** The attempt's place among its delivery's: what the provider's retry headers are made from. */
export interface WebhookAttemptContext {
  /** 0 for the first attempt; n for the n-th retry (or a redelivery after n attempts). */
  retryNum: number;
  /** Why the previous attempt failed, for a retry. */
  retryReason?: WebhookFailure;
  /** Epoch seconds: what the signature covers where the provider signs a timestamp. */
  timestamp: number;
}

/** One POST, as sent and as answered. Fields are filled in when the answer comes. */
export type WebhookAttempt<M extends object = object> = M &
  WebhookAttemptContext & {
    /** The delivery's id. */
    id: string;
    url: string;
    /** The headers as sent (the signature, never the secret). */
    headers: Record<string, string>;
    /** The exact body sent. */
    body: string;
    /** As asked: valid, or forged. */
    signature: WebhookSignatureKind;
    /** Sent again on request ({@link WebhookSender.redeliver}): same id and body, signed afresh. */
    redelivery: boolean;
    /** An earlier attempt's exact bytes sent again, timestamp and signature included ({@link WebhookSender.replay}). */
    replay: boolean;
    /** Emulator-clock epoch ms. */
    sentAt: number;
    outcome: "pending" | "ok" | WebhookFailure;
    status?: number;
    responseBody?: string;
    error?: string;
    durationMs?: number;
  };

/** How one attempt is sent: forged on request. */
export interface WebhookSendOptions {
  signature?: WebhookSignatureKind;
  /** Epoch seconds, e.g. 6 minutes ago for a stale request. Default the emulator clock's now. */
  timestamp?: number;
  retryNum?: number;
  retryReason?: WebhookFailure;
}

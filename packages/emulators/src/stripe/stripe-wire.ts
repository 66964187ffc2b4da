import { randomBytes } from "node:crypto";
import type { EmulatorResponse } from "../shared/types";

/** The `type` of a Stripe error body. */
export type StripeErrorType =
  | "api_error"
  | "card_error"
  | "idempotency_error"
  | "invalid_request_error"
  | "rate_limit_error";

/** What a Stripe error body may carry besides its type and message. */
export interface StripeErrorFields {
  code?: string;
  param?: string;
  decline_code?: string;
  payment_intent?: unknown;
  doc_url?: string;
}

const ID_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/** A Stripe-style object id: the prefix, an underscore and 24 characters (`cus_...`, `pi_...`, `evt_...`). */
export function stripeId(prefix: string, length = 24): string {
  const bytes = randomBytes(length);
  let id = "";
  for (const byte of bytes) id += ID_ALPHABET[byte % ID_ALPHABET.length];
  return `${prefix}_${id}`;
}

/** Stripe's error answer: `{ error: { type, message, code?, param?, decline_code?, doc_url? } }`. */
export function stripeError(
  status: number,
  type: StripeErrorType,
  message: string,
  fields: StripeErrorFields = {},
): EmulatorResponse {
  const docUrl =
    fields.doc_url ?? (fields.code ? `https://stripe.com/docs/error-codes/${fields.code}` : undefined);
  return {
    status,
    body: {
      error: {
        type,
        message,
        ...fields,
        ...(docUrl !== undefined && { doc_url: docUrl }),
        request_log_url: `https://dashboard.stripe.com/test/logs/${stripeId("req", 14)}`,
      },
    },
  };
}

/** 404 for an object id Stripe does not know. */
export function noSuchObject(kind: string, id: string, param = "id"): EmulatorResponse {
  return stripeError(404, "invalid_request_error", `No such ${kind}: '${id}'`, {
    code: "resource_missing",
    param,
  });
}

/** 400 for a required parameter that was not sent. */
export function missingParam(param: string): EmulatorResponse {
  return stripeError(400, "invalid_request_error", `Missing required param: ${param}.`, {
    code: "parameter_missing",
    param,
  });
}

/** 400 for a parameter whose value Stripe refuses. */
export function invalidParam(param: string, message: string): EmulatorResponse {
  return stripeError(400, "invalid_request_error", message, { code: "parameter_invalid_empty", param });
}

/** A key as Stripe's messages show it: its first 8 and last 4 characters. */
function maskedKey(key: string): string {
  return `${key.slice(0, 8)}${"*".repeat(Math.max(0, key.length - 12))}${key.slice(-4)}`;
}

/** 401 for a missing or unknown API key, with the key masked as Stripe masks it. */
export function invalidApiKey(key: string | undefined): EmulatorResponse {
  const message = key
    ? `Invalid API Key provided: ${maskedKey(key)}`
    : "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY').";
  return stripeError(401, "invalid_request_error", message);
}

/**
 * 403: a `Stripe-Account` header naming an account the key may not act on (only a Connect platform's key acts on
 * its connected accounts).
 */
export function noAccessToAccount(key: string, account: string): EmulatorResponse {
  return stripeError(
    403,
    "invalid_request_error",
    `The provided key '${maskedKey(key)}' does not have access to account '${account}' (or that account does not exist). Application access may have been revoked.`,
    { code: "account_invalid" },
  );
}

/** 429: too many requests (`lock_timeout` when another request holds the object's lock). */
export function rateLimited(retryAfterSeconds?: number, code = "rate_limit"): EmulatorResponse {
  const answer = stripeError(
    429,
    "invalid_request_error",
    code === "lock_timeout"
      ? "This object cannot be accessed right now because another API request or Stripe process is currently accessing it."
      : "Request rate limit exceeded. Learn more about rate limits here https://stripe.com/docs/rate-limits.",
    { code },
  );
  return retryAfterSeconds === undefined
    ? answer
    : { ...answer, headers: { "retry-after": String(retryAfterSeconds) } };
}

/** Stripe's answer to an unknown URL. */
export function unrecognizedUrl(method: string, path: string): EmulatorResponse {
  return stripeError(
    404,
    "invalid_request_error",
    `Unrecognized request URL (${method}: ${path}). Please see https://stripe.com/docs or we can help at https://support.stripe.com/.`,
  );
}

/** A page of a list, newest first: `{ object: "list", data, has_more, url }`. */
export interface ListPage<T> {
  object: "list";
  data: T[];
  has_more: boolean;
  url: string;
}

/**
 * One page of `objects` (newest first) as Stripe pages lists: `limit` (default 10, 1..100), after the id
 * `starting_after` or before `ending_before`. Undefined when a cursor names an object not in the list.
 */
export function listPage<T extends { id: string }>(
  objects: readonly T[],
  query: {
    limit?: string | undefined;
    starting_after?: string | undefined;
    ending_before?: string | undefined;
  },
  url: string,
): ListPage<T> | EmulatorResponse {
  const limit = query.limit === undefined ? 10 : Number(query.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 100) {
    return stripeError(400, "invalid_request_error", "Invalid integer: limit must be between 1 and 100.", {
      code: "parameter_invalid_integer",
      param: "limit",
    });
  }
  let start = 0;
  let end = objects.length;
  if (query.starting_after) {
    const at = objects.findIndex((o) => o.id === query.starting_after);
    if (at < 0) return noSuchObject("object", query.starting_after, "starting_after");
    start = at + 1;
  } else if (query.ending_before) {
    const at = objects.findIndex((o) => o.id === query.ending_before);
    if (at < 0) return noSuchObject("object", query.ending_before, "ending_before");
    end = at;
    start = Math.max(0, end - limit);
  }
  const data = objects.slice(start, Math.min(end, start + limit));
  const hasMore = query.ending_before ? start > 0 : start + data.length < end;
  return { object: "list", data, has_more: hasMore, url };
}

import { createErrorMapper, type IntegrationErrorType, type ProviderErrorFacts } from "@autoflow/core";

/** The message a rate-limited call (and a rate-limited health check) carries. */
export const STRIPE_RATE_LIMIT_MESSAGE = "Stripe API rate limit exceeded";

/** How long to wait before repeating a request whose idempotency key is still in use by another request. */
const KEY_IN_USE_RETRY_SECONDS = 1;

/** Stripe's error `code`s whose taxonomy type the HTTP status alone would get wrong. */
const STRIPE_CODES = {
  // 429 `rate_limit`, and `lock_timeout` (another request holds the object); also a 400 `rate_limit`.
  "rate-limit": ["rate_limit", "lock_timeout"],
  // 409: a request with the same idempotency key is still in flight; repeating it shortly is safe.
  upstream: ["idempotency_key_in_use"],
  // OAuth token endpoint errors (`/oauth/token`, `/oauth/deauthorize`).
  auth: ["invalid_grant", "invalid_client", "invalid_scope", "api_key_expired"],
} as const satisfies Partial<Record<IntegrationErrorType, readonly string[]>>;

/** What the SDK's `StripeError` keeps of the answer (the fields the table reads). */
interface StripeErrorLike {
  type: string;
  rawType?: string;
  statusCode?: number;
  code?: string;
  decline_code?: string;
  message: string;
}

/** Duck-typed, so two installed copies of `stripe` both work: the SDK's errors are `Stripe*Error` with a `raw`. */
function isStripeError(error: unknown): error is StripeErrorLike {
  const { type, raw } = (error ?? {}) as { type?: unknown; raw?: unknown };
  return typeof type === "string" && type.startsWith("Stripe") && typeof raw === "object";
}

/**
 * How to read what a `stripe` call throws, given the kit's reading of its answer (`httpError` below), by
 * Stripe's error `type` and `code` (the code stays the error's `code`):
 * - `card_error` (402) is `schema`, a decision never retried, with the `decline_code` kept as a detail;
 * - `invalid_request_error` (400, 404) and `idempotency_error` (400) are `schema`;
 * - `rate_limit` (429, `lock_timeout` included) is `rate-limit`, `retryAt` from `Retry-After` when sent;
 * - `api_connection_error` (no answer) is `network` (the kit finds the transport code in what it wraps);
 * - `api_error` (5xx, or an answer that is not JSON) is `upstream`;
 * - `authentication_error` (401) and `permission_error` (403) are `auth`;
 * - 409 `idempotency_key_in_use` is `upstream`, retried after a short wait.
 */
function readStripeError(
  error: unknown,
  http: ProviderErrorFacts | undefined,
): ProviderErrorFacts | undefined {
  if (!isStripeError(error)) return undefined;
  const { code, rawType } = error;
  if (error.type === "StripeConnectionError") {
    return { type: "network", code: "api_connection_error", message: error.message };
  }
  if (http === undefined) {
    // The SDK's own api_error without an answer it could read (a 502 page that is not JSON).
    return { type: "upstream", code: code ?? "api_error", message: error.message };
  }
  const facts: ProviderErrorFacts = { ...http, ...(code === undefined && rawType && { code: rawType }) };
  if (rawType === "card_error" || error.type === "StripeCardError") {
    return {
      ...facts,
      type: "schema",
      code: code ?? "card_error",
      ...(error.decline_code !== undefined && { details: { declineCode: error.decline_code } }),
    };
  }
  if (rawType === "idempotency_error") return { ...facts, type: "schema", code: code ?? "idempotency_error" };
  if (code === "idempotency_key_in_use") return { ...facts, retryAfterSeconds: KEY_IN_USE_RETRY_SECONDS };
  if (http.status === 429 || code === "rate_limit" || code === "lock_timeout") {
    return { ...facts, type: "rate-limit", code: code ?? "rate_limit", message: STRIPE_RATE_LIMIT_MESSAGE };
  }
  return facts;
}

/**
 * Stripe's error table: anything a `stripe` call throws as an IntegrationError, through the kit's one error
 * mapper (see `readStripeError` for the rules); `toStripeError.typeOfCode(code)` reads one Stripe code.
 */
export const toStripeError = createErrorMapper({
  provider: "stripe",
  name: "Stripe",
  httpError: { status: "statusCode", headers: "headers", code: "code", message: "message" },
  // StripeConnectionError keeps the fetch error in `detail`, and fetch the socket's in `cause`.
  wrappedBy: ["detail", "cause"],
  read: readStripeError,
  codes: STRIPE_CODES,
});

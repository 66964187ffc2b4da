import { createErrorMapper, type IntegrationErrorType, type ProviderErrorFacts } from "@autoflow/core";

/** The message a rate-limited call (and a rate-limited health check) carries. */
export const GMAIL_RATE_LIMIT_MESSAGE = "Gmail API rate limit exceeded";

/** Google often sends no `Retry-After` with a quota refusal: wait this long anyway (then the runtime backs off). */
const RATE_LIMIT_FALLBACK_MS = 5_000;

/** Google's `errors[].reason`s (and OAuth error codes) whose taxonomy type the HTTP status alone would get wrong. */
const GMAIL_CODES = {
  // 403 or 429: per-user and per-project quotas.
  "rate-limit": ["rateLimitExceeded", "userRateLimitExceeded", "quotaExceeded", "RESOURCE_EXHAUSTED"],
  // 403 `insufficientPermissions` (a token without the scope), 401, and the token endpoint's codes.
  auth: [
    "insufficientPermissions",
    "authError",
    "UNAUTHENTICATED",
    "PERMISSION_DENIED",
    "invalid_grant",
    "invalid_client",
    "unauthorized_client",
  ],
  schema: ["failedPrecondition", "invalidArgument", "badRequest", "notFound", "FAILED_PRECONDITION"],
  upstream: ["backendError", "internalError"],
} as const satisfies Partial<Record<IntegrationErrorType, readonly string[]>>;

/** Google's JSON error body: `{ error: { code, message, status, errors: [{ reason, domain, message }] } }`. */
interface GoogleErrorBody {
  error?: { code?: number; message?: string; status?: string; errors?: Array<{ reason?: string }> };
}

/**
 * How to read what a `@googleapis/gmail` call throws (gaxios's `GaxiosError`), given the kit's reading of its
 * status and headers: the code is Google's first `errors[].reason` (`rateLimitExceeded`, `insufficientPermissions`,
 * `failedPrecondition`), else its canonical `status` (`UNAUTHENTICATED`); a rate limit without `Retry-After`
 * waits a fallback. Anything without an answer (a transport failure) is left to the kit (`network`).
 */
function readGmailError(
  error: unknown,
  http: ProviderErrorFacts | undefined,
): ProviderErrorFacts | undefined {
  if (http === undefined) return undefined;
  const body = (error as { response?: { data?: unknown } }).response?.data as GoogleErrorBody | undefined;
  const detail = typeof body === "object" && body !== null ? body.error : undefined;
  const code = detail?.errors?.[0]?.reason ?? detail?.status;
  const facts: ProviderErrorFacts = {
    ...http,
    ...(code !== undefined && { code }),
    ...(detail?.message && { message: detail.message }),
  };
  const rateLimited =
    http.status === 429 ||
    code === "rateLimitExceeded" ||
    code === "userRateLimitExceeded" ||
    code === "RESOURCE_EXHAUSTED";
  if (rateLimited) {
    return {
      ...facts,
      type: "rate-limit",
      code: code ?? "rateLimitExceeded",
      message: GMAIL_RATE_LIMIT_MESSAGE,
      fallbackRetryAfterMs: RATE_LIMIT_FALLBACK_MS,
    };
  }
  if (http.status === 401) return { ...facts, type: "auth" };
  if (http.status !== undefined && http.status >= 500) return { ...facts, type: "upstream" };
  return facts;
}

/**
 * Gmail's error table: anything a `@googleapis/gmail` call throws as an IntegrationError, through the kit's one
 * error mapper: 401 and `insufficientPermissions`/`invalid_grant` are `auth`; `rateLimitExceeded`,
 * `userRateLimitExceeded` (403 or 429) and any 429 are `rate-limit` (Retry-After when sent, else a fallback wait);
 * 400 (`failedPrecondition`, `invalidArgument`) and 404 are `schema`; 5xx (`backendError`) are `upstream`; a
 * transport failure is `network`.
 */
export const toGmailError = createErrorMapper({
  provider: "gmail",
  name: "Gmail",
  httpError: { status: "status", headers: "response.headers" },
  wrappedBy: ["cause", "error"],
  read: readGmailError,
  codes: GMAIL_CODES,
});

import { createErrorMapper, type IntegrationErrorType, type ProviderErrorFacts } from "@autoflow/core";
import { ErrorCode, type WebAPIPlatformError } from "@slack/web-api";

/** Slack's `{ ok: false, error }` codes whose taxonomy type the HTTP status (always 200) cannot tell. */
const SLACK_CODES = {
  // The credential or its scopes are wrong: retrying cannot help. The last five are oauth.v2.access's.
  auth: [
    "invalid_auth",
    "not_authed",
    "token_revoked",
    "token_expired",
    "account_inactive",
    "missing_scope",
    "no_permission",
    "not_allowed_token_type",
    "access_denied",
    "ekm_access_denied",
    "team_access_not_granted",
    "org_login_required",
    "invalid_code",
    "invalid_client_id",
    "bad_client_secret",
    "invalid_refresh_token",
    "invalid_grant_type",
  ],
  "rate-limit": ["ratelimited", "rate_limited"],
  // Slack's own "try again later" answers.
  upstream: ["internal_error", "fatal_error", "service_unavailable", "request_timeout"],
} as const satisfies Partial<Record<IntegrationErrorType, readonly string[]>>;

const SLACK_ERROR_CODES: ReadonlySet<string> = new Set(Object.values(ErrorCode));

function fromPlatformError(error: WebAPIPlatformError): ProviderErrorFacts {
  const code = typeof error.data?.error === "string" ? error.data.error : "unknown_error";
  const needed = (error.data as { needed?: unknown }).needed;
  const retryAfter = error.data?.response_metadata?.retryAfter;
  return {
    code,
    // Slack answers an expired rotating token with HTTP 200: the reason lets the kit refresh it once.
    ...(code === "token_expired" && { reason: "token_expired" }),
    message:
      code === "missing_scope" && typeof needed === "string"
        ? `Slack API error: missing_scope (needed: ${needed})`
        : `Slack API error: ${code}`,
    ...(typeof retryAfter === "number" && { retryAfterSeconds: retryAfter }),
  };
}

/**
 * What a WebClient call threw, by its `code` (duck-typed: two installed copies of the SDK both work); the
 * file-upload argument errors can never succeed as written (`schema`).
 */
function readSlackError(
  error: unknown,
  http: ProviderErrorFacts | undefined,
): ProviderErrorFacts | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== "string" || !SLACK_ERROR_CODES.has(code)) return undefined;
  const message = (error as Error).message;
  switch (code) {
    case ErrorCode.RateLimitedError: {
      const { retryAfter } = error as { retryAfter: number };
      return {
        type: "rate-limit",
        status: 429,
        code: "ratelimited",
        message: `Slack rate limit reached; retry in ${retryAfter} s`,
        retryAfterSeconds: retryAfter,
      };
    }
    case ErrorCode.PlatformError:
      return fromPlatformError(error as WebAPIPlatformError);
    case ErrorCode.HTTPError:
      return http;
    case ErrorCode.RequestError:
      return { type: "network", code, message };
    default:
      return { type: "schema", code, message };
  }
}

/** Slack's errors in the taxonomy; `toSlackError.typeOfCode(code)` types one code (unknown: `schema`). */
export const toSlackError = createErrorMapper({
  provider: "slack",
  name: "Slack",
  // WebAPIHTTPError's answer; WebAPIRequestError keeps the transport error it wraps in `original`.
  httpError: { status: "statusCode", statusText: "statusMessage", headers: "headers", code: "body.error" },
  wrappedBy: ["original", "cause"],
  read: readSlackError,
  codes: SLACK_CODES,
});

import {
  errorFromResponse,
  IntegrationError,
  type IntegrationErrorType,
  toIntegrationError,
  transportErrorCode,
} from "@autoflow/core";
import { ErrorCode, type WebAPIHTTPError, type WebAPIPlatformError } from "@slack/web-api";

const PROVIDER = "slack";

/** Platform error codes that mean the credential or its scopes are wrong: retrying cannot help. */
const AUTH_CODES: ReadonlySet<string> = new Set([
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
  // oauth.v2.access: a bad code, client or refresh token is a failed grant.
  "invalid_code",
  "invalid_client_id",
  "bad_client_secret",
  "invalid_refresh_token",
  "invalid_grant_type",
]);

const RATE_LIMIT_CODES: ReadonlySet<string> = new Set(["ratelimited", "rate_limited"]);

/** Slack's own "try again later" answers. */
const UPSTREAM_CODES: ReadonlySet<string> = new Set([
  "internal_error",
  "fatal_error",
  "service_unavailable",
  "request_timeout",
]);

const SLACK_ERROR_CODES: ReadonlySet<string> = new Set(Object.values(ErrorCode));

/** The taxonomy type of a Web API `{ ok: false, error }` code; unknown codes are permanent (`schema`). */
export function platformErrorType(code: string): IntegrationErrorType {
  if (AUTH_CODES.has(code)) return "auth";
  if (RATE_LIMIT_CODES.has(code)) return "rate-limit";
  if (UPSTREAM_CODES.has(code)) return "upstream";
  return "schema";
}

type SlackSdkError = { code: ErrorCode; message: string };

// Duck-typed on `code` (not instanceof) so two installed copies of @slack/web-api both work.
function isSlackSdkError(error: unknown): error is SlackSdkError {
  if (typeof error !== "object" || error === null) return false;
  const { code } = error as { code?: unknown };
  return typeof code === "string" && SLACK_ERROR_CODES.has(code);
}

function fromPlatformError(error: WebAPIPlatformError, now: number): IntegrationError {
  const data = error.data;
  const code = typeof data?.error === "string" ? data.error : "unknown_error";
  const type = platformErrorType(code);
  const needed = (data as { needed?: unknown }).needed;
  const retryAfter = data?.response_metadata?.retryAfter;
  return new IntegrationError({
    type,
    provider: PROVIDER,
    code,
    message:
      code === "missing_scope" && typeof needed === "string"
        ? `Slack API error: missing_scope (needed: ${needed})`
        : `Slack API error: ${code}`,
    ...(type === "rate-limit" &&
      typeof retryAfter === "number" && { retryAt: new Date(now + retryAfter * 1000) }),
    cause: error,
  });
}

function fromHttpError(error: WebAPIHTTPError, now: number): IntegrationError {
  const body = error.body as { error?: unknown } | undefined;
  const code =
    typeof body === "object" && body !== null && typeof body.error === "string" ? body.error : undefined;
  return errorFromResponse({
    provider: PROVIDER,
    status: error.statusCode,
    headers: error.headers,
    message: `Slack responded HTTP ${error.statusCode}${error.statusMessage ? ` ${error.statusMessage}` : ""}`,
    ...(code !== undefined && { code }),
    cause: error,
    now,
  });
}

/**
 * Translates anything a WebClient call throws into the spec-003 taxonomy, keeping Slack's error
 * code in `code` and the original as `cause`: `WebAPIRateLimitedError` is `rate-limit` with `retryAt`
 * from its `retryAfter`; platform errors by code; HTTP errors by status; request errors are `network`.
 */
export function toSlackError(error: unknown, now: number = Date.now()): IntegrationError {
  if (IntegrationError.isInstance(error)) return error;
  if (!isSlackSdkError(error)) return toIntegrationError(error, PROVIDER, now);
  switch (error.code) {
    case ErrorCode.RateLimitedError: {
      const { retryAfter } = error as unknown as { retryAfter: number };
      return new IntegrationError({
        type: "rate-limit",
        provider: PROVIDER,
        status: 429,
        code: "ratelimited",
        message: `Slack rate limit reached; retry in ${retryAfter} s`,
        retryAt: new Date(now + retryAfter * 1000),
        cause: error,
      });
    }
    case ErrorCode.PlatformError:
      return fromPlatformError(error as unknown as WebAPIPlatformError, now);
    case ErrorCode.HTTPError:
      return fromHttpError(error as unknown as WebAPIHTTPError, now);
    case ErrorCode.RequestError: {
      const { original } = error as unknown as { original?: unknown };
      return new IntegrationError({
        type: "network",
        provider: PROVIDER,
        code: transportErrorCode(original ?? error) ?? error.code,
        message: error.message,
        cause: error,
      });
    }
    default:
      // File upload argument and file-data errors: the call can never succeed as written.
      return new IntegrationError({
        type: "schema",
        provider: PROVIDER,
        code: error.code,
        message: error.message,
        cause: error,
      });
  }
}

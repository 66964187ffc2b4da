import {
  getHeader,
  type HeadersLike,
  IntegrationError,
  type RunTaskErrorCallback,
  toIntegrationError,
} from "@autoflow/core";

/** The provider slug errors carry. */
export const GITHUB_PROVIDER = "github";

// GitHub: without retry-after or a spent budget, wait at least a minute after a secondary limit.
const SECONDARY_LIMIT_FALLBACK_MS = 60_000;
const SECONDARY_LIMIT_MESSAGE = /secondary rate limit|abuse detection/i;

// OAuth token-endpoint failures (HTTP 200 with `error`) that mean the credentials are wrong.
const OAUTH_AUTH_ERRORS = new Set([
  "bad_verification_code",
  "incorrect_client_credentials",
  "bad_refresh_token",
]);

/** The parts of Octokit's `RequestError` this translation reads. */
interface RequestErrorLike {
  status?: unknown;
  message?: unknown;
  response?: { status?: number; headers?: HeadersLike; data?: unknown } | undefined;
}

function dataOf(error: RequestErrorLike): Record<string, unknown> | undefined {
  const data = error.response?.data;
  return typeof data === "object" && data !== null ? (data as Record<string, unknown>) : undefined;
}

/**
 * Any error from Octokit (or `@octokit/oauth-methods`) as an IntegrationError: 401 and plain 403 are
 * `auth`; 403 with `x-ratelimit-remaining: 0` (primary limit, `retryAt` = `x-ratelimit-reset`) and
 * 429/403 with `retry-after` or GitHub's secondary-limit message are `rate-limit`; 404 and 422 are
 * `schema`; 5xx are `upstream`; a request that got no response (refused, reset, timed out) is `network`.
 */
export function toGithubError(error: unknown, now: number = Date.now()): IntegrationError {
  if (IntegrationError.isInstance(error)) return error;
  const like: RequestErrorLike =
    typeof error === "object" && error !== null ? (error as RequestErrorLike) : {};
  const data = dataOf(like);
  const status = like.response?.status;

  // oauth-methods reports `{ error: "bad_verification_code" }` (an HTTP 200) as a 400.
  if (typeof data?.error === "string") {
    return new IntegrationError({
      type: OAUTH_AUTH_ERRORS.has(data.error) ? "auth" : "schema",
      provider: GITHUB_PROVIDER,
      message: typeof data.error_description === "string" ? data.error_description : data.error,
      code: data.error,
      ...(typeof status === "number" && { status }),
      cause: error,
    });
  }

  const headers = like.response?.headers;
  const message = typeof data?.message === "string" ? data.message : "";
  if (
    (status === 403 || status === 429) &&
    SECONDARY_LIMIT_MESSAGE.test(message) &&
    getHeader(headers, "retry-after") === undefined &&
    getHeader(headers, "x-ratelimit-remaining") !== "0"
  ) {
    return new IntegrationError({
      type: "rate-limit",
      provider: GITHUB_PROVIDER,
      status,
      message: String(like.message ?? message),
      retryAt: new Date(now + SECONDARY_LIMIT_FALLBACK_MS),
      cause: error,
    });
  }

  const translated = toIntegrationError(error, GITHUB_PROVIDER, now);
  const code = validationCode(data);
  if (translated.type !== "schema" || code === undefined || translated.code !== undefined) return translated;
  return new IntegrationError({
    type: translated.type,
    provider: translated.provider,
    message: translated.message,
    code,
    ...(translated.status !== undefined && { status: translated.status }),
    cause: error,
  });
}

/** GitHub's own code for a 422: the first `errors[].code` (`missing_field`, `invalid`, `already_exists`, ...). */
function validationCode(data: Record<string, unknown> | undefined): string | undefined {
  const [first] = Array.isArray(data?.errors) ? data.errors : [];
  const code = typeof first === "object" && first !== null ? (first as { code?: unknown }).code : undefined;
  return typeof code === "string" ? code : undefined;
}

/**
 * The `onError` every GitHub task gets (spec 001): a rate-limited call is retried when GitHub said it
 * may be (`x-ratelimit-reset` for the primary limit, `retry-after` for a secondary one); any other
 * failure is handed back translated, for the taxonomy to decide.
 */
export const onGithubError: RunTaskErrorCallback = (error) => {
  const translated = toGithubError(error);
  if (translated.type === "rate-limit" && translated.retryAt) {
    return { retryAt: translated.retryAt, error: translated };
  }
  return translated;
};

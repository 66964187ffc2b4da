import {
  errorFromResponse,
  getHeader,
  type HeadersLike,
  IntegrationError,
  toIntegrationError,
} from "@autoflow/core";

/** The provider slug errors carry. */
export const GITHUB_PROVIDER = "github";

// GitHub: without retry-after or a spent budget, wait at least a minute after a secondary limit.
const SECONDARY_LIMIT_FALLBACK_MS = 60_000;
const SECONDARY_LIMIT_MESSAGE = /secondary rate limit|abuse detection/i;

/** The parts of Octokit's `RequestError` this table reads. */
interface RequestErrorLike {
  message?: unknown;
  response?: { status?: number; headers?: HeadersLike; data?: { message?: unknown; errors?: unknown } };
}

/**
 * GitHub's error table: anything Octokit throws as an IntegrationError. 401 and plain 403 are `auth`;
 * 403 with `x-ratelimit-remaining: 0` (primary limit, `retryAt` = `x-ratelimit-reset`) and 429/403 with
 * `retry-after` or GitHub's secondary-limit message are `rate-limit`; 404 and 422 (with GitHub's
 * `errors[0].code`) are `schema`; 5xx are `upstream`; a request that got no response is `network`.
 */
export function toGithubError(error: unknown, now: number = Date.now()): IntegrationError {
  if (IntegrationError.isInstance(error)) return error;
  const { message, response } = (
    typeof error === "object" && error !== null ? error : {}
  ) as RequestErrorLike;
  const status = response?.status;
  // No answer (refused, reset, timed out): Octokit's status 500 is its own invention.
  if (response === undefined || status === undefined) return toIntegrationError(error, GITHUB_PROVIDER, now);
  const { headers } = response;
  const data = typeof response.data === "object" && response.data !== null ? response.data : {};
  if (
    (status === 403 || status === 429) &&
    SECONDARY_LIMIT_MESSAGE.test(String(data.message ?? "")) &&
    getHeader(headers, "retry-after") === undefined &&
    getHeader(headers, "x-ratelimit-remaining") !== "0"
  ) {
    return new IntegrationError({
      type: "rate-limit",
      provider: GITHUB_PROVIDER,
      status,
      message: String(message ?? data.message),
      retryAt: new Date(now + SECONDARY_LIMIT_FALLBACK_MS),
      cause: error,
    });
  }
  const [first] = Array.isArray(data.errors) ? (data.errors as { code?: unknown }[]) : [];
  return errorFromResponse({
    provider: GITHUB_PROVIDER,
    status,
    now,
    cause: error,
    ...(headers !== undefined && { headers }),
    ...(typeof message === "string" && { message }),
    ...(typeof first?.code === "string" && { code: first.code }),
  });
}

import { createErrorMapper, type ProviderErrorFacts } from "@autoflow/core";

/** The provider slug errors carry. */
export const GITHUB_PROVIDER = "github";

// GitHub: without retry-after or a spent budget, wait at least a minute after a secondary limit.
const SECONDARY_LIMIT_FALLBACK_MS = 60_000;
const SECONDARY_LIMIT_MESSAGE = /secondary rate limit|abuse detection/i;

/**
 * A 403 or 429 with GitHub's secondary-limit message is a rate limit even without `retry-after`. No answer
 * (refused, reset, timed out) is left to the kit: Octokit's status 500 for it is its own invention.
 */
function readGithubError(
  error: unknown,
  http: ProviderErrorFacts | undefined,
): ProviderErrorFacts | undefined {
  if (http === undefined) return undefined;
  const { response } = error as { response?: { data?: { message?: unknown } } };
  const secondaryLimit =
    (http.status === 403 || http.status === 429) &&
    SECONDARY_LIMIT_MESSAGE.test(String(response?.data?.message ?? ""));
  return secondaryLimit
    ? { ...http, type: "rate-limit", fallbackRetryAfterMs: SECONDARY_LIMIT_FALLBACK_MS }
    : http;
}

/**
 * GitHub's errors in the taxonomy: 401 and plain 403 `auth`; a spent budget (`retryAt`: `x-ratelimit-reset`),
 * `retry-after` or the secondary-limit message `rate-limit`; 404 and 422 `schema`; 5xx `upstream`.
 */
export const toGithubError = createErrorMapper({
  provider: GITHUB_PROVIDER,
  name: "GitHub",
  // Octokit's RequestError: the answer, with GitHub's `errors[0].code` (422).
  httpError: {
    status: "response.status",
    headers: "response.headers",
    code: "response.data.errors.0.code",
    message: "message",
  },
  read: readGithubError,
});

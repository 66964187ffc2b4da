import { createErrorMapper, type ProviderErrorFacts } from "@autoflow/core";

/** The provider slug errors carry. */
export const GITHUB_PROVIDER = "github";

// GitHub: without retry-after or a spent budget, wait at least a minute after a secondary limit.
const SECONDARY_LIMIT_FALLBACK_MS = 60_000;
const SECONDARY_LIMIT_MESSAGE = /secondary rate limit|abuse detection/i;

/**
 * How to read what Octokit throws, given the kit's reading of a `RequestError`'s answer (`httpError` below):
 * 403 or 429 with GitHub's secondary-limit message is a rate limit even without `retry-after`. No answer
 * (refused, reset, timed out) is left to the kit: Octokit's status 500 is its own invention.
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
 * GitHub's error table: anything Octokit throws as an IntegrationError, through the kit's one error mapper.
 * 401 and plain 403 are `auth`; 403 with `x-ratelimit-remaining: 0` (primary limit, `retryAt` =
 * `x-ratelimit-reset`) and 429/403 with `retry-after` or GitHub's secondary-limit message are `rate-limit`;
 * 404 and 422 (with GitHub's `errors[0].code`) are `schema`; 5xx are `upstream`; a request that got no
 * response is `network`.
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

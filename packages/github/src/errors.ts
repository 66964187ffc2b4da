import { createErrorMapper, type HeadersLike, type ProviderErrorFacts } from "@autoflow/core";

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
 * How to read what Octokit throws: a `RequestError` with an answer by its status, headers and GitHub's
 * `errors[0].code` (422); 403 or 429 with GitHub's secondary-limit message is a rate limit even without
 * `retry-after`. No answer (refused, reset, timed out) is left to the kit: Octokit's status 500 is its own invention.
 */
function readGithubError(error: unknown): ProviderErrorFacts | undefined {
  const { message, response } = (
    typeof error === "object" && error !== null ? error : {}
  ) as RequestErrorLike;
  const status = response?.status;
  if (response === undefined || status === undefined) return undefined;
  const data = typeof response.data === "object" && response.data !== null ? response.data : {};
  const [first] = Array.isArray(data.errors) ? (data.errors as { code?: unknown }[]) : [];
  const secondaryLimit =
    (status === 403 || status === 429) && SECONDARY_LIMIT_MESSAGE.test(String(data.message ?? ""));
  return {
    status,
    ...(response.headers !== undefined && { headers: response.headers }),
    ...(typeof message === "string" && { message }),
    ...(typeof first?.code === "string" && { code: first.code }),
    ...(secondaryLimit && { type: "rate-limit", fallbackRetryAfterMs: SECONDARY_LIMIT_FALLBACK_MS }),
  };
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
  read: readGithubError,
});

import { createDeadlineFetch, reportRateLimitHeaders } from "@autoflow/core";

/**
 * The fetch Octokit is given: the kit's deadline fetch (one deadline for the whole request, the body read
 * in full: Octokit's own parser turns a connection cut mid-body into an empty string), with the answer's
 * rate-limit headers reported to the task's rate-limit bucket, which pauses the connection's calls when
 * the budget is spent.
 */
export function createGithubFetch(timeoutMs: number, baseFetch?: typeof fetch): typeof fetch {
  return createDeadlineFetch({
    timeoutMs,
    ...(baseFetch && { fetch: baseFetch }),
    onHeaders: reportRateLimitHeaders,
  });
}

/** The web host for an API base URL: `api.github.com` -> `github.com`, GHES `<host>/api/v3` -> `<host>`. */
export function webUrlFor(baseUrl: string): string {
  const trimmed = baseUrl.replace(/\/+$/, "");
  if (/^https:\/\/api\.github\.com$/.test(trimmed)) return "https://github.com";
  if (/^https:\/\/api\.[^/]+\.ghe\.com$/.test(trimmed)) return trimmed.replace("://api.", "://");
  return trimmed.replace(/\/api\/v3$/, "");
}

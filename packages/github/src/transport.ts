import { reportRateLimitHeaders } from "@autoflow/core";

// Statuses whose responses cannot carry a body (the Response constructor refuses one).
const NULL_BODY_STATUSES = new Set([101, 103, 204, 205, 304]);

/**
 * The fetch Octokit is given: every request gets a deadline (`timeoutMs`, joined with any signal the
 * caller passed), and the body is read in full before Octokit sees the response. Octokit's own body
 * parser turns a connection cut mid-body into an empty string; read here, the cut is a transport error.
 * Its rate-limit headers go to the task's rate-limit bucket, which pauses the connection's calls when
 * the budget is spent.
 */
export function createGithubFetch(
  timeoutMs: number,
  baseFetch: typeof fetch = globalThis.fetch,
): typeof fetch {
  return async (input, init) => {
    const deadline = AbortSignal.timeout(timeoutMs);
    const signal = init?.signal ? AbortSignal.any([init.signal, deadline]) : deadline;
    const response = await baseFetch(input, { ...init, signal });
    reportRateLimitHeaders(response.headers);
    const body = NULL_BODY_STATUSES.has(response.status) ? null : await response.arrayBuffer();
    const buffered = new Response(body, {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
    });
    Object.defineProperty(buffered, "url", { value: response.url });
    return buffered;
  };
}

/** The web host for an API base URL: `api.github.com` -> `github.com`, GHES `<host>/api/v3` -> `<host>`. */
export function webUrlFor(baseUrl: string): string {
  const trimmed = baseUrl.replace(/\/+$/, "");
  if (/^https:\/\/api\.github\.com$/.test(trimmed)) return "https://github.com";
  if (/^https:\/\/api\.[^/]+\.ghe\.com$/.test(trimmed)) return trimmed.replace("://api.", "://");
  return trimmed.replace(/\/api\/v3$/, "");
}

import { createDeadlineFetch, type ProviderClientOptions, reportRateLimitHeaders } from "@autoflow/core";
import { Octokit } from "octokit";

/** GitHub.com's REST API. */
const GITHUB_API_URL = "https://api.github.com";

/** How to reach GitHub: shared by the integration and the lifecycle adapter. */
export interface GithubClientOptions extends ProviderClientOptions {
  /** The REST API base URL; for GitHub Enterprise Server `https://<host>/api/v3`. Default `https://api.github.com`. */
  baseUrl?: string;
  userAgent?: string;
}

/**
 * An Octokit whose own retries and throttling are off, so the runtime alone decides retries (the
 * throttle plugin queues writes ~3 s apart and ignores a plain 429's `retry-after`). Its fetch is the
 * kit's deadline fetch (the body read in full: Octokit's own parser turns a connection cut mid-body into
 * an empty string), reporting each answer's rate-limit headers to the connection's rate-limit bucket.
 */
export function createOctokit(token: string | undefined, options: GithubClientOptions = {}): Octokit {
  return new Octokit({
    ...(token !== undefined && { auth: token }),
    baseUrl: options.baseUrl ?? GITHUB_API_URL,
    ...(options.userAgent !== undefined && { userAgent: options.userAgent }),
    retry: { enabled: false },
    throttle: { enabled: false },
    request: {
      fetch: createDeadlineFetch({ ...options, onHeaders: reportRateLimitHeaders }),
    },
  });
}

/** The web host for an API base URL: `api.github.com` -> `github.com`, GHES `<host>/api/v3` -> `<host>`. */
export function webUrlFor(baseUrl: string = GITHUB_API_URL): string {
  const trimmed = baseUrl.replace(/\/+$/, "");
  if (/^https:\/\/api\.github\.com$/.test(trimmed)) return "https://github.com";
  if (/^https:\/\/api\.[^/]+\.ghe\.com$/.test(trimmed)) return trimmed.replace("://api.", "://");
  return trimmed.replace(/\/api\/v3$/, "");
}

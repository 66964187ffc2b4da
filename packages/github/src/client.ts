import { Octokit } from "octokit";
import { createGithubFetch } from "./transport";

/** GitHub.com's REST API. */
export const GITHUB_API_URL = "https://api.github.com";

/** A request without an answer fails after this long unless `timeoutMs` says otherwise. */
export const DEFAULT_TIMEOUT_MS = 30_000;

/** How to reach GitHub: shared by the integration and the lifecycle adapter. */
export interface GithubClientOptions {
  /** The REST API base URL; for GitHub Enterprise Server `https://<host>/api/v3`. Default `https://api.github.com`. */
  baseUrl?: string;
  /** Per-request deadline in ms, body included. Default 30 000. */
  timeoutMs?: number;
  userAgent?: string;
  /** A custom fetch (a proxy agent, a recorder); the deadline still applies. */
  fetch?: typeof fetch;
}

/**
 * An Octokit whose own retries and throttling are off, so the runtime alone decides retries (the
 * throttle plugin queues writes ~3 s apart and ignores a plain 429's `retry-after`).
 */
export function createOctokit(token: string | undefined, options: GithubClientOptions = {}): Octokit {
  return new Octokit({
    ...(token !== undefined && { auth: token }),
    baseUrl: options.baseUrl ?? GITHUB_API_URL,
    ...(options.userAgent !== undefined && { userAgent: options.userAgent }),
    retry: { enabled: false },
    throttle: { enabled: false },
    request: { fetch: createGithubFetch(options.timeoutMs ?? DEFAULT_TIMEOUT_MS, options.fetch) },
  });
}

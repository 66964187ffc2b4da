import type { EmulatorResponse } from "../shared/types";
import type { GithubHook, GithubRepo } from "./github-state";
import { nodeId, type Urls } from "./wire/accounts";

// The resource shapes, one file per kind, under `wire/`; re-exported so routes import one module.
export { account, nodeId, ownerOf, privateUser, publicUser, type Urls } from "./wire/accounts";
export { comment, issue, label, milestone, reaction } from "./wire/issues";
export { pull } from "./wire/pulls";
export { repository } from "./wire/repository";

const DOCS = "https://docs.github.com/rest";

/** GitHub's JSON error answer: `{ message, documentation_url, status }`. */
export function githubError(
  status: number,
  message: string,
  extra: { headers?: Record<string, string>; errors?: unknown[]; documentationUrl?: string } = {},
): EmulatorResponse {
  return {
    status,
    ...(extra.headers && { headers: extra.headers }),
    body: {
      message,
      ...(extra.errors && { errors: extra.errors }),
      documentation_url: extra.documentationUrl ?? DOCS,
      status: String(status),
    },
  };
}

export const badCredentials = (): EmulatorResponse => githubError(401, "Bad credentials");
export const notFound = (): EmulatorResponse => githubError(404, "Not Found");

/** 422 with GitHub's `errors: [{ resource, field, code }]`. */
export function validationFailed(
  resource: string,
  field: string,
  code: string,
  message?: string,
): EmulatorResponse {
  return githubError(422, "Validation Failed", {
    errors: [{ resource, field, code, ...(message && { message }) }],
  });
}

/** 403 for a token that lacks the scope the endpoint needs. */
export function missingScope(accepted: string[]): EmulatorResponse {
  return githubError(403, "Resource not accessible by personal access token", {
    headers: { "x-accepted-oauth-scopes": accepted.join(", ") },
  });
}

/** The primary rate limit: 403 with the budget spent and when it resets. */
export function primaryRateLimited(limit: number, resetEpochSeconds: number): EmulatorResponse {
  return githubError(403, "API rate limit exceeded for user ID 1.", {
    headers: {
      "x-ratelimit-limit": String(limit),
      "x-ratelimit-remaining": "0",
      "x-ratelimit-used": String(limit),
      "x-ratelimit-reset": String(resetEpochSeconds),
      "x-ratelimit-resource": "core",
    },
    documentationUrl: `${DOCS}/overview/rate-limits-for-the-rest-api#about-primary-rate-limits`,
  });
}

/** A secondary rate limit: 403 or 429 with `retry-after`. */
export function secondaryRateLimited(status: 403 | 429, retryAfterSeconds: number): EmulatorResponse {
  return githubError(
    status,
    "You have exceeded a secondary rate limit. Please wait a few minutes before you try again.",
    {
      headers: { "retry-after": String(retryAfterSeconds) },
      documentationUrl: `${DOCS}/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits`,
    },
  );
}

export function hook(h: GithubHook, r: GithubRepo, urls: Urls) {
  const url = `${urls.api}/repos/${r.owner}/${r.name}/hooks/${h.id}`;
  const { secret, ...config } = h.config;
  return {
    type: "Repository",
    id: h.id,
    name: h.name,
    active: h.active,
    events: h.events,
    // GitHub never echoes a webhook secret back.
    config: { ...config, ...(secret !== undefined && { secret: "********" }) },
    updated_at: h.createdAt,
    created_at: h.createdAt,
    url,
    test_url: `${url}/test`,
    ping_url: `${url}/pings`,
    deliveries_url: `${url}/deliveries`,
    last_response: { code: null, status: "unused", message: null },
  };
}

export function gitRef(ref: string, sha: string, r: GithubRepo, urls: Urls) {
  return {
    ref,
    node_id: nodeId("REF", Number.parseInt(sha.slice(0, 8), 16)),
    url: `${urls.api}/repos/${r.owner}/${r.name}/git/${ref}`,
    object: { type: "commit", sha, url: `${urls.api}/repos/${r.owner}/${r.name}/git/commits/${sha}` },
  };
}

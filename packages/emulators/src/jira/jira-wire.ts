import type { EmulatorResponse } from "../shared/types";

/**
 * Jira's error body: `errorMessages` (request-wide) and `errors` (per field), with the status Jira answers.
 * @see https://developer.atlassian.com/cloud/jira/platform/rest/v3/intro/#status-codes
 */
export function jiraError(
  status: number,
  errorMessages: string[],
  errors: Record<string, string> = {},
): EmulatorResponse {
  return { status, body: { errorMessages, errors } };
}

/** Jira's 404 for an issue key or id it does not know (or the caller may not see). */
export function issueNotFound(): EmulatorResponse {
  return jiraError(404, ["Issue does not exist or you do not have permission to see it."]);
}

/** Jira's 401 to a missing, wrong or expired credential: a plain-text body, as the site and the gateway send it. */
export function unauthorized(): EmulatorResponse {
  return {
    status: 401,
    headers: {
      "content-type": "text/plain;charset=UTF-8",
      "www-authenticate": 'OAuth realm="https%3A%2F%2Fjira"',
    },
    body: "Client must be authenticated to access this resource.",
  };
}

/** What the gateway answers a token without a scope the operation needs (jira.js reads "scope does not match"). */
export function scopeMismatch(): EmulatorResponse {
  return {
    status: 401,
    body: { code: 401, message: "Unauthorized; scope does not match" },
  };
}

/** Jira's 403 to a caller without the permission. */
export function forbidden(
  message = "You do not have permission to perform this operation.",
): EmulatorResponse {
  return jiraError(403, [message]);
}

/**
 * Jira Cloud's 429: `Retry-After` in seconds (it may be 0), `X-RateLimit-Reset` as an ISO 8601 time, and
 * `RateLimit-Reason` naming the limit that was hit.
 * @see https://developer.atlassian.com/cloud/jira/platform/rate-limiting/
 */
export function rateLimited(retryAfterSeconds: number, now: number): EmulatorResponse {
  return {
    status: 429,
    headers: {
      "retry-after": String(retryAfterSeconds),
      "x-ratelimit-reset": new Date(now + retryAfterSeconds * 1000).toISOString(),
      "ratelimit-reason": "jira-quota-global-based",
      "content-type": "application/json;charset=UTF-8",
    },
    body: JSON.stringify({ errorMessages: ["Rate limit exceeded."], errors: {} }),
  };
}

/** What `GET` and `POST /rest/api/3/search` have answered since Atlassian removed them (CHANGE-2046). */
export function searchRemoved(): EmulatorResponse {
  return jiraError(410, [
    "The requested API has been removed. Please migrate to the /rest/api/3/search/jql API. A full migration guideline is available at https://developer.atlassian.com/changelog/#CHANGE-2046",
  ]);
}

/**
 * A time as Jira writes it in answers: ISO 8601 with milliseconds and a `+0000` offset (no colon), as a site in UTC
 * answers (`2026-12-06T20:58:50.123+0000`).
 */
export function jiraTime(epochMs: number): string {
  return new Date(epochMs).toISOString().replace("Z", "+0000");
}

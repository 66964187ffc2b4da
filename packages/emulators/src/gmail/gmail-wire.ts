import type { EmulatorResponse } from "../shared/types";

/** Google's canonical status for an HTTP status, as its JSON errors name it. */
const STATUS_NAMES: Record<number, string> = {
  400: "INVALID_ARGUMENT",
  401: "UNAUTHENTICATED",
  403: "PERMISSION_DENIED",
  404: "NOT_FOUND",
  409: "ALREADY_EXISTS",
  429: "RESOURCE_EXHAUSTED",
  500: "INTERNAL",
  503: "UNAVAILABLE",
};

/**
 * Google's JSON error body: `{ error: { code, message, errors: [{ message, domain, reason }], status } }`.
 * @see https://cloud.google.com/apis/design/errors#http_mapping
 */
export function googleError(
  status: number,
  reason: string,
  message: string,
  options: { domain?: string; headers?: Record<string, string>; statusName?: string } = {},
): EmulatorResponse {
  return {
    status,
    headers: { "content-type": "application/json; charset=UTF-8", ...options.headers },
    body: {
      error: {
        code: status,
        message,
        errors: [{ message, domain: options.domain ?? "global", reason }],
        status: options.statusName ?? STATUS_NAMES[status] ?? "UNKNOWN",
      },
    },
  };
}

/** 401 for a missing, unknown, expired or revoked access token. */
export function invalidCredentials(): EmulatorResponse {
  return googleError(
    401,
    "authError",
    "Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.",
    { headers: { "www-authenticate": 'Bearer realm="https://accounts.google.com/", error="invalid_token"' } },
  );
}

/** 403 for a token without a scope the method needs. */
export function insufficientPermissions(): EmulatorResponse {
  return googleError(403, "insufficientPermissions", "Request had insufficient authentication scopes.", {
    statusName: "PERMISSION_DENIED",
  });
}

/** 429 `rateLimitExceeded`, with `Retry-After` when a wait is known. */
export function rateLimited(retryAfterSeconds?: number): EmulatorResponse {
  return googleError(429, "rateLimitExceeded", "Too many requests. Try again later.", {
    domain: "usageLimits",
    ...(retryAfterSeconds !== undefined && { headers: { "retry-after": String(retryAfterSeconds) } }),
  });
}

export function notFound(what = "Requested entity was not found."): EmulatorResponse {
  return googleError(404, "notFound", what);
}

export function badRequest(message: string, reason = "invalidArgument"): EmulatorResponse {
  return googleError(400, reason, message);
}

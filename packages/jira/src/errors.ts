import {
  createErrorMapper,
  type IntegrationErrorType,
  type ProviderErrorFacts,
  type ProviderErrorMapper,
  type ProviderErrorTable,
} from "@autoflow/core";
import { isApiError, isConfigError, isOAuthError, isScopeError } from "jira.js/core";

/** The message a rate-limited call (and a rate-limited health check) carries. */
export const JIRA_RATE_LIMIT_MESSAGE = "Jira API rate limit exceeded";

/**
 * The shortest wait the answer's own `Retry-After` or `X-RateLimit-Reset` is trusted for: Jira sends `Retry-After: 0`
 * and resets already past, and a wait shorter than this is left to the runtime's backoff (`JIRA_BACKOFF`), which
 * starts at this floor and grows.
 */
export const JIRA_RATE_LIMIT_FLOOR_MS = 1_000;

/** Codes the OAuth token endpoint answers (`{ error: "invalid_grant" }`), by taxonomy type. */
const JIRA_CODES = {
  auth: ["invalid_grant", "invalid_client", "unauthorized_client", "access_denied", "unauthorized"],
} as const satisfies Partial<Record<IntegrationErrorType, readonly string[]>>;

/** Jira's error body: `{ errorMessages: ["Issue does not exist"], errors: { summary: "Field required" } }`. */
interface JiraErrorBody {
  errorMessages?: unknown;
  errors?: unknown;
  message?: unknown;
}

/** Jira's `errorMessages` and `errors` as one line: `Issue does not exist; summary: You must specify a summary`. */
export function jiraErrorMessage(body: unknown): string | undefined {
  if (typeof body === "string") return body.trim() || undefined;
  if (typeof body !== "object" || body === null) return undefined;
  const { errorMessages, errors, message } = body as JiraErrorBody;
  const parts = [
    ...(Array.isArray(errorMessages) ? errorMessages.filter((m) => typeof m === "string") : []),
    ...(typeof errors === "object" && errors !== null
      ? Object.entries(errors).map(([field, text]) => `${field}: ${String(text)}`)
      : []),
    ...(typeof message === "string" ? [message] : []),
  ];
  return parts.length > 0 ? parts.join("; ") : undefined;
}

function header(headers: ProviderErrorFacts["headers"], name: string): string | undefined {
  if (!headers) return undefined;
  if (typeof (headers as Headers).get === "function") return (headers as Headers).get(name) ?? undefined;
  const record = headers as Record<string, string | string[] | undefined>;
  const value = record[name] ?? record[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * How long a 429 says to wait, in ms: the longer of `Retry-After` (seconds, a minimum, may be 0) and
 * `X-RateLimit-Reset` (an ISO 8601 instant); undefined when shorter than the floor (the runtime backs off instead).
 */
export function jiraRateLimitWaitMs(headers: ProviderErrorFacts["headers"], now: number): number | undefined {
  const retryAfter = Number(header(headers, "retry-after") ?? Number.NaN);
  const reset = Date.parse(header(headers, "x-ratelimit-reset") ?? "");
  const wait = Math.max(
    Number.isFinite(retryAfter) ? retryAfter * 1000 : 0,
    Number.isFinite(reset) ? reset - now : 0,
  );
  return wait >= JIRA_RATE_LIMIT_FLOOR_MS ? wait : undefined;
}

/** How to read what a jira.js call throws, given the kit's reading of its status and headers. */
function readJiraError(error: unknown, http: ProviderErrorFacts | undefined, now: number) {
  if (isOAuthError(error)) return { type: "auth", message: (error as Error).message } as const;
  if (isConfigError(error)) return { type: "schema", message: (error as Error).message } as const;
  if (!isApiError(error) || http === undefined) return undefined;
  const detail = jiraErrorMessage(error.body);
  const message = `Jira responded ${http.status}${detail ? `: ${detail}` : ""}`;
  if (http.status === 429) {
    const wait = jiraRateLimitWaitMs(http.headers, now);
    // Headers left out: the wait is read here (the kit reads neither an ISO reset nor a floor).
    return {
      status: 429,
      type: "rate-limit",
      code: "rate_limited",
      message: `${JIRA_RATE_LIMIT_MESSAGE}${detail ? `: ${detail}` : ""}`,
      ...(wait !== undefined && { retryAfterSeconds: wait / 1000 }),
    } satisfies ProviderErrorFacts;
  }
  if (isScopeError(error)) return { ...http, type: "auth", code: "scope_mismatch", message } as const;
  return { ...http, message } satisfies ProviderErrorFacts;
}

function jiraTable(now: number): ProviderErrorTable {
  return {
    provider: "jira",
    name: "Jira",
    // `headers` is kept on the error by the transport (src/client.ts).
    httpError: { status: "status", headers: "headers" },
    wrappedBy: ["cause"],
    read: (error, http) => readJiraError(error, http, now),
    codes: JIRA_CODES,
  };
}

const codesOnly = createErrorMapper(jiraTable(0));

/**
 * Jira's error table: anything a jira.js call throws as an IntegrationError, through the kit's one error mapper: 429
 * (`RateLimitError`) is `rate-limit`, waiting the longer of `Retry-After` and `X-RateLimit-Reset` when at least
 * `JIRA_RATE_LIMIT_FLOOR_MS`, else backing off; 401 (`AuthError`, `ScopeError`) and 403 (`ForbiddenError`) are `auth`;
 * 400, 404 and 409 are `schema` with Jira's `errorMessages` and `errors` in the message; 503 with `Retry-After` and
 * any 5xx are `upstream` (with `retryAt` when named); a transport failure is `network`.
 */
export const toJiraError: ProviderErrorMapper = Object.assign(
  (error: unknown, now: number = Date.now()) => createErrorMapper(jiraTable(now))(error, now),
  { typeOfCode: codesOnly.typeOfCode },
);

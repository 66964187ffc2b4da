import { createDeadlineFetch, type ProviderClientOptions } from "@autoflow/core";
// `createCloudClient` from the package root: the `cloud` entry re-exports every model module of the platform API
// (about 1,000 files, ~170 ms at import), the root only what the client uses (test/import-cost.test.ts). Types
// from the `cloud` and `core` entries, as everywhere else here; the root's added declarations (Agile, Service
// Management) did not change the package's type-check time measurably.
import { createCloudClient } from "jira.js";
import type { CloudClient } from "jira.js/cloud";
import {
  ApiError,
  AuthError,
  type Client,
  ConfigError,
  ForbiddenError,
  NotFoundError,
  RateLimitError,
  ServerError,
} from "jira.js/core";
import { rememberSearchSettle } from "./tasks/marker";

/** Atlassian's API gateway: OAuth 2.0 (3LO) tokens reach a site at `<gateway>/ex/jira/<cloudId>`. */
export const ATLASSIAN_API_URL = "https://api.atlassian.com";

/** How the integration and the lifecycle build their Jira client. */
export interface JiraClientOptions extends ProviderClientOptions {
  /** The site, `https://your-domain.atlassian.net`: API-token calls go there. */
  siteUrl?: string;
  /** The Atlassian account's email: with it the token is an API token, sent as Basic `email:token`. */
  email?: string;
  /** The site's cloud id: OAuth calls go to `<apiBaseUrl>/ex/jira/<cloudId>`. */
  cloudId?: string;
  /** Atlassian's API gateway. Default `https://api.atlassian.com` (point it at an emulator in tests). */
  apiBaseUrl?: string;
  /**
   * How long Jira's search index may lag a write: a reconciler's JQL miss is trusted only this long after the call
   * (`JIRA_SEARCH_SETTLE_MS`, 5 s, by default; tests shorten it).
   */
  searchSettleMs?: number;
}

/** The jira.js error for a failed answer, with the answer's headers kept (jira.js keeps only `Retry-After` of a 429). */
export function apiError(response: Response, text: string): ApiError {
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {}
  const message = `Request failed: ${response.status} ${response.statusText}${text ? ` - ${text}` : ""}`;
  const { status, statusText } = response;
  const retryAfter = Number(response.headers.get("retry-after"));
  const error =
    status === 401
      ? new AuthError(message, statusText, body)
      : status === 403
        ? new ForbiddenError(message, statusText, body)
        : status === 404
          ? new NotFoundError(message, statusText, body)
          : status === 429
            ? new RateLimitError(message, statusText, body, {
                ...(Number.isFinite(retryAfter) &&
                  response.headers.has("retry-after") && { retryAfterMs: retryAfter * 1000 }),
              })
            : status >= 500
              ? new ServerError(message, status, statusText, body)
              : new ApiError(message, status, statusText, body);
  return Object.assign(error, { headers: response.headers });
}

/** Query parameters as jira.js serializes them: arrays repeated, objects as JSON, nothing for `undefined`. */
function withSearchParams(url: string, searchParams: Record<string, unknown> | undefined): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(searchParams ?? {})) {
    for (const item of Array.isArray(value) ? value : [value]) {
      if (item === undefined || item === null) continue;
      params.append(key, typeof item === "object" ? JSON.stringify(item) : String(item));
    }
  }
  const query = params.toString();
  return query ? `${url}${url.includes("?") ? "&" : "?"}${query}` : url;
}

function isEncodedBody(body: unknown): body is NonNullable<RequestInit["body"]> {
  return (
    body instanceof FormData ||
    body instanceof URLSearchParams ||
    body instanceof Blob ||
    body instanceof ReadableStream ||
    body instanceof ArrayBuffer ||
    ArrayBuffer.isView(body)
  );
}

/** Where requests go and how they authenticate, from the options (a LOCAL integration) and the connection's fields. */
export function jiraTarget(
  token: string,
  options: JiraClientOptions,
): { baseUrl: string | undefined; authorization: string } {
  const trim = (url: string) => url.replace(/\/+$/, "");
  if (options.email) {
    const basic = Buffer.from(`${options.email}:${token}`, "utf8").toString("base64");
    return { baseUrl: options.siteUrl && trim(options.siteUrl), authorization: `Basic ${basic}` };
  }
  const baseUrl = options.cloudId
    ? `${trim(options.apiBaseUrl ?? ATLASSIAN_API_URL)}/ex/jira/${encodeURIComponent(options.cloudId)}`
    : options.siteUrl && trim(options.siteUrl);
  return { baseUrl, authorization: `Bearer ${token}` };
}

/**
 * jira.js's transport (its `Client`), written over the kit's deadline fetch: jira.js 6 calls the global `fetch` and
 * takes no fetch of its own, and its errors drop the answer's headers (`X-RateLimit-Reset`, a 503's `Retry-After`).
 * No retries (jira.js retries only when asked; the runtime alone retries), no OAuth refresh (the connection service
 * refreshes); answers are checked against jira.js's schemas and handed on as sent when they drift, as its `warn` does.
 */
export function createJiraTransport(token: string, options: JiraClientOptions = {}): Client {
  const { baseUrl, authorization } = jiraTarget(token, options);
  const fetch = createDeadlineFetch(options);
  return {
    async sendRequest(request) {
      if (baseUrl === undefined) {
        throw new ConfigError("Jira: no site to call: give `siteUrl` (API token) or `cloudId` (OAuth)");
      }
      const path = request.url.startsWith("/") ? request.url : `/${request.url}`;
      const url = withSearchParams(`${baseUrl}${path}`, request.searchParams);
      const method = request.method ?? "GET";
      const encoded = isEncodedBody(request.body);
      const json = !encoded && (request.body != null || (method !== "GET" && method !== "HEAD"));
      const response = await fetch(url, {
        method,
        headers: {
          Accept: "application/json",
          ...(json && { "Content-Type": "application/json" }),
          Authorization: authorization,
          ...request.headers,
        },
        ...(request.body != null && {
          body: encoded ? (request.body as NonNullable<RequestInit["body"]>) : JSON.stringify(request.body),
        }),
      });
      const bytes = new Uint8Array(await response.arrayBuffer());
      const text = () => new TextDecoder().decode(bytes);
      if (!response.ok) throw apiError(response, text());
      if (bytes.byteLength === 0) return undefined as never;
      const type = response.headers.get("content-type") ?? "";
      if (!type.includes("application/json")) {
        // Attachments and avatars: bytes or a Blob, whichever the method's schema asks for.
        const blob = new Blob([bytes], { type });
        if (request.schema?.safeParse(bytes).success) return bytes as never;
        return (request.schema?.safeParse(blob).success ? blob : undefined) as never;
      }
      const data: unknown = JSON.parse(text());
      const parsed = request.schema?.safeParse(data);
      return (parsed?.success ? parsed.data : data) as never;
    },
  };
}

/** A jira.js 6 Cloud platform client (`createCloudClient`) on the transport above. */
export function createJiraClient(token: string, options: JiraClientOptions = {}): CloudClient {
  const client = createCloudClient(createJiraTransport(token, options));
  rememberSearchSettle(client, options.searchSettleMs);
  return client;
}

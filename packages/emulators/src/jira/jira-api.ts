import type { EmulatorRequest, EmulatorResponse } from "../shared/types";
import type { JiraRender } from "./jira-render";
import type { SeedUser } from "./jira-seed";
import type { JiraState } from "./jira-state";
import type { JiraWebhooks } from "./jira-webhooks";

/** What a route needs the caller to be allowed (the OAuth scope it maps to; Basic auth may do everything). */
export type JiraNeed = "read" | "write" | "user" | "webhook";

/** The classic OAuth 2.0 scope each need takes. */
export const JIRA_SCOPE_FOR: Record<JiraNeed, string> = {
  read: "read:jira-work",
  write: "write:jira-work",
  user: "read:jira-user",
  webhook: "manage:jira-webhook",
};

/** Who is calling: an API token's account (Basic) or an OAuth app's token acting for a user. */
export interface JiraCaller {
  user: SeedUser;
  via: "basic" | "oauth";
  /** The OAuth app, for a token: dynamic webhooks are per app. */
  clientId?: string;
}

/** One API call as a route sees it. */
export interface JiraCall {
  request: EmulatorRequest;
  /** The JSON body as an object (empty when none). */
  body: Record<string, unknown>;
  caller: JiraCaller;
  state: JiraState;
  render: JiraRender;
  webhooks: JiraWebhooks;
  now: number;
}

/** A route answers a body (200) or a whole response. */
export type JiraHandler = (call: JiraCall) => EmulatorResponse | Record<string, unknown> | unknown[];

/** Adds a route to the site API and its OAuth gateway twin (`/ex/jira/{cloudId}` + path). */
export type JiraRoute = (method: string, path: string, need: JiraNeed, handler: JiraHandler) => void;

export function isResponse(value: unknown): value is EmulatorResponse {
  return (
    typeof value === "object" &&
    value !== null &&
    !Array.isArray(value) &&
    "status" in value &&
    typeof (value as { status: unknown }).status === "number"
  );
}

/** A query parameter as an integer, or `fallback`. */
export function intParam(value: string | null, fallback: number): number {
  const n = value === null ? Number.NaN : Number.parseInt(value, 10);
  return Number.isFinite(n) ? n : fallback;
}

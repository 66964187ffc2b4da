import { definePollingTrigger, type PollingTrigger } from "@autoflow/core";
import { createJiraClient, type JiraClientOptions } from "../client";
import { toJiraError } from "../errors";
import { DEFAULT_SEARCH_FIELDS } from "../tasks/issue-search";
import type { JiraAnswer } from "../tasks/sdk-types";

/** What a poll authenticates with: a token, or a HOSTED connection's current auth (its token and its site's fields). */
type PollingAuth = string | { accessToken: string; additionalFields?: Record<string, string> | undefined };

/** A token, or a function that fetches one per poll (a HOSTED connection's current, refreshed auth). */
export type JiraPollingToken = string | (() => PollingAuth | Promise<PollingAuth>);

/** `jira.onIssueUpdatedPolling(options)`. */
export interface JiraPollingOptions {
  /** The project whose issues it watches (its key, `OPS`). */
  project: string;
  /** How far before the watermark each poll searches again (Jira's search index lags). Default 5 minutes. */
  overlapMs?: number;
  /** Default 60 000. */
  intervalMs?: number;
  /** Required when the `Jira` instance has no token of its own (HOSTED): polls run outside any job run. */
  token?: JiraPollingToken;
  /** The connection the token belongs to, when the service supplies one: part of the cursor's identity. */
  connectionId?: string;
  /** How to reach the site (`siteUrl` and `email` for an API token, `cloudId` for OAuth). */
  client?: JiraClientOptions;
}

/** One issue as the trigger starts a run with it: the search's issue with `DEFAULT_SEARCH_FIELDS`. */
export type JiraPolledIssue = NonNullable<
  JiraAnswer<"issueSearch", "searchAndReconsileIssuesUsingJql">["issues"]
>[number];

const PAGE_SIZE = 100;
const PROJECT_KEY = /^[A-Z][A-Z0-9_]{0,254}$/;

const updatedOf = (issue: JiraPolledIssue) => {
  const updated = (issue.fields as { updated?: unknown } | undefined)?.updated;
  const at = typeof updated === "string" ? Date.parse(updated) : Number.NaN;
  return Number.isFinite(at) ? new Date(at).toISOString() : new Date(0).toISOString();
};

/**
 * Issues created or updated in a project, polled with the enhanced JQL search on core's polling contract:
 * `project = X AND updated >= <epoch ms>` (an absolute instant, so the profile's timezone never shifts the window)
 * ordered `updated ASC, key ASC`, a page per `nextPageToken`. Jira's search is eventually consistent: each poll
 * searches again from the watermark minus an overlap window, and the ledger of `<id>@<updated>` keeps an issue version
 * from running twice; an update that shows late is still found.
 */
export function jiraIssuePollingTrigger(
  options: JiraPollingOptions & { token: JiraPollingToken },
): PollingTrigger<JiraPolledIssue> {
  if (!PROJECT_KEY.test(options.project)) {
    throw new TypeError(`jira polling: project must be a project key (OPS), got ${options.project}`);
  }
  const client = async () => {
    const auth = typeof options.token === "function" ? await options.token() : options.token;
    if (typeof auth === "string") return createJiraClient(auth, options.client);
    const fields = auth.additionalFields ?? {};
    return createJiraClient(auth.accessToken, {
      ...options.client,
      ...(fields.email !== undefined && { email: fields.email }),
      ...(fields.siteUrl !== undefined && { siteUrl: fields.siteUrl }),
      ...(fields.cloudId !== undefined && { cloudId: fields.cloudId }),
    });
  };
  const search = async (jql: string, nextPageToken: string | undefined, maxResults = PAGE_SIZE) => {
    try {
      return await (await client()).issueSearch.searchAndReconsileIssuesUsingJql({
        jql,
        fields: DEFAULT_SEARCH_FIELDS,
        maxResults,
        ...(nextPageToken !== undefined && { nextPageToken }),
      });
    } catch (error) {
      throw toJiraError(error);
    }
  };
  return definePollingTrigger<JiraPolledIssue>({
    provider: "jira",
    key: "jira.issueUpdatedPolling",
    inputs: { project: options.project },
    ...(options.connectionId !== undefined && { connectionId: options.connectionId }),
    title: `Jira: issue created or updated in ${options.project} (polling)`,
    intervalMs: options.intervalMs ?? 60_000,
    overlapMs: options.overlapMs ?? 5 * 60_000,
    async list({ since, page }) {
      const after = since === null ? "" : ` AND updated >= ${Date.parse(since)}`;
      const jql = `project = ${options.project}${after} ORDER BY updated ASC, key ASC`;
      const token = typeof page === "string" ? page : undefined;
      const answer = await search(jql, token);
      const next = answer.isLast === false ? answer.nextPageToken : undefined;
      return { items: answer.issues ?? [], ...(next ? { next } : {}) };
    },
    itemId: (issue) => `${issue.id}@${updatedOf(issue)}`,
    itemTime: updatedOf,
    async start() {
      const answer = await search(
        `project = ${options.project} ORDER BY updated DESC, key DESC`,
        undefined,
        1,
      );
      const newest = answer.issues?.[0];
      return newest ? updatedOf(newest) : null;
    },
  });
}

import type { ReconcileContext, ReconcileResult } from "@autoflow/core";
import type { CloudClient } from "jira.js/cloud";
import { markerJql, searchSettleOf } from "./marker";

/** The issue carrying `marker` (by JQL on its marker property), or undefined. */
export async function issueWithMarker(
  client: CloudClient,
  marker: string,
): Promise<{ id: string; key: string; self: string } | undefined> {
  const page = await client.issueSearch.searchAndReconsileIssuesUsingJql({
    jql: markerJql(marker),
    fields: ["summary"],
    maxResults: 1,
  });
  const issue = page.issues?.[0];
  return issue?.id && issue.key ? { id: issue.id, key: issue.key, self: issue.self ?? "" } : undefined;
}

/**
 * A lost create, looked up by its marker: found by JQL; certainly absent only once Jira's search has had the
 * client's search-settle window (`JIRA_SEARCH_SETTLE_MS`) since the call started. A miss inside the window asks
 * the runtime to look again at its end (`lookAgainAt`): the task waits on the run's clock, durably, and the create
 * is not repeated until that later look misses too.
 */
export async function reconcileCreatedIssue(
  client: CloudClient,
  { marker, callStartedAt, now }: Pick<ReconcileContext, "marker" | "callStartedAt" | "now">,
  settleMs = searchSettleOf(client),
): Promise<ReconcileResult<{ id: string; key: string; self: string }>> {
  const found = await issueWithMarker(client, marker);
  if (found) return { found: true, output: found };
  const settledAt = callStartedAt.getTime() + settleMs;
  return now.getTime() < settledAt ? { unknown: true, lookAgainAt: new Date(settledAt) } : { found: false };
}

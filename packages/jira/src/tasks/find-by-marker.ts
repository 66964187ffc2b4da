import type { ReconcileContext, ReconcileResult } from "@autoflow/core";
import type { CloudClient } from "jira.js";
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
 * A lost create, looked up by its marker: found by JQL, or certainly absent once Jira's search has had
 * the client's search-settle window (`JIRA_SEARCH_SETTLE_MS`) since the call started (the reconciler waits out the rest of it and searches again).
 */
export async function reconcileCreatedIssue(
  client: CloudClient,
  { marker, callStartedAt }: Pick<ReconcileContext, "marker" | "callStartedAt">,
  settleMs = searchSettleOf(client),
): Promise<ReconcileResult<{ id: string; key: string; self: string }>> {
  const first = await issueWithMarker(client, marker);
  if (first) return { found: true, output: first };
  const rest = callStartedAt.getTime() + settleMs - Date.now();
  if (rest > 0) await new Promise((resolve) => setTimeout(resolve, rest));
  const second = rest > 0 ? await issueWithMarker(client, marker) : undefined;
  return second ? { found: true, output: second } : { found: false };
}

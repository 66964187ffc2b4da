import type { JiraState, StoredIssue } from "./jira-state";
import type { ChangelogItem } from "./jira-webhooks";

/** What an issue looked like before a change, for the changelog that `jira:issue_updated` carries. */
export type IssueSnapshot = Pick<
  StoredIssue,
  "summary" | "description" | "statusId" | "assigneeAccountId" | "labels" | "custom" | "issueTypeId"
>;

export function snapshotOf(issue: StoredIssue): IssueSnapshot {
  return structuredClone({
    summary: issue.summary,
    description: issue.description,
    statusId: issue.statusId,
    assigneeAccountId: issue.assigneeAccountId,
    labels: issue.labels,
    custom: issue.custom,
    issueTypeId: issue.issueTypeId,
  });
}

/** The changelog items between `before` and the issue now, named as Jira names them. */
export function changelogItems(state: JiraState, before: IssueSnapshot, after: StoredIssue): ChangelogItem[] {
  const items: ChangelogItem[] = [];
  const add = (
    field: string,
    fieldId: string,
    from: string | null,
    fromString: string | null,
    to: string | null,
    toText: string | null,
    fieldtype: "jira" | "custom" = "jira",
  ) => items.push({ field, fieldtype, fieldId, from, fromString, to, toString: toText });
  if (before.summary !== after.summary) add("summary", "summary", null, before.summary, null, after.summary);
  if (JSON.stringify(before.description) !== JSON.stringify(after.description)) {
    add("description", "description", null, adfText(before.description), null, adfText(after.description));
  }
  if (before.statusId !== after.statusId) {
    add(
      "status",
      "status",
      before.statusId,
      state.status(before.statusId)?.name ?? null,
      after.statusId,
      state.status(after.statusId)?.name ?? null,
    );
  }
  if (before.issueTypeId !== after.issueTypeId) {
    add(
      "issuetype",
      "issuetype",
      before.issueTypeId,
      state.issueType(before.issueTypeId)?.name ?? null,
      after.issueTypeId,
      state.issueType(after.issueTypeId)?.name ?? null,
    );
  }
  if (before.assigneeAccountId !== after.assigneeAccountId) {
    const name = (id: string | null) => (id === null ? null : (state.user(id)?.displayName ?? null));
    add(
      "assignee",
      "assignee",
      before.assigneeAccountId,
      name(before.assigneeAccountId),
      after.assigneeAccountId,
      name(after.assigneeAccountId),
    );
  }
  if (before.labels.join(" ") !== after.labels.join(" ")) {
    add("labels", "labels", null, before.labels.join(" "), null, after.labels.join(" "));
  }
  for (const id of new Set([...Object.keys(before.custom), ...Object.keys(after.custom)])) {
    const from = before.custom[id];
    const to = after.custom[id];
    if (JSON.stringify(from) === JSON.stringify(to)) continue;
    const name = state.field(id)?.name ?? id;
    add(name, id, null, from == null ? null : String(from), null, to == null ? null : String(to), "custom");
  }
  return items;
}

/** The plain text of an ADF document (what a changelog's `fromString` / `toString` hold). */
export function adfText(doc: unknown): string | null {
  if (doc === null || doc === undefined) return null;
  const parts: string[] = [];
  const walk = (node: unknown) => {
    if (!node || typeof node !== "object") return;
    const n = node as { text?: unknown; content?: unknown };
    if (typeof n.text === "string") parts.push(n.text);
    if (Array.isArray(n.content)) n.content.forEach(walk);
  };
  walk(doc);
  return parts.join("");
}

/** Whether `value` is an Atlassian Document Format document (`{ type: "doc", version: 1, content: [...] }`). */
export function isAdf(value: unknown): boolean {
  if (!value || typeof value !== "object" || Array.isArray(value)) return false;
  const doc = value as { type?: unknown; version?: unknown; content?: unknown };
  return doc.type === "doc" && doc.version === 1 && Array.isArray(doc.content);
}

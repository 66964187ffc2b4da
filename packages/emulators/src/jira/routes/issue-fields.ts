import { isAdf } from "../jira-changelog";
import type { JiraState, StoredIssue } from "../jira-state";

/** What `fields` of a create or edit set, read and checked as Jira checks them. */
export interface IssueFieldValues {
  projectKey?: string;
  issueTypeId?: string;
  summary?: string;
  description?: unknown;
  assigneeAccountId?: string | null;
  labels?: string[];
  custom: Record<string, unknown>;
}

/** The values `fields` sets, or Jira's per-field `errors` (400) for what it refuses. */
export function readIssueFields(
  state: JiraState,
  fields: Record<string, unknown>,
): { values: IssueFieldValues } | { errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  const values: IssueFieldValues = { custom: {} };
  for (const [id, value] of Object.entries(fields)) {
    switch (id) {
      case "project": {
        const ref = value as { key?: string; id?: string } | null;
        const project = ref && state.project(String(ref.key ?? ref.id ?? ""));
        if (project) values.projectKey = project.key;
        else errors.project = "Specify a valid project ID or key";
        break;
      }
      case "issuetype": {
        const ref = value as { name?: string; id?: string } | null;
        const type = ref && state.issueType(String(ref.id ?? ref.name ?? ""));
        if (type) values.issueTypeId = type.id;
        else errors.issuetype = "Specify a valid issue type";
        break;
      }
      case "summary":
        if (typeof value !== "string" || value.trim() === "")
          errors.summary = "You must specify a summary of the issue.";
        else if (value.length > 255) errors.summary = "Summary must be less than 255 characters.";
        else values.summary = value;
        break;
      case "description":
        // API v3 takes rich text as an Atlassian Document only (v2 took wiki markup strings).
        if (value !== null && !isAdf(value))
          errors.description =
            "Operation value must be an Atlassian Document (see the Atlassian Document Format)";
        else values.description = value;
        break;
      case "assignee": {
        const ref = value as { accountId?: string | null } | null;
        const accountId = ref?.accountId ?? null;
        if (accountId !== null && !state.user(accountId))
          errors.assignee = `User '${accountId}' cannot be assigned issues.`;
        else values.assigneeAccountId = accountId;
        break;
      }
      case "labels":
        if (!Array.isArray(value) || value.some((l) => typeof l !== "string" || /\s/.test(l))) {
          errors.labels = "The label must not contain spaces.";
        } else values.labels = value as string[];
        break;
      case "reporter":
        break;
      default:
        if (state.field(id)?.custom) values.custom[id] = value;
        else errors[id] = `Field '${id}' cannot be set. It is not on the appropriate screen, or unknown.`;
    }
  }
  return Object.keys(errors).length > 0 ? { errors } : { values };
}

/** Applies read values to an issue. */
export function applyIssueFields(issue: StoredIssue, values: IssueFieldValues): void {
  if (values.issueTypeId !== undefined) issue.issueTypeId = values.issueTypeId;
  if (values.summary !== undefined) issue.summary = values.summary;
  if (values.description !== undefined) issue.description = values.description;
  if (values.assigneeAccountId !== undefined) issue.assigneeAccountId = values.assigneeAccountId;
  if (values.labels !== undefined) issue.labels = values.labels;
  Object.assign(issue.custom, values.custom);
}

/** The `update` verbs the emulator applies (`labels: [{ add }, { remove }]`, `summary: [{ set }]`), into `fields`. */
export function foldUpdate(issue: StoredIssue, update: unknown, fields: Record<string, unknown>): void {
  if (!update || typeof update !== "object") return;
  for (const [id, operations] of Object.entries(update as Record<string, unknown>)) {
    if (!Array.isArray(operations)) continue;
    for (const op of operations as Array<Record<string, unknown>>) {
      if (id === "labels") {
        const labels = new Set((fields.labels as string[] | undefined) ?? issue.labels);
        if (typeof op.add === "string") labels.add(op.add);
        if (typeof op.remove === "string") labels.delete(op.remove);
        if (Array.isArray(op.set)) fields.labels = op.set;
        else fields.labels = [...labels];
      } else if ("set" in op) fields[id] = op.set;
    }
  }
}

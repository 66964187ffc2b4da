import type { EmulatorResponse } from "../../shared/types";
import type { JiraCall, JiraRoute } from "../jira-api";
import { intParam } from "../jira-api";
import { changelogItems, isAdf, snapshotOf } from "../jira-changelog";
import { SEED_TRANSITIONS } from "../jira-seed";
import type { StoredIssue } from "../jira-state";
import { issueNotFound, jiraError } from "../jira-wire";
import { applyIssueFields, foldUpdate, readIssueFields } from "./issue-fields";

/** The issue named by the path's `issueIdOrKey`. */
export function pathIssue(call: JiraCall): StoredIssue | undefined {
  return call.state.issue(call.request.params.issueIdOrKey ?? "");
}

/** The `fields` query parameter (repeated or comma-separated), or `fallback`. */
export function fieldsParam(call: JiraCall, fallback: string[]): string[] {
  const all = call.request.query.getAll("fields").flatMap((f) => f.split(","));
  return all.length > 0 ? all : fallback;
}

/** Creates an issue from a create request's body (`fields`, `properties`): 201 `{ id, key, self }`, or Jira's 400. */
export function createIssue(call: JiraCall, body: Record<string, unknown>): EmulatorResponse {
  const { state, caller, webhooks, render } = call;
  const fields = (body.fields as Record<string, unknown> | undefined) ?? {};
  const read = readIssueFields(state, fields);
  if ("errors" in read) return jiraError(400, [], read.errors);
  const { values } = read;
  const errors: Record<string, string> = {};
  if (!values.projectKey) errors.project = "Specify a valid project ID or key";
  if (!values.issueTypeId) errors.issuetype = "Specify an issue type";
  if (values.summary === undefined) errors.summary = "You must specify a summary of the issue.";
  if (Object.keys(errors).length > 0) return jiraError(400, [], errors);
  const properties = Object.fromEntries(
    ((body.properties as Array<{ key: string; value: unknown }> | undefined) ?? []).map((p) => [
      p.key,
      p.value,
    ]),
  );
  const issue = state.createIssue({
    projectKey: values.projectKey as string,
    issueTypeId: values.issueTypeId as string,
    summary: values.summary as string,
    reporterAccountId: caller.user.accountId,
    custom: values.custom,
    properties,
    ...(values.description !== undefined && { description: values.description }),
    ...(values.assigneeAccountId !== undefined && { assigneeAccountId: values.assigneeAccountId }),
    ...(values.labels !== undefined && { labels: values.labels }),
  });
  webhooks.issueCreated(issue, caller.user);
  const self = render.issue(issue, []).self;
  return { status: 201, body: { id: issue.id, key: issue.key, self } };
}

/** Issues: create, read, edit, delete, assign, transition, and comments. */
export function registerIssueRoutes(route: JiraRoute): void {
  route("POST", "/rest/api/3/issue", "write", (call) => createIssue(call, call.body));

  route("GET", "/rest/api/3/issue/:issueIdOrKey", "read", (call) => {
    const issue = pathIssue(call);
    if (!issue) return issueNotFound();
    const properties = call.request.query.getAll("properties").flatMap((p) => p.split(","));
    return call.render.issue(issue, fieldsParam(call, ["*all"]), properties);
  });

  route("PUT", "/rest/api/3/issue/:issueIdOrKey", "write", (call) => {
    const issue = pathIssue(call);
    if (!issue) return issueNotFound();
    const { body, state, caller, webhooks, render } = call;
    const fields = { ...((body.fields as Record<string, unknown> | undefined) ?? {}) };
    foldUpdate(issue, body.update, fields);
    if ("project" in fields) return jiraError(400, [], { project: "Field 'project' cannot be set." });
    const read = readIssueFields(state, fields);
    if ("errors" in read) return jiraError(400, [], read.errors);
    const before = snapshotOf(issue);
    state.updateIssue(issue, (i) => {
      applyIssueFields(i, read.values);
      for (const p of (body.properties as Array<{ key: string; value: unknown }> | undefined) ?? []) {
        i.properties[p.key] = p.value;
      }
    });
    webhooks.issueUpdated(issue, caller.user, changelogItems(state, before, issue));
    if (call.request.query.get("returnIssue") === "true") return { status: 200, body: render.issue(issue) };
    return { status: 204 };
  });

  route("DELETE", "/rest/api/3/issue/:issueIdOrKey", "write", (call) => {
    const issue = pathIssue(call);
    if (!issue) return issueNotFound();
    // The payload shows the issue as it was: rendered before it is gone.
    call.webhooks.issueDeleted(issue, call.caller.user);
    call.state.deleteIssue(issue);
    return { status: 204 };
  });

  route("PUT", "/rest/api/3/issue/:issueIdOrKey/assignee", "write", (call) => {
    const issue = pathIssue(call);
    if (!issue) return issueNotFound();
    const { body, state, caller, webhooks } = call;
    const accountId = (body.accountId as string | null | undefined) ?? null;
    if (accountId !== null && !state.user(accountId)) {
      return jiraError(400, [], { assignee: `User '${accountId}' cannot be assigned issues.` });
    }
    const before = snapshotOf(issue);
    state.updateIssue(issue, (i) => {
      i.assigneeAccountId = accountId;
    });
    webhooks.issueUpdated(issue, caller.user, changelogItems(state, before, issue), "issue_assigned");
    return { status: 204 };
  });

  route("GET", "/rest/api/3/issue/:issueIdOrKey/transitions", "read", (call) => {
    const issue = pathIssue(call);
    if (!issue) return issueNotFound();
    const { transitions } = call.render.transitions();
    const only = call.request.query.get("transitionId");
    return { transitions: only ? transitions.filter((t) => t.id === only) : transitions };
  });

  route("POST", "/rest/api/3/issue/:issueIdOrKey/transitions", "write", (call) => {
    const issue = pathIssue(call);
    if (!issue) return issueNotFound();
    const { body, state, caller, webhooks } = call;
    const id = String((body.transition as { id?: unknown } | undefined)?.id ?? "");
    const transition = SEED_TRANSITIONS.find((t) => t.id === id);
    if (!transition) return jiraError(400, [`Transition id '${id}' is not valid for this issue.`]);
    const fields = (body.fields as Record<string, unknown> | undefined) ?? {};
    const read = readIssueFields(state, fields);
    if ("errors" in read) return jiraError(400, [], read.errors);
    const before = snapshotOf(issue);
    state.updateIssue(issue, (i) => {
      applyIssueFields(i, read.values);
      i.statusId = transition.toStatusId;
    });
    webhooks.issueUpdated(issue, caller.user, changelogItems(state, before, issue), "issue_generic");
    return { status: 204 };
  });

  route("GET", "/rest/api/3/issue/:issueIdOrKey/comment", "read", (call) => {
    const issue = pathIssue(call);
    if (!issue) return issueNotFound();
    const startAt = intParam(call.request.query.get("startAt"), 0);
    const maxResults = intParam(call.request.query.get("maxResults"), 5000);
    const ordered =
      call.request.query.get("orderBy") === "-created" ? [...issue.comments].reverse() : issue.comments;
    return {
      startAt,
      maxResults,
      total: issue.comments.length,
      comments: ordered
        .slice(startAt, startAt + maxResults)
        .map((c) => call.render.comment(issue, c, expands(call, "properties"))),
    };
  });

  route("GET", "/rest/api/3/issue/:issueIdOrKey/comment/:id", "read", (call) => {
    const issue = pathIssue(call);
    if (!issue) return issueNotFound();
    const comment = issue.comments.find((c) => c.id === call.request.params.id);
    if (!comment)
      return jiraError(404, ["Can not find a comment for the id: " + call.request.params.id + "."]);
    return call.render.comment(issue, comment, expands(call, "properties"));
  });

  route("POST", "/rest/api/3/issue/:issueIdOrKey/comment", "write", (call) => {
    const issue = pathIssue(call);
    if (!issue) return issueNotFound();
    const { body, state, caller, webhooks, render } = call;
    if (body.body === undefined || body.body === null)
      return jiraError(400, [], { comment: "Comment body can not be empty!" });
    if (!isAdf(body.body)) {
      return jiraError(400, [], {
        comment: "Operation value must be an Atlassian Document (see the Atlassian Document Format)",
      });
    }
    const comment = state.addComment(
      issue,
      caller.user.accountId,
      body.body,
      entityProperties(body.properties),
    );
    webhooks.commentCreated(issue, comment, caller.user);
    return { status: 201, body: render.comment(issue, comment) };
  });
}

/** Whether the request's `expand` (comma-separated) names `what`. */
function expands(call: { request: { query: URLSearchParams } }, what: string): boolean {
  return (call.request.query.get("expand") ?? "").split(",").some((part) => part.trim() === what);
}

/** A create body's `properties` (`[{ key, value }]`, Jira's `EntityProperty`), the malformed ones left out. */
export function entityProperties(value: unknown): { key: string; value: unknown }[] {
  if (!Array.isArray(value)) return [];
  return value.filter(
    (entry): entry is { key: string; value: unknown } =>
      typeof entry === "object" && entry !== null && typeof (entry as { key?: unknown }).key === "string",
  );
}

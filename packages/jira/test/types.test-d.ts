import type { TaskOutput, WebhookTrigger } from "@autoflow/core";
import { describe, expectTypeOf, it } from "vitest";
import {
  Jira,
  type JiraCommentEvent,
  type JiraIssueEvent,
  type SyncedTicket,
  type TransitionedIssue,
} from "../src/index";

// Type-level behaviour, checked by `vitest --typecheck`; nothing here runs.
const jira = new Jira({
  id: "types",
  token: "ATATT3xFfGF0types_only_0000",
  email: "a@example.com",
  siteUrl: "https://x.atlassian.net",
});

describe("hand-written tasks", () => {
  it("take jira.js's own params and resolve to its models, as the task log keeps them", () => {
    expectTypeOf(jira.issues.createIssue).returns.resolves.toHaveProperty("key").toEqualTypeOf<string>();
    expectTypeOf(jira.issues.getIssue).returns.resolves.toHaveProperty("fields");
    expectTypeOf(jira.issueComments.addComment).returns.resolves.toHaveProperty("id");
    expectTypeOf(jira.issueSearch.searchAndReconsileIssuesUsingJql).returns.resolves.toHaveProperty(
      "nextPageToken",
    );
    expectTypeOf(jira.issueSearch.searchAndReconsileIssuesUsingJqlAll).returns.resolves.toBeArray();
    expectTypeOf(jira.issues.editIssue).returns.resolves.toEqualTypeOf<undefined>();
    expectTypeOf(jira.myself.getCurrentUser).returns.resolves.toHaveProperty("accountId");
    expectTypeOf(jira.tickets.sync).returns.resolves.toEqualTypeOf<TaskOutput<SyncedTicket>>();
    expectTypeOf(jira.transitionTo).returns.resolves.toEqualTypeOf<TaskOutput<TransitionedIssue>>();
  });

  it("types every other method as a passthrough task", () => {
    expectTypeOf(jira.issueWatchers.getIssueWatchers).returns.resolves.toHaveProperty("watchCount");
    expectTypeOf(jira.issues.getChangeLogs).toBeFunction();
  });

  it("rejects misspelt methods, wrong params, a missing key and the removed search", () => {
    const wrong = () => {
      // @ts-expect-error no such method on issues
      jira.issues.creatIssue("k", { fields: {} });
      // @ts-expect-error issueIdOrKey is a string
      jira.issues.getIssue("k", { issueIdOrKey: 10001 });
      // @ts-expect-error the task key comes first
      jira.issues.getIssue({ issueIdOrKey: "OPS-1" });
      // @ts-expect-error a page walk needs its limit
      jira.issueSearch.searchAndReconsileIssuesUsingJqlAll("k", { jql: "project = OPS" });
      // @ts-expect-error a ticket needs its external id
      jira.tickets.sync("k", { project: "OPS", issueType: "Task", fields: { summary: "x" } });
      // @ts-expect-error a text comment takes text, not a number
      jira.addTextComment("k", { issueIdOrKey: "OPS-1", text: 1 });
    };
    expectTypeOf(wrong).toBeFunction();
  });
});

describe("triggers", () => {
  it("type their payloads", () => {
    expectTypeOf(jira.onIssueCreated({ project: "OPS" })).toEqualTypeOf<WebhookTrigger<JiraIssueEvent>>();
    expectTypeOf(jira.onCommentCreated()).toEqualTypeOf<WebhookTrigger<JiraCommentEvent>>();
    // @ts-expect-error fields are a list of field ids
    jira.onIssueUpdated({ fields: "status" });
  });
});

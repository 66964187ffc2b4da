import { createCloudClient } from "jira.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { JiraEmulator } from "../src/index";
import { loadDerivedSpec, OperationValidator } from "./openapi-conformance";

// Atlassian's Jira Cloud platform description (`specs/jira/platform.json`, the operations the emulator serves with
// state): every answer of every route, driven through the real `jira.js` client over HTTP, validated against the
// operation's response schema. jira.js reads responses with its own schemas too: a mismatch it reports fails here.
const description = loadDerivedSpec("jira", "platform.json");
const api = new OperationValidator(description);
const emulator = new JiraEmulator();
const violations: string[] = [];
const exercised = new Set<string>();
const realFetch = globalThis.fetch;

/** jira.js calls the global fetch: every successful answer is checked against the operation's response schema. */
const checkedFetch: typeof fetch = async (input, init) => {
  const response = await realFetch(input, init);
  const url = new URL(input instanceof Request ? input.url : String(input));
  const method = (init?.method ?? (input instanceof Request ? input.method : "GET")).toUpperCase();
  const path = url.pathname.replace(`/ex/jira/${emulator.cloudId}`, "");
  // API v2 (wiki markup) is outside the v3 description.
  if (!path.startsWith("/rest/api/3/")) return response;
  // A literal path (`/project/search`) is its own operation, not a value of a template (`/project/{projectIdOrKey}`).
  const literal = `${method} ${path}`;
  const operation = api.operations.includes(literal) ? literal : api.operationOf(method, path);
  if (!operation) violations.push(`${method} ${path}: not a described operation`);
  else {
    exercised.add(operation);
    if (response.ok) {
      const text = await response.clone().text();
      violations.push(
        ...api.validateResponse(operation, response.status, text === "" ? "" : JSON.parse(text)),
      );
    }
  }
  return response;
};

beforeAll(async () => {
  globalThis.fetch = checkedFetch;
  await emulator.start();
});
afterAll(async () => {
  globalThis.fetch = realFetch;
  await emulator.stop();
});

const mismatches: string[] = [];
const onSchemaMismatch = (report: { endpoint: string; issues: unknown[] }) => {
  mismatches.push(`${report.endpoint}: ${JSON.stringify(report.issues)}`);
};

const doc = (text: string) => ({
  type: "doc" as const,
  version: 1 as const,
  content: [{ type: "paragraph" as const, content: [{ type: "text" as const, text }] }],
});

describe("the Jira emulator against Atlassian's description, through jira.js", () => {
  it("answers every operation it serves with state as described, on the site and through the gateway", async () => {
    const token = emulator.mintApiToken();
    const site = createCloudClient({
      host: token.siteUrl,
      auth: { type: "basic", email: token.email, apiToken: token.apiToken },
      onSchemaMismatch,
    });
    const gateway = createCloudClient({
      host: emulator.gatewayUrl,
      auth: { type: "bearer", token: emulator.mintToken() },
      onSchemaMismatch,
    });

    const me = await site.myself.getCurrentUser();
    await gateway.myself.getCurrentUser();
    await site.userSearch.findUsers({ query: "grace" });
    await site.projects.searchProjects({ maxResults: 10 });
    await gateway.projects.getProject({ projectIdOrKey: "OPS" });
    await site.issueTypes.getIssueAllTypes();
    await site.issueFields.getFields();

    const created = await site.issues.createIssue({
      fields: {
        project: { key: "OPS" },
        issuetype: { name: "Task" },
        summary: "Disk full on db-1",
        description: doc("The disk is full."),
        labels: ["ops"],
      },
    });
    const other = await gateway.issues.createIssue({
      fields: {
        project: { key: "OPS" },
        issuetype: { name: "Bug" },
        summary: "Backups fail",
        description: "h2. Wiki",
      },
    });
    expect(emulator.issue(other.key as string)?.description).toEqual(doc("h2. Wiki"));
    await site.issues.getIssue({ issueIdOrKey: created.key as string });
    await site.issues.editIssue({
      issueIdOrKey: created.key as string,
      fields: { summary: "Disk full on db-2" },
    });
    await site.issues.assignIssue({ issueIdOrKey: created.key as string, accountId: me.accountId as string });
    const { transitions } = await site.issues.getTransitions({ issueIdOrKey: created.key as string });
    expect(transitions?.map((t) => t.id)).toEqual(["11", "21", "31"]);
    await site.issues.doTransition({ issueIdOrKey: created.key as string, transition: { id: "21" } });
    await site.issueComments.addComment({ issueIdOrKey: created.key as string, body: doc("Looking") });
    await site.issueComments.getComments({ issueIdOrKey: created.key as string });
    // A wiki-markup body goes through API v2, then jira.js reads the comment back through v3.
    const wiki = await site.issueComments.addComment({
      issueIdOrKey: created.key as string,
      body: "*Still* looking",
    });
    expect(wiki.body).toEqual(doc("*Still* looking"));
    await site.issueProperties.setIssueProperty({
      issueIdOrKey: created.key as string,
      propertyKey: "autoflow",
      body: { taskKey: "t-1" },
    });
    await site.issueProperties.getIssueProperty({
      issueIdOrKey: created.key as string,
      propertyKey: "autoflow",
    });
    await site.issueLinks.linkIssues({
      type: { name: "Blocks" },
      inwardIssue: { key: other.key },
      outwardIssue: { key: created.key },
    });
    const linkId = emulator.issue(created.key as string) && [...emulator.state.links.keys()][0];
    await site.issueLinks.getIssueLink({ linkId: String(linkId) });
    await site.issueLinks.deleteIssueLink({ linkId: String(linkId) });
    await site.issueProperties.deleteIssueProperty({
      issueIdOrKey: created.key as string,
      propertyKey: "autoflow",
    });

    const page = await site.issueSearch.searchAndReconsileIssuesUsingJql({
      jql: "project = OPS ORDER BY key ASC",
      fields: ["summary", "status", "updated"],
      maxResults: 1,
    });
    expect(page.issues?.map((i) => i.key)).toEqual([created.key]);
    expect(page.isLast).toBe(false);
    const next = await site.issueSearch.searchAndReconsileIssuesUsingJqlPost({
      jql: "project = OPS ORDER BY key ASC",
      fields: ["summary"],
      maxResults: 1,
      nextPageToken: page.nextPageToken as string,
    });
    expect(next.issues?.map((i) => i.key)).toEqual([other.key]);
    expect(next.isLast).toBe(true);
    expect(await site.issueSearch.countIssues({ jql: "project = OPS" })).toEqual({ count: 2 });
    for (const method of ["GET", "POST"]) {
      const removed = await fetch(`${emulator.siteUrl}/rest/api/3/search?jql=project%3DOPS`, {
        method,
        headers: {
          authorization: `Basic ${Buffer.from(`${token.email}:${token.apiToken}`).toString("base64")}`,
          ...(method === "POST" && { "content-type": "application/json" }),
        },
        ...(method === "POST" && { body: JSON.stringify({ jql: "project = OPS" }) }),
      });
      expect(removed.status).toBe(410);
    }

    const registered = await gateway.webhooks.registerDynamicWebhooks({
      url: "https://example.com/hooks/jira",
      webhooks: [{ events: ["jira:issue_created", "jira:issue_updated"], jqlFilter: "project = OPS" }],
    });
    const webhookId = registered.webhookRegistrationResult?.[0]?.createdWebhookId as number;
    await gateway.webhooks.getDynamicWebhooksForApp();
    await gateway.webhooks.refreshWebhooks({ webhookIds: [webhookId] });
    await gateway.webhooks.deleteWebhookById({ webhookIds: [webhookId] });
    await site.issues.deleteIssue({ issueIdOrKey: other.key as string });

    expect(violations).toEqual([]);
    expect(mismatches).toEqual([]);
    expect(emulator.requestViolations).toEqual([]);
    // Every operation of the subset was called.
    expect(api.operations.filter((operation) => !exercised.has(operation))).toEqual([]);
  });
});

import { fileURLToPath } from "node:url";
import { type ContractTask, describeProvider } from "@autoflow/core/testing";
import { DEFAULT_JIRA_USER, JiraEmulator } from "@autoflow/emulators";
import { beforeEach } from "vitest";
import { createJiraLifecycle, JIRA_PROVIDER_DEFINITION, Jira } from "../src/index";

// The shared provider suite, with every hand-written task, against the emulator over real HTTP (OAuth tokens
// through the gateway, `/ex/jira/<cloudId>`).
const emulator = new JiraEmulator();
beforeEach(() => emulator.reset());

const issue = () => emulator.createIssue(`Seeded ${Math.random()}`).key;
const fields = (summary: string) => ({
  project: { key: "OPS" },
  issuetype: { name: "Task" },
  summary,
});

const tasks: ContractTask<Jira>[] = [
  { name: "issues.createIssue", call: (j, key) => j.issues.createIssue(key, { fields: fields("Created") }) },
  { name: "issues.getIssue", call: (j, key) => j.issues.getIssue(key, { issueIdOrKey: issue() }) },
  {
    name: "issues.editIssue",
    call: (j, key) => j.issues.editIssue(key, { issueIdOrKey: issue(), fields: { summary: "Edited" } }),
  },
  { name: "issues.deleteIssue", call: (j, key) => j.issues.deleteIssue(key, { issueIdOrKey: issue() }) },
  {
    name: "issues.assignIssue",
    call: (j, key) =>
      j.issues.assignIssue(key, { issueIdOrKey: issue(), accountId: DEFAULT_JIRA_USER.accountId }),
  },
  {
    name: "issues.getTransitions",
    call: (j, key) => j.issues.getTransitions(key, { issueIdOrKey: issue() }),
  },
  {
    name: "issues.doTransition",
    call: (j, key) => j.issues.doTransition(key, { issueIdOrKey: issue(), transition: { id: "31" } }),
  },
  {
    name: "issueComments.addComment",
    call: (j, key) =>
      j.issueComments.addComment(key, {
        issueIdOrKey: issue(),
        body: {
          type: "doc",
          version: 1,
          content: [{ type: "paragraph", content: [{ type: "text", text: "Hi" }] }],
        },
      }),
  },
  {
    name: "issueComments.getComments",
    call: (j, key) => j.issueComments.getComments(key, { issueIdOrKey: issue() }),
  },
  {
    name: "issueComments.getComment",
    call: (j, key) => {
      const stored = emulator.issue(issue());
      const comment = stored && emulator.state.addComment(stored, stored.reporterAccountId, "Hello");
      return j.issueComments.getComment(key, { issueIdOrKey: stored?.key ?? "", id: comment?.id ?? "" });
    },
  },
  {
    name: "issueSearch.searchAndReconsileIssuesUsingJql",
    call: (j, key) => j.issueSearch.searchAndReconsileIssuesUsingJql(key, { jql: "project = OPS" }),
  },
  {
    name: "issueSearch.searchAndReconsileIssuesUsingJqlPost",
    call: (j, key) => j.issueSearch.searchAndReconsileIssuesUsingJqlPost(key, { jql: "project = OPS" }),
  },
  {
    name: "issueSearch.searchAndReconsileIssuesUsingJqlAll",
    call: (j, key) =>
      j.issueSearch.searchAndReconsileIssuesUsingJqlAll(key, { jql: "project = OPS" }, { limit: 10 }),
  },
  {
    name: "issueSearch.countIssues",
    call: (j, key) => j.issueSearch.countIssues(key, { jql: "project = OPS" }),
  },
  {
    name: "issueProperties.setIssueProperty",
    call: (j, key) =>
      j.issueProperties.setIssueProperty(key, {
        issueIdOrKey: issue(),
        propertyKey: "sync",
        body: { id: "A-1" },
      }),
  },
  {
    name: "issueProperties.getIssueProperty",
    call: async (j, key) => {
      const issueKey = issue();
      await j.issueProperties.setIssueProperty(`${key}-set`, {
        issueIdOrKey: issueKey,
        propertyKey: "sync",
        body: { id: "A-1" },
      });
      return j.issueProperties.getIssueProperty(key, { issueIdOrKey: issueKey, propertyKey: "sync" });
    },
  },
  {
    name: "issueLinks.linkIssues",
    call: (j, key) =>
      j.issueLinks.linkIssues(key, {
        type: { name: "Blocks" },
        inwardIssue: { key: issue() },
        outwardIssue: { key: issue() },
      }),
  },
  {
    name: "issueLinks.getIssueLink",
    call: (j, key) => {
      const link = emulator.state.addLink("10000", emulator.issue(issue())!, emulator.issue(issue())!);
      return j.issueLinks.getIssueLink(key, { linkId: link.id });
    },
  },
  {
    name: "issueLinks.deleteIssueLink",
    call: (j, key) => {
      const link = emulator.state.addLink("10000", emulator.issue(issue())!, emulator.issue(issue())!);
      return j.issueLinks.deleteIssueLink(key, { linkId: link.id });
    },
  },
  { name: "projects.searchProjects", call: (j, key) => j.projects.searchProjects(key, {}) },
  { name: "projects.getProject", call: (j, key) => j.projects.getProject(key, { projectIdOrKey: "OPS" }) },
  { name: "myself.getCurrentUser", call: (j, key) => j.myself.getCurrentUser(key) },
  { name: "userSearch.findUsers", call: (j, key) => j.userSearch.findUsers(key, { query: "grace" }) },
  { name: "issueFields.getFields", call: (j, key) => j.issueFields.getFields(key) },
  {
    name: "webhooks.registerDynamicWebhooks",
    call: (j, key) =>
      j.webhooks.registerDynamicWebhooks(key, {
        url: "https://example.com/hooks/jira",
        webhooks: [{ events: ["jira:issue_created"], jqlFilter: "project = OPS" }],
      }),
  },
  { name: "webhooks.getDynamicWebhooksForApp", call: (j, key) => j.webhooks.getDynamicWebhooksForApp(key) },
  {
    name: "webhooks.refreshWebhooks",
    call: async (j, key) => {
      const registered = await j.webhooks.registerDynamicWebhooks(`${key}-register`, {
        url: "https://example.com/hooks/jira",
        webhooks: [{ events: ["jira:issue_updated"], jqlFilter: "project = OPS" }],
      });
      const id = registered.webhookRegistrationResult?.[0]?.createdWebhookId ?? 0;
      return j.webhooks.refreshWebhooks(key, { webhookIds: [id] });
    },
  },
  {
    name: "webhooks.deleteWebhookById",
    call: (j, key) => j.webhooks.deleteWebhookById(key, { webhookIds: [1] }),
  },
  {
    name: "addTextComment",
    call: (j, key) => j.addTextComment(key, { issueIdOrKey: issue(), text: "Deployed.\n\nThanks" }),
  },
  {
    name: "setDescription",
    call: (j, key) => j.setDescription(key, { issueIdOrKey: issue(), text: "Plain" }),
  },
  { name: "transitionTo", call: (j, key) => j.transitionTo(key, { issueIdOrKey: issue(), status: "Done" }) },
];

describeProvider({
  className: "Jira",
  definition: JIRA_PROVIDER_DEFINITION,
  emulator,
  create: (options, jira) => new Jira({ ...options, apiBaseUrl: jira.apiUrl, cloudId: jira.cloudId }),
  tasks,
  // A create, reconciled by its marker property: under a persistent fault the lookup fails too, so the outcome
  // stays unknown and the task is not repeated (the standard expectation).
  faultCall: (j, key) => j.issues.createIssue(key, { fields: fields("Fault") }),
  passthrough: {
    method: "issueWatchers.getIssueWatchers",
    call: (j, key) => j.issueWatchers.getIssueWatchers(key, { issueIdOrKey: issue() }),
  },
  lifecycle: {
    create: (store, clock, jira) =>
      createJiraLifecycle({
        store,
        clock,
        apiBaseUrl: jira.apiUrl,
        oauthBaseUrl: jira.webUrl,
        oauthClient: { ...jira.oauthClient, redirectUri: "http://127.0.0.1:9/callback" },
        timeoutMs: 10_000,
      }),
    expectedMetadata: { cloudId: emulator.cloudId },
    refresh: {
      refreshRequestCount: (jira) =>
        jira.requests.filter((r: { path: string }) => r.path === "/oauth/token").length,
      invalidateRefreshTokens: (jira) => jira.invalidateRefreshTokens(),
    },
  },
  consumer: {
    packageDir: fileURLToPath(new URL("..", import.meta.url)),
    importFrom: ["@autoflow/jira", "Jira"],
    options: (token, jira) =>
      JSON.stringify({ id: "jira", token, apiBaseUrl: jira.apiUrl, cloudId: jira.cloudId }),
    body: `(async () => {
      const created = await io.x.issues.createIssue("create", {
        fields: { project: { key: "OPS" }, issuetype: { name: "Task" }, summary: "Consumer" },
      });
      const me = await io.x.myself.getCurrentUser("me");
      return { key: typeof created.key, accountId: typeof me.accountId };
    })()`,
    expected: { key: "string", accountId: "string" },
  },
});

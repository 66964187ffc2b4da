import { actionsHarness } from "@autoflow/actions/testing";
import { MemoryTaskStore } from "@autoflow/core";
import { JiraEmulator } from "@autoflow/emulators";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { jiraAction } from "../src/actions/jira-action";
import { jiraProvider } from "../src/provider";

// Jira's registry actions, through the worker and the Jira class, against the emulator: an OAuth token with its
// cloud, and an API token with its email and site, in the vault; the options the service derives from
// AUTOFLOW_JIRA_API_URL, with a short timeout.
const jira = new JiraEmulator();
let apiToken: { email: string; apiToken: string; siteUrl: string };
const { registry, run: runSteps } = actionsHarness(jiraProvider.actions, () => ({
  vault: {
    "cred-oauth": {
      provider: "jira",
      type: "oauth2",
      access_token: jira.mintToken(),
      additional_fields: { cloudId: jira.cloudId, siteUrl: jira.siteUrl },
      connection_id: "conn-oauth",
    },
    "cred-token": {
      provider: "jira",
      type: "api_key",
      api_key: apiToken.apiToken,
      additional_fields: { email: apiToken.email, siteUrl: apiToken.siteUrl },
    },
  },
  providers: { jira: { ...jiraProvider.clientOptions({ apiUrl: jira.apiUrl }), timeoutMs: 5_000 } },
}));
beforeAll(async () => {
  await jira.start();
  apiToken = jira.mintApiToken();
});
afterAll(() => jira.stop());

const outputs = (result: Awaited<ReturnType<typeof runSteps>>["result"]) =>
  result.status === "completed" ? result.output.steps.map((step) => step.output) : [];

describe("jira's registry actions", () => {
  it("lists the actions with the provider and the credentials they take", () => {
    expect(registry.list().map((action) => action.key)).toEqual([
      "jira.createIssue",
      "jira.addComment",
      "jira.transitionIssue",
      "jira.syncTicket",
    ]);
    expect(registry.list()[0]).toMatchObject({
      ...jiraAction,
      inputSchema: { required: ["project", "issueType", "summary"] },
    });
  });

  it.each(["cred-oauth", "cred-token"])(
    "creates, comments and transitions an issue as workflow steps (%s)",
    async (credentialId) => {
      const summary = `Steps ${credentialId}`;
      const { result } = await runSteps([
        {
          id: "create",
          action: "jira.createIssue",
          inputs: { project: "OPS", issueType: "Task", summary, description: "Line one\n\nLine two" },
          credentialId,
        },
        {
          id: "comment",
          action: "jira.addComment",
          inputs: { issueKey: "{{steps.create.output.key}}", text: "On it" },
          credentialId,
        },
        {
          id: "done",
          action: "jira.transitionIssue",
          inputs: { issueKey: "{{steps.create.output.key}}", status: "Done" },
          credentialId,
        },
      ]);
      expect(result.status, JSON.stringify(result)).toBe("completed");
      const [created, comment, done] = outputs(result) as [
        { key: string },
        { id: string },
        { status: string },
      ];
      const issue = jira.issue(created.key);
      expect(issue?.summary).toBe(summary);
      expect(issue?.comments.map((c) => c.id)).toEqual([comment.id]);
      expect(done).toMatchObject({ status: "Done", transitioned: true });
    },
  );

  it("jira.syncTicket creates once, then updates the same issue (the connection's mappings in the task store)", async () => {
    const store = new MemoryTaskStore();
    const step = (summary: string) => ({
      id: "sync",
      action: "jira.syncTicket",
      inputs: { externalId: "ZD-1", project: "OPS", issueType: "Bug", summary },
      credentialId: "cred-oauth",
    });
    const first = outputs((await runSteps([step("First")], { store })).result)[0] as {
      issueKey: string;
      created: boolean;
    };
    const second = outputs((await runSteps([step("Second")], { store })).result)[0] as {
      issueKey: string;
      created: boolean;
    };
    expect(first.created).toBe(true);
    expect(second).toEqual({ issueKey: first.issueKey, created: false });
    expect(jira.issue(first.issueKey)?.summary).toBe("Second");
  });
});

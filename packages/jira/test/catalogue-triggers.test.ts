import { createHmac } from "node:crypto";
import { catalogueHarness } from "@autoflow/actions/testing";
import { pollingTriggerId } from "@autoflow/core";
import { JiraEmulator } from "@autoflow/emulators";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createJiraWebhookVerifier } from "../src/index";
import { jiraProvider } from "../src/provider";
import { checkJiraScope } from "../src/triggers/catalogue";

// The catalogue entries as stored workflows build them, and their scope: the connection's site and a project it
// can see. A delivery from another site names another tenant, so it starts none of this connection's workflows.
const jira = new JiraEmulator();
let token: string;
const { registry, poller } = catalogueHarness(jiraProvider.triggers, () => ({
  providers: { jira: { ...jiraProvider.clientOptions({ apiUrl: jira.apiUrl }), timeoutMs: 5_000 } },
}));
beforeAll(async () => {
  await jira.start();
  token = jira.mintToken();
});
afterAll(() => jira.stop());

const connection = () => ({
  id: "c1",
  auth: {
    type: "oauth2" as const,
    accessToken: token,
    additionalFields: { cloudId: jira.cloudId, siteUrl: jira.siteUrl },
  },
  metadata: { cloudId: jira.cloudId, siteUrl: jira.siteUrl },
});
const context = () => ({ providers: { jira: jiraProvider.clientOptions({ apiUrl: jira.apiUrl }) } });

describe("jira catalogue triggers", () => {
  it("lists the webhook entries and the polling fallback", () => {
    expect(registry.list().map((t) => [t.key, t.kind ?? "webhook"])).toEqual([
      ["jira.issueCreated", "webhook"],
      ["jira.issueUpdated", "webhook"],
      ["jira.commentCreated", "webhook"],
      ["jira.issueUpdatedPolling", "polling"],
    ]);
  });

  it("scope: the connection's site and a project it can see; another project is refused on its field", async () => {
    const host = new URL(jira.siteUrl).host;
    expect(await checkJiraScope({ project: "OPS" }, connection(), context())).toEqual({
      ok: true,
      account: host,
      resource: "OPS",
    });
    expect(await checkJiraScope({ project: "NOPE" }, connection(), context())).toMatchObject({
      ok: false,
      field: "project",
    });
  });

  it("a delivery from another site names another tenant", async () => {
    const body = JSON.stringify({
      timestamp: Date.now(),
      webhookEvent: "jira:issue_created",
      issue: {
        id: "1",
        key: "OPS-1",
        self: "https://other.atlassian.net/rest/api/3/issue/1",
        fields: { project: { key: "OPS" } },
      },
    });
    const secret = "provider-wide-secret-0001";
    const headers = new Headers({
      "x-hub-signature": `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`,
      "x-atlassian-webhook-identifier": "d-1",
    });
    const verified = await createJiraWebhookVerifier({ secrets: [secret] }).verify(
      { headers, body: new TextEncoder().encode(body) },
      Date.now(),
    );
    const scope = await checkJiraScope({ project: "OPS" }, connection(), context());
    expect(verified.kind === "delivery" && verified.delivery.tenant?.account).toBe("other.atlassian.net");
    expect(scope.ok && scope.account).not.toBe("other.atlassian.net");
  });

  it("the polling entry's cursor is per connection and project", () => {
    const trigger = poller(
      { key: "jira.issueUpdatedPolling", inputs: { project: "OPS" } },
      { id: "c1", auth: async () => connection().auth },
    );
    expect(trigger.id).toBe(
      pollingTriggerId({
        provider: "jira",
        key: "jira.issueUpdatedPolling",
        inputs: { project: "OPS" },
        connectionId: "c1",
      }),
    );
  });
});

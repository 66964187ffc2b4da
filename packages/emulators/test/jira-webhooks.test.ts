import { createCloudClient, isApiError } from "jira.js";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DYNAMIC_WEBHOOK_LIFETIME_MS, JiraEmulator, jiraSignature, ManualClock } from "../src/index";
import { WebhookReceiver } from "./webhook-receiver";

const START = Date.UTC(2026, 11, 6, 20, 0, 0);
let clock: ManualClock;
let emulator: JiraEmulator;
let receiver: WebhookReceiver;
let hookUrl: string;

beforeEach(async () => {
  clock = new ManualClock(START);
  emulator = new JiraEmulator({ clock });
  await emulator.start();
  receiver = new WebhookReceiver();
  hookUrl = await receiver.start();
});
afterEach(async () => {
  await emulator.stop();
  await receiver.stop();
});

const siteClient = () => {
  const token = emulator.mintApiToken();
  return createCloudClient({
    host: token.siteUrl,
    auth: { type: "basic", email: token.email, apiToken: token.apiToken },
  });
};
const gatewayClient = () =>
  createCloudClient({ host: emulator.gatewayUrl, auth: { type: "bearer", token: emulator.mintToken() } });

const payloads = () => receiver.received.map((r) => JSON.parse(r.body) as Record<string, unknown>);

const doc = (text: string) => ({
  type: "doc" as const,
  version: 1 as const,
  content: [{ type: "paragraph" as const, content: [{ type: "text" as const, text }] }],
});

describe("the Jira emulator's admin webhooks", () => {
  it("signs every delivery with X-Hub-Signature: sha256=<HMAC of the raw body> and sends Jira's payloads", async () => {
    emulator.addAdminWebhook({
      url: hookUrl,
      secret: "s3cret",
      events: ["jira:issue_created", "jira:issue_updated", "comment_created"],
    });
    const jira = siteClient();
    const created = await jira.issues.createIssue({
      fields: { project: { key: "OPS" }, issuetype: { name: "Task" }, summary: "Disk full" },
    });
    await jira.issues.doTransition({ issueIdOrKey: created.key as string, transition: { id: "31" } });
    await jira.issueComments.addComment({ issueIdOrKey: created.key as string, body: doc("Fixed") });
    await emulator.awaitDeliveries();

    // The comment is also an update (`issue_commented`), as Jira sends both.
    expect(receiver.received).toHaveLength(4);
    for (const { headers, body } of receiver.received) {
      expect(headers["x-hub-signature"]).toBe(`sha256=${jiraSignature(body, "s3cret")}`);
      expect(headers["x-hub-signature-256"]).toBeUndefined();
      expect(headers["x-atlassian-webhook-identifier"]).toEqual(expect.any(String));
      expect(headers["x-atlassian-webhook-retry"]).toBeUndefined();
      expect(headers["x-atlassian-webhook-flow"]).toBe("Primary");
    }
    const [issueCreated, issueUpdated, commentCreated, commented] = payloads();
    expect(issueCreated).toMatchObject({
      timestamp: START,
      webhookEvent: "jira:issue_created",
      issue_event_type_name: "issue_created",
      user: { accountId: expect.any(String) },
      issue: { key: "OPS-1", fields: { summary: "Disk full", status: { name: "To Do" } } },
    });
    expect(issueUpdated).toMatchObject({
      webhookEvent: "jira:issue_updated",
      issue: { key: "OPS-1", fields: { status: { name: "Done" } } },
      changelog: {
        id: expect.any(String),
        items: [
          {
            field: "status",
            fieldId: "status",
            from: "10000",
            fromString: "To Do",
            to: "10001",
            toString: "Done",
          },
        ],
      },
    });
    expect(commentCreated).toMatchObject({
      webhookEvent: "comment_created",
      comment: { body: doc("Fixed") },
      issue: { key: "OPS-1" },
    });
    expect(commented).toMatchObject({
      webhookEvent: "jira:issue_updated",
      issue_event_type_name: "issue_commented",
      comment: { body: doc("Fixed") },
    });
    expect(commented).not.toHaveProperty("changelog");
  });

  it("delivers only what meets the webhook's JQL filter, and unsigned without a secret", async () => {
    emulator.addAdminWebhook({ url: hookUrl, events: ["jira:issue_created"], jqlFilter: "project = ENG" });
    emulator.createIssue("in OPS");
    emulator.createIssue("in ENG", { projectKey: "ENG" });
    await emulator.awaitDeliveries();
    expect(payloads().map((p) => (p.issue as { key: string }).key)).toEqual(["ENG-1"]);
    expect(receiver.received[0]?.headers["x-hub-signature"]).toBeUndefined();
  });

  it("retries a 5xx answer after 10 minutes on the emulator clock, with X-Atlassian-Webhook-Retry", async () => {
    receiver.answer = (_request, index) => ({ status: index === 0 ? 503 : 200 });
    emulator.addAdminWebhook({ url: hookUrl, secret: "s", events: ["jira:issue_created"] });
    emulator.createIssue("retry me");
    await emulator.webhooks.sender.idle();
    expect(emulator.webhooks.sender.pendingRetries).toEqual([
      expect.objectContaining({ retryNum: 1, dueAt: START + 10 * 60_000 }),
    ]);
    clock.advance(10 * 60_000);
    await emulator.awaitDeliveries();
    expect(receiver.received).toHaveLength(2);
    const [first, retry] = receiver.received;
    expect(retry?.headers["x-atlassian-webhook-retry"]).toBe("1");
    expect(retry?.headers["x-atlassian-webhook-identifier"]).toBe(
      first?.headers["x-atlassian-webhook-identifier"],
    );
  });
});

describe("the Jira emulator's dynamic webhooks (OAuth apps)", () => {
  it("registers, delivers unsigned, lists with the expiry, refreshes, and stops after 30 days", async () => {
    const jira = gatewayClient();
    const result = await jira.webhooks.registerDynamicWebhooks({
      url: hookUrl,
      webhooks: [
        { events: ["jira:issue_created"], jqlFilter: "project = OPS" },
        { events: ["jira:issue_created"], jqlFilter: "status = Done" },
      ],
    });
    const [ok, refused] = result.webhookRegistrationResult ?? [];
    expect(ok?.createdWebhookId).toEqual(expect.any(Number));
    expect(refused?.errors).toEqual(["The clause status is unsupported"]);
    const id = ok?.createdWebhookId as number;

    const listed = await jira.webhooks.getDynamicWebhooksForApp();
    expect(listed.values).toEqual([
      expect.objectContaining({
        id,
        jqlFilter: "project = OPS",
        expirationDate: START + DYNAMIC_WEBHOOK_LIFETIME_MS,
      }),
    ]);

    emulator.createIssue("first");
    await emulator.awaitDeliveries();
    expect(receiver.received).toHaveLength(1);
    expect(payloads()[0]).toMatchObject({ webhookEvent: "jira:issue_created", matchedWebhookIds: [id] });
    expect(receiver.received[0]?.headers["x-hub-signature"]).toBeUndefined();

    clock.advance(20 * 24 * 3600_000);
    const refreshed = await gatewayClient().webhooks.refreshWebhooks({ webhookIds: [id] });
    expect(refreshed.expirationDate).toBe(clock.now() + DYNAMIC_WEBHOOK_LIFETIME_MS);
    clock.advance(20 * 24 * 3600_000);
    emulator.createIssue("still delivered");
    await emulator.awaitDeliveries();
    expect(receiver.received).toHaveLength(2);

    clock.advance(11 * 24 * 3600_000);
    emulator.createIssue("after expiry");
    await emulator.awaitDeliveries();
    expect(receiver.received).toHaveLength(2);
    expect((await gatewayClient().webhooks.getDynamicWebhooksForApp()).values).toEqual([]);
  });

  it("deletes by id, and refuses API-token (Basic) callers: only apps register webhooks", async () => {
    const jira = gatewayClient();
    const result = await jira.webhooks.registerDynamicWebhooks({
      url: hookUrl,
      webhooks: [{ events: ["jira:issue_created"], jqlFilter: "project = OPS" }],
    });
    const id = result.webhookRegistrationResult?.[0]?.createdWebhookId as number;
    await jira.webhooks.deleteWebhookById({ webhookIds: [id] });
    expect((await jira.webhooks.getDynamicWebhooksForApp()).values).toEqual([]);
    const error = await siteClient()
      .webhooks.getDynamicWebhooksForApp()
      .catch((e: unknown) => e);
    expect(isApiError(error) && error.status).toBe(403);
  });
});

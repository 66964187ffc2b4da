import { createServer, type IncomingMessage, type Server } from "node:http";
import type { Json, WebhookDelivery, WebhookRequest } from "@autoflow/core";
import { JiraEmulator } from "@autoflow/emulators";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  createJiraWebhookVerifier,
  Jira,
  jiraIssuePollingTrigger,
  jiraWebhookRegistration,
} from "../src/index";

// Jira's triggers against the emulator over HTTP: its deliveries (admin webhooks signed with X-Hub-Signature,
// dynamic webhooks by their URL's token) reach a loopback receiver, which hands the raw request to the verifier.
const emulator = new JiraEmulator();
let server: Server;
let receiverUrl = "";
const received: Array<{ url: string; headers: Headers; body: Uint8Array }> = [];

beforeAll(async () => {
  await emulator.start();
  server = createServer(async (request: IncomingMessage, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const headers = new Headers();
    for (const [name, value] of Object.entries(request.headers))
      if (typeof value === "string") headers.set(name, value);
    received.push({ url: request.url ?? "/", headers, body: new Uint8Array(Buffer.concat(chunks)) });
    response.writeHead(204).end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  receiverUrl = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
});
afterEach(async () => {
  received.length = 0;
  emulator.searchVisibilityLagMs = 0;
  await emulator.reset();
});
afterAll(async () => {
  await emulator.stop();
  await new Promise((resolve) => server.close(resolve));
});

const SECRET = "whsec-like-admin-secret-0001";
/** A request as the receiver recorded it (its URL as sent: path and query) or as a test makes it. */
type Delivered = Omit<WebhookRequest, "url"> & { url?: URL | string };
const verify = async ({ url, ...request }: Delivered, secrets = [SECRET]) =>
  createJiraWebhookVerifier({ secrets }).verify(
    { ...request, ...(url !== undefined && { url: new URL(url, receiverUrl) }) },
    Date.now(),
  );
const deliveryOf = async (request: Delivered, secrets?: string[]) => {
  const verified = await verify(request, secrets);
  if (verified.kind !== "delivery") throw new Error("not a delivery");
  return { ...verified.delivery, receivedAt: new Date().toISOString() } as WebhookDelivery;
};

describe("admin webhooks (X-Hub-Signature)", () => {
  it("a signed issue_created verifies, names its site as the tenant, and starts the project's trigger only", async () => {
    emulator.addAdminWebhook({ url: `${receiverUrl}/hook`, secret: SECRET, events: ["jira:issue_created"] });
    const issue = emulator.createIssue("Webhook me");
    await emulator.awaitDeliveries();
    const [request] = received;
    if (!request) throw new Error("no delivery");
    expect(request.headers.get("x-hub-signature")).toMatch(/^sha256=[0-9a-f]{64}$/);
    const delivery = await deliveryOf(request);
    expect(delivery).toMatchObject({
      provider: "jira",
      event: "jira:issue_created",
      tenant: { account: new URL(emulator.siteUrl).host, resource: "OPS", ids: { issueId: issue.id } },
    });
    expect(delivery.deliveryId).toBe(
      `${request.headers.get("x-atlassian-webhook-identifier")}@${(delivery.payload as { timestamp: number }).timestamp}`,
    );
    const jira = new Jira({ id: "jira", token: "t" });
    expect(jira.onIssueCreated({ project: "OPS" }).matches(delivery)).toBe(true);
    expect(jira.onIssueCreated({ project: "ENG" }).matches(delivery)).toBe(false);
    expect(jira.onIssueUpdated({ project: "OPS" }).matches(delivery)).toBe(false);
    expect(jira.onIssueCreated().payloadOf(delivery).issue.key).toBe(issue.key);
  });

  it("a forged signature, another secret and a missing signature are refused", async () => {
    emulator.addAdminWebhook({ url: `${receiverUrl}/hook`, secret: SECRET, events: ["jira:issue_created"] });
    emulator.createIssue("Forge me");
    await emulator.awaitDeliveries();
    const [request] = received;
    if (!request) throw new Error("no delivery");
    const forged = { headers: request.headers, body: new TextEncoder().encode('{"webhookEvent":"x"}') };
    await expect(verify(forged)).rejects.toMatchObject({ code: "bad_signature" });
    await expect(verify(request, ["another-secret-0002"])).rejects.toMatchObject({ code: "bad_signature" });
    const unsigned = new Headers(request.headers);
    unsigned.delete("x-hub-signature");
    await expect(verify({ headers: unsigned, body: request.body })).rejects.toMatchObject({
      code: "missing_signature",
    });
  });

  it("issue_updated matches a fields filter by its changelog; comment_created by project", async () => {
    emulator.addAdminWebhook({
      url: `${receiverUrl}/hook`,
      secret: SECRET,
      events: ["jira:issue_updated", "comment_created"],
    });
    const issue = emulator.createIssue("Change me");
    const jira = new Jira({
      id: "jira",
      token: emulator.mintToken(),
      apiBaseUrl: emulator.apiUrl,
      cloudId: emulator.cloudId,
    });
    const { runJob } = await import("./helpers");
    await runJob(jira, async (io) => {
      await io.jira.transitionTo("done", { issueIdOrKey: issue.key, status: "Done" });
      await io.jira.addTextComment("comment", { issueIdOrKey: issue.key, text: "Closed" });
    });
    await emulator.awaitDeliveries();
    const deliveries = await Promise.all(received.map((request) => deliveryOf(request)));
    const updated = deliveries.find((d) => d.event === "jira:issue_updated");
    const commented = deliveries.find((d) => d.event === "comment_created");
    if (!updated || !commented) throw new Error(`deliveries: ${deliveries.map((d) => d.event).join(", ")}`);
    expect(jira.onIssueUpdated({ project: "OPS", fields: ["status"] }).matches(updated)).toBe(true);
    expect(jira.onIssueUpdated({ project: "OPS", fields: ["assignee"] }).matches(updated)).toBe(false);
    expect(jira.onCommentCreated({ project: "OPS" }).matches(commented)).toBe(true);
  });
});

describe("dynamic webhooks (OAuth connections)", () => {
  const auth = () => ({
    type: "oauth2" as const,
    accessToken: emulator.mintToken(),
    additionalFields: { cloudId: emulator.cloudId, siteUrl: emulator.siteUrl },
  });
  const client = () => ({ apiBaseUrl: emulator.apiUrl });

  it("registers for the project with the URL's token, adopts it after a crash, refreshes, verifies, removes", async () => {
    const registration = jiraWebhookRegistration(
      { events: ["jira:issue_created"], jqlFilter: "project = OPS" },
      client(),
    );
    const connection = auth();
    const url = `${receiverUrl}/api/webhooks/jira/conn-1`;
    const token = "url-token-unguessable-0003";
    const grant = await registration.register({ url, auth: connection, secret: token });
    expect(grant.expiresAt && Date.parse(grant.expiresAt) - Date.now()).toBeGreaterThan(29 * 24 * 3600_000);
    // A crash between registering and recording: found again, not doubled.
    expect(await registration.find?.({ url, auth: connection, secret: token })).toMatchObject({
      externalId: grant.externalId,
    });
    expect(await registration.verify?.({ auth: connection, externalId: grant.externalId })).toBe("active");
    const renewed = await registration.renew?.({
      auth: connection,
      externalId: grant.externalId,
      url,
      secret: token,
    });
    expect(renewed?.externalId).toBe(grant.externalId);
    expect(
      emulator.requests.some((r) => r.method === "PUT" && r.path.endsWith("/rest/api/3/webhook/refresh")),
    ).toBe(true);

    emulator.createIssue("Dynamic");
    await emulator.awaitDeliveries();
    const [request] = received;
    if (!request) throw new Error("no delivery");
    expect(request.headers.has("x-hub-signature")).toBe(false);
    expect(new URL(request.url, receiverUrl).searchParams.get("token")).toBe(token);
    // The intake passes the request's URL on; the verifier compares its token with the connection's.
    const headers = new Headers(request.headers);
    const delivered = new URL(request.url, receiverUrl);
    expect(await deliveryOf({ headers, body: request.body, url: delivered }, [token])).toMatchObject({
      event: "jira:issue_created",
    });
    const guessed = new URL(delivered);
    guessed.searchParams.set("token", "guessed");
    await expect(verify({ headers, body: request.body, url: guessed }, [token])).rejects.toMatchObject({
      code: "bad_signature",
    });
    await expect(verify({ headers, body: request.body }, [token])).rejects.toMatchObject({
      code: "missing_signature",
    });

    await registration.unregister({ auth: connection, externalId: grant.externalId });
    expect(await registration.verify?.({ auth: connection, externalId: grant.externalId })).toBe("gone");
    // Removing it again is not an error.
    await registration.unregister({ auth: connection, externalId: grant.externalId });
  });

  it("an API-token connection cannot register one: it says to add an admin webhook", async () => {
    const registration = jiraWebhookRegistration(
      { events: ["jira:issue_created"], jqlFilter: "project = OPS" },
      client(),
    );
    const { email, apiToken, siteUrl } = emulator.mintApiToken();
    await expect(
      registration.register({
        url: `${receiverUrl}/x`,
        auth: { type: "apiKey", accessToken: apiToken, additionalFields: { email, siteUrl } },
        secret: "s",
      }),
    ).rejects.toMatchObject({ type: "schema", code: "dynamic_webhooks_need_oauth" });
  });
});

describe("JQL polling", () => {
  it("with late search visibility, loses and repeats nothing", async () => {
    const trigger = jiraIssuePollingTrigger({
      project: "OPS",
      token: emulator.mintToken(),
      client: { apiBaseUrl: emulator.apiUrl, cloudId: emulator.cloudId },
      overlapMs: 60_000,
    });
    const seen: string[] = [];
    const pollAll = async (cursor: Json | undefined): Promise<Json> => {
      let next = cursor;
      for (let more = true; more; ) {
        const result = await trigger.poll(next);
        seen.push(...result.items.map((item) => trigger.itemId(item)));
        next = result.cursor;
        more = result.more === true;
      }
      return next as Json;
    };
    let cursor = await pollAll(undefined); // the baseline fires nothing
    expect(seen).toHaveLength(0);
    emulator.searchVisibilityLagMs = 300;
    const late = emulator.createIssue("Shows late");
    cursor = await pollAll(cursor); // not in search yet
    await new Promise((resolve) => setTimeout(resolve, 350));
    const visible = emulator.createIssue("Shows later still");
    await new Promise((resolve) => setTimeout(resolve, 350));
    cursor = await pollAll(cursor);
    cursor = await pollAll(cursor); // again: nothing repeats
    const keys = seen.map((id) => id.split("@")[0]);
    expect(keys.sort()).toEqual([late.id, visible.id].sort());
    const search = emulator.requests.filter((r) => r.path.endsWith("/rest/api/3/search/jql")).at(-1);
    expect(String(search?.query.jql)).toMatch(
      /^project = OPS AND updated >= \d{13} ORDER BY updated ASC, key ASC$/,
    );
  });
});

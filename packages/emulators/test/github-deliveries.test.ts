import { createHmac } from "node:crypto";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type GithubDelivery, GithubEmulator, HOOKSHOT_USER_AGENT } from "../src/index";

// A real receiver on 127.0.0.1 that records the raw bytes and answers with a chosen status.
interface Received {
  headers: IncomingHttpHeaders;
  body: Buffer;
}

async function startReceiver(status: () => number = () => 200) {
  const received: Received[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks) });
      res.writeHead(status(), { "content-type": "text/plain" });
      res.end("thanks");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  return { received, url, close: () => new Promise((resolve) => server.close(resolve)) };
}

const SECRET = "It's a Secret to Everybody";
const hmac = (body: Buffer | string, secret = SECRET) =>
  `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

let emulator: GithubEmulator;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
let token: string;

beforeEach(async () => {
  emulator = new GithubEmulator();
  await emulator.start();
  token = emulator.mintToken();
  receiver = await startReceiver();
});
afterEach(async () => {
  await emulator.stop();
  await receiver.close();
});

async function call(method: string, path: string, body?: unknown, auth = token) {
  const response = await fetch(`${emulator.url}${path}`, {
    method,
    headers: {
      authorization: `token ${auth}`,
      ...(body !== undefined && { "content-type": "application/json" }),
    },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : undefined };
}

async function createHook(
  config: Record<string, unknown> = {},
  events: string[] = ["*"],
  repo = "octo-org/hello",
): Promise<number> {
  const created = await call("POST", `/repos/${repo}/hooks`, {
    config: { url: receiver.url, content_type: "json", secret: SECRET, ...config },
    events,
  });
  expect(created.status).toBe(201);
  return created.body?.id as number;
}

const payloadOf = (d: GithubDelivery) => JSON.parse(d.body) as Record<string, unknown>;
const summary = (deliveries: readonly GithubDelivery[]) =>
  deliveries.map((d) => (d.action ? `${d.event}.${d.action}` : d.event));

describe("GitHub emulator: webhook deliveries", () => {
  it("pings a new hook, then delivers issues.opened signed over the exact bytes, with GitHub's headers", async () => {
    const hookId = await createHook();
    const issue = await call("POST", "/repos/octo-org/hello/issues", { title: "Delivered" });
    await emulator.awaitDeliveries();

    expect(summary(emulator.deliveries)).toEqual(["ping", "issues.opened"]);
    expect(receiver.received).toHaveLength(2);
    for (const [index, { headers, body }] of receiver.received.entries()) {
      const sent = emulator.deliveries[index] as GithubDelivery;
      expect(headers["x-hub-signature-256"]).toBe(hmac(body));
      expect(headers["x-github-delivery"]).toBe(sent.id);
      expect(headers["x-github-delivery"]).toMatch(UUID);
      expect(headers["x-github-event"]).toBe(sent.event);
      expect(headers["x-github-hook-id"]).toBe(String(hookId));
      expect(headers["user-agent"]).toBe(HOOKSHOT_USER_AGENT);
      expect(headers["content-type"]).toBe("application/json");
      expect(body.toString("utf8")).toBe(sent.body);
      expect(sent).toMatchObject({
        hookId,
        status: 200,
        responseBody: "thanks",
        repository: "octo-org/hello",
      });
    }
    const [ping, opened] = receiver.received.map((r) => JSON.parse(r.body.toString("utf8")));
    expect(ping).toMatchObject({ hook_id: hookId, hook: { id: hookId, config: { secret: "********" } } });
    expect(JSON.stringify(ping)).not.toContain(SECRET);
    expect(opened).toMatchObject({
      action: "opened",
      issue: { number: issue.body?.number, title: "Delivered", state: "open" },
      repository: { full_name: "octo-org/hello", owner: { login: "octo-org" } },
      organization: { login: "octo-org" },
      sender: { login: "octocat" },
    });
  });

  it("delivers edits, closes, comments, pull requests, merges, ref moves and stars as they happen", async () => {
    await createHook();
    const { body: created } = await call("POST", "/repos/octo-org/hello/issues", { title: "Old" });
    const number = created?.number as number;
    await call("PATCH", `/repos/octo-org/hello/issues/${number}`, { title: "New", state: "closed" });
    await call("POST", `/repos/octo-org/hello/issues/${number}/comments`, { body: "Done" });
    const headSha = emulator.createBranch("octo-org/hello", "topic");
    const { body: pr } = await call("POST", "/repos/octo-org/hello/pulls", {
      title: "Topic",
      head: "topic",
      base: "main",
    });
    await call("PUT", `/repos/octo-org/hello/pulls/${pr?.number}/merge`, {});
    await call("POST", "/repos/octo-org/hello/git/refs", { ref: "refs/heads/side", sha: headSha });
    await call("PUT", "/user/starred/octo-org/hello");
    await emulator.awaitDeliveries();

    expect(summary(emulator.deliveries)).toEqual([
      "ping",
      "issues.opened",
      "issues.edited",
      "issues.closed",
      "issue_comment.created",
      "pull_request.opened",
      "push",
      "pull_request.closed",
      "push",
      "star.created",
    ]);
    const [, , edited, closed, commented, , merge, merged, side, star] = emulator.deliveries.map(payloadOf);
    expect(edited).toMatchObject({ changes: { title: { from: "Old" } }, issue: { title: "New" } });
    expect(closed).toMatchObject({ issue: { number, state: "closed" } });
    expect(commented).toMatchObject({ comment: { body: "Done" }, issue: { number } });
    expect(merged).toMatchObject({ number: pr?.number, pull_request: { merged: true, state: "closed" } });
    expect(merge).toMatchObject({ ref: "refs/heads/main", created: false, forced: false });
    expect(side).toMatchObject({ ref: "refs/heads/side", created: true, after: headSha });
    expect(star).toMatchObject({ action: "created", starred_at: expect.any(String) });
    expect(emulator.deliveries.every((d) => d.status === 200)).toBe(true);
  });

  it("sends only subscribed events to active hooks of the repository, unsigned when the hook has no secret", async () => {
    await createHook({}, ["push"]);
    await createHook({ secret: undefined }, ["issues"]);
    const inactive = await call("POST", "/repos/octo-org/hello/hooks", {
      config: { url: receiver.url, content_type: "json", secret: SECRET },
      events: ["issues"],
      active: false,
    });
    expect(inactive.body).toMatchObject({ active: false });
    await createHook({}, ["issues"], "octocat/Hello-World");
    await call("POST", "/repos/octo-org/hello/issues", { title: "Only to the issues hook" });
    await emulator.awaitDeliveries();

    const issues = receiver.received.filter((r) => r.headers["x-github-event"] === "issues");
    expect(issues).toHaveLength(1);
    expect(issues[0]?.headers["x-hub-signature-256"]).toBeUndefined();
    expect(summary(emulator.deliveries)).toEqual(["ping", "ping", "ping", "issues.opened"]);
  });

  it("stops delivering once the hook is deleted", async () => {
    const hookId = await createHook();
    expect((await call("DELETE", `/repos/octo-org/hello/hooks/${hookId}`)).status).toBe(204);
    expect((await call("GET", `/repos/octo-org/hello/hooks/${hookId}`)).status).toBe(404);
    await call("POST", "/repos/octo-org/hello/issues", { title: "Nobody listens" });
    await emulator.awaitDeliveries();
    expect(summary(emulator.deliveries)).toEqual(["ping"]);
  });

  it("redelivers with the same id and bytes, as GitHub's retry does", async () => {
    await createHook({}, ["issues"]);
    await call("POST", "/repos/octo-org/hello/issues", { title: "Again" });
    await emulator.awaitDeliveries();
    const original = emulator.deliveries.find((d) => d.event === "issues") as GithubDelivery;

    const again = await emulator.redeliver(original.id, 3);
    expect(again.map((d) => [d.id, d.redelivery, d.status])).toEqual([
      [original.id, true, 200],
      [original.id, true, 200],
      [original.id, true, 200],
    ]);
    const bodies = receiver.received.filter((r) => r.headers["x-github-delivery"] === original.id);
    expect(bodies).toHaveLength(4);
    expect(new Set(bodies.map((r) => r.body.toString("hex"))).size).toBe(1);
    await expect(emulator.redeliver("no-such-delivery")).rejects.toThrow(/no delivery/);
  });

  it.each([
    ["bad", (h: IncomingHttpHeaders, body: Buffer) => h["x-hub-signature-256"] !== hmac(body)],
    ["malformed", (h: IncomingHttpHeaders) => h["x-hub-signature-256"] === "sha256=not-a-signature"],
    ["missing", (h: IncomingHttpHeaders) => h["x-hub-signature-256"] === undefined],
  ] as const)("sends a delivery with a %s signature on request", async (spoiler, check) => {
    const hookId = await createHook({}, ["issues"]);
    const sent = await emulator.sendDelivery(hookId, {
      event: "issues",
      payload: { action: "opened", issue: { number: 99 } },
      signature: spoiler,
    });
    const got = receiver.received.find((r) => r.headers["x-github-delivery"] === sent.id);
    if (!got) throw new Error("not received");
    expect(check(got.headers, got.body)).toBe(true);
    expect(String(got.headers["x-hub-signature-256"]).startsWith("sha256=")).toBe(spoiler !== "missing");
    expect(sent).toMatchObject({ event: "issues", action: "opened", status: 200 });
  });

  it("replays a delivery id with a new body, and sends a burst of distinct deliveries", async () => {
    const hookId = await createHook({}, ["issues"]);
    const replay = await emulator.sendDelivery(hookId, {
      event: "issues",
      payload: { action: "opened", replayed: true },
      deliveryId: "1234-replayed",
    });
    expect(replay.headers["x-github-delivery"]).toBe("1234-replayed");
    expect(replay.headers["x-hub-signature-256"]).toBe(hmac(replay.body));

    const burst = await emulator.sendBurst(hookId, {
      event: "issues",
      count: 8,
      payload: (i) => ({ action: "opened", issue: { number: 100 + i } }),
    });
    expect(new Set(burst.map((d) => d.id)).size).toBe(8);
    expect(burst.every((d) => d.status === 200)).toBe(true);
    const numbers = receiver.received
      .filter((r) => burst.some((d) => d.id === r.headers["x-github-delivery"]))
      .map((r) => (JSON.parse(r.body.toString("utf8")) as { issue: { number: number } }).issue.number);
    expect(numbers.sort()).toEqual([100, 101, 102, 103, 104, 105, 106, 107]);
  });

  it("records the receiver's failure answer, and a refused connection, without failing the API call", async () => {
    let status = 503;
    const failing = await startReceiver(() => status);
    try {
      await createHook({ url: failing.url }, ["issues"]);
      expect((await call("POST", "/repos/octo-org/hello/issues", { title: "Down" })).status).toBe(201);
      await emulator.awaitDeliveries();
      expect(emulator.deliveries.at(-1)).toMatchObject({ event: "issues", status: 503 });
      status = 200;
    } finally {
      await failing.close();
    }
    await call("POST", "/repos/octo-org/hello/issues", { title: "Gone" });
    await emulator.awaitDeliveries();
    const refused = emulator.deliveries.at(-1) as GithubDelivery;
    expect(refused.status).toBeUndefined();
    expect(refused.error).toBeTruthy();
  });

  it("signs form-encoded deliveries over the form body, and never calls a non-loopback URL", async () => {
    await createHook({ content_type: "form" }, ["issues"]);
    await createHook({ url: "https://example.com/hook" }, ["issues"]);
    await call("POST", "/repos/octo-org/hello/issues", { title: "Form" });
    await emulator.awaitDeliveries();
    const form = receiver.received.find((r) => r.headers["x-github-event"] === "issues");
    if (!form) throw new Error("not received");
    expect(form.headers["content-type"]).toBe("application/x-www-form-urlencoded");
    expect(form.headers["x-hub-signature-256"]).toBe(hmac(form.body));
    const payload = new URLSearchParams(form.body.toString("utf8")).get("payload") ?? "{}";
    expect(JSON.parse(payload)).toMatchObject({ action: "opened", issue: { title: "Form" } });
    const elsewhere = emulator.deliveries.filter((d) => d.url === "https://example.com/hook");
    expect(elsewhere.length).toBe(2);
    expect(elsewhere.every((d) => d.status === undefined && /loopback/.test(d.error ?? ""))).toBe(true);
  });
});

import { randomBytes } from "node:crypto";
import { defineJob } from "@autoflow/core";
import { GithubEmulator } from "@autoflow/emulators";
import { Github } from "@autoflow/github";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { STORE_KINDS, startTestServer } from "./http-server";
import { TEST_DATABASE_URL, warnIfNoPostgres } from "./postgres-test-schema";
import { postSignedSlackEvent } from "./signed-slack-event";
import { removeTempDirs } from "./sqlite-temp";
import { until } from "./until";

warnIfNoPostgres("GitHub form-encoded deliveries and per-provider body limits");
afterAll(removeTempDirs);

const OWNER = "octo-org";
const REPO = "hello";
const SLACK_SECRET = "slack-signing-secret-0123456789";
const MIB = 1024 * 1024;

/** What each run saw of its delivery: the issue and the size of its (padded) body. */
interface Seen {
  number: number;
  bodyLength: number;
}

/**
 * A service with GitHub pointed at the emulator, a job recording every opened issue, and a repository hook on the
 * connection's webhook URL created the way GitHub's UI creates one: `content_type: "form"`.
 */
async function startWithFormHook(kind: (typeof STORE_KINDS)[number], env: Record<string, string>) {
  const emulator = new GithubEmulator();
  await emulator.start();
  const seen: Seen[] = [];
  const github = new Github({ id: "github", baseUrl: emulator.url });
  const job = defineJob({
    id: "record-opened-issues",
    integrations: { github },
    trigger: github.onIssueOpened({ owner: OWNER, repo: REPO }),
    run: async (event, io) =>
      io.runTask("record", async () => {
        seen.push({ number: event.issue.number, bodyLength: event.issue.body?.length ?? 0 });
      }),
  });
  const t = await startTestServer(
    kind,
    { AUTOFLOW_GITHUB_API_URL: emulator.url, AUTOFLOW_GITHUB_WEB_URL: emulator.url },
    { AUTOFLOW_SLACK_SIGNING_SECRETS: SLACK_SECRET, ...env },
    { jobs: [job], jobsUserId: "user-a" },
  );
  const token = emulator.mintToken({ scopes: ["repo", "admin:repo_hook"] });
  const connected = await t.call("POST", "/api/integrations/github/connections", {
    user: "user-a",
    body: { accessToken: token },
  });
  expect(connected.status).toBe(201);
  const connectionId = (connected.json as { id: string }).id;
  // The service creates the job's JSON hook for the new connection; swap it for one made as GitHub's UI makes it.
  await t.server.subscriptions.sync();
  for (const hook of emulator.state.repo(OWNER, REPO)?.hooks ?? [])
    emulator.deleteHook(`${OWNER}/${REPO}`, hook.id);
  const secret = randomBytes(20).toString("hex");
  const created = await fetch(`${emulator.url}/repos/${OWNER}/${REPO}/hooks`, {
    method: "POST",
    headers: { authorization: `token ${token}`, "content-type": "application/json" },
    body: JSON.stringify({
      events: ["issues"],
      config: { url: `${t.url}/api/webhooks/github/${connectionId}`, content_type: "form", secret },
    }),
  });
  expect(created.status).toBe(201);
  const hookId = ((await created.json()) as { id: number }).id;
  await t.server.stores.webhookSecrets.saveSecret({
    connectionId,
    secretId: String(hookId),
    provider: "github",
    secret,
    createdAt: new Date().toISOString(),
  });

  /** An `issues.opened` delivery from the emulator for a made-up issue whose body is `bodyBytes` long. */
  const sendOpened = (number: number, bodyBytes: number) =>
    emulator.sendDelivery(hookId, {
      event: "issues",
      payload: {
        action: "opened",
        issue: { number, title: `big #${number}`, body: "x".repeat(bodyBytes), user: { login: "octocat" } },
        repository: { name: REPO, full_name: `${OWNER}/${REPO}`, owner: { login: OWNER } },
        sender: { login: "octocat" },
      },
    });
  const close = async () => {
    await t.close();
    await emulator.stop();
  };
  return { emulator, t, token, hookId, seen, sendOpened, close };
}

/** A signed Slack `event_callback` whose text pads the body to about `bytes`. */
async function sendSlack(url: string, bytes: number) {
  const body = JSON.stringify({
    type: "event_callback",
    team_id: "T01ACME000",
    api_app_id: "A0001",
    event_id: `Ev${randomBytes(6).toString("hex").toUpperCase()}`,
    event_time: 1_700_000_000,
    event: {
      type: "message",
      channel: "C01GENERAL",
      user: "U0001",
      text: "x".repeat(bytes),
      ts: "1700000000.000100",
    },
  });
  const response = await postSignedSlackEvent(url, SLACK_SECRET, body);
  return { status: response.status, json: await response.json() };
}

describe.each(STORE_KINDS)("GitHub form-encoded deliveries and per-provider body limits on %s", (kind) => {
  describe.skipIf(kind === "postgres" && !TEST_DATABASE_URL)("", () => {
    describe("with each provider's own limit", () => {
      let s: Awaited<ReturnType<typeof startWithFormHook>>;
      beforeAll(async () => {
        s = await startWithFormHook(kind, {});
      });
      afterAll(async () => s?.close());

      it("runs the job for an issue opened on GitHub, delivered form-encoded as GitHub's default hook sends it", async () => {
        const opened = await fetch(`${s.emulator.url}/repos/${OWNER}/${REPO}/issues`, {
          method: "POST",
          headers: { authorization: `token ${s.token}`, "content-type": "application/json" },
          body: JSON.stringify({ title: "sent as a form", body: "hello" }),
        });
        const { number } = (await opened.json()) as { number: number };
        await s.emulator.awaitDeliveries();
        const delivery = s.emulator.deliveries.find((d) => d.hookId === s.hookId && d.action === "opened");
        expect(delivery?.headers["content-type"]).toBe("application/x-www-form-urlencoded");
        expect(delivery?.body.startsWith("payload=")).toBe(true);
        expect([delivery?.status, JSON.parse(delivery?.responseBody ?? "{}")]).toEqual([200, { ok: true }]);
        await until(() => s.seen.some((x) => x.number === number), "the run of the form-encoded delivery");
        expect(s.seen.filter((x) => x.number === number)).toEqual([{ number, bodyLength: 5 }]);
      });

      it("accepts and runs a 2 MiB GitHub delivery (GitHub's cap is 25 MB), while a 2 MiB Slack one is a 413", async () => {
        const sent = await s.sendOpened(9001, 2 * MIB);
        expect(sent.body.length).toBeGreaterThan(2 * MIB);
        expect([sent.status, JSON.parse(sent.responseBody ?? "{}")]).toEqual([200, { ok: true }]);
        await until(() => s.seen.some((x) => x.number === 9001), "the run of the 2 MiB delivery");
        expect(s.seen.filter((x) => x.number === 9001)).toEqual([{ number: 9001, bodyLength: 2 * MIB }]);
        await until(async () => (await s.t.server.stores.inbox.pending()).length === 0, "the dispatch mark");

        expect(await sendSlack(s.t.url, 2 * MIB)).toEqual({
          status: 413,
          json: { ok: false, error: "too_large" },
        });
        // Under Slack's 1 MiB, the same intake takes it: the 413 was the size, not the signature.
        expect((await sendSlack(s.t.url, 1000)).status).toBe(200);
      });
    });

    describe("with AUTOFLOW_<P>_WEBHOOK_MAX_BODY_BYTES set", () => {
      let s: Awaited<ReturnType<typeof startWithFormHook>>;
      beforeAll(async () => {
        s = await startWithFormHook(kind, {
          AUTOFLOW_GITHUB_WEBHOOK_MAX_BODY_BYTES: String(MIB),
          AUTOFLOW_SLACK_WEBHOOK_MAX_BODY_BYTES: String(3 * MIB),
        });
      });
      afterAll(async () => s?.close());

      it("refuses a 2 MiB GitHub delivery over the lowered limit, and takes a 2 MiB Slack one under the raised one", async () => {
        const refused = await s.sendOpened(9002, 2 * MIB);
        expect([refused.status, JSON.parse(refused.responseBody ?? "{}")]).toEqual([
          413,
          { ok: false, error: "too_large" },
        ]);
        expect(await sendSlack(s.t.url, 2 * MIB)).toEqual({ status: 200, json: { ok: true } });

        // A small one still runs: the refused delivery left nothing in the inbox behind it.
        const small = await s.sendOpened(9003, 10);
        expect(small.status).toBe(200);
        await until(() => s.seen.some((x) => x.number === 9003), "the run of the small delivery");
        expect(s.seen.map((x) => x.number)).not.toContain(9002);
      });
    });
  });
});

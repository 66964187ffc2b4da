import {
  defineJob,
  IntegrationError,
  type Job,
  type PollingTrigger,
  type WebhookTrigger,
} from "@autoflow/core";
import { createTestClock, type TestClock } from "@autoflow/core/testing";
import { GithubEmulator } from "@autoflow/emulators";
import { Github } from "@autoflow/github";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { triggerApiId } from "../src/triggers/trigger-health-service";
import { ExpiringSubscriptions } from "./__fixtures__/expiring-subscriptions";
import { STORE_KINDS, startTestServer, type TestServer } from "./http-server";
import { TEST_DATABASE_URL, warnIfNoPostgres } from "./postgres-test-schema";
import { removeTempDirs } from "./sqlite-temp";
import { until } from "./until";

warnIfNoPostgres("trigger lifecycle and health");
afterAll(removeTempDirs);

const HOUR = 60 * 60_000;
const DAY = 24 * HOUR;
const OWNER = "octo-org";
const REPO = "hello";

interface TriggerBody {
  id: string;
  status: string;
  kind: string;
  key: string;
  owner: Record<string, string>;
  connectionId: string | null;
  details: {
    message?: string;
    errorType?: string;
    auth: boolean;
    apiReachable: boolean;
    rateLimited: boolean;
  };
  subscriptionExpiresAt: string | null;
  lastRenewedAt: string | null;
  lastPollAt: string | null;
  consecutiveFailures: number;
}

describe.each(STORE_KINDS)("trigger subscriptions and health on %s", (kind) => {
  describe.skipIf(kind === "postgres" && !TEST_DATABASE_URL)("", () => {
    const emulators: GithubEmulator[] = [];
    const servers: TestServer[] = [];
    afterEach(async () => {
      for (const t of servers.splice(0)) await t.close();
      for (const emulator of emulators.splice(0)) await emulator.stop();
    });

    /** A service on `clock` with the jobs, GitHub pointed at a fresh emulator; `restart` keeps the database. */
    async function start(clock: TestClock, jobs: readonly Job[], emulator?: GithubEmulator) {
      const github = emulator ?? new GithubEmulator();
      if (!emulator) {
        await github.start();
        emulators.push(github);
      }
      const t = await startTestServer(
        kind,
        github.env(),
        {},
        {
          jobs,
          jobsUserId: "user-a",
          clock,
          subscriptionTickMs: 0,
        },
      );
      servers.push(t);
      return { t, github };
    }

    async function connect(t: TestServer, github: GithubEmulator): Promise<string> {
      const token = github.mintToken({ scopes: ["repo", "admin:repo_hook"] });
      const connected = await t.call("POST", "/api/integrations/github/connections", {
        body: { accessToken: token },
      });
      expect(connected.status).toBe(201);
      return (connected.json as { id: string }).id;
    }

    const triggerOf = async (t: TestServer, jobId: string, user = "user-a") => {
      const answer = await t.call("GET", `/api/triggers/${triggerApiId({ jobId })}`, { user });
      return { status: answer.status, body: answer.json as TriggerBody };
    };

    it("renews an expiring subscription ahead of its expiry across a simulated week, and reports a failing one", async () => {
      const clock = createTestClock(Date.UTC(2026, 3, 1));
      const provider = new ExpiringSubscriptions(clock, 3 * DAY);
      const job = defineJob({
        id: "on-expiring",
        trigger: provider.trigger("github", "fake:watch:inbox"),
        run: async () => {},
      });
      const { t, github } = await start(clock, [job]);
      await connect(t, github);
      await t.server.subscriptions.sync();
      expect(provider.subscriptions.size).toBe(1);
      const [id] = [...provider.subscriptions.keys()];

      for (let hours = 0; hours < 7 * 24; hours += 6) {
        clock.advance(6 * HOUR);
        await t.server.subscriptions.sync();
        expect(provider.alive(id as string)).toBe(true);
      }
      // Renewed at two thirds of each 3-day lifetime: every 2 days.
      expect(provider.renewals.map((at) => (at - Date.UTC(2026, 3, 1)) / DAY)).toEqual([2, 4, 6]);
      expect(provider.subscriptions.size).toBe(1);
      const healthy = await triggerOf(t, "on-expiring");
      expect(healthy.status).toBe(200);
      expect(healthy.body).toMatchObject({
        status: "ok",
        kind: "webhook",
        provider: "github",
        key: "fake:watch:inbox",
        owner: { jobId: "on-expiring" },
        consecutiveFailures: 0,
        lastRenewedAt: new Date(Date.UTC(2026, 3, 7)).toISOString(),
        subscriptionExpiresAt: new Date(Date.UTC(2026, 3, 10)).toISOString(),
      });

      // The provider goes down: renewals fail with backoff, degraded, then down once the subscription lapsed.
      provider.failRenewals = true;
      // Day 8.5: past the renewal point (day 8), before the expiry (day 9).
      clock.advance(1.5 * DAY);
      await t.server.subscriptions.sync();
      clock.advance(HOUR);
      await t.server.subscriptions.sync();
      const failing = await triggerOf(t, "on-expiring");
      expect(failing.body).toMatchObject({ status: "degraded", consecutiveFailures: 2 });
      expect(failing.body.details.message).toMatch(/^subscription failed twice: the provider is down/);
      clock.advance(DAY);
      expect((await triggerOf(t, "on-expiring")).body.status).toBe("down");

      // Back up: the lapsed subscription is created anew.
      provider.failRenewals = false;
      clock.advance(DAY);
      await t.server.subscriptions.sync();
      expect((await triggerOf(t, "on-expiring")).body).toMatchObject({
        status: "degraded",
        consecutiveFailures: 0,
      });
      expect([...provider.subscriptions.keys()].filter((s) => provider.alive(s))).toHaveLength(1);
    });

    it("re-creates a GitHub hook deleted or turned off at the provider, and health shows the gap", async () => {
      const clock = createTestClock(Date.UTC(2026, 3, 1));
      const emulator = new GithubEmulator();
      await emulator.start();
      emulators.push(emulator);
      const gh = new Github({ id: "github", baseUrl: emulator.url });
      const job = defineJob({
        id: "on-issue",
        integrations: { github: gh },
        trigger: gh.onIssueOpened({ owner: OWNER, repo: REPO }),
        run: async () => {},
      });
      const { t } = await start(clock, [job], emulator);
      const hooks = () => emulator.state.repo(OWNER, REPO)?.hooks ?? [];
      const connectionId = await connect(t, emulator);
      await t.server.subscriptions.sync();
      expect(hooks()).toHaveLength(1);
      const first = hooks()[0]?.id ?? -1;
      // A code job's trigger shows the catalogue key its factory corresponds to, as a stored workflow's does.
      expect((await triggerOf(t, "on-issue")).body).toMatchObject({
        status: "ok",
        connectionId,
        key: "github.issueOpened",
      });

      emulator.deleteHook(`${OWNER}/${REPO}`, first);
      // Verified hourly: before the hour nothing is asked.
      clock.advance(30 * 60_000);
      await t.server.subscriptions.sync();
      expect(hooks()).toHaveLength(0);
      clock.advance(31 * 60_000);
      await t.server.subscriptions.sync();
      expect(hooks().map((h) => [h.active, h.config.url])).toEqual([
        [true, `${t.url}/api/webhooks/github/${connectionId}`],
      ]);
      const gap = await triggerOf(t, "on-issue");
      expect(gap.body.status).toBe("degraded");
      expect(gap.body.details.message).toContain(
        `missing at the provider from ${new Date(Date.UTC(2026, 3, 1)).toISOString()}`,
      );
      const second = hooks()[0]?.id ?? -1;
      expect(second).not.toBe(first);
      const records = await t.server.stores.webhookSecrets.listRegistrations();
      expect(records.map((r) => [r.externalId, r.status])).toEqual([[String(second), "active"]]);

      // Turned off: removed and created again, still exactly one hook.
      emulator.deactivateHook(`${OWNER}/${REPO}`, second);
      clock.advance(HOUR);
      await t.server.subscriptions.sync();
      expect(hooks().map((h) => h.active)).toEqual([true]);
      expect(hooks()[0]?.id).not.toBe(second);
      // A day after the last gap, it reads ok again; a delivery through the new hook verifies.
      clock.advance(DAY);
      expect((await triggerOf(t, "on-issue")).body.status).toBe("ok");
      await emulator.awaitDeliveries();
      const pings = emulator.deliveries.filter((d) => d.hookId === hooks()[0]?.id && d.event === "ping");
      expect(pings.map((d) => d.status)).toEqual([200]);
    });

    it("leaves exactly one hook after a crash between creating it and recording it", async () => {
      const clock = createTestClock(Date.UTC(2026, 3, 1));
      const emulator = new GithubEmulator();
      await emulator.start();
      emulators.push(emulator);
      const gh = new Github({ id: "github", baseUrl: emulator.url });
      const trigger = gh.onIssueOpened({ owner: OWNER, repo: REPO });
      const registration = trigger.registration;
      if (!registration) throw new Error("onIssueOpened registers a hook");
      // The hook is created, then the process "dies" before the answer is recorded.
      const crashing: WebhookTrigger<unknown> = {
        ...trigger,
        registration: {
          ...registration,
          register: async (context) => {
            await registration.register(context);
            throw new Error("the process died before recording the hook");
          },
        },
      } as WebhookTrigger<unknown>;
      const runs: number[] = [];
      const jobOn = (on: WebhookTrigger<unknown>) =>
        defineJob({
          id: "on-issue",
          integrations: { github: gh },
          trigger: on,
          run: async (event) => {
            runs.push((event as { issue: { number: number } }).issue.number);
          },
        });
      const first = await start(clock, [jobOn(crashing)], emulator);
      const hooks = () => emulator.state.repo(OWNER, REPO)?.hooks ?? [];
      const connectionId = await connect(first.t, emulator);
      await first.t.server.subscriptions.sync();
      expect(hooks()).toHaveLength(1);
      expect((await first.t.server.stores.webhookSecrets.listRegistrations()).map((r) => r.status)).toEqual([
        "pending",
      ]);
      await emulator.awaitDeliveries();

      // Restart on the same database and port: the intent is found, the hook adopted, none created.
      await first.t.server.close();
      servers.splice(servers.indexOf(first.t), 1);
      const { startServer } = await import("../src/server");
      const { createLogger } = await import("../src/logger");
      const second = await startServer(
        { ...first.t.config, port: first.t.server.port },
        {
          hostname: "127.0.0.1",
          logger: createLogger({ sink: () => {} }),
          jobs: [jobOn(trigger as WebhookTrigger<unknown>)],
          jobsUserId: "user-a",
          clock,
          subscriptionTickMs: 0,
          ...(first.t.schema && { postgres: { options: first.t.schema.searchPathOption } }),
          ...(first.t.schema && { queue: { schema: first.t.schema.queueSchema } }),
        },
      );
      try {
        expect(hooks()).toHaveLength(1);
        const records = await second.stores.webhookSecrets.listRegistrations();
        expect(records.map((r) => [r.externalId, r.status, r.connectionId])).toEqual([
          [String(hooks()[0]?.id), "active", connectionId],
        ]);
        const token = emulator.mintToken({ scopes: ["repo"] });
        const opened = await fetch(`${emulator.url}/repos/${OWNER}/${REPO}/issues`, {
          method: "POST",
          headers: { authorization: `token ${token}`, "content-type": "application/json" },
          body: JSON.stringify({ title: "after the crash" }),
        });
        const { number } = (await opened.json()) as { number: number };
        await until(() => runs.includes(number), "the run for the issue");
        await emulator.awaitDeliveries();
        expect(
          emulator.deliveries.filter((d) => d.event === "issues").map((d) => [d.hookId, d.status]),
        ).toEqual([[hooks()[0]?.id, 200]]);
      } finally {
        await second.close();
        await first.t.schema?.drop();
      }
    });

    it("turns a poller whose provider keeps failing degraded, then down; other users see none of it", async () => {
      const clock = createTestClock(Date.UTC(2026, 3, 1));
      let polls = 0;
      const trigger: PollingTrigger<{ id: string }> = {
        kind: "polling",
        provider: "github",
        id: "poll:test.failing:1",
        key: "test.failing",
        title: "always failing",
        intervalMs: 60_000,
        poll: async () => {
          polls++;
          throw new IntegrationError({
            type: "upstream",
            provider: "github",
            message: "GitHub answered 502",
          });
        },
        itemId: (item) => item.id,
      };
      const job = defineJob({ id: "on-poll", trigger, run: async () => {} });
      const { t } = await start(clock, [job]);
      await until(() => polls >= 1, "the first poll");
      await until(
        async () => (await triggerOf(t, "on-poll")).body.consecutiveFailures >= 1,
        "the failure recorded",
      );
      const failed = await triggerOf(t, "on-poll");
      expect(failed.body).toMatchObject({
        status: "ok",
        kind: "polling",
        key: "test.failing",
        owner: { jobId: "on-poll" },
        lastPollAt: null,
        details: { apiReachable: false, errorType: "upstream" },
      });
      clock.advance(3 * 60_000);
      expect((await triggerOf(t, "on-poll")).body).toMatchObject({
        status: "degraded",
        details: { message: expect.stringMatching(/^1 poll in a row failed: .*502/) },
      });
      clock.advance(7 * 60_000);
      expect((await triggerOf(t, "on-poll")).body.status).toBe("down");

      const listed = await t.call("GET", "/api/triggers");
      expect((listed.json as { triggers: TriggerBody[] }).triggers.map((x) => [x.key, x.status])).toEqual([
        ["test.failing", "down"],
      ]);
      // The connection health envelope counts the user's triggers of the provider.
      const health = await t.call("GET", "/api/integrations/github/health");
      expect((health.json as { triggers: unknown }).triggers).toEqual({ ok: 0, degraded: 0, down: 1 });
      // Another user's trigger is a 404, and their list is empty.
      expect((await triggerOf(t, "on-poll", "user-b")).status).toBe(404);
      expect((await t.call("GET", "/api/triggers", { user: "user-b" })).json).toEqual({ triggers: [] });
      expect((await t.call("GET", "/api/triggers/trg_nope")).status).toBe(404);
      expect((await t.call("GET", "/api/triggers", { user: null })).status).toBe(401);
    });
  });
});

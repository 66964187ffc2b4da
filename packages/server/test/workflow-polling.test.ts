import { type Json, pollingTriggerId } from "@autoflow/core";
import { createTestClock, type TestClock } from "@autoflow/core/testing";
import { GithubEmulator, ManualClock } from "@autoflow/emulators";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { createLogger } from "../src/logger";
import { type RunningServer, startServer } from "../src/server";
import { triggerApiId } from "../src/triggers/trigger-health-service";
import { STORE_KINDS, startTestServer, type TestServer } from "./http-server";
import { TEST_DATABASE_URL, warnIfNoPostgres } from "./postgres-test-schema";
import { removeTempDirs } from "./sqlite-temp";

warnIfNoPostgres("stored workflows' polling triggers");
afterAll(removeTempDirs);

const START = Date.UTC(2026, 3, 1, 9);
const OWNER = "octo-org";
const REPO = "hello";
const MINUTE = 60_000;
// An edited issue lists in `since` listings only two minutes after the edit, as GitHub's may.
const LAG_MS = 2 * MINUTE;

interface TriggerBody {
  id: string;
  status: string;
  kind: string;
  key: string;
  owner: Record<string, string>;
  connectionId: string | null;
  details: { auth: boolean; errorType?: string; message?: string };
  lastPollAt: string | null;
  cursorAgeSeconds: number | null;
  consecutiveFailures: number;
}

// A stored workflow with `github.issueUpdated` against the GitHub emulator, polled by the service on test clocks
// (the emulator's and the service's advance together): nothing polls but `workflowPolls.poll()`.
describe.each(STORE_KINDS)("stored workflows' polling triggers on %s", (kind) => {
  describe.skipIf(kind === "postgres" && !TEST_DATABASE_URL)("", () => {
    const cleanups: (() => Promise<unknown>)[] = [];
    afterEach(async () => {
      for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
    });

    async function setUp() {
      const githubClock = new ManualClock(START);
      const clock = createTestClock(START);
      const github = new GithubEmulator({ clock: githubClock, sinceListingLagMs: LAG_MS });
      await github.start();
      cleanups.push(() => github.stop());
      const options = { clock, subscriptionTickMs: 0, workflowPollTickMs: 0 };
      const t = await startTestServer(kind, github.env(), {}, options);
      cleanups.push(() => t.close());
      const token = github.mintToken({ login: "octocat", scopes: ["repo"] });
      const api = async (method: string, path: string, body?: unknown) => {
        const response = await fetch(`${github.url}${path}`, {
          method,
          headers: { authorization: `token ${token}`, "content-type": "application/json" },
          body: JSON.stringify(body),
        });
        return (await response.json()) as { number: number; updated_at: string };
      };
      const advance = (ms: number) => {
        githubClock.advance(ms);
        clock.advance(ms);
      };
      return { github, t, clock, token, api, advance };
    }

    async function connectAndSave(t: TestServer, token: string) {
      const connected = await t.call("POST", "/api/integrations/github/connections", {
        body: { accessToken: token },
      });
      expect(connected.status).toBe(201);
      const connectionId = (connected.json as { id: string }).id;
      const created = await t.call("POST", "/api/workflows", { body: workflowBody("Issues changed") });
      expect(created.status, created.text).toBe(201);
      return { connectionId, workflowId: (created.json as { id: string }).id };
    }

    /** The same service on the same database: a restart. */
    async function restart(t: TestServer, clock: TestClock): Promise<RunningServer> {
      await t.server.close();
      const server = await startServer(t.config, {
        hostname: "127.0.0.1",
        logger: createLogger({ sink: () => {} }),
        clock,
        subscriptionTickMs: 0,
        workflowPollTickMs: 0,
        ...(t.schema && { postgres: { options: t.schema.searchPathOption } }),
        ...(t.schema && { queue: { schema: t.schema.queueSchema } }),
      });
      cleanups.push(() => server.close());
      return server;
    }

    /** `number@updated_at` of every run the workflow's trigger started, oldest first. */
    async function runsOf(server: RunningServer, workflowId: string): Promise<string[]> {
      const runs = await server.stores.workflows.listRuns("user-a", { workflowId, limit: 200 });
      const items: string[] = [];
      for (const run of runs.reverse()) {
        expect(run.source).toBe("trigger");
        const loaded = await server.stores.tasks.loadRun(run.runId);
        const payload = loaded?.run.payload as
          | { trigger?: { number: number; updated_at: string } }
          | undefined;
        const trigger = payload?.trigger;
        items.push(`${trigger?.number}@${trigger?.updated_at}`);
      }
      return items;
    }

    it("runs the workflow once per issue update: same second, late listings, a restart and a redeploy", async () => {
      const { t, clock, token, api, advance } = await setUp();
      const historic = await api("POST", `/repos/${OWNER}/${REPO}/issues`, { title: "historic" });
      const { connectionId, workflowId } = await connectAndSave(t, token);
      // The first poll records where the listing ends: nothing historic runs.
      expect(await t.server.workflowPolls.poll()).toBe(0);

      advance(1_000);
      const a = await api("POST", `/repos/${OWNER}/${REPO}/issues`, { title: "a" });
      const b = await api("POST", `/repos/${OWNER}/${REPO}/issues`, { title: "b" });
      const c = await api("POST", `/repos/${OWNER}/${REPO}/issues`, { title: "c" });
      expect(new Set([a.updated_at, b.updated_at, c.updated_at]).size).toBe(1);
      // Not yet due: the trigger polls every minute.
      expect(await t.server.workflowPolls.poll()).toBe(0);
      advance(MINUTE);
      expect(await t.server.workflowPolls.poll()).toBe(3);

      advance(1_000);
      const historicEdited = await api("PATCH", `/repos/${OWNER}/${REPO}/issues/${historic.number}`, {
        title: "historic, edited",
      });
      advance(1_000);
      const d = await api("POST", `/repos/${OWNER}/${REPO}/issues`, { title: "d" });
      advance(MINUTE);
      // The edit lists late: only d now, and the watermark moves past the edit.
      expect(await t.server.workflowPolls.poll()).toBe(1);

      // The cursor is under the trigger's identity (provider, connection, key, inputs), not the workflow.
      const triggerId = pollingTriggerId({
        provider: "github",
        key: "github.issueUpdated",
        inputs: { owner: OWNER, repo: REPO },
        connectionId,
      });
      const before = await t.server.stores.cursors.getCursor(triggerId);
      expect(before).toMatchObject({ v: 1, watermark: d.updated_at });

      // A restart on the same database: the cursor reads back as it was saved; the late edit lists now.
      const second = await restart(t, clock);
      expect(await second.stores.cursors.getCursor(triggerId)).toEqual(before);
      advance(LAG_MS);
      expect(await second.workflowPolls.poll()).toBe(1);

      // A redeploy: the workflow saved again (renamed). Its trigger keeps the cursor, so nothing runs again.
      const base = `http://127.0.0.1:${second.port}`;
      const auth = { authorization: `Bearer ${await t.token("user-a")}`, "content-type": "application/json" };
      const saved = await fetch(`${base}/api/workflows/${workflowId}`, {
        method: "PUT",
        headers: auth,
        body: JSON.stringify(workflowBody("Issues changed, v2")),
      });
      expect(saved.status).toBe(200);
      advance(1_000);
      const aEdited = await api("PATCH", `/repos/${OWNER}/${REPO}/issues/${a.number}`, {
        title: "a, edited",
      });
      advance(LAG_MS + 1_000);
      const e = await api("POST", `/repos/${OWNER}/${REPO}/issues`, { title: "e" });
      expect(await second.workflowPolls.poll()).toBe(2);
      advance(MINUTE);
      expect(await second.workflowPolls.poll()).toBe(0);
      advance(10 * MINUTE);
      expect(await second.workflowPolls.poll({ all: true })).toBe(0);

      const expected = [
        ...[a, b, c, d].map((issue) => `${issue.number}@${issue.updated_at}`),
        `${historic.number}@${historicEdited.updated_at}`,
        `${aEdited.number}@${aEdited.updated_at}`,
        `${e.number}@${e.updated_at}`,
      ];
      const runs = await runsOf(second, workflowId);
      expect([...runs].sort()).toEqual([...expected].sort());
      expect(new Set(runs).size).toBe(runs.length);
    });

    it("lists the trigger in GET /api/triggers with its poll health: ok, then degraded and down while polls fail", async () => {
      const { t, github, token, advance } = await setUp();
      const { connectionId, workflowId } = await connectAndSave(t, token);
      const id = triggerApiId({ workflowId });
      const triggerOf = async (user = "user-a") => {
        const answer = await t.call("GET", `/api/triggers/${id}`, { user });
        return { status: answer.status, body: answer.json as TriggerBody };
      };
      expect(await t.server.workflowPolls.poll()).toBe(0);
      advance(30_000);
      expect((await triggerOf()).body).toMatchObject({
        id,
        kind: "polling",
        provider: "github",
        key: "github.issueUpdated",
        owner: { workflowId },
        connectionId,
        status: "ok",
        lastPollAt: new Date(START).toISOString(),
        cursorAgeSeconds: 30,
        consecutiveFailures: 0,
      });
      const listed = await t.call("GET", "/api/triggers");
      expect((listed.json as { triggers: TriggerBody[] }).triggers.map((x) => x.id)).toEqual([id]);
      expect((await triggerOf("user-b")).status).toBe(404);

      // The token is revoked at GitHub: every poll fails as auth; three intervals without a success, degraded.
      github.revokeToken(token);
      for (let minute = 1; minute <= 3; minute++) {
        advance(MINUTE);
        await t.server.workflowPolls.poll();
      }
      const degraded = (await triggerOf()).body;
      expect(degraded).toMatchObject({ status: "degraded", consecutiveFailures: 3 });
      expect(degraded.details).toMatchObject({ auth: false, errorType: "auth" });
      for (let minute = 4; minute <= 10; minute++) {
        advance(MINUTE);
        await t.server.workflowPolls.poll();
      }
      expect((await triggerOf()).body).toMatchObject({ status: "down", consecutiveFailures: 10 });
    });

    it("keeps a cursor with its seen-ids ledger through the store exactly as saved", async () => {
      const { t } = await setUp();
      const seen: [string, number][] = Array.from({ length: 1_000 }, (_, i) => [
        `${i}@2026-04-01T09:00:${String(i % 60).padStart(2, "0")}Z`,
        START + i,
      ]);
      const cursor = {
        v: 1,
        watermark: "2026-04-01T09:16:39Z",
        seen,
        listing: { mode: "poll", since: "2026-04-01T09:11:39.000Z", page: 3, newest: null },
        resyncs: 1,
      } as unknown as Json;
      await t.server.stores.cursors.setCursor("poll:github.issueUpdated:roundtrip", cursor);
      expect(await t.server.stores.cursors.getCursor("poll:github.issueUpdated:roundtrip")).toEqual(cursor);
    });
  });
});

function workflowBody(name: string) {
  return {
    name,
    trigger: { key: "github.issueUpdated", inputs: { owner: OWNER, repo: REPO } },
    // The step fails (no Slack connection): what is checked is which runs the trigger started.
    steps: [
      {
        id: "announce",
        action: "slack.sendMessage",
        credentialId: "slack",
        inputs: { channel: "C01GENERAL", text: "#{{trigger.number}} {{trigger.title}}" },
      },
    ],
  };
}

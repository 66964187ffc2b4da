import { defineJob } from "@autoflow/core";
import { GithubEmulator } from "@autoflow/emulators";
import { Github } from "@autoflow/github";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { STORE_KINDS, startTestServer, type TestServer } from "./http-server";
import { TEST_DATABASE_URL, warnIfNoPostgres } from "./postgres-test-schema";
import { removeTempDirs } from "./sqlite-temp";
import { until } from "./until";

warnIfNoPostgres("GitHub trigger end-to-end");
afterAll(removeTempDirs);

const OWNER = "octo-org";
const REPO = "hello";

describe.each(STORE_KINDS)("github.onIssueOpened end to end on %s", (kind) => {
  describe.skipIf(kind === "postgres" && !TEST_DATABASE_URL)("", () => {
    const emulator = new GithubEmulator();
    let t: TestServer;
    let token: string;
    let hookId: number;

    beforeAll(async () => {
      await emulator.start();
      const github = new Github({ id: "github", baseUrl: emulator.url });
      // The job comments on every opened issue through the user's connection (HOSTED auth from the service).
      const job = defineJob({
        id: "welcome-issue",
        integrations: { github },
        trigger: github.onIssueOpened({ owner: OWNER, repo: REPO }),
        run: async (event, io) =>
          io.github.issues.createComment("welcome", {
            owner: OWNER,
            repo: REPO,
            issue_number: event.issue.number,
            body: `Thanks for #${event.issue.number}`,
          }),
      });
      t = await startTestServer(
        kind,
        {
          AUTOFLOW_GITHUB_CLIENT_ID: emulator.oauthApp.clientId,
          AUTOFLOW_GITHUB_CLIENT_SECRET: emulator.oauthApp.clientSecret,
          AUTOFLOW_GITHUB_API_URL: emulator.url,
          AUTOFLOW_GITHUB_WEB_URL: emulator.url,
        },
        {},
        { jobs: [job], jobsUserId: "user-a" },
      );
      token = emulator.mintToken({
        clientId: emulator.oauthApp.clientId,
        scopes: ["repo", "admin:repo_hook"],
      });
      const connected = await t.call("POST", "/api/integrations/github/connections", {
        user: "user-a",
        body: { accessToken: token },
      });
      expect(connected.status).toBe(201);
      const connectionId = (connected.json as { id: string }).id;
      // The new connection wakes the subscription scheduler, which creates the job's hook with it.
      await t.server.subscriptions.sync();
      const hooks = emulator.state.repo(OWNER, REPO)?.hooks ?? [];
      expect(hooks.map((h) => h.config.url)).toEqual([`${t.url}/api/webhooks/github/${connectionId}`]);
      hookId = hooks[0]?.id ?? -1;
    });
    afterAll(async () => {
      await t?.close();
      await emulator.stop();
    });

    async function api(method: string, path: string, body?: unknown) {
      const response = await fetch(`${emulator.url}${path}`, {
        method,
        headers: { authorization: `token ${token}`, "content-type": "application/json" },
        ...(body !== undefined && { body: JSON.stringify(body) }),
      });
      return (await response.json()) as Record<string, unknown> & Record<string, unknown>[];
    }
    const commentsOn = async (issue: number) =>
      (await api("GET", `/repos/${OWNER}/${REPO}/issues/${issue}/comments`)) as unknown as { body: string }[];

    it("runs exactly once per issue, also when every delivery is sent three times", async () => {
      const numbers: number[] = [];
      for (const title of ["first", "second", "third"]) {
        numbers.push(
          (await api("POST", `/repos/${OWNER}/${REPO}/issues`, { title })).number as unknown as number,
        );
      }
      await emulator.awaitDeliveries();
      const opened = emulator.deliveries.filter((d) => d.hookId === hookId && d.action === "opened");
      expect(opened.map((d) => d.status)).toEqual([200, 200, 200]);
      for (const delivery of opened) {
        const retries = await emulator.redeliver(delivery.id, 2);
        expect(retries.map((r) => [r.status, JSON.parse(r.responseBody ?? "{}")])).toEqual([
          [200, { ok: true, duplicate: true }],
          [200, { ok: true, duplicate: true }],
        ]);
      }
      for (const issue of numbers)
        await until(async () => (await commentsOn(issue)).length > 0, `a comment on #${issue}`);

      // Deliveries dispatch in order: once a later issue's run has commented, any second run already would have.
      const later = (await api("POST", `/repos/${OWNER}/${REPO}/issues`, { title: "later" }))
        .number as unknown as number;
      await until(async () => (await commentsOn(later)).length > 0, "the later issue's comment");
      for (const issue of numbers) {
        // The comment ends with the task's hidden marker (how a lost answer is reconciled).
        expect((await commentsOn(issue)).map((c) => c.body)).toEqual([
          expect.stringMatching(
            new RegExp(`^Thanks for #${issue}\\n\\n<!-- autoflow-task:[0-9a-f]{32} -->$`),
          ),
        ]);
      }
    });

    it("refuses the emulator's bad, malformed and missing signatures, and acknowledges a replay without a run", async () => {
      const issue = (await api("POST", `/repos/${OWNER}/${REPO}/issues`, { title: "target" }))
        .number as unknown as number;
      await until(async () => (await commentsOn(issue)).length > 0, "the issue's comment");
      const original = emulator.deliveries.find(
        (d) => d.hookId === hookId && d.action === "opened" && JSON.parse(d.body).issue.number === issue,
      );
      if (!original) throw new Error("no delivery for the issue");
      const payload = JSON.parse(original.body) as Record<string, unknown>;

      const spoiled = [];
      for (const signature of ["bad", "malformed", "missing"] as const) {
        const sent = await emulator.sendDelivery(hookId, { event: "issues", payload, signature });
        spoiled.push([sent.status, JSON.parse(sent.responseBody ?? "{}")]);
      }
      expect(spoiled).toEqual([
        [401, { ok: false, error: "bad_signature" }],
        [401, { ok: false, error: "malformed_signature" }],
        [401, { ok: false, error: "missing_signature" }],
      ]);
      const replay = await emulator.sendDelivery(hookId, {
        event: "issues",
        payload,
        deliveryId: original.id,
      });
      expect([replay.status, JSON.parse(replay.responseBody ?? "{}")]).toEqual([
        200,
        { ok: true, duplicate: true },
      ]);

      const later = (await api("POST", `/repos/${OWNER}/${REPO}/issues`, { title: "after" }))
        .number as unknown as number;
      await until(async () => (await commentsOn(later)).length > 0, "the later issue's comment");
      // The comment ends with the task's hidden marker (how a lost answer is reconciled).
      expect((await commentsOn(issue)).map((c) => c.body)).toEqual([
        expect.stringMatching(new RegExp(`^Thanks for #${issue}\\n\\n<!-- autoflow-task:[0-9a-f]{32} -->$`)),
      ]);
    });
  });
});

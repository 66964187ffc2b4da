import { createHmac, randomUUID } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { TASK_OUTPUT_LIMITS } from "@autoflow/core";
import { GithubEmulator } from "@autoflow/emulators";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RUN_VIEW_LIMITS } from "../src/run-view";
import { TASK_VIEW_LIMITS } from "../src/task-view";
import { STORE_KINDS, startTestServer, type TestServer } from "./http-server";
import { TEST_DATABASE_URL, warnIfNoPostgres } from "./postgres-test-schema";
import { finishedRunView } from "./run-view-polling";
import { removeTempDirs } from "./sqlite-temp";
import { until } from "./until";

warnIfNoPostgres("a large GitHub delivery in a stored workflow's run view");
afterAll(removeTempDirs);

const SECRET = "github-webhook-secret-0123456789";
const PAD_BYTES = 2 * 1024 * 1024;

describe.each(STORE_KINDS)("a 2 MiB GitHub delivery through a stored workflow on %s", (kind) => {
  describe.skipIf(kind === "postgres" && !TEST_DATABASE_URL)("", () => {
    const github = new GithubEmulator();
    let t: TestServer;
    let echo: Server;
    let echoUrl: string;
    let workflowId: string;

    beforeAll(async () => {
      await github.start();
      // Answers with the bytes it was sent: a step that posts the delivery out gets all of it back as its output.
      echo = createServer((request, response) => {
        const chunks: Buffer[] = [];
        request.on("data", (chunk: Buffer) => chunks.push(chunk));
        request.on("end", () =>
          response.writeHead(200, { "content-type": "text/plain" }).end(Buffer.concat(chunks)),
        );
      });
      await new Promise<void>((resolve) => echo.listen(0, "127.0.0.1", resolve));
      echoUrl = `http://127.0.0.1:${(echo.address() as AddressInfo).port}/echo`;
      t = await startTestServer(
        kind,
        { AUTOFLOW_GITHUB_API_URL: github.url },
        {
          AUTOFLOW_GITHUB_WEBHOOK_SECRETS: SECRET,
          AUTOFLOW_EGRESS_ALLOW: "127.0.0.1/32",
          AUTOFLOW_EGRESS_MAX_RESPONSE_BYTES: String(8 * 1024 * 1024),
        },
      );
      const connected = await t.call("POST", "/api/integrations/github/connections", {
        user: "alice",
        body: { accessToken: github.mintToken({ login: "octocat" }) },
      });
      expect(connected.status).toBe(201);
      const created = await t.call("POST", "/api/workflows", {
        user: "alice",
        body: {
          name: "Echo the issue",
          trigger: { key: "github.issueOpened", inputs: { owner: "octo-org", repo: "hello" } },
          steps: [
            {
              id: "echo",
              action: "http.request",
              inputs: { url: echoUrl, method: "POST", body: { $ref: "trigger" } },
            },
          ],
        },
      });
      expect(created.status).toBe(201);
      workflowId = (created.json as { id: string }).id;
    });
    afterAll(async () => {
      await t?.close();
      await github.stop();
      echo?.closeAllConnections();
      await new Promise<void>((resolve) => (echo ? echo.close(() => resolve()) : resolve()));
    });

    it("is taken form-encoded, runs the workflow, and its echoed payload is shown cut at 64 KiB in the run view", async () => {
      const payload = {
        action: "opened",
        issue: { id: 1, number: 1, title: "Big", body: "x".repeat(PAD_BYTES), state: "open", labels: [] },
        repository: {
          id: 1,
          name: "hello",
          full_name: "octo-org/hello",
          private: false,
          owner: { login: "octo-org", id: 2 },
        },
        organization: { login: "octo-org", id: 2 },
        sender: { login: "octocat", id: 3 },
      };
      const form = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
      const response = await fetch(`${t.url}/api/webhooks/github`, {
        method: "POST",
        headers: {
          "content-type": "application/x-www-form-urlencoded",
          "x-github-event": "issues",
          "x-github-delivery": randomUUID(),
          "x-hub-signature-256": `sha256=${createHmac("sha256", SECRET).update(form).digest("hex")}`,
        },
        body: form,
      });
      expect([response.status, await response.json()]).toEqual([200, { ok: true }]);

      let runId = "";
      await until(async () => {
        const listed = await t.call("GET", `/api/runs?workflowId=${workflowId}`, { user: "alice" });
        runId = (listed.json as { runs: { id: string }[] }).runs[0]?.id ?? "";
        return runId !== "";
      }, "the delivery's run");
      const { view, text } = await finishedRunView(t, runId, "alice");
      expect(view.status).toBe("completed");
      const [step] = view.steps;
      expect(step?.outputTruncated).toBe(true);
      expect(step?.output?.body).toMatch(/^\{"action":"opened".*…\[truncated \d+ bytes\]$/s);
      expect(step?.output?.body?.length).toBeLessThan(RUN_VIEW_LIMITS.maxStringBytes + 100);
      // The steps' outputs, plus the task timeline's, each cut to its own limit: the view stays bounded.
      for (const task of view.tasks)
        expect(JSON.stringify(task.output ?? null).length).toBeLessThan(
          TASK_VIEW_LIMITS.maxStringBytes + 2048,
        );
      expect(text.length).toBeLessThan(
        RUN_VIEW_LIMITS.maxStringBytes + view.tasks.length * (TASK_VIEW_LIMITS.maxStringBytes + 2048) + 4096,
      );
      // The task log keeps more of it, but is bounded too: 1 MiB per string, not the 2 MiB sent.
      const stored = await t.server.stores.tasks.loadRun(runId);
      const logged =
        (stored?.tasks.find((task) => task.id === "echo")?.output as { body?: string } | undefined)?.body ??
        "";
      expect(logged.startsWith('{"action":"opened"')).toBe(true);
      expect(logged).toMatch(/…\[truncated \d+ bytes\]$/);
      expect(logged.length).toBeLessThan(TASK_OUTPUT_LIMITS.maxStringBytes + 100);
    });
  });
});

import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RUN_VIEW_LIMITS } from "../src/run-view";
import { TASK_VIEW_LIMITS } from "../src/task-view";
import { type HeldHttpServer, startHeldHttpServer } from "./held-http-server";
import { STORE_KINDS, startTestServer, type TestServer } from "./http-server";
import { TEST_DATABASE_URL, warnIfNoPostgres } from "./postgres-test-schema";
import { finishedRunView } from "./run-view-polling";
import { removeTempDirs } from "./sqlite-temp";
import { until } from "./until";

warnIfNoPostgres("HTTP bounds");
afterAll(removeTempDirs);

const BIG_BODY_BYTES = 200 * 1024;

describe.each(STORE_KINDS)("bounds over HTTP on %s", (kind) => {
  describe.skipIf(kind === "postgres" && !TEST_DATABASE_URL)("", () => {
    let t: TestServer;
    let held: HeldHttpServer;
    let big: Server;
    let bigUrl: string;

    beforeAll(async () => {
      held = await startHeldHttpServer();
      big = createServer((_request, response) => {
        response.writeHead(200, { "content-type": "text/plain" }).end("x".repeat(BIG_BODY_BYTES));
      });
      await new Promise<void>((resolve) => big.listen(0, "127.0.0.1", resolve));
      bigUrl = `http://127.0.0.1:${(big.address() as AddressInfo).port}`;
      t = await startTestServer(
        kind,
        {},
        {
          AUTOFLOW_MAX_RUNS_IN_FLIGHT_PER_USER: "2",
          AUTOFLOW_MAX_STEPS_PER_WORKFLOW: "3",
          AUTOFLOW_EGRESS_ALLOW: "127.0.0.1/32",
        },
      );
    });
    afterAll(async () => {
      held?.releaseAll();
      await t?.close();
      await held?.close();
      big?.closeAllConnections();
      await new Promise<void>((resolve) => (big ? big.close(() => resolve()) : resolve()));
    });

    const callStep = (id: string, url: string) => ({ id, action: "http.request", inputs: { url } });

    it("refuses a workflow with more steps than AUTOFLOW_MAX_STEPS_PER_WORKFLOW, on create and on update: 400", async () => {
      const four = ["a", "b", "c", "d"].map((id) => callStep(id, `${held.url}/${id}`));
      const refused = await t.call("POST", "/api/workflows", { body: { steps: four } });
      expect(refused.status).toBe(400);
      expect(refused.json).toMatchObject({
        error: { code: "too_many_steps", message: "steps: 4 steps, at most 3 are allowed in a workflow" },
      });

      const created = await t.call("POST", "/api/workflows", { body: { steps: four.slice(0, 3) } });
      expect(created.status).toBe(201);
      const id = (created.json as { id: string }).id;
      const updated = await t.call("PUT", `/api/workflows/${id}`, { body: { steps: four } });
      expect(updated.status).toBe(400);
      expect(updated.json).toMatchObject({ error: { code: "too_many_steps" } });
      const stored = await t.call("GET", `/api/workflows/${id}`);
      expect((stored.json as { steps: unknown[] }).steps).toHaveLength(3);
    });

    it("answers 429 to a start past the user's runs in flight, and starts again once one finishes", async () => {
      const created = await t.call("POST", "/api/workflows", {
        body: { steps: [callStep("call", `${held.url}/call?n={{trigger.n}}`)] },
        user: "user-limits",
      });
      const id = (created.json as { id: string }).id;
      const start = (n: number, user = "user-limits") =>
        t.call("POST", `/api/workflows/${id}/runs`, { body: { n: String(n) }, user });

      expect((await start(1)).status).toBe(202);
      expect((await start(2)).status).toBe(202);
      const refused = await start(3);
      expect(refused.status).toBe(429);
      expect(refused.json).toMatchObject({
        error: {
          code: "too_many_runs_in_flight",
          message: expect.stringMatching(/^2 of your workflow runs are queued, running or waiting/),
        },
      });
      // The limit is per user: another user's workflow of the same shape is not held back.
      const other = await t.call("POST", "/api/workflows", {
        body: { steps: [callStep("call", `${held.url}/other`)] },
        user: "user-other",
      });
      const otherStart = await t.call("POST", `/api/workflows/${(other.json as { id: string }).id}/runs`, {
        user: "user-other",
      });
      expect(otherStart.status).toBe(202);

      await until(() => held.held === 3, "three calls held");
      held.releaseAll();
      await until(async () => {
        const listed = await t.call("GET", `/api/runs?workflowId=${id}`, { user: "user-limits" });
        const runs = (listed.json as { runs: { status: string }[] }).runs;
        return runs.length === 2 && runs.every((run) => run.status === "completed");
      }, "both runs to complete");
      const again = await start(4);
      expect(again.status).toBe(202);
      await until(() => held.held === 1, "the new call held");
      held.releaseAll();
    });

    it("shows a step output cut at 64 KiB per string with a marker, while the run itself got the whole answer", async () => {
      const created = await t.call("POST", "/api/workflows", {
        body: { steps: [callStep("fetch", `${bigUrl}/big`)] },
        user: "user-big",
      });
      const started = await t.call("POST", `/api/workflows/${(created.json as { id: string }).id}/runs`, {
        user: "user-big",
      });
      const runId = (started.json as { runId: string }).runId;
      const { view, text } = await finishedRunView(t, runId, "user-big");
      expect(view.status).toBe("completed");
      const [step] = view.steps;
      expect(step?.outputTruncated).toBe(true);
      const cut = BIG_BODY_BYTES - RUN_VIEW_LIMITS.maxStringBytes;
      expect(step?.output?.body).toBe(
        `${"x".repeat(RUN_VIEW_LIMITS.maxStringBytes)}…[truncated ${cut} bytes]`,
      );
      // The steps' outputs, plus the task timeline's, each cut to its own limit: the view stays bounded.
      for (const task of view.tasks)
        expect(JSON.stringify(task.output ?? null).length).toBeLessThan(
          TASK_VIEW_LIMITS.maxStringBytes + 2048,
        );
      expect(text.length).toBeLessThan(
        RUN_VIEW_LIMITS.maxStringBytes + view.tasks.length * (TASK_VIEW_LIMITS.maxStringBytes + 2048) + 4096,
      );
    });
  });
});

import { afterAll, describe, expect, it } from "vitest";
import { type HeldHttpServer, startHeldHttpServer } from "./held-http-server";
import { startTestServer, type TestServer } from "./http-server";
import { removeTempDirs } from "./sqlite-temp";
import { until } from "./until";

afterAll(removeTempDirs);

describe("the embedded (SQLite) service under a flood of runs", () => {
  let t: TestServer | undefined;
  let held: HeldHttpServer | undefined;
  afterAll(async () => {
    held?.releaseAll();
    await t?.close();
    await held?.close();
  });

  it("executes at most AUTOFLOW_WORKER_CONCURRENCY runs at once and starts them in the order they were queued", async () => {
    held = await startHeldHttpServer();
    t = await startTestServer(
      "sqlite",
      {},
      { AUTOFLOW_WORKER_CONCURRENCY: "2", AUTOFLOW_EGRESS_ALLOW: "127.0.0.1/32" },
    );
    const created = await t.call("POST", "/api/workflows", {
      body: {
        name: "Calls the held server",
        steps: [{ id: "call", action: "http.request", inputs: { url: `${held.url}/call?n={{trigger.n}}` } }],
      },
    });
    expect(created.status).toBe(201);
    const workflowId = (created.json as { id: string }).id;

    const flood = Array.from({ length: 30 }, (_, i) => String(i));
    const runIds: string[] = [];
    for (const n of flood) {
      const started = await t.call("POST", `/api/workflows/${workflowId}/runs`, { body: { n } });
      expect(started.status).toBe(202);
      runIds.push((started.json as { runId: string }).runId);
    }

    const server = held;
    for (let answered = 0; answered < flood.length; answered++) {
      // Two held at a time until the line runs out: a slot frees only when the test answers a request.
      const expected = Math.min(2, flood.length - answered);
      await until(() => server.held === expected, `${expected} requests held`);
      expect(server.arrivals).toHaveLength(answered + expected);
      server.releaseOldest();
    }
    expect(server.mostAtOnce).toBe(2);
    expect(server.arrivals).toEqual(flood);

    await until(async () => {
      const runs = (await t?.call("GET", `/api/runs?workflowId=${workflowId}&limit=200`))?.json as {
        runs: { status: string }[];
      };
      return runs.runs.length === flood.length && runs.runs.every((run) => run.status === "completed");
    }, "every run to complete");
  });
});

import { randomUUID } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { defineJob, type JsonObject, runIdForDelivery, type WebhookTrigger } from "@autoflow/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WEBHOOK_PROVIDERS } from "../src/webhooks";
import { deliver, HMAC_PROVIDER } from "./hmac-webhook-provider";
import { STORE_KINDS, startTestServer, type TestServer } from "./http-server";
import { TEST_DATABASE_URL, warnIfNoPostgres } from "./postgres-test-schema";
import { removeTempDirs } from "./sqlite-temp";
import { until } from "./until";

warnIfNoPostgres("NUL payload");
afterAll(removeTempDirs);

const SECRET = "nul-payload-webhook-secret-0123456789";
// What PostgreSQL's JSONB refuses and JSON text keeps: a NUL character (also in a key) and an unpaired surrogate.
const AWKWARD = { title: "before\u0000after", "key\u0000": ["\ud800", "fine"] };

/** A loopback server that keeps every JSON body posted to it. */
async function startEchoServer(): Promise<{ url: string; bodies: unknown[]; close(): Promise<void> }> {
  const bodies: unknown[] = [];
  const server: Server = createServer((request, response) => {
    let text = "";
    request.setEncoding("utf8");
    request.on("data", (chunk: string) => {
      text += chunk;
    });
    request.on("end", () => {
      bodies.push(JSON.parse(text));
      response.writeHead(200, { "content-type": "application/json" }).end('{"ok":true}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    bodies,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

describe.each(STORE_KINDS)("NUL and other values JSONB refuses, on %s", (kind) => {
  describe.skipIf(kind === "postgres" && !TEST_DATABASE_URL)("", () => {
    let t: TestServer;
    let echo: Awaited<ReturnType<typeof startEchoServer>>;
    /** The payloads the job ran with, in order. */
    const seen: unknown[] = [];

    const opened: WebhookTrigger<JsonObject> = {
      kind: "webhook",
      provider: "test",
      title: "opened",
      matches: (d) => d.event === "opened",
      payloadOf: (d) => d.payload as JsonObject,
    };

    beforeAll(async () => {
      echo = await startEchoServer();
      const job = defineJob({
        id: "echo-opened",
        trigger: opened,
        run: async (payload, io) => io.runTask("see", async () => void seen.push(payload)),
      });
      t = await startTestServer(
        kind,
        {},
        { AUTOFLOW_TEST_WEBHOOK_SECRETS: SECRET, AUTOFLOW_EGRESS_ALLOW: "127.0.0.1/32" },
        { jobs: [job], webhookProviders: [...WEBHOOK_PROVIDERS, HMAC_PROVIDER] },
      );
    });
    afterAll(async () => {
      await t?.close();
      await echo?.close();
    });

    it("runs a signed delivery carrying them with the payload as sent, and the deliveries behind it", async () => {
      const awkwardId = randomUUID();
      const payload = { kind: "opened", ...AWKWARD };
      expect(await deliver(t.url, payload, awkwardId, { secret: SECRET })).toEqual({
        status: 200,
        json: { ok: true },
      });
      expect((await deliver(t.url, { kind: "opened", n: 2 }, randomUUID(), { secret: SECRET })).status).toBe(
        200,
      );
      await until(() => seen.length === 2, "both deliveries to run");
      expect(seen).toEqual([payload, { kind: "opened", n: 2 }]);
      // The task log kept the payload exactly, as SQLite and PostgreSQL both must.
      const stored = await t.server.stores.tasks.loadRun(runIdForDelivery("test", awkwardId, "echo-opened"));
      expect(stored?.run).toMatchObject({ status: "completed", payload });
      await until(async () => (await t.server.stores.inbox.pending()).length === 0, "the inbox to drain");
    });

    it("refuses a delivery whose event name holds a NUL with a 400, storing nothing", async () => {
      const answer = await deliver(t.url, { kind: "open\u0000ed" }, randomUUID(), { secret: SECRET });
      expect(answer).toEqual({ status: 400, json: { ok: false, error: "not_json" } });
      expect(await t.server.stores.inbox.pending()).toEqual([]);
    });

    it.each([
      ["GET", "/api/workflows/wf_x%00"],
      ["GET", "/api/runs/run_x%00"],
      ["GET", "/api/runs?workflowId=wf_x%00"],
      ["POST", "/api/webhooks/test/conn%00"],
    ])("answers %s %s, a NUL in the URL, with a 400 rather than a database error", async (method, path) => {
      const answer = await t.call(method, path);
      expect(answer).toMatchObject({
        status: 400,
        json: { error: { code: "invalid_request", message: "The URL contains a NUL character" } },
      });
    });

    it("starts a workflow run with them in its payload: 202, and the step receives them as sent", async () => {
      const created = await t.call("POST", "/api/workflows", {
        body: {
          name: "Forward the payload",
          steps: [
            {
              id: "forward",
              action: "http.request",
              inputs: { method: "POST", url: `${echo.url}/hook`, body: { $ref: "trigger" } },
            },
          ],
        },
      });
      expect(created.status).toBe(201);
      const workflowId = (created.json as { id: string }).id;

      const started = await t.call("POST", `/api/workflows/${workflowId}/runs`, { body: AWKWARD });
      expect(started.status).toBe(202);
      const runId = (started.json as { runId: string }).runId;
      await until(async () => {
        const run = await t.call("GET", `/api/runs/${runId}`);
        return (run.json as { status?: string }).status === "completed";
      }, "the workflow run to complete");
      expect(echo.bodies).toEqual([AWKWARD]);
      expect((await t.call("GET", `/api/runs/${runId}`)).status).toBe(200);
    });
  });
});

import { randomUUID } from "node:crypto";
import { SlackEmulator } from "@autoflow/emulators";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WEBHOOK_PROVIDERS } from "../src/webhooks";
import { deliver, HMAC_PROVIDER } from "./hmac-webhook-provider";
import { STORE_KINDS, startTestServer, type TestServer } from "./http-server";
import { TEST_DATABASE_URL, warnIfNoPostgres } from "./postgres-test-schema";
import { removeTempDirs } from "./sqlite-temp";

warnIfNoPostgres("JSON nesting");
afterAll(removeTempDirs);

const SECRET = "json-depth-webhook-secret-0123456789";
/** 30,000 levels fit the API's 64 KiB body limit and overflow the stack of anything that recurses over them. */
const DEEP = `${"[".repeat(30_000)}${"]".repeat(30_000)}`;
const deepInside = (key: string) => `{"${key}":${DEEP}}`;

describe.each(STORE_KINDS)("deeply nested JSON on %s", (kind) => {
  describe.skipIf(kind === "postgres" && !TEST_DATABASE_URL)("", () => {
    const slack = new SlackEmulator();
    let t: TestServer;
    let workflowId: string;

    beforeAll(async () => {
      await slack.start();
      t = await startTestServer(
        kind,
        { AUTOFLOW_SLACK_API_URL: slack.apiUrl },
        { AUTOFLOW_TEST_WEBHOOK_SECRETS: SECRET, AUTOFLOW_MAX_JSON_DEPTH: "8" },
        { webhookProviders: [...WEBHOOK_PROVIDERS, HMAC_PROVIDER] },
      );
      const connected = await t.call("POST", "/api/integrations/slack/connections", {
        body: { accessToken: slack.mintToken() },
      });
      expect(connected.status).toBe(201);
      const created = await t.call("POST", "/api/workflows", {
        body: {
          name: "Say",
          steps: [
            {
              id: "say",
              action: "slack.sendMessage",
              inputs: { channel: "C01GENERAL", text: "hi" },
              credentialId: "slack",
            },
          ],
        },
      });
      expect(created.status).toBe(201);
      workflowId = (created.json as { id: string }).id;
    });
    afterAll(async () => {
      await t?.close();
      await slack.stop();
    });

    it("refuses a deep workflow definition with a 400 naming the bound", async () => {
      // Deep inside a step's inputs, which saving walks (references, credential detectors): a 500 without the bound.
      const steps = `[{"id":"say","action":"slack.sendMessage","credentialId":"slack","inputs":{"text":${DEEP}}}]`;
      const answer = await t.call("POST", "/api/workflows", { rawBody: `{"name":"Deep","steps":${steps}}` });
      expect(answer).toMatchObject({
        status: 400,
        json: { error: { code: "invalid_request", message: "body: nests deeper than 8 levels" } },
      });
    });

    it("refuses a deep run payload with a 400 and starts no run", async () => {
      const answer = await t.call("POST", `/api/workflows/${workflowId}/runs`, { rawBody: deepInside("a") });
      expect(answer).toMatchObject({ status: 400, json: { error: { code: "invalid_request" } } });
      const runs = await t.call("GET", `/api/runs?workflowId=${workflowId}`);
      expect((runs.json as { runs: unknown[] }).runs).toEqual([]);
    });

    it("applies the configured bound: 8 levels start a run, 9 do not", async () => {
      const eight = `{"a":${"[".repeat(7)}${"]".repeat(7)}}`;
      const nine = `{"a":${"[".repeat(8)}${"]".repeat(8)}}`;
      expect((await t.call("POST", `/api/workflows/${workflowId}/runs`, { rawBody: eight })).status).toBe(
        202,
      );
      expect((await t.call("POST", `/api/workflows/${workflowId}/runs`, { rawBody: nine })).status).toBe(400);
    });

    it("answers a signed deep webhook with 400 not_json, which providers do not retry, and stores nothing", async () => {
      const id = randomUUID();
      const answer = await deliver(t.url, `{"kind":"opened","repo":${DEEP}}`, id, { secret: SECRET });
      expect(answer).toEqual({ status: 400, json: { ok: false, error: "not_json" } });
      expect((await t.server.stores.inbox.pending()).map((entry) => entry.deliveryId)).not.toContain(id);
      // The intake still works for the next delivery.
      const next = await deliver(t.url, { kind: "opened", repo: "octo/hello", number: 1 }, randomUUID(), {
        secret: SECRET,
      });
      expect(next.status).toBe(200);
    });

    it("keeps an unsigned deep body a 401: nesting is checked after the signature", async () => {
      const answer = await deliver(t.url, `{"kind":${DEEP}}`, randomUUID(), {
        secret: SECRET,
        signature: null,
      });
      expect(answer.status).toBe(401);
    });
  });
});

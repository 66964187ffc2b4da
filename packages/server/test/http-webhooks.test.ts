import { randomUUID } from "node:crypto";
import { defineJob } from "@autoflow/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WEBHOOK_PROVIDERS } from "../src/webhooks";
import { deliver, HMAC_PROVIDER, openedIn, sign } from "./hmac-webhook-provider";
import { STORE_KINDS, startTestServer, type TestServer } from "./http-server";
import { TEST_DATABASE_URL, warnIfNoPostgres } from "./postgres-test-schema";
import { removeTempDirs } from "./sqlite-temp";
import { until } from "./until";

warnIfNoPostgres("webhook");
afterAll(removeTempDirs);

const SECRET = "current-webhook-secret-0123456789";
const OLD_SECRET = "previous-webhook-secret-0123456789";
const CONNECTION_SECRET = "per-connection-hook-secret-0123456789";

describe.each(STORE_KINDS)("webhook intake over HTTP on %s", (kind) => {
  describe.skipIf(kind === "postgres" && !TEST_DATABASE_URL)("", () => {
    let t: TestServer;
    /** `repo#number` for every side effect a run performed. */
    const effects: string[] = [];
    let releaseSlow: () => void = () => {};
    const slowGate = new Promise<void>((resolve) => {
      releaseSlow = resolve;
    });
    let slowFinished = false;

    const count = (repo: string, number: number) => effects.filter((e) => e === `${repo}#${number}`).length;
    const send = (
      payload: unknown,
      deliveryId: string,
      options: { signature?: string | null; path?: string } = {},
    ) => deliver(t.url, payload, deliveryId, { secret: SECRET, ...options });
    const opened = (repo: string, number: number) => ({ kind: "opened", repo, number });

    beforeAll(async () => {
      const recording = defineJob({
        id: "record-opened",
        trigger: openedIn("octo/hello"),
        run: async (payload, io) =>
          io.runTask("side-effect", async () => effects.push(`${payload.repo}#${payload.number}`)),
      });
      const slow = defineJob({
        id: "slow-opened",
        trigger: openedIn("octo/slow"),
        run: async () => {
          await slowGate;
          slowFinished = true;
        },
      });
      t = await startTestServer(
        kind,
        {},
        { AUTOFLOW_TEST_WEBHOOK_SECRETS: `${SECRET}, ${OLD_SECRET}` },
        { jobs: [recording, slow], webhookProviders: [...WEBHOOK_PROVIDERS, HMAC_PROVIDER] },
      );
    });
    afterAll(async () => {
      releaseSlow();
      await t?.close();
    });

    it("answers a signed delivery with 200 and runs the job once, with no user token", async () => {
      const id = randomUUID();
      expect(await send(opened("octo/hello", 1), id)).toEqual({ status: 200, json: { ok: true } });
      await until(() => count("octo/hello", 1) === 1, "the run");
      await until(async () => (await t.server.stores.inbox.pending()).length === 0, "the dispatch mark");
    });

    it("acknowledges the same delivery three times with one run", async () => {
      const id = randomUUID();
      const answers = [];
      for (let i = 0; i < 3; i++) answers.push(await send(opened("octo/hello", 2), id));
      expect(answers).toEqual([
        { status: 200, json: { ok: true } },
        { status: 200, json: { ok: true, duplicate: true } },
        { status: 200, json: { ok: true, duplicate: true } },
      ]);
      // Deliveries dispatch in order: once a later one has run, a second run of the first would have too.
      await send(opened("octo/hello", 3), randomUUID());
      await until(() => count("octo/hello", 3) === 1, "the later delivery's run");
      expect(count("octo/hello", 2)).toBe(1);
    });

    it("acknowledges 10 concurrent copies of one delivery with exactly one new acceptance and one run", async () => {
      const id = randomUUID();
      const answers = await Promise.all(Array.from({ length: 10 }, () => send(opened("octo/hello", 4), id)));
      expect(answers.every((a) => a.status === 200)).toBe(true);
      expect(answers.filter((a) => (a.json as { duplicate?: boolean }).duplicate !== true)).toHaveLength(1);
      await send(opened("octo/hello", 5), randomUUID());
      await until(() => count("octo/hello", 5) === 1, "the later delivery's run");
      expect(count("octo/hello", 4)).toBe(1);
    });

    it("accepts either secret during a rotation", async () => {
      const body = JSON.stringify(opened("octo/hello", 6));
      expect((await deliver(t.url, body, randomUUID(), { secret: OLD_SECRET })).status).toBe(200);
      await until(() => count("octo/hello", 6) === 1, "the run");
    });

    it.each([
      ["a wrong signature", sign("something else", SECRET), 401, "bad_signature"],
      [
        "a signature under an unknown secret",
        sign(JSON.stringify(opened("octo/hello", 7)), "not-ours"),
        401,
        "bad_signature",
      ],
      ["no signature", null, 401, "missing_signature"],
    ])("refuses %s and stores nothing", async (_name, signature, status, error) => {
      const id = randomUUID();
      expect(await send(opened("octo/hello", 7), id, { signature })).toEqual({
        status,
        json: { ok: false, error },
      });
      // Nothing was stored: the same delivery, correctly signed, is new.
      expect(await send(opened("octo/hello", 7), id)).toEqual({ status: 200, json: { ok: true } });
    });

    it("refuses a signed body that is not JSON with 400", async () => {
      const id = randomUUID();
      expect(await send("not json {", id)).toEqual({ status: 400, json: { ok: false, error: "not_json" } });
      expect(await send(opened("octo/other", 1), id)).toEqual({ status: 200, json: { ok: true } });
    });

    it("refuses a body over 1 MiB with 413, declared or streamed", async () => {
      const big = JSON.stringify({ ...opened("octo/hello", 8), pad: "x".repeat(1024 * 1024) });
      const id = randomUUID();
      expect(await send(big, id)).toEqual({ status: 413, json: { ok: false, error: "too_large" } });

      const bytes = new TextEncoder().encode(big);
      const stream = new ReadableStream<Uint8Array>({
        start(controller) {
          for (let i = 0; i < bytes.length; i += 64 * 1024)
            controller.enqueue(bytes.subarray(i, i + 64 * 1024));
          controller.close();
        },
      });
      const streamed = await fetch(`${t.url}/api/webhooks/test`, {
        method: "POST",
        headers: { "x-delivery": id, "x-signature": sign(big, SECRET) },
        body: stream,
        duplex: "half",
      } as RequestInit);
      expect(streamed.status).toBe(413);
      expect(await send(opened("octo/other", 2), id)).toEqual({ status: 200, json: { ok: true } });
    });

    it("accepts a body just under the limit", async () => {
      const payload = { ...opened("octo/other", 3), pad: "" };
      payload.pad = "x".repeat(1024 * 1024 - JSON.stringify(payload).length);
      expect(JSON.stringify(payload).length).toBe(1024 * 1024);
      expect((await send(payload, randomUUID())).status).toBe(200);
    });

    it("answers 404 for an unknown provider, and for a known one with no secret configured", async () => {
      expect((await send(opened("octo/hello", 9), randomUUID(), { path: "/api/webhooks/nope" })).status).toBe(
        404,
      );
      expect(
        (await send(opened("octo/hello", 9), randomUUID(), { path: "/api/webhooks/slack" })).status,
      ).toBe(404);
    });

    it("answers before a slow job finishes", async () => {
      expect(await send(opened("octo/slow", 1), randomUUID())).toEqual({ status: 200, json: { ok: true } });
      expect(slowFinished).toBe(false);
      // And the intake is not blocked behind the running job either.
      expect((await send(opened("octo/other", 4), randomUUID())).status).toBe(200);
      expect(slowFinished).toBe(false);
      releaseSlow();
      await until(() => slowFinished, "the slow job");
    });

    describe("per-connection hooks", () => {
      let connectionId: string;
      const path = () => `/api/webhooks/test/${connectionId}`;

      beforeAll(async () => {
        connectionId = randomUUID();
        const { connections, webhookSecrets } = t.server.stores;
        await connections.saveConnection({
          id: connectionId,
          userId: "user-a",
          provider: "test",
          authMethod: "apiKey",
          credential: { accessToken: "test-token-0123456789" },
          metadata: {},
          createdAt: new Date().toISOString(),
        });
        await webhookSecrets.saveSecret({
          connectionId,
          secretId: "hook-1",
          provider: "test",
          secret: CONNECTION_SECRET,
          createdAt: new Date().toISOString(),
        });
      });

      it("verifies with the connection's stored secret, not the provider-wide one", async () => {
        const body = JSON.stringify(opened("octo/hello", 20));
        expect(await deliver(t.url, body, randomUUID(), { secret: CONNECTION_SECRET, path: path() })).toEqual(
          {
            status: 200,
            json: { ok: true },
          },
        );
        await until(() => count("octo/hello", 20) === 1, "the run");
        expect((await deliver(t.url, body, randomUUID(), { secret: SECRET, path: path() })).status).toBe(401);
      });

      it("answers 404 for an unknown, revoked or secret-less connection", async () => {
        const body = opened("octo/hello", 21);
        const options = { secret: CONNECTION_SECRET };
        expect(
          (
            await deliver(t.url, body, randomUUID(), {
              ...options,
              path: `/api/webhooks/test/${randomUUID()}`,
            })
          ).status,
        ).toBe(404);
        expect(
          (
            await deliver(t.url, body, randomUUID(), {
              ...options,
              path: `/api/webhooks/slack/${connectionId}`,
            })
          ).status,
        ).toBe(404);

        const { connections, webhookSecrets } = t.server.stores;
        const stored = await connections.getConnection(connectionId);
        if (!stored) throw new Error("the connection is gone");
        await connections.saveConnection({ ...stored, revokedAt: new Date().toISOString() });
        expect((await deliver(t.url, body, randomUUID(), { ...options, path: path() })).status).toBe(404);
        await connections.saveConnection(stored);
        expect((await deliver(t.url, body, randomUUID(), { ...options, path: path() })).status).toBe(200);
        await webhookSecrets.deleteSecret(connectionId, "hook-1");
        expect((await deliver(t.url, body, randomUUID(), { ...options, path: path() })).status).toBe(404);
      });
    });
  });
});

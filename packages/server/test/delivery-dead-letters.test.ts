import { randomUUID } from "node:crypto";
import { defineJob, type JsonObject, type WebhookTrigger } from "@autoflow/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WEBHOOK_PROVIDERS } from "../src/webhooks";
import { deliver, HMAC_PROVIDER } from "./hmac-webhook-provider";
import { STORE_KINDS, startTestServer, type TestServer } from "./http-server";
import { TEST_DATABASE_URL, warnIfNoPostgres } from "./postgres-test-schema";
import { removeTempDirs } from "./sqlite-temp";
import { until } from "./until";

warnIfNoPostgres("dead-letter");
afterAll(removeTempDirs);

const SECRET = "dead-letter-webhook-secret-0123456789";

interface DeadDelivery {
  id: string;
  provider: string;
  event: string;
  status: string;
  attempts: number;
  lastError?: string;
  receivedAt: string;
  deadAt: string;
}

describe.each(STORE_KINDS)("a poison delivery on %s", (kind) => {
  describe.skipIf(kind === "postgres" && !TEST_DATABASE_URL)("", () => {
    let t: TestServer;
    /** The issue numbers the job recorded, in the order it ran them. */
    const recorded: string[] = [];
    let cured = false;

    // A trigger whose payload reading throws on a payload it does not expect, every time: a poison delivery.
    // Its message quotes the configured webhook secret, which the recorded error must not.
    const numbered: WebhookTrigger<{ number: unknown }> = {
      kind: "webhook",
      provider: "test",
      title: "opened with a number",
      matches: (d) => d.event === "opened",
      payloadOf: (d) => {
        const payload = d.payload as JsonObject;
        if (typeof payload.number !== "number" && !cured) {
          throw new Error(`issue number missing (signed with ${SECRET})`);
        }
        return payload as { number: unknown };
      },
    };

    const send = (payload: unknown, deliveryId: string = randomUUID()) =>
      deliver(t.url, payload, deliveryId, { secret: SECRET });
    const dead = async (user: string) => {
      const answer = await t.call("GET", "/api/deliveries?status=dead", { user });
      expect(answer.status).toBe(200);
      return (answer.json as { deliveries: DeadDelivery[] }).deliveries;
    };

    beforeAll(async () => {
      const job = defineJob({
        id: "record-number",
        trigger: numbered,
        run: async (payload, io) =>
          io.runTask("record", async () => void recorded.push(String(payload.number))),
      });
      t = await startTestServer(
        kind,
        {},
        // One attempt: the first failure is dead, so the test needs no clock (backoff is core's unit test).
        { AUTOFLOW_TEST_WEBHOOK_SECRETS: SECRET, AUTOFLOW_DELIVERY_MAX_ATTEMPTS: "1" },
        { jobs: [job], jobsUserId: "user-a", webhookProviders: [...WEBHOOK_PROVIDERS, HMAC_PROVIDER] },
      );
    });
    afterAll(async () => {
      await t?.close();
    });

    it("lets the deliveries behind it run, lists it as dead for its user only, and retries it", async () => {
      const poisonId = `poison-${randomUUID()}`;
      expect((await send({ kind: "opened", number: "seven" }, poisonId)).status).toBe(200);
      for (const number of [1, 2, 3]) expect((await send({ kind: "opened", number })).status).toBe(200);

      await until(() => recorded.length === 3, "the three good deliveries to run");
      expect(recorded).toEqual(["1", "2", "3"]);
      await until(async () => (await dead("user-a")).length === 1, "the poison delivery to be dead");
      // Nothing is left pending behind it: the queue is not blocked.
      await until(async () => (await t.server.stores.inbox.pending()).length === 0, "the inbox to drain");

      const [listed] = await dead("user-a");
      expect(listed).toMatchObject({ provider: "test", event: "opened", status: "dead", attempts: 1 });
      expect(listed?.id).toMatch(/^dlv_[0-9a-f]{32}$/);
      expect(listed?.lastError).toContain("issue number missing");
      // Neither the secret in the error, nor the provider's delivery id, nor the payload reaches the API.
      const listing = JSON.stringify(await dead("user-a"));
      expect(listing).not.toContain(SECRET);
      expect(listing).not.toContain(poisonId);
      expect(listing).not.toContain("seven");
      const id = listed?.id as string;

      // Another user neither sees it nor can retry it: the same 404 as an id that does not exist.
      expect(await dead("user-b")).toEqual([]);
      const foreign = await t.call("POST", `/api/deliveries/${id}/retry`, { user: "user-b" });
      expect(foreign.status).toBe(404);
      expect(foreign.json).toMatchObject({ error: { code: "delivery_not_found" } });
      expect((await dead("user-a")).map((d) => d.id)).toEqual([id]);

      cured = true;
      const retried = await t.call("POST", `/api/deliveries/${id}/retry`, { user: "user-a" });
      expect(retried).toMatchObject({ status: 202, json: { id, status: "pending" } });
      await until(() => recorded.includes("seven"), "the retried delivery to run");
      expect(await dead("user-a")).toEqual([]);
      // No longer dead: a second retry has nothing to retry.
      expect((await t.call("POST", `/api/deliveries/${id}/retry`, { user: "user-a" })).status).toBe(404);
    });

    it("answers bad requests with a 400 naming the problem, and no token with a 401", async () => {
      const noStatus = await t.call("GET", "/api/deliveries");
      expect(noStatus.status).toBe(400);
      expect(noStatus.json).toMatchObject({ error: { code: "invalid_request", message: /status/ } });
      expect((await t.call("GET", "/api/deliveries?status=pending")).status).toBe(400);
      expect((await t.call("GET", "/api/deliveries?status=dead&limit=0")).status).toBe(400);
      const badId = await t.call("POST", "/api/deliveries/not-an-id/retry");
      expect(badId.status).toBe(400);
      expect(badId.json).toMatchObject({ error: { message: "id: must be a delivery id" } });
      expect((await t.call("GET", "/api/deliveries?status=dead", { user: null })).status).toBe(401);
    });
  });
});

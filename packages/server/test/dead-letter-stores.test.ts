import { type DeadLetterInbox, MemoryWebhookInbox, type WebhookDelivery } from "@autoflow/core";
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import { PostgresTriggerStore } from "../src/stores/postgres-trigger-store";
import { SqliteTriggerStore } from "../src/stores/sqlite-trigger-store";
import { TEST_DATABASE_URL, useMigratedTestSchema, warnIfNoPostgres } from "./postgres-test-schema";
import { removeTempDirs, tempSqlitePath } from "./sqlite-temp";

warnIfNoPostgres("dead-letter store");
afterAll(removeTempDirs);

const T0 = Date.parse("2025-05-01T08:00:00.000Z");
const at = (offsetMs: number) => new Date(T0 + offsetMs).toISOString();

const delivery = (deliveryId: string, offset: number): WebhookDelivery => ({
  provider: "github",
  deliveryId,
  event: "issues",
  action: "opened",
  payload: { n: offset },
  receivedAt: at(offset),
});

/**
 * The dead-letter half of the inbox contract, held to the memory inbox's behaviour: what `pending` leaves out
 * (not due yet, dead), what `markFailed` records, and how a dead letter is listed and put back.
 */
function describeDeadLetterInbox(
  name: string,
  open: () => Promise<{ inbox: DeadLetterInbox; close(): Promise<void> }>,
) {
  describe(`dead letters: ${name}`, () => {
    let inbox: DeadLetterInbox;
    let close: () => Promise<void>;

    beforeEach(async () => {
      ({ inbox, close } = await open());
      for (const [index, id] of ["a", "b", "c"].entries()) await inbox.accept(delivery(id, index));
    });
    afterEach(async () => {
      await close();
    });

    it("keeps a failed delivery pending with its attempt, but leaves it out of what is due before its retry time", async () => {
      await inbox.markFailed("github", "a", { attempts: 1, lastError: "Error: boom", retryAt: at(30_000) });
      const [failed] = await inbox.pending();
      expect(failed).toStrictEqual({
        ...delivery("a", 0),
        attempts: 1,
        lastError: "Error: boom",
        retryAt: at(30_000),
      });
      expect((await inbox.pending(100, { dueBy: at(29_999) })).map((e) => e.deliveryId)).toEqual(["b", "c"]);
      expect((await inbox.pending(100, { dueBy: at(30_000) })).map((e) => e.deliveryId)).toEqual([
        "a",
        "b",
        "c",
      ]);
    });

    it("takes a dead letter out of pending, lists it most recently dead first, and puts it back once", async () => {
      await inbox.markFailed("github", "a", { attempts: 5, lastError: "Error: first", deadAt: at(1_000) });
      await inbox.markFailed("github", "c", { attempts: 5, lastError: "Error: second", deadAt: at(2_000) });
      expect((await inbox.pending()).map((e) => e.deliveryId)).toEqual(["b"]);
      const dead = await inbox.deadLetters();
      expect(dead.map((e) => [e.deliveryId, e.attempts, e.lastError, e.deadAt])).toEqual([
        ["c", 5, "Error: second", at(2_000)],
        ["a", 5, "Error: first", at(1_000)],
      ]);
      expect(await inbox.deadLetters(1)).toHaveLength(1);

      expect(await inbox.retryDead("github", "a")).toBe(true);
      expect(await inbox.retryDead("github", "a")).toBe(false);
      expect(await inbox.retryDead("github", "b")).toBe(false);
      expect(await inbox.retryDead("slack", "c")).toBe(false);
      // Back as it was accepted: no attempts, no error.
      expect(await inbox.pending()).toStrictEqual([delivery("a", 0), delivery("b", 1)]);
      expect((await inbox.deadLetters()).map((e) => e.deliveryId)).toEqual(["c"]);
    });

    it("does not record a failure over a delivery that was dispatched meanwhile", async () => {
      await inbox.markDispatched("github", "a", at(5));
      await inbox.markFailed("github", "a", { attempts: 1, lastError: "Error: late", deadAt: at(6) });
      expect(await inbox.deadLetters()).toEqual([]);
      expect((await inbox.pending()).map((e) => e.deliveryId)).toEqual(["b", "c"]);
    });
  });
}

describeDeadLetterInbox("MemoryWebhookInbox", async () => ({
  inbox: new MemoryWebhookInbox(),
  close: async () => {},
}));

describeDeadLetterInbox("SqliteTriggerStore", async () => {
  const store = new SqliteTriggerStore({ path: tempSqlitePath() });
  return { inbox: store, close: () => store.close() };
});

describe.skipIf(!TEST_DATABASE_URL)("on PostgreSQL", () => {
  const schema = useMigratedTestSchema();

  describeDeadLetterInbox("PostgresTriggerStore", async () => {
    await schema.pool.query("TRUNCATE autoflow_webhook_inbox");
    const store = await PostgresTriggerStore.open({ pool: schema.pool, skipMigrations: true });
    return { inbox: store, close: () => store.close() };
  });
});

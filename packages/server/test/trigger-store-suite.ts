import type { CursorStore, WebhookDelivery, WebhookInbox } from "@autoflow/core";
import { afterEach, beforeEach, describe, expect, it } from "vitest";

/** An inbox that is also the cursor store, as every store the service opens is. */
export type TriggerStore = WebhookInbox & CursorStore;

/** A fresh, empty store under test. */
export interface TriggerStoreHarness {
  store: TriggerStore;
  /** Another store over the same data (its own connection or pool), as a second process would open it. */
  another?(): Promise<TriggerStore>;
  /** Closes every store the harness opened. */
  close(): Promise<void>;
}

const T0 = Date.parse("2025-01-15T12:00:00.000Z");
const at = (offsetMs: number) => new Date(T0 + offsetMs).toISOString();

function delivery(deliveryId: string, overrides: Partial<WebhookDelivery> = {}): WebhookDelivery {
  return {
    provider: "github",
    deliveryId,
    event: "issues",
    action: "opened",
    payload: { issue: { number: 1, title: "Ünïcødé 👋", labels: [] }, nested: { a: [1, null, true] } },
    receivedAt: at(0),
    ...overrides,
  };
}

/**
 * The contract every durable `WebhookInbox` + `CursorStore` meets, as a vitest suite; the memory store
 * (core's `MemoryWebhookInbox`) runs it too, so the durable ones are held to the reference behaviour.
 */
export function describeTriggerStore(
  name: string,
  create: () => Promise<TriggerStoreHarness>,
  options: { sharesData: boolean },
): void {
  describe(`WebhookInbox and CursorStore contract: ${name}`, () => {
    let harness: TriggerStoreHarness;
    let store: TriggerStore;

    beforeEach(async () => {
      harness = await create();
      store = harness.store;
    });

    afterEach(async () => {
      await harness.close();
    });

    it("accepts a delivery once and calls every later copy a duplicate", async () => {
      expect(await store.accept(delivery("d-1"))).toBe("accepted");
      expect(await store.accept(delivery("d-1"))).toBe("duplicate");
      expect(await store.accept(delivery("d-1", { receivedAt: at(5_000) }))).toBe("duplicate");
      expect(await store.pending()).toStrictEqual([delivery("d-1")]);
    });

    it("keeps the first copy of a delivery, not a later one with other content", async () => {
      await store.accept(delivery("d-1"));
      await store.accept(delivery("d-1", { event: "push", payload: { replaced: true } }));
      expect(await store.pending()).toStrictEqual([delivery("d-1")]);
    });

    it("keys deliveries by provider and delivery id together", async () => {
      expect(await store.accept(delivery("same-id"))).toBe("accepted");
      expect(await store.accept(delivery("same-id", { provider: "slack", event: "message" }))).toBe(
        "accepted",
      );
      expect((await store.pending()).map((e) => e.provider).sort()).toEqual(["github", "slack"]);
    });

    it("round-trips a delivery without an action, and JSON payloads of every shape", async () => {
      const { action: _omitted, ...noAction } = delivery("d-no-action", { event: "push" });
      const payloads = [{ text: "nul \u0000 and quotes \"'" }, [1, "two", null], "a string", 42, null];
      await store.accept(noAction);
      for (const [index, payload] of payloads.entries()) {
        await store.accept(delivery(`d-payload-${index}`, { payload, receivedAt: at(index + 1) }));
      }
      const pending = await store.pending();
      expect(pending[0]).toStrictEqual(noAction);
      expect(pending.slice(1).map((e) => e.payload)).toStrictEqual(payloads);
    });

    it("lets exactly one of 10 concurrent accepts of one delivery hear 'accepted'", async () => {
      const others = harness.another ? await Promise.all([harness.another(), harness.another()]) : [];
      const stores = [store, ...others];
      const outcomes = await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          stores[i % stores.length]?.accept(delivery("racing", { receivedAt: at(i) })),
        ),
      );
      expect(outcomes.filter((o) => o === "accepted")).toHaveLength(1);
      expect(outcomes.filter((o) => o === "duplicate")).toHaveLength(9);
      expect(await store.pending()).toHaveLength(1);
    });

    it("lists pending deliveries oldest first, up to the limit", async () => {
      await store.accept(delivery("late", { receivedAt: at(3_000) }));
      await store.accept(delivery("early", { receivedAt: at(1_000) }));
      await store.accept(delivery("middle", { receivedAt: at(2_000) }));
      expect((await store.pending()).map((e) => e.deliveryId)).toEqual(["early", "middle", "late"]);
      expect((await store.pending(2)).map((e) => e.deliveryId)).toEqual(["early", "middle"]);
      expect(await store.pending(0)).toEqual([]);
    });

    it("drops a delivery from pending once dispatched, and still calls its redelivery a duplicate", async () => {
      await store.accept(delivery("d-1", { receivedAt: at(1) }));
      await store.accept(delivery("d-2", { receivedAt: at(2) }));
      await store.markDispatched("github", "d-1", at(10));
      expect((await store.pending()).map((e) => e.deliveryId)).toEqual(["d-2"]);
      expect(await store.accept(delivery("d-1"))).toBe("duplicate");
      expect((await store.pending()).map((e) => e.deliveryId)).toEqual(["d-2"]);
      // Same id under another provider: not the one that was dispatched.
      await store.markDispatched("slack", "d-2", at(11));
      await store.markDispatched("github", "unknown", at(12));
      expect((await store.pending()).map((e) => e.deliveryId)).toEqual(["d-2"]);
    });

    it("marks a batch dispatched in one call, touching only the deliveries it names", async () => {
      for (const [i, id] of ["b-1", "b-2", "b-3", "b-4"].entries()) {
        await store.accept(delivery(id, { receivedAt: at(i) }));
      }
      await store.accept(delivery("b-2", { provider: "slack", receivedAt: at(5) }));
      expect(store.markDispatchedMany).toBeTypeOf("function");
      await store.markDispatchedMany?.(
        [
          { provider: "github", deliveryId: "b-1" },
          { provider: "github", deliveryId: "b-3" },
          { provider: "github", deliveryId: "unknown" },
        ],
        at(10),
      );
      expect((await store.pending()).map((e) => `${e.provider}/${e.deliveryId}`)).toEqual([
        "github/b-2",
        "github/b-4",
        "slack/b-2",
      ]);
      await store.markDispatchedMany?.([], at(11));
      await store.markDispatchedMany?.([{ provider: "slack", deliveryId: "b-2" }], at(12));
      expect((await store.pending()).map((e) => `${e.provider}/${e.deliveryId}`)).toEqual([
        "github/b-2",
        "github/b-4",
      ]);
    });

    it("has no cursor for a trigger it has not seen, and round-trips every JSON cursor", async () => {
      expect(await store.getCursor("stars:octo/hello")).toBeUndefined();
      for (const cursor of [{ since: at(0), ids: [3, 4] }, 17, "opaque-token", null, [1, "a"]]) {
        await store.setCursor("stars:octo/hello", cursor);
        expect(await store.getCursor("stars:octo/hello")).toStrictEqual(cursor);
      }
      await store.setCursor("stars:octo/other", 1);
      expect(await store.getCursor("stars:octo/hello")).toStrictEqual([1, "a"]);
      expect(await store.getCursor("stars:octo/other")).toBe(1);
    });

    it.skipIf(!options.sharesData)(
      "shares deliveries and cursors with another store over the same data",
      async () => {
        if (!harness.another) throw new Error("a store that shares data needs `another`");
        const other = await harness.another();
        await store.accept(delivery("shared"));
        await store.setCursor("t", { page: 2 });
        expect((await other.pending()).map((e) => e.deliveryId)).toEqual(["shared"]);
        expect(await other.getCursor("t")).toStrictEqual({ page: 2 });
        await other.markDispatched("github", "shared", at(1));
        expect(await store.pending()).toEqual([]);
      },
    );
  });
}

import { describe, expect, it } from "vitest";
import { MemoryTaskStore } from "../runtime/memory-task-store";
import { JobRunner } from "../runtime/runner";
import type { WebhookDelivery } from "./trigger";
import { TriggerDispatcher } from "./trigger-dispatcher";
import { type DeliveryKey, type InboxEntry, MemoryWebhookInbox } from "./webhook-inbox";

const T0 = Date.parse("2025-01-15T12:00:00.000Z");

function delivery(index: number, payload: WebhookDelivery["payload"] = {}): WebhookDelivery {
  return {
    provider: "github",
    deliveryId: `d-${String(index).padStart(3, "0")}`,
    event: "issues",
    payload,
    receivedAt: new Date(T0 + index).toISOString(),
  };
}

/** The memory inbox, recording each batch it was told is dispatched. */
class RecordingInbox extends MemoryWebhookInbox {
  readonly marked: string[][] = [];
  singleMarks = 0;

  override async markDispatchedMany(deliveries: readonly DeliveryKey[], at: string): Promise<void> {
    this.marked.push(deliveries.map((d) => d.deliveryId));
    await super.markDispatchedMany(deliveries, at);
  }

  override async markDispatched(provider: string, deliveryId: string, at: string): Promise<void> {
    this.singleMarks++;
    await super.markDispatched(provider, deliveryId, at);
  }
}

describe("TriggerDispatcher batches", () => {
  it("marks each batch's dispatched deliveries in one call, after every one of them was handed over", async () => {
    const inbox = new RecordingInbox();
    for (let i = 0; i < 150; i++) await inbox.accept(delivery(i));
    const handed: string[] = [];
    const batches: number[] = [];
    const dispatcher = new TriggerDispatcher({
      inbox,
      runner: new JobRunner({ store: new MemoryTaskStore() }),
      jobs: [],
      now: () => T0,
      beforeBatch: async (entries) => {
        batches.push(entries.length);
      },
      onDelivery: async (entry: InboxEntry) => {
        // Not marked yet while the batch is being handed over: a crash here re-dispatches it.
        expect(inbox.marked.flat()).not.toContain(entry.deliveryId);
        handed.push(entry.deliveryId);
      },
    });

    expect(await dispatcher.dispatchPending()).toBe(150);
    expect(handed).toEqual(Array.from({ length: 150 }, (_, i) => delivery(i).deliveryId));
    expect(batches).toEqual([100, 50]);
    expect(inbox.marked.map((batch) => batch.length)).toEqual([100, 50]);
    expect(inbox.singleMarks).toBe(0);
    expect(await inbox.pending()).toEqual([]);
    // Nothing pending: no batch, no mark.
    expect(await dispatcher.dispatchPending()).toBe(0);
    expect(batches).toEqual([100, 50]);
  });

  it("leaves a failed delivery out of the batch's mark, recorded for a retry", async () => {
    const inbox = new RecordingInbox();
    await inbox.accept(delivery(1));
    await inbox.accept(delivery(2, { poison: true }));
    await inbox.accept(delivery(3));
    const dispatcher = new TriggerDispatcher({
      inbox,
      runner: new JobRunner({ store: new MemoryTaskStore() }),
      jobs: [],
      now: () => T0,
      onDelivery: async (entry) => {
        if ((entry.payload as { poison?: boolean }).poison) throw new Error("poison");
      },
    });

    expect(await dispatcher.dispatchPending()).toBe(2);
    expect(inbox.marked).toEqual([["d-001", "d-003"]]);
    expect(await inbox.pending(10, { dueBy: new Date(T0).toISOString() })).toEqual([]);
    expect((await inbox.pending()).map((e) => [e.deliveryId, e.attempts])).toEqual([["d-002", 1]]);
  });

  it("falls back to one mark per delivery on an inbox without markDispatchedMany", async () => {
    const inbox = new RecordingInbox();
    Object.defineProperty(inbox, "markDispatchedMany", { value: undefined });
    for (let i = 0; i < 3; i++) await inbox.accept(delivery(i));
    const dispatcher = new TriggerDispatcher({
      inbox,
      runner: new JobRunner({ store: new MemoryTaskStore() }),
      jobs: [],
      now: () => T0,
    });

    expect(await dispatcher.dispatchPending()).toBe(3);
    expect(inbox.singleMarks).toBe(3);
    expect(await inbox.pending()).toEqual([]);
  });
});

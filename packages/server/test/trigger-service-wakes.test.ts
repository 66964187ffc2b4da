import {
  type DeliveryKey,
  type InboxEntry,
  JobRunner,
  MemoryTaskStore,
  MemoryWebhookInbox,
  type PendingOptions,
} from "@autoflow/core";
import { describe, expect, it } from "vitest";
import { startTriggerService } from "../src/trigger-service";
import { until } from "./until";

/** The memory inbox, counting its reads and recording each dispatched-mark. */
class CountingInbox extends MemoryWebhookInbox {
  reads = 0;
  readonly marked: string[][] = [];

  override async pending(limit?: number, options?: PendingOptions): Promise<InboxEntry[]> {
    this.reads++;
    return super.pending(limit, options);
  }

  override async markDispatchedMany(deliveries: readonly DeliveryKey[], at: string): Promise<void> {
    this.marked.push(deliveries.map((d) => d.deliveryId));
    await super.markDispatchedMany(deliveries, at);
  }
}

const delivery = (index: number) => ({
  provider: "github",
  deliveryId: `d-${index}`,
  event: "issues",
  payload: { index },
  receivedAt: new Date(Date.UTC(2025, 0, 15, 12, 0, 0, index)).toISOString(),
});

function start(inbox: CountingInbox, handed: string[]) {
  return startTriggerService({
    inbox,
    cursors: inbox,
    runner: new JobRunner({ store: new MemoryTaskStore() }),
    jobs: [],
    onDelivery: async (entry) => {
      handed.push(entry.deliveryId);
    },
    wakeDelayMs: 1,
  });
}

describe("the trigger service's wakes", () => {
  it("coalesce: the wakes of many accepted deliveries share one pass, and every delivery is dispatched once", async () => {
    const inbox = new CountingInbox();
    const handed: string[] = [];
    const service = start(inbox, handed);
    try {
      // The start-up pass has read the (empty) inbox.
      await until(() => inbox.reads >= 1, "the start-up pass");
      const readsBefore = inbox.reads;
      for (let i = 0; i < 50; i++) {
        await inbox.accept(delivery(i));
        service.wake();
      }
      await until(() => handed.length === 50, "every delivery dispatched");
      expect(handed).toEqual(Array.from({ length: 50 }, (_, i) => `d-${i}`));
      expect(inbox.reads - readsBefore).toBe(1);
      expect(inbox.marked).toEqual([handed]);
      expect(await inbox.pending()).toEqual([]);
    } finally {
      await service.close();
    }
    expect(handed).toHaveLength(50);
  });

  it("still dispatch a delivery whose wake was waiting when the service closed", async () => {
    const inbox = new CountingInbox();
    const handed: string[] = [];
    const service = start(inbox, handed);
    await until(() => inbox.reads >= 1, "the start-up pass");
    await inbox.accept(delivery(1));
    service.wake();
    await service.close();
    expect(handed).toEqual(["d-1"]);
    expect(await inbox.pending()).toEqual([]);
  });
});

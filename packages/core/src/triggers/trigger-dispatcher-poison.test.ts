import { describe, expect, it } from "vitest";
import { defineJob } from "../runtime/job";
import { MemoryTaskStore } from "../runtime/memory-task-store";
import { JobRunner } from "../runtime/runner";
import type { RunRecord } from "../runtime/task-store";
import { createTestClock } from "../testing/test-clock";
import type { WebhookDelivery, WebhookTrigger } from "./trigger";
import { deliveryBackoff, MAX_DELIVERY_ERROR_LENGTH, TriggerDispatcher } from "./trigger-dispatcher";
import { type InboxEntry, MemoryWebhookInbox, type WebhookInbox } from "./webhook-inbox";

const T0 = Date.parse("2025-03-01T09:00:00.000Z");
const iso = (ms: number) => new Date(ms).toISOString();

/** A clock the test moves by hand (core's test clock): no test here waits for the wall clock. */
const manualClock = () => createTestClock(T0);

const delivery = (deliveryId: string, payload: { repo: string; poison?: boolean }, offset: number) =>
  ({
    provider: "test",
    deliveryId,
    event: "opened",
    payload,
    receivedAt: iso(T0 + offset),
  }) satisfies WebhookDelivery;

const opened: WebhookTrigger<{ repo: string }> = {
  kind: "webhook",
  provider: "test",
  title: "opened",
  matches: (d) => d.event === "opened",
  payloadOf: (d) => d.payload as { repo: string },
};

/** The poison delivery first, two good ones behind it; `onDelivery` fails on the poison one as a JSONB insert would. */
async function poisonedInbox() {
  const inbox = new MemoryWebhookInbox();
  await inbox.accept(delivery("poison", { repo: "a", poison: true }, 0));
  await inbox.accept(delivery("good-1", { repo: "a" }, 1));
  await inbox.accept(delivery("good-2", { repo: "a" }, 2));
  return inbox;
}

const failOnPoison = (handled: string[]) => async (entry: InboxEntry) => {
  if ((entry.payload as { poison?: boolean }).poison) {
    throw new Error("unsupported Unicode escape sequence");
  }
  handled.push(entry.deliveryId);
};

describe("a delivery whose dispatch fails", () => {
  it("does not stop the deliveries behind it, is retried with backoff, then becomes a dead letter that can be retried", async () => {
    const clock = manualClock();
    const inbox = await poisonedInbox();
    const handled: string[] = [];
    let poisonAttempts = 0;
    let cured = false;
    const dispatcher = new TriggerDispatcher({
      inbox,
      runner: new JobRunner({ store: new MemoryTaskStore() }),
      jobs: [],
      now: clock.now,
      onDelivery: async (entry) => {
        if (entry.deliveryId === "poison") poisonAttempts++;
        if (!cured) return failOnPoison(handled)(entry);
        handled.push(entry.deliveryId);
      },
    });

    expect(await dispatcher.dispatchPending()).toBe(2);
    expect(handled).toEqual(["good-1", "good-2"]);
    const [failed] = await inbox.pending();
    expect(failed).toMatchObject({
      deliveryId: "poison",
      attempts: 1,
      retryAt: iso(T0 + deliveryBackoff.minTimeoutInMs),
      lastError: "Error: unsupported Unicode escape sequence",
    });

    // Not due yet: a wake right away leaves it alone.
    await dispatcher.dispatchPending();
    expect(poisonAttempts).toBe(1);

    // 30 s, 2 min, 8 min, 32 min later: the 2nd to 5th attempts, then it is dead.
    for (const waitMs of [30_000, 120_000, 480_000, 1_920_000]) {
      clock.advance(waitMs - 1);
      await dispatcher.dispatchPending();
      clock.advance(1);
      await dispatcher.dispatchPending();
    }
    expect(poisonAttempts).toBe(5);
    expect(await inbox.pending()).toEqual([]);
    const dead = await inbox.deadLetters();
    expect(dead).toHaveLength(1);
    expect(dead[0]).toMatchObject({ deliveryId: "poison", attempts: 5, deadAt: iso(clock.now()) });
    expect(dead[0]?.retryAt).toBeUndefined();

    // A dead letter waits for an operator, however long: no sweep tries it again.
    clock.advance(24 * 3_600_000);
    await dispatcher.dispatchPending();
    expect(poisonAttempts).toBe(5);

    cured = true;
    expect(await inbox.retryDead("test", "poison")).toBe(true);
    expect(await inbox.retryDead("test", "poison")).toBe(false);
    expect(await inbox.pending()).toStrictEqual([delivery("poison", { repo: "a", poison: true }, 0)]);
    expect(await dispatcher.dispatchPending()).toBe(1);
    expect(handled).toEqual(["good-1", "good-2", "poison"]);
    expect(await inbox.deadLetters()).toEqual([]);
  });

  it("honours a configured attempt count: one attempt makes the first failure dead", async () => {
    const inbox = await poisonedInbox();
    const handled: string[] = [];
    await new TriggerDispatcher({
      inbox,
      runner: new JobRunner({ store: new MemoryTaskStore() }),
      jobs: [],
      now: manualClock().now,
      deliveryRetry: { ...deliveryBackoff, limit: 0 },
      onDelivery: failOnPoison(handled),
    }).dispatchPending();
    expect(handled).toEqual(["good-1", "good-2"]);
    expect((await inbox.deadLetters()).map((e) => [e.deliveryId, e.attempts])).toEqual([["poison", 1]]);
  });

  it("records the error scrubbed of credentials, with NUL escaped and its length bounded", async () => {
    const inbox = await poisonedInbox();
    const configured = "configured-secret-value-123";
    const failures: string[] = [];
    await new TriggerDispatcher({
      inbox,
      runner: new JobRunner({ store: new MemoryTaskStore() }),
      jobs: [],
      now: manualClock().now,
      secrets: [configured],
      onDeliveryFailed: (_entry, failure) => failures.push(failure.lastError),
      onDelivery: async (entry) => {
        if (entry.deliveryId !== "poison") return;
        throw new Error(
          `Authorization: Bearer abcdefghijklmnop0123456789 and ${configured} at \u0000 ${"x".repeat(5_000)}`,
        );
      },
    }).dispatchPending();
    const [entry] = await inbox.pending();
    const recorded = entry?.lastError ?? "";
    expect(failures).toEqual([recorded]);
    expect(recorded).not.toContain("abcdefghijklmnop0123456789");
    expect(recorded).not.toContain(configured);
    expect(recorded).not.toContain("\u0000");
    expect(recorded).toContain("at \\u0000 x");
    expect(recorded.length).toBe(MAX_DELIVERY_ERROR_LENGTH);
    expect(recorded.endsWith("…")).toBe(true);
  });

  it("runs every matching job of a delivery even when one of them cannot be stored, and fails the delivery", async () => {
    // A task store that refuses one job's run the way PostgreSQL's JSONB refused a NUL.
    class RefusingStore extends MemoryTaskStore {
      override async saveRun(run: RunRecord): Promise<void> {
        if (run.jobId === "refused") throw new Error("refused by the store");
        return super.saveRun(run);
      }
    }
    const inbox = new MemoryWebhookInbox();
    await inbox.accept(delivery("d-1", { repo: "a" }, 0));
    const ran: string[] = [];
    const job = (id: string) =>
      defineJob({ id, trigger: opened, run: async (payload) => void ran.push(`${id}:${payload.repo}`) });
    const delivered: string[] = [];
    await new TriggerDispatcher({
      inbox,
      runner: new JobRunner({ store: new RefusingStore() }),
      jobs: [job("refused"), job("accepted")],
      now: manualClock().now,
      onDelivery: async (entry) => void delivered.push(entry.deliveryId),
    }).dispatchPending();
    expect(ran).toEqual(["accepted:a"]);
    expect(delivered).toEqual(["d-1"]);
    expect(await inbox.pending()).toMatchObject([{ deliveryId: "d-1", attempts: 1 }]);
    expect((await inbox.pending())[0]?.lastError).toContain("refused by the store");
  });

  it("still dispatches the good deliveries through an inbox that cannot record failures", async () => {
    const memory = await poisonedInbox();
    // An inbox written before dead letters: only the required methods.
    const legacy: WebhookInbox = {
      accept: (d) => memory.accept(d),
      pending: (limit) => memory.pending(limit),
      markDispatched: (p, id, at) => memory.markDispatched(p, id, at),
    };
    const handled: string[] = [];
    const dispatcher = new TriggerDispatcher({
      inbox: legacy,
      runner: new JobRunner({ store: new MemoryTaskStore() }),
      jobs: [],
      now: manualClock().now,
      onDelivery: failOnPoison(handled),
    });
    expect(await dispatcher.dispatchPending()).toBe(2);
    expect(await dispatcher.dispatchPending()).toBe(0);
    expect(handled).toEqual(["good-1", "good-2"]);
    expect((await memory.pending()).map((e) => e.deliveryId)).toEqual(["poison"]);
  });
});

import { describe, expect, it } from "vitest";
import { IntegrationError } from "../errors";
import { defineJob } from "../runtime/job";
import { MemoryTaskStore } from "../runtime/memory-task-store";
import { JobRunner } from "../runtime/runner";
import { createTestClock } from "../testing/test-clock";
import { definePollingTrigger, pollingTriggerId } from "./polling-contract";
import { TriggerDispatcher } from "./trigger-dispatcher";
import { MemoryWebhookInbox } from "./webhook-inbox";

interface Item {
  id: string;
  at: string;
  /** How long after `at` the listing shows it (eventual consistency). */
  lagMs?: number;
}

/**
 * A provider listing items "updated at or after since", oldest first, two per page, eventually consistent: an
 * item becomes visible its own `lagMs` after its time. Page tokens are listing generations; `expire()` refuses every
 * token and `since` issued before (Gmail's 404 for an old historyId).
 */
function fakeProvider(clock: { now(): number }) {
  const items: Item[] = [];
  let generation = 0;
  let failNext = 0;
  const calls: { since: string | null; mode: string }[] = [];
  let expiredBefore = -1;
  return {
    items,
    calls,
    add(id: string, lagMs = 0) {
      items.push({ id, at: new Date(clock.now()).toISOString().replace(/\.\d{3}Z$/, "Z"), lagMs });
    },
    expire() {
      expiredBefore = generation;
    },
    failNext(n: number) {
      failNext = n;
    },
    list: async (request: { since: string | null; page: unknown; mode: string }) => {
      calls.push({ since: request.since, mode: request.mode });
      if (failNext > 0) {
        failNext--;
        throw new IntegrationError({ type: "upstream", provider: "fake", message: "503" });
      }
      const page = request.page as { gen: number; offset: number } | undefined;
      if (request.mode !== "resync" && expiredBefore >= 0 && (page?.gen ?? generation) <= expiredBefore) {
        throw new IntegrationError({
          type: "schema",
          provider: "fake",
          reason: "cursor_expired",
          message: "history id too old",
        });
      }
      const offset = page?.offset ?? 0;
      const visible = items
        .filter((i) => Date.parse(i.at) + (i.lagMs ?? 0) <= clock.now())
        .filter((i) => request.since === null || i.at >= request.since)
        .sort((a, b) => a.at.localeCompare(b.at));
      const slice = visible.slice(offset, offset + 2);
      generation++;
      return {
        items: slice,
        ...(offset + 2 < visible.length && { next: { gen: generation, offset: offset + 2 } }),
      };
    },
  };
}

function setup() {
  const clock = createTestClock(Date.UTC(2026, 3, 1));
  const provider = fakeProvider(clock);
  const cursors = new MemoryWebhookInbox();
  const store = new MemoryTaskStore();
  const seen: string[] = [];
  // A new trigger, job and dispatcher on every call: what a restarted (or redeployed) process builds.
  const dispatcher = (jobId = "on-item") => {
    const trigger = definePollingTrigger<Item>({
      provider: "fake",
      key: "fake.itemUpdated",
      inputs: { project: "p1" },
      connectionId: "conn_1",
      title: "Fake: item updated",
      intervalMs: 60_000,
      overlapMs: 10 * 60_000,
      list: provider.list,
      itemId: (item) => `${item.id}@${item.at}`,
      itemTime: (item) => item.at,
    });
    const job = defineJob({
      id: jobId,
      trigger,
      run: async (item: Item) => {
        seen.push(item.id);
      },
    });
    return new TriggerDispatcher({ inbox: cursors, cursors, runner: new JobRunner({ store }), jobs: [job] });
  };
  return { clock, provider, cursors, seen, dispatcher };
}

describe("definePollingTrigger", () => {
  it("names the cursor by provider, connection, key and inputs, never by job", () => {
    const base = { provider: "fake", key: "fake.itemUpdated", inputs: { a: 1, b: 2 }, connectionId: "c1" };
    expect(pollingTriggerId(base)).toBe(pollingTriggerId({ ...base, inputs: { b: 2, a: 1 } }));
    expect(pollingTriggerId(base)).not.toBe(pollingTriggerId({ ...base, connectionId: "c2" }));
    expect(pollingTriggerId(base)).not.toBe(pollingTriggerId({ ...base, inputs: { a: 2, b: 2 } }));
    expect(pollingTriggerId(base)).toMatch(/^poll:fake\.itemUpdated:[0-9a-f]{32}$/);
  });

  it("fires nothing historic, then every item once: several in one second, pages, a restart and a redeploy", async () => {
    const { clock, provider, seen, dispatcher } = setup();
    provider.add("old-1");
    provider.add("old-2");
    provider.add("old-3");
    expect(await dispatcher().pollOnce()).toBe(0);

    clock.advance(60_000);
    // Five in the same second, more than two pages' worth.
    for (const id of ["a", "b", "c", "d", "e"]) provider.add(id);
    expect(await dispatcher().pollOnce()).toBe(5);
    expect(await dispatcher().pollOnce()).toBe(0);
    // One more in the same second as the watermark: the overlap finds it, the ledger keeps the others back.
    provider.add("f");
    expect(await dispatcher("on-item-v2").pollOnce()).toBe(1);
    clock.advance(60_000);
    provider.add("g");
    expect(await dispatcher("on-item-v2").pollOnce()).toBe(1);
    expect(await dispatcher().pollOnce()).toBe(0);
    expect(seen).toEqual(["a", "b", "c", "d", "e", "f", "g"]);
  });

  it("finds items that become visible late, inside the overlap window", async () => {
    const { clock, provider, seen, dispatcher } = setup();
    expect(await dispatcher().pollOnce()).toBe(0);
    clock.advance(60_000);
    provider.add("late", 3 * 60_000);
    clock.advance(60_000);
    provider.add("prompt");
    // "prompt" moves the watermark past "late", which the listing does not show yet.
    expect(await dispatcher().pollOnce()).toBe(1);
    clock.advance(3 * 60_000);
    expect(await dispatcher().pollOnce()).toBe(1);
    clock.advance(60_000);
    expect(await dispatcher().pollOnce()).toBe(0);
    expect(seen).toEqual(["prompt", "late"]);
  });

  it("resumes a listing at the page it stopped at after a failure", async () => {
    const { clock, provider, seen, dispatcher } = setup();
    await dispatcher().pollOnce();
    clock.advance(60_000);
    for (const id of ["a", "b", "c", "d"]) provider.add(id);
    const original = provider.list;
    let pages = 0;
    // The first page's runs start and its cursor is saved; the second page fails.
    provider.list = async (request) => {
      if (++pages === 2) throw new IntegrationError({ type: "network", provider: "fake", message: "reset" });
      return original(request);
    };
    await expect(dispatcher().pollOnce()).rejects.toMatchObject({ type: "network" });
    expect(seen).toEqual(["a", "b"]);
    provider.list = original;
    const listed = provider.calls.length;
    expect(await dispatcher().pollOnce()).toBe(2);
    expect(seen).toEqual(["a", "b", "c", "d"]);
    // It asked for the second page only, not the listing again from its start.
    expect(provider.calls.length - listed).toBe(1);
  });

  it("runs one resync when the provider expires the cursor, and repeats nothing", async () => {
    const { clock, provider, seen, dispatcher, cursors } = setup();
    await dispatcher().pollOnce();
    clock.advance(60_000);
    provider.add("a");
    expect(await dispatcher().pollOnce()).toBe(1);
    clock.advance(60_000);
    provider.add("b");
    provider.expire();
    expect(await dispatcher().pollOnce()).toBe(1);
    const resyncs = provider.calls.filter((c) => c.mode === "resync");
    expect(resyncs).toHaveLength(1);
    clock.advance(60_000);
    provider.add("c");
    expect(await dispatcher().pollOnce()).toBe(1);
    expect(seen).toEqual(["a", "b", "c"]);
    const [id] = [...(await cursorIds(cursors))];
    expect(await cursors.getCursor(id as string)).toMatchObject({ resyncs: 1 });
  });

  it("throws a provider failure without moving the cursor, so the next poll lists the same items", async () => {
    const { clock, provider, seen, dispatcher } = setup();
    await dispatcher().pollOnce();
    clock.advance(60_000);
    provider.add("a");
    provider.failNext(1);
    await expect(dispatcher().pollOnce()).rejects.toMatchObject({ type: "upstream" });
    expect(await dispatcher().pollOnce()).toBe(1);
    expect(seen).toEqual(["a"]);
  });
});

async function cursorIds(cursors: MemoryWebhookInbox): Promise<string[]> {
  const id = pollingTriggerId({
    provider: "fake",
    key: "fake.itemUpdated",
    inputs: { project: "p1" },
    connectionId: "conn_1",
  });
  return (await cursors.getCursor(id)) === undefined ? [] : [id];
}

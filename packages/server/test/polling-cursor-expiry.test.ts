import { defineJob, type PollingCursor } from "@autoflow/core";
import { createTestClock } from "@autoflow/core/testing";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { triggerApiId } from "../src/triggers/trigger-health-service";
import { ExpiringCursorSource } from "./__fixtures__/expiring-cursor-source";
import { STORE_KINDS, startTestServer } from "./http-server";
import { TEST_DATABASE_URL, warnIfNoPostgres } from "./postgres-test-schema";
import { removeTempDirs } from "./sqlite-temp";

warnIfNoPostgres("a polling cursor the provider expires");
afterAll(removeTempDirs);

const START = Date.UTC(2026, 3, 1, 9);
const MINUTE = 60_000;
const OVERLAP_MS = 10 * MINUTE;
const iso = (ms: number) => new Date(ms).toISOString();

interface TriggerBody {
  status: string;
  kind: string;
  key: string;
  details: { errorType?: string; message?: string };
  lastPollAt: string | null;
  consecutiveFailures: number;
}

// A code job's poller over a source whose cursor the test expires, run by the service (polls gated by the
// source, see `step`), on a test clock.
describe.each(STORE_KINDS)("a polling cursor the provider expires, on %s", (kind) => {
  describe.skipIf(kind === "postgres" && !TEST_DATABASE_URL)("", () => {
    const cleanups: (() => unknown)[] = [];
    afterEach(async () => {
      for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
    });

    it("runs one resync from a safe point: nothing seen runs again, what was added meanwhile runs once", async () => {
      const clock = createTestClock(START);
      const source = new ExpiringCursorSource(clock);
      const trigger = source.trigger({ key: "fake.itemAdded", intervalMs: MINUTE, overlapMs: OVERLAP_MS });
      const executed: string[] = [];
      const handed: string[] = [];
      const job = defineJob({
        id: "on-item",
        trigger,
        run: async (item) => {
          executed.push(item.id);
        },
      });
      source.add("historic");
      const t = await startTestServer(
        kind,
        {},
        {},
        {
          jobs: [job],
          jobsUserId: "user-a",
          clock,
          subscriptionTickMs: 0,
          // Each poll still waits for `source.step()`; the short interval only makes the next one wait promptly.
          pollIntervalMs: 5,
          onTriggerRun: (_job, result) => handed.push(result.runId),
        },
      );
      cleanups.push(() => t.close());
      cleanups.push(() => source.release());
      const cursor = async () =>
        (await t.server.stores.cursors.getCursor(trigger.id)) as unknown as PollingCursor;
      const health = async () =>
        (await t.call("GET", `/api/triggers/${triggerApiId({ jobId: "on-item" })}`)).json as TriggerBody;

      // The first poll records where the listing ends: nothing historic runs.
      await source.step();
      clock.advance(MINUTE);
      const a1 = source.add("a1");
      source.add("a2");
      await source.step();
      expect(executed).toEqual(["a1", "a2"]);
      clock.advance(MINUTE);
      await source.step();
      expect(await cursor()).toMatchObject({ watermark: a1.at, resyncs: 0 });

      // While the provider forgets the cursor, two items are added.
      clock.advance(MINUTE);
      source.add("b1");
      clock.advance(30_000);
      const b2 = source.add("b2");
      source.expire();
      const listed = source.listings.length;
      await source.step();
      // Refused once, then one full listing from the safe point (the watermark minus the overlap).
      expect(source.listings.slice(listed)).toEqual([
        { mode: "poll", since: iso(Date.parse(a1.at) - OVERLAP_MS), refused: true },
        { mode: "resync", since: iso(Date.parse(a1.at) - OVERLAP_MS), refused: false },
      ]);
      // The resync listed historic, a1 and a2 again: the ledger kept them from running again.
      expect(executed).toEqual(["a1", "a2", "b1", "b2"]);
      // The stored cursor is the fresh one: the resync's listing complete, its watermark the newest item.
      const fresh = await cursor();
      expect(fresh).toMatchObject({ v: 1, watermark: b2.at, resyncs: 1 });
      expect(fresh.listing).toBeUndefined();
      expect(fresh.seen.map(([id]) => id)).toEqual(["historic", "a1", "a2", "b1", "b2"]);
      // A resync is a successful poll, not a failure: the trigger stays ok.
      expect(await health()).toMatchObject({
        status: "ok",
        kind: "polling",
        key: "fake.itemAdded",
        lastPollAt: iso(clock.now()),
        consecutiveFailures: 0,
      });
      expect((await health()).details.errorType).toBeUndefined();

      // Polling goes on from the fresh cursor, as before the expiry.
      clock.advance(MINUTE);
      await source.step();
      clock.advance(MINUTE);
      source.add("c");
      await source.step();
      expect(source.listings.slice(listed + 2)).toEqual([
        { mode: "poll", since: iso(Date.parse(b2.at) - OVERLAP_MS), refused: false },
        { mode: "poll", since: iso(Date.parse(b2.at) - OVERLAP_MS), refused: false },
      ]);
      expect(source.listings.filter((l) => l.mode === "resync")).toHaveLength(1);
      expect(executed).toEqual(["a1", "a2", "b1", "b2", "c"]);
      // Every item was handed to the runner once: no run id twice.
      expect(handed).toHaveLength(5);
      expect(new Set(handed).size).toBe(5);
      expect(await cursor()).toMatchObject({ resyncs: 1, watermark: source.items.at(-1)?.at });
      expect(await health()).toMatchObject({ status: "ok", consecutiveFailures: 0 });
    });
  });
});

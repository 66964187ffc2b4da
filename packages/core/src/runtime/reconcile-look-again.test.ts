import { describe, expect, it } from "vitest";
import { IntegrationError } from "../errors";
import { createTestClock } from "../testing/test-clock";
import type { RunEvent } from "./events";
import type { ReconcileContext, ReconcileResult } from "./idempotency";
import { defineJob } from "./job";
import { MemoryTaskStore } from "./memory-task-store";
import { JobRunner } from "./runner";
import { RECONCILE_PENDING } from "./unknown-outcome";

// A reconciler over a search that lags (Gmail's index, Jira's JQL): "not found" right after the call may be
// wrong, so it answers `lookAgainAt`, and the runtime waits (on the run's clock, durably) and asks again, without
// repeating the call.

const LAG_MS = 30_000;

/** A provider whose writes show in its search only LAG_MS after they happen, and whose answers get lost. */
function laggingProvider(clock: { now(): number }) {
  const sent: number[] = [];
  return {
    sent,
    send(): never {
      sent.push(clock.now());
      throw new IntegrationError({
        type: "network",
        provider: "acme",
        reason: "outcome_unknown",
        message: "answer lost",
      });
    },
    /** The lagging search: a send is visible once LAG_MS passed since it happened. */
    reconcile(context: ReconcileContext): ReconcileResult<{ id: number }> {
      const now = context.now.getTime();
      const visible = sent.findIndex((at) => now - at >= LAG_MS);
      if (visible >= 0) return { found: true, output: { id: visible } };
      const trustedAt = context.callStartedAt.getTime() + LAG_MS;
      return now < trustedAt ? { unknown: true, lookAgainAt: new Date(trustedAt) } : { found: false };
    },
  };
}

/** One send through the lagging provider, reconciled by its search; no retries: only looking again may help. */
function sendingJob(provider: ReturnType<typeof laggingProvider>) {
  return defineJob({
    id: "lagging",
    run: async (_payload, io) =>
      io.runTask("send", async () => provider.send(), {
        name: "Send",
        idempotency: "reconcile",
        reconcile: async (context) => provider.reconcile(context),
        retry: { limit: 0 },
      }),
  });
}

describe("a reconciler that answers lookAgainAt", () => {
  it("is asked again at that time, and finds the send: one send, the task completes reconciled", async () => {
    const clock = createTestClock();
    const store = new MemoryTaskStore();
    const provider = laggingProvider(clock);
    const events: RunEvent[] = [];
    const job = sendingJob(provider);
    const result = await new JobRunner({ store, clock, logger: false, onEvent: (e) => events.push(e) }).run(
      job,
      {
        runId: "lag-1",
      },
    );
    expect(result).toMatchObject({ status: "completed", output: { id: 0 } });
    expect(provider.sent).toHaveLength(1);
    expect(events.flatMap((e) => (e.type === "task.reconciled" ? [e.result] : []))).toEqual([
      "look-again",
      "found",
    ]);
    // It waited on the run's clock until the search could be trusted, not on the wall's.
    expect(clock.sleeps.reduce((sum, ms) => sum + ms, 0)).toBeGreaterThanOrEqual(LAG_MS);
    const [task] = (await store.loadRun("lag-1"))?.tasks ?? [];
    expect(task).toMatchObject({ status: "completed", reconciled: true, attempts: 1 });
  });

  it("keeps waiting across a restart: the log says the task looks again, not that it calls again", async () => {
    const clock = createTestClock();
    const store = new MemoryTaskStore();
    const provider = laggingProvider(clock);
    const job = sendingJob(provider);
    // A runner that suspends rather than wait in process: the run is left waiting in the store.
    const first = await new JobRunner({ store, clock, logger: false, maxInProcessWaitMs: 0 }).run(job, {
      runId: "lag-2",
    });
    expect(first.status).toBe("suspended");
    const [waiting] = (await store.loadRun("lag-2"))?.tasks ?? [];
    expect(waiting).toMatchObject({ status: "waiting", error: { code: RECONCILE_PENDING } });
    clock.advance(LAG_MS);
    const resumed = await new JobRunner({ store, clock, logger: false }).run(job, { runId: "lag-2" });
    expect(resumed).toMatchObject({ status: "completed", output: { id: 0 } });
    expect(provider.sent).toHaveLength(1);
  });

  it("repeats the call once the lag has passed and the search still finds nothing", async () => {
    const clock = createTestClock();
    let calls = 0;
    const job = defineJob({
      id: "lost-before-acting",
      run: async (_payload, io) =>
        io.runTask(
          "send",
          async () => {
            calls++;
            if (calls === 1)
              throw new IntegrationError({
                type: "network",
                provider: "acme",
                reason: "outcome_unknown",
                message: "lost",
              });
            return { id: calls };
          },
          {
            name: "Send",
            idempotency: "reconcile",
            reconcile: async (context) =>
              context.now.getTime() < context.callStartedAt.getTime() + LAG_MS
                ? { unknown: true, lookAgainAt: new Date(context.callStartedAt.getTime() + LAG_MS) }
                : { found: false },
          },
        ),
    });
    const result = await new JobRunner({ store: new MemoryTaskStore(), clock, logger: false }).run(job, {
      runId: "lag-3",
    });
    expect(result).toMatchObject({ status: "completed", output: { id: 2 } });
    expect(calls).toBe(2);
  });

  it("is final past MAX_LOOK_AGAIN_MS after the call: the task fails with outcome_unknown", async () => {
    const clock = createTestClock();
    const job = defineJob({
      id: "forever",
      run: async (_payload, io) =>
        io.runTask(
          "send",
          async () => {
            throw new IntegrationError({
              type: "network",
              provider: "acme",
              reason: "outcome_unknown",
              message: "lost",
            });
          },
          {
            name: "Send",
            idempotency: "reconcile",
            reconcile: async (context) => ({
              unknown: true,
              lookAgainAt: new Date(context.callStartedAt.getTime() + 2 * 60 * 60_000),
            }),
          },
        ),
    });
    const result = await new JobRunner({ store: new MemoryTaskStore(), clock, logger: false }).run(job, {
      runId: "lag-4",
    });
    expect(result).toMatchObject({
      status: "failed",
      error: { reason: "outcome_unknown", retryable: false },
    });
  });
});

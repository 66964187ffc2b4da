import { describe, expect, it } from "vitest";
import { InProcessRunQueue } from "../src/queue/in-process-run-queue";
import type { RunOutcome } from "../src/queue/run-queue";

/**
 * An executor the test drives by hand: every execution waits until the test settles it, so what is running at
 * any moment is exactly what the queue started and nothing has finished on its own.
 */
function controllableExecutor() {
  const started: string[] = [];
  const pending = new Map<string, (outcome: RunOutcome) => void>();
  let running = 0;
  let mostAtOnce = 0;
  return {
    started,
    get running() {
      return running;
    },
    get mostAtOnce() {
      return mostAtOnce;
    },
    execute: (runId: string) =>
      new Promise<RunOutcome>((resolve) => {
        started.push(runId);
        running += 1;
        mostAtOnce = Math.max(mostAtOnce, running);
        pending.set(runId, (outcome) => {
          running -= 1;
          pending.delete(runId);
          resolve(outcome);
        });
      }),
    /** Settles the oldest execution still in progress. */
    finishOldest(outcome: RunOutcome = { status: "completed" }): string {
      const [runId, settle] = pending.entries().next().value ?? [];
      if (!runId || !settle) throw new Error("nothing is running");
      settle(outcome);
      return runId;
    },
    get inProgress(): string[] {
      return [...pending.keys()];
    },
  };
}

/** Lets the queue's promise callbacks (a finished run freeing its slot) run. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

describe("InProcessRunQueue", () => {
  it("under a flood never runs more than its bound at once, and starts runs in the order they were queued", async () => {
    const queue = new InProcessRunQueue({ concurrency: 3 });
    const executor = controllableExecutor();
    const flood = Array.from({ length: 200 }, (_, i) => `run-${i}`);
    for (const runId of flood) await queue.enqueue(runId);
    await queue.work(executor.execute);

    expect(executor.started).toEqual(flood.slice(0, 3));
    expect(queue.waiting).toBe(197);
    while (executor.started.length < flood.length || executor.running > 0) {
      executor.finishOldest();
      await settle();
      expect(executor.running).toBeLessThanOrEqual(3);
    }
    expect(executor.mostAtOnce).toBe(3);
    expect(executor.started).toEqual(flood);
    await queue.close();
  });

  it("keeps the bound for runs queued while it works, and queues a waiting or running run only once", async () => {
    const queue = new InProcessRunQueue({ concurrency: 2 });
    const executor = controllableExecutor();
    await queue.work(executor.execute);
    for (const runId of ["a", "b", "c", "d", "c", "a"]) await queue.enqueue(runId);
    expect(executor.inProgress).toEqual(["a", "b"]);
    expect(queue.waiting).toBe(2);
    executor.finishOldest();
    await settle();
    expect(executor.inProgress).toEqual(["b", "c"]);
    executor.finishOldest();
    executor.finishOldest();
    await settle();
    executor.finishOldest();
    await settle();
    expect(executor.started).toEqual(["a", "b", "c", "d"]);
    await queue.close();
  });

  it("puts a suspended run whose time has come at the back of the line, behind runs queued before it", async () => {
    const now = Date.parse("2030-01-01T00:00:00Z");
    const queue = new InProcessRunQueue({ concurrency: 1, now: () => now });
    const executor = controllableExecutor();
    await queue.work(executor.execute);
    for (const runId of ["first", "second", "third"]) await queue.enqueue(runId);
    executor.finishOldest({ status: "suspended", resumeAt: new Date(now) });
    await settle();
    while (executor.running > 0) {
      executor.finishOldest();
      await settle();
    }
    expect(executor.started).toEqual(["first", "second", "third", "first"]);
    await queue.close();
  });

  it("holds a run queued for later until then, without taking a slot", async () => {
    const now = Date.parse("2030-01-01T00:00:00Z");
    const queue = new InProcessRunQueue({ concurrency: 1, now: () => now });
    const executor = controllableExecutor();
    await queue.work(executor.execute);
    await queue.enqueue("later", { notBefore: new Date(now + 60 * 60 * 1000) });
    await queue.enqueue("now");
    expect(executor.inProgress).toEqual(["now"]);
    expect(queue.waiting).toBe(0);
    executor.finishOldest();
    await queue.close();
    expect(executor.started).toEqual(["now"]);
  });

  it("close() waits for the runs executing and starts none of those waiting", async () => {
    const queue = new InProcessRunQueue({ concurrency: 2 });
    const executor = controllableExecutor();
    await queue.work(executor.execute);
    for (const runId of ["a", "b", "c", "d"]) await queue.enqueue(runId);
    let closed = false;
    const closing = queue.close().then(() => {
      closed = true;
    });
    await settle();
    expect(closed).toBe(false);
    executor.finishOldest();
    await settle();
    expect(executor.inProgress).toEqual(["b"]);
    expect(closed).toBe(false);
    executor.finishOldest();
    await closing;
    expect(executor.started).toEqual(["a", "b"]);
    await expect(queue.enqueue("e")).rejects.toThrow(/closed/);
  });

  it("an execution that throws frees its slot for the next run and is reported", async () => {
    const errors: string[] = [];
    const queue = new InProcessRunQueue({ concurrency: 1, onError: (runId) => errors.push(runId) });
    const started: string[] = [];
    await queue.work(async (runId) => {
      started.push(runId);
      if (runId === "broken") throw new Error("database is gone");
      return { status: "completed" };
    });
    await queue.enqueue("broken");
    await queue.enqueue("fine");
    await settle();
    await queue.close();
    expect(started).toEqual(["broken", "fine"]);
    expect(errors).toEqual(["broken"]);
  });
});

import { describe, expect, it } from "vitest";
import { createTestClock } from "../testing/test-clock";
import { defineJob } from "./job";
import { MemoryTaskStore } from "./memory-task-store";
import { JobRunner } from "./runner";

// A task timeout is real time (it bounds real I/O): these callbacks never answer, so a short deadline
// cannot be beaten by a slow machine, only reached later.
const never = () => new Promise<never>(() => {});

describe("runTask timeoutMs", () => {
  it("aborts the attempt's signal and fails as network/timeout with an unknown outcome (a plain callback is opaque)", async () => {
    let seen: AbortSignal | undefined;
    const job = defineJob({
      id: "slow",
      run: async (_p, io) =>
        io.runTask(
          "slow",
          (task) => {
            seen = task.signal;
            return never();
          },
          { timeoutMs: 30, retry: { limit: 3, minTimeoutInMs: 1, maxTimeoutInMs: 1 } },
        ),
    });
    const store = new MemoryTaskStore();
    const result = await new JobRunner({ store, clock: createTestClock(), logger: false }).run(job);
    expect(seen?.aborted).toBe(true);
    expect(result).toMatchObject({
      status: "failed",
      error: { type: "network", code: "timeout", reason: "outcome_unknown", retryable: false },
    });
    // Not repeated blindly: one attempt although the task allows three retries.
    expect((await store.loadRun(result.runId))?.tasks[0]).toMatchObject({ attempts: 1, status: "failed" });
  });

  it("repeats a timed-out attempt when the task declares a safe repeat", async () => {
    let attempts = 0;
    const job = defineJob({
      id: "slow-then-fast",
      run: async (_p, io) =>
        io.runTask(
          "read",
          async () => {
            attempts += 1;
            return attempts === 1 ? never() : "answer";
          },
          {
            timeoutMs: 30,
            idempotency: "idempotent",
            retry: { limit: 2, minTimeoutInMs: 1, maxTimeoutInMs: 1 },
          },
        ),
    });
    const result = await new JobRunner({ clock: createTestClock(), logger: false }).run(job);
    expect(result).toMatchObject({ status: "completed", output: "answer" });
    expect(attempts).toBe(2);
  });

  it("an attempt that answers in time is not cut off", async () => {
    const job = defineJob({
      id: "fast",
      run: async (_p, io) => io.runTask("fast", async () => "ok", { timeoutMs: 60_000 }),
    });
    expect(await new JobRunner({ clock: createTestClock() }).run(job)).toMatchObject({ status: "completed" });
  });
});

import { describe, expect, it } from "vitest";
import { createTestClock } from "../testing/test-clock";
import type { RunEvent } from "./events";
import { defineJob } from "./job";
import { MemoryTaskStore } from "./memory-task-store";
import { JobRunner } from "./runner";
import { SqliteTaskStore } from "./sqlite-task-store";

/** A task callback that waits for its signal and says when it started. */
function heldTask() {
  let started!: () => void;
  const running = new Promise<void>((resolve) => {
    started = resolve;
  });
  const seen: AbortSignal[] = [];
  const callback = ({ signal }: { signal: AbortSignal }) => {
    seen.push(signal);
    started();
    return new Promise<never>((_, reject) => {
      signal.addEventListener("abort", () => reject(new Error("aborted by the signal")), { once: true });
    });
  };
  return { running, seen, callback };
}

describe("JobRunner.cancel", () => {
  it("aborts the running task's signal, starts nothing after it, and ends the run cancelled", async () => {
    const store = new MemoryTaskStore();
    const events: RunEvent[] = [];
    const held = heldTask();
    const after: string[] = [];
    const job = defineJob({
      id: "cancel-me",
      run: async (_payload, io) => {
        await io.runTask("first", async () => 1);
        // A bare catch does not keep the run going: no further task starts.
        await io.runTask("held", async (task) => held.callback(task)).catch(() => undefined);
        await io.runTask("after", async () => after.push("ran"));
        return "done";
      },
    });
    const runner = new JobRunner({ store, clock: createTestClock(), onEvent: (e) => events.push(e) });
    const running = runner.run(job, { runId: "r1" });
    await held.running;

    expect(await runner.cancel("r1")).toEqual({ runId: "r1", outcome: "cancelled" });
    expect(await running).toEqual({ runId: "r1", status: "cancelled" });
    expect(held.seen[0]?.aborted).toBe(true);
    expect(after).toEqual([]);
    const loaded = await store.loadRun("r1");
    expect(loaded?.run.status).toBe("cancelled");
    expect(loaded?.tasks.map((t) => [t.id, t.status])).toEqual([
      ["first", "completed"],
      ["held", "cancelled"],
    ]);
    expect(events.map((e) => e.type)).toContain("task.cancelled");
    expect(events.at(-1)).toMatchObject({ type: "run.cancelled", runId: "r1" });
    // Never resumed or retried: running it again answers cancelled without calling anything.
    expect(await runner.run(job, { runId: "r1" })).toEqual({ runId: "r1", status: "cancelled" });
    expect(after).toEqual([]);
    expect((await store.listRuns({ limit: 5, status: "cancelled" })).map((r) => r.id)).toEqual(["r1"]);
  });

  it("a task that ignores its signal is still cut off; its late answer is dropped", async () => {
    let finish!: (value: string) => void;
    let started!: () => void;
    const running = new Promise<void>((resolve) => {
      started = resolve;
    });
    const job = defineJob({
      id: "deaf",
      run: async (_p, io) =>
        io.runTask("deaf", () => {
          started();
          return new Promise<string>((resolve) => {
            finish = resolve;
          });
        }),
    });
    const store = new MemoryTaskStore();
    const runner = new JobRunner({ store, clock: createTestClock() });
    const result = runner.run(job, { runId: "deaf" });
    await running;
    expect((await runner.cancel("deaf")).outcome).toBe("cancelled");
    finish("late");
    expect(await result).toEqual({ runId: "deaf", status: "cancelled" });
    expect((await store.loadRun("deaf"))?.tasks[0]?.status).toBe("cancelled");
  });

  it("a suspended run is cancelled at once and is not resumed", async () => {
    const store = new MemoryTaskStore();
    const clock = createTestClock();
    const job = defineJob({
      id: "sleepy",
      run: async (_p, io) => {
        await io.wait("nap", 3600);
        return io.runTask("after", async () => "ran");
      },
    });
    const runner = new JobRunner({ store, clock });
    expect((await runner.run(job, { runId: "s1" })).status).toBe("suspended");
    expect(await runner.cancel("s1")).toEqual({ runId: "s1", outcome: "cancelled" });
    clock.advance(7_200_000);
    expect(await runner.resumeDue([job])).toEqual([]);
    expect((await store.loadRun("s1"))?.run.status).toBe("cancelled");
  });

  it("says a finished run is finished, and an unknown one not found", async () => {
    const runner = new JobRunner({ clock: createTestClock() });
    const job = defineJob({ id: "quick", run: async (_p, io) => io.runTask("t", async () => 1) });
    await runner.run(job, { runId: "done" });
    expect(await runner.cancel("done")).toEqual({ runId: "done", outcome: "finished", status: "completed" });
    expect(await runner.cancel("nope")).toEqual({ runId: "nope", outcome: "not_found" });
  });

  it("across processes: a cancel recorded by another runner on the same SQLite file stops the run before its next task", async () => {
    const { mkdtempSync } = await import("node:fs");
    const { tmpdir } = await import("node:os");
    const { join } = await import("node:path");
    const file = join(mkdtempSync(join(tmpdir(), "autoflow-cancel-")), "runs.db");
    const workerStore = new SqliteTaskStore({ path: file });
    const cliStore = new SqliteTaskStore({ path: file });
    try {
      let cancelFromElsewhere!: () => Promise<unknown>;
      const ran: string[] = [];
      const job = defineJob({
        id: "elsewhere",
        run: async (_p, io) => {
          await io.runTask("one", async () => {
            ran.push("one");
            // The other process cancels while this task runs; this process learns it from the store.
            await cancelFromElsewhere();
          });
          await io.runTask("two", async () => ran.push("two"));
        },
      });
      const worker = new JobRunner({ store: workerStore, clock: createTestClock() });
      const other = new JobRunner({ store: cliStore, clock: createTestClock() });
      let answer: unknown;
      cancelFromElsewhere = async () => {
        answer = await other.cancel("x1");
      };
      expect(await worker.run(job, { runId: "x1" })).toEqual({ runId: "x1", status: "cancelled" });
      expect(answer).toEqual({ runId: "x1", outcome: "requested" });
      expect(ran).toEqual(["one"]);
      expect((await cliStore.loadRun("x1"))?.run).toMatchObject({ status: "cancelled" });
    } finally {
      await workerStore.close();
      await cliStore.close();
    }
  });
});

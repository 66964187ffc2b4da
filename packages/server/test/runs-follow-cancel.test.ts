import { consoleReporter, defineJob, JobRunner, MemoryTaskStore, type RunEvent } from "@autoflow/core";
import { createTestClock } from "@autoflow/core/testing";
import { describe, expect, it } from "vitest";
import { followRun } from "../src/cli/follow-run";

// `autoflow runs show --follow`: the store is polled, and each poll's changes reach the reporter as run events.
// The "sleep" between polls runs the job one step further, so no test waits for the wall clock.
describe("followRun", () => {
  it("reports a run another runner executes, task by task, until it ends, through consoleReporter", async () => {
    const store = new MemoryTaskStore();
    const clock = createTestClock();
    let release!: () => void;
    const gates: (() => void)[] = [];
    const gate = () =>
      new Promise<void>((resolve) => {
        gates.push(resolve);
      });
    const job = defineJob({
      id: "followed",
      run: async (_p, io) => {
        await io.runTask("one", async () => gate(), { name: "Step one", icon: "acme" });
        await io.runTask("two", async () => gate(), { name: "Step two", icon: "acme" });
        return "done";
      },
    });
    const runner = new JobRunner({ store, clock, telemetry: false });
    const running = runner.run(job, { runId: "f1" });
    const settle = () => new Promise<void>((resolve) => setImmediate(resolve));
    await settle();
    release = () => gates.shift()?.();

    const events: RunEvent[] = [];
    const out: string[] = [];
    const reporter = consoleReporter({ stream: { write: (text: string) => out.push(text) }, mode: "plain" });
    const result = await followRun(
      store,
      "f1",
      (event) => {
        events.push(event);
        reporter(event);
      },
      {
        intervalMs: 5,
        sleep: async () => {
          release();
          await settle();
        },
      },
    );
    await running;
    expect(result?.run.status).toBe("completed");
    expect(events.map((e) => e.type)).toEqual([
      "run.started",
      "task.started",
      "task.completed",
      "task.started",
      "task.completed",
      "run.completed",
    ]);
    const text = out.join("");
    expect(text).toMatch(/✔ \[acme\] Step one/);
    expect(text).toMatch(/✔ \[acme\] Step two/);
    expect(text).toMatch(/run completed/);
  });

  it("ends with a cancelled run, showing the task that was cut off", async () => {
    const store = new MemoryTaskStore();
    let started!: () => void;
    const inTask = new Promise<void>((resolve) => {
      started = resolve;
    });
    const job = defineJob({
      id: "to-cancel",
      run: async (_p, io) =>
        io.runTask("held", ({ signal }) => {
          started();
          return new Promise((_, reject) => signal.addEventListener("abort", () => reject(signal.reason)));
        }),
    });
    const runner = new JobRunner({ store, clock: createTestClock(), telemetry: false });
    const running = runner.run(job, { runId: "c1" });
    await inTask;
    const events: RunEvent[] = [];
    let polls = 0;
    const result = await followRun(store, "c1", (event) => events.push(event), {
      sleep: async () => {
        polls += 1;
        if (polls === 1) await runner.cancel("c1");
      },
    });
    expect((await running).status).toBe("cancelled");
    expect(result?.run.status).toBe("cancelled");
    expect(events.map((e) => e.type)).toEqual([
      "run.started",
      "task.started",
      "task.cancelled",
      "run.cancelled",
    ]);
  });

  it("answers undefined for an unknown run", async () => {
    expect(await followRun(new MemoryTaskStore(), "nope", () => {})).toBeUndefined();
  });
});

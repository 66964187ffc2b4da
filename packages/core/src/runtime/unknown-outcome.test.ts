import { describe, expect, it } from "vitest";
import type { RunTaskOptions } from "../io";
import { createTestClock } from "../testing/test-clock";
import type { RunEvent } from "./events";
import { type ReconcileContext, taskMarker } from "./idempotency";
import { defineJob } from "./job";
import { MemoryTaskStore } from "./memory-task-store";
import { JobRunner } from "./runner";

// A worker that dies during a call leaves the task's record `running`. The next execution of the run cannot
// know whether the call reached the provider: the task's idempotency decides what happens.

const never = new Promise<never>(() => {});

/**
 * Runs the job on a first runner whose call never returns (the worker "dies" mid-call, its record saved
 * `running`), then resumes the run on a second runner over the same store, where the call answers `output`.
 */
async function resumeAfterDeath(
  options: RunTaskOptions,
  job: { retry?: { onUnknownOutcome: "retry" | "fail" } } = {},
) {
  const store = new MemoryTaskStore();
  const clock = createTestClock();
  let calls = 0;
  let dead = true;
  const definition = defineJob({
    id: "mid-call",
    ...job,
    run: async (_payload, io) =>
      io.runTask(
        "charge",
        async () => {
          calls++;
          if (dead) return never;
          return { charged: calls };
        },
        { name: "Charge", icon: "acme", params: { amount: 5 }, ...options },
      ),
  });
  void new JobRunner({ logger: false, store, clock }).run(definition, { runId: "run-1" });
  while ((await store.loadRun("run-1"))?.tasks[0]?.status !== "running") {
    await new Promise((resolve) => setImmediate(resolve));
  }
  const interruptedAt = (await store.loadRun("run-1"))?.tasks[0]?.attemptStartedAt;
  dead = false;
  clock.advance(60_000);
  const events: RunEvent[] = [];
  const result = await new JobRunner({
    logger: false,
    store,
    clock,
    onEvent: (event) => events.push(event),
  }).run(definition, {
    runId: "run-1",
  });
  const task = (await store.loadRun("run-1"))?.tasks[0];
  return { result, calls, events, task, interruptedAt };
}

describe("a run resumed after its worker died mid-call", () => {
  it("reconciles a `reconcile` task: found completes it without calling again, logged as reconciled", async () => {
    const seen: ReconcileContext[] = [];
    const { result, calls, task, events, interruptedAt } = await resumeAfterDeath({
      idempotency: "reconcile",
      reconcile: async (context) => {
        seen.push(context);
        return { found: true, output: { charged: "found" } };
      },
    });
    expect(result).toMatchObject({ status: "completed", output: { charged: "found" } });
    expect(calls).toBe(1);
    expect(task).toMatchObject({ status: "completed", reconciled: true, attempts: 1 });
    const [context] = seen;
    expect(context?.callStartedAt.toISOString()).toBe(interruptedAt);
    expect(context?.task).toMatchObject({ key: "charge", params: { amount: 5 } });
    expect(context?.marker).toBe(taskMarker({ idempotencyKey: task?.idempotencyKey ?? "" }));
    expect(context?.error).toMatchObject({ type: "network", reason: "outcome_unknown" });
    expect(events.find((e) => e.type === "task.reconciled")).toMatchObject({ result: "found" });
  });

  it("repeats the call once when the reconciler certainly finds nothing", async () => {
    const { result, calls, task } = await resumeAfterDeath({
      idempotency: "reconcile",
      reconcile: async () => ({ found: false }),
    });
    expect(result).toMatchObject({ status: "completed", output: { charged: 2 } });
    expect(calls).toBe(2);
    expect(task?.reconciled).toBeUndefined();
  });

  it("fails with outcome_unknown when the reconciler cannot tell", async () => {
    const { result, calls } = await resumeAfterDeath({
      idempotency: "reconcile",
      reconcile: async () => ({ unknown: true }),
    });
    expect(result).toMatchObject({
      status: "failed",
      error: { reason: "outcome_unknown", retryable: false },
    });
    if (result.status === "failed")
      expect(result.error.message).toMatch(/could not tell whether it happened/);
    expect(calls).toBe(1);
  });

  it("fails an undeclared write (`none`) visibly instead of repeating it", async () => {
    const { result, calls, task } = await resumeAfterDeath({ idempotency: "none" });
    expect(result).toMatchObject({
      status: "failed",
      error: { type: "network", reason: "outcome_unknown", provider: "acme", retryable: false },
    });
    if (result.status === "failed") {
      expect(result.error.message).toMatch(/Task "charge" \(Charge, acme\) may have happened/);
      expect(result.error.message).toMatch(/worker stopped during attempt 1/);
    }
    expect(calls).toBe(1);
    expect(task).toMatchObject({ status: "failed", error: { reason: "outcome_unknown" } });
  });

  it("repeats an undeclared write when the job opted in with retry.onUnknownOutcome", async () => {
    const { result, calls } = await resumeAfterDeath(
      { idempotency: "none" },
      { retry: { onUnknownOutcome: "retry" } },
    );
    expect(result.status).toBe("completed");
    expect(calls).toBe(2);
  });

  it.each(["native", "idempotent"] as const)("repeats a `%s` task", async (idempotency) => {
    const { result, calls } = await resumeAfterDeath({ idempotency });
    expect(result).toMatchObject({ status: "completed", output: { charged: 2 } });
    expect(calls).toBe(2);
  });

  it("re-runs a plain task that declares nothing (a group of tasks, each protected on its own)", async () => {
    const { result, calls } = await resumeAfterDeath({});
    expect(result.status).toBe("completed");
    expect(calls).toBe(2);
  });

  it.each([
    ["a plain task", {}],
    ["a `native` task", { idempotency: "native" }],
  ] as const)(
    "keeps the attempt the worker's death cut off in %s's attempt history",
    async (_name, options) => {
      const { task } = await resumeAfterDeath(options);
      expect(task).toMatchObject({ status: "completed", attempts: 2 });
      expect(task?.attemptErrors).toHaveLength(1);
      expect(task?.attemptErrors?.[0]).toMatchObject({
        attempt: 1,
        error: { type: "network", reason: "outcome_unknown", code: "worker_interrupted" },
      });
      expect(task?.attemptErrors?.[0]?.error.message).toMatch(/worker stopped during attempt 1/);
    },
  );

  it("keeps no failed attempt in the history of a task its reconciler found done", async () => {
    const { task } = await resumeAfterDeath({
      idempotency: "reconcile",
      reconcile: async () => ({ found: true, output: { charged: "found" } }),
    });
    expect(task).toMatchObject({ status: "completed", reconciled: true, attempts: 1 });
    expect(task).not.toHaveProperty("attemptErrors");
  });
});

describe("a run resumed after a clean suspension", () => {
  it.each(["none", "reconcile"] as const)(
    "re-enters a `%s` parent task whose child suspended the run, instead of failing it as an unknown outcome",
    async (idempotency) => {
      const store = new MemoryTaskStore();
      const clock = createTestClock();
      const sent: string[] = [];
      const definition = defineJob({
        id: "parent-with-wait",
        run: async (_payload, io) =>
          io.runTask(
            "notify-later",
            async (_task, inner) => {
              await inner.runTask("first", async () => sent.push("first"), { idempotency: "none" });
              await inner.wait("pause", 600);
              await inner.runTask("second", async () => sent.push("second"), { idempotency: "none" });
              return sent.length;
            },
            {
              name: "Notify later",
              icon: "acme",
              idempotency,
              ...(idempotency === "reconcile" && { reconcile: async () => ({ found: false as const }) }),
            },
          ),
      });
      const runner = new JobRunner({ logger: false, store, clock, maxInProcessWaitMs: 0 });
      expect(await runner.run(definition, { runId: "run-1" })).toMatchObject({ status: "suspended" });
      clock.advance(600_000);
      const result = await runner.run(definition, { runId: "run-1" });
      expect(result).toMatchObject({ status: "completed", output: 2 });
      expect(sent).toEqual(["first", "second"]);
    },
  );
});

import { describe, expect, it } from "vitest";
import { IntegrationError, type IntegrationErrorType } from "../errors";
import type { RunTaskOptions } from "../io";
import { createTestClock } from "../testing/test-clock";
import { TRUNCATION_MARKER } from "../truncate-json";
import { ATTEMPT_ERROR_MESSAGE_BYTES, MAX_ATTEMPT_ERRORS } from "./attempt-history";
import { defineJob } from "./job";
import { MemoryTaskStore } from "./memory-task-store";
import { JobRunner } from "./runner";
import { RECONCILE_PENDING } from "./unknown-outcome";

// A run's timeline shows every failed attempt of a task (TaskRecord.attemptErrors) and which tasks a resumed
// execution replayed from the log (RunRecord.resumedAt), all on the run's clock.

const T0 = Date.UTC(2026, 0, 1);
const iso = (ms: number) => new Date(ms).toISOString();

const failing = (type: IntegrationErrorType, extra: { retryAt?: Date; message?: string } = {}) =>
  new IntegrationError({ type, provider: "acme", message: `${type} failure`, ...extra });

function setup(options: { maxInProcessWaitMs?: number } = {}) {
  const clock = createTestClock(T0);
  const store = new MemoryTaskStore();
  const runner = new JobRunner({ logger: false, store, clock, random: () => 1, ...options });
  return { clock, store, runner };
}

/** A job of one task whose `n`th call runs `attempt(n)`. */
function oneTask(attempt: (n: number) => unknown, options: RunTaskOptions) {
  let calls = 0;
  return defineJob({
    id: "one-task",
    run: async (_payload, io) => io.runTask("call", async () => attempt(++calls), options),
  });
}

async function taskOf(store: MemoryTaskStore, runId: string) {
  const [task] = (await store.loadRun(runId))?.tasks ?? [];
  return task;
}

describe("a task's attempt history", () => {
  it("keeps each failed attempt's error, the retryAt it waited for and when it failed", async () => {
    const { runner, store, clock } = setup();
    const job = oneTask(
      (n) => {
        if (n === 1) throw failing("rate-limit", { retryAt: new Date(clock.now() + 7_000) });
        if (n === 2) throw failing("network");
        return "ok";
      },
      { retry: { limit: 5, minTimeoutInMs: 100, factor: 2 } },
    );
    expect(await runner.run(job, { runId: "r" })).toMatchObject({ status: "completed", output: "ok" });
    const task = await taskOf(store, "r");
    expect(task).toMatchObject({ status: "completed", attempts: 3 });
    expect(task?.error).toBeUndefined();
    // The rate limit's own retryAt (7 s), then the backoff's second delay (100 ms * 2). Each error as the record's
    // `error` held it while the task waited (a task's key is added to its final failure only).
    expect(task?.attemptErrors).toStrictEqual([
      {
        attempt: 1,
        error: {
          name: "IntegrationError",
          type: "rate-limit",
          provider: "acme",
          message: "rate-limit failure",
          retryAt: iso(T0 + 7_000),
          retryable: true,
        },
        retryAt: iso(T0 + 7_000),
        at: iso(T0),
      },
      {
        attempt: 2,
        error: {
          name: "IntegrationError",
          type: "network",
          provider: "acme",
          message: "network failure",
          retryable: true,
        },
        retryAt: iso(T0 + 7_000 + 200),
        at: iso(T0 + 7_000),
      },
    ]);
    expect(clock.sleeps).toEqual([7_000, 200]);
  });

  it("ends with the final failure, as the task's error holds it, without a retryAt", async () => {
    const { runner, store } = setup();
    const job = oneTask(
      (n) => {
        throw n === 1 ? failing("upstream") : failing("auth");
      },
      { retry: { limit: 3, minTimeoutInMs: 10 } },
    );
    expect(await runner.run(job, { runId: "r" })).toMatchObject({ status: "failed" });
    const task = await taskOf(store, "r");
    expect(task).toMatchObject({ status: "failed", attempts: 2 });
    expect(task?.attemptErrors?.map(({ attempt, error, retryAt }) => [attempt, error.type, retryAt])).toEqual(
      [
        [1, "upstream", iso(T0 + 10)],
        [2, "auth", undefined],
      ],
    );
    expect(task?.attemptErrors?.[1]?.error).toStrictEqual(task?.error);
    expect(task?.attemptErrors?.[1]).not.toHaveProperty("retryAt");
  });

  it(`keeps the first and the latest failures, ${MAX_ATTEMPT_ERRORS} in all, of a task that fails 30 times`, async () => {
    const { runner, store } = setup();
    const job = oneTask(
      (n) => {
        throw failing("upstream", { message: `failure ${n}` });
      },
      { retry: { limit: 29, minTimeoutInMs: 5, factor: 1 } },
    );
    expect(await runner.run(job, { runId: "r" })).toMatchObject({ status: "failed" });
    const task = await taskOf(store, "r");
    expect(task?.attempts).toBe(30);
    const history = task?.attemptErrors ?? [];
    expect(history).toHaveLength(MAX_ATTEMPT_ERRORS);
    expect(history.map((entry) => entry.attempt)).toEqual([
      1,
      ...Array.from({ length: 19 }, (_, i) => 12 + i),
    ]);
    expect(history.map((entry) => entry.error.message)).toEqual(history.map((e) => `failure ${e.attempt}`));
    expect(history.at(-1)?.retryAt).toBeUndefined();
  });

  it("keeps each entry's message bounded and scrubbed of the run's secrets", async () => {
    const { runner, store } = setup();
    const secret = "sk_live_abcdef123456";
    const job = oneTask(
      (n) => {
        if (n === 1) throw failing("upstream", { message: `bad token ${secret}` });
        throw failing("upstream", { message: "é".repeat(5_000) });
      },
      { retry: { limit: 1, minTimeoutInMs: 10 }, secrets: [secret] },
    );
    expect(await runner.run(job, { runId: "r" })).toMatchObject({ status: "failed" });
    const [first, second] = (await taskOf(store, "r"))?.attemptErrors ?? [];
    expect(first?.error.message).not.toContain(secret);
    expect(first?.error.message).toMatch(/^bad token /);
    const message = second?.error.message ?? "";
    expect(message).toContain(TRUNCATION_MARKER);
    expect(Buffer.byteLength(message.slice(0, message.indexOf(TRUNCATION_MARKER)))).toBeLessThanOrEqual(
      ATTEMPT_ERROR_MESSAGE_BYTES,
    );
  });

  it("records an attempt whose outcome is unknown once, with the reconciler's look-again time", async () => {
    const { runner, store, clock } = setup();
    let answers = 0;
    const job = oneTask(
      (n) => {
        if (n === 1) {
          throw new IntegrationError({
            type: "network",
            provider: "acme",
            reason: "outcome_unknown",
            message: "answer lost",
          });
        }
        return "sent";
      },
      {
        idempotency: "reconcile",
        // Cannot tell at first; a minute later, certainly not sent: the call is repeated.
        reconcile: async () =>
          ++answers === 1 ? { unknown: true, lookAgainAt: new Date(clock.now() + 20_000) } : { found: false },
        retry: { limit: 1, minTimeoutInMs: 10 },
      },
    );
    expect(await runner.run(job, { runId: "r" })).toMatchObject({ status: "completed", output: "sent" });
    const task = await taskOf(store, "r");
    expect(task?.attempts).toBe(2);
    expect(task?.attemptErrors).toHaveLength(1);
    expect(task?.attemptErrors?.[0]).toMatchObject({
      attempt: 1,
      error: { type: "network", reason: "outcome_unknown", code: RECONCILE_PENDING },
      retryAt: iso(T0 + 20_000),
      at: iso(T0),
    });
  });

  it("stays absent on a task that never failed", async () => {
    const { runner, store } = setup();
    await runner.run(
      oneTask(() => "ok", {}),
      { runId: "r" },
    );
    expect(await taskOf(store, "r")).not.toHaveProperty("attemptErrors");
  });
});

describe("a run's resumedAt", () => {
  it("is absent on a run's first execution", async () => {
    const { runner, store } = setup();
    const job = defineJob({ id: "two", run: async (_p, io) => [await io.runTask("a", async () => 1)] });
    expect(await runner.run(job, { runId: "r" })).toMatchObject({ status: "completed" });
    expect((await store.loadRun("r"))?.run).not.toHaveProperty("resumedAt");
  });

  it("marks a recovery after a crash: earlier tasks completed before it (replayed), later ones did not", async () => {
    const clock = createTestClock(T0);
    const store = new MemoryTaskStore();
    let crash = true;
    const job = defineJob({
      id: "three-steps",
      run: async (_payload, io) => {
        const a = await io.runTask("a", async () => 1);
        clock.advance(1_000);
        const b = await io.runTask("b", async () => 2);
        if (crash) await new Promise(() => {}); // the worker "dies" here: nothing after this runs
        const c = await io.runTask("c", async () => 3);
        return a + b + c;
      },
    });
    void new JobRunner({ logger: false, store, clock }).run(job, { runId: "r" });
    while ((await store.loadRun("r"))?.tasks.length !== 2) await new Promise((r) => setImmediate(r));
    expect((await store.loadRun("r"))?.run).not.toHaveProperty("resumedAt");

    crash = false;
    clock.advance(60_000);
    const result = await new JobRunner({ logger: false, store, clock }).run(job, { runId: "r" });
    expect(result).toMatchObject({ status: "completed", output: 6 });
    const loaded = await store.loadRun("r");
    // Set as the recovery began, and kept by the run's later saves (its completion).
    expect(loaded?.run).toMatchObject({ status: "completed", resumedAt: iso(T0 + 61_000) });
    const resumedAt = loaded?.run.resumedAt ?? "";
    const replayed = loaded?.tasks.filter((task) => (task.completedAt ?? "") < resumedAt).map((t) => t.id);
    expect(replayed).toEqual(["a", "b"]);
    expect(loaded?.tasks.find((task) => task.id === "c")?.completedAt).toBe(iso(T0 + 62_000));
  });

  it("marks a suspended run that resumes, and moves on with each resumption", async () => {
    const { runner, store, clock } = setup({ maxInProcessWaitMs: 0 });
    const job = defineJob({
      id: "waits",
      run: async (_payload, io) => {
        await io.runTask("before", async () => 1);
        await io.wait("pause", 60);
        await io.wait("pause-again", 60);
        return io.runTask("after", async () => 2);
      },
    });
    expect(await runner.run(job, { runId: "r" })).toMatchObject({ status: "suspended" });
    expect((await store.loadRun("r"))?.run).not.toHaveProperty("resumedAt");

    clock.advance(60_000);
    expect(await runner.resumeDue([job])).toMatchObject([{ status: "suspended" }]);
    expect((await store.loadRun("r"))?.run).toMatchObject({
      status: "suspended",
      resumedAt: iso(T0 + 60_000),
    });

    clock.advance(60_000);
    expect(await runner.resumeDue([job])).toMatchObject([{ status: "completed", output: 2 }]);
    const loaded = await store.loadRun("r");
    expect(loaded?.run.resumedAt).toBe(iso(T0 + 120_000));
    const after = loaded?.tasks.find((task) => task.id === "after");
    expect(after?.completedAt).toBe(iso(T0 + 120_000));
    expect((after?.completedAt ?? "") < (loaded?.run.resumedAt ?? "")).toBe(false);
  });
});

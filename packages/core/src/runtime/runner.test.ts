import { describe, expect, expectTypeOf, it } from "vitest";
import { Echo } from "../../test/__fixtures__/echo-integration";
import { IntegrationError, type IntegrationErrorType } from "../errors";
import type { IO, RunTaskErrorCallback, RunTaskOptions } from "../io";
import { createTestClock } from "../testing/test-clock";
import type { RunEvent } from "./events";
import { defineJob } from "./job";
import { MemoryTaskStore } from "./memory-task-store";
import { JobRunner } from "./runner";
import { DuplicateTaskKeyError } from "./usage-errors";

const failing = (type: IntegrationErrorType, extra: { retryAt?: Date } = {}) =>
  new IntegrationError({ type, provider: "test", message: `${type} failure`, ...extra });

function setup(options: { maxInProcessWaitMs?: number } = {}) {
  // Runs here fail on purpose and the results carry it; runner-reporting.test.ts covers the failed-run line.
  const clock = createTestClock();
  const store = new MemoryTaskStore();
  const events: RunEvent[] = [];
  const runner = new JobRunner({
    logger: false,
    store,
    clock,
    random: () => 1,
    onEvent: (e) => events.push(e),
    ...options,
  });
  return { clock, store, events, runner };
}

describe("task log and replay", () => {
  it("replays completed tasks from the log after a crash, without calling their callbacks again", async () => {
    const store = new MemoryTaskStore();
    const calls = { a: 0, b: 0, c: 0 };
    let crash = true;
    const job = defineJob({
      id: "three-steps",
      run: async (_payload, io) => {
        const a = await io.runTask("a", async () => ++calls.a);
        const b = await io.runTask("b", async () => ++calls.b);
        if (crash) await new Promise(() => {}); // the process "dies" here: nothing after this runs
        const c = await io.runTask("c", async () => ++calls.c);
        return { a, b, c };
      },
    });
    void new JobRunner({ logger: false, store }).run(job, { runId: "run-1" });
    await vi_waitFor(async () => (await store.loadRun("run-1"))?.tasks.length === 2);

    crash = false;
    const result = await new JobRunner({ logger: false, store }).run(job, { runId: "run-1" });
    expect(result).toEqual({ runId: "run-1", status: "completed", output: { a: 1, b: 1, c: 1 } });
    expect(calls).toEqual({ a: 1, b: 1, c: 1 });
  });

  it("returns a completed run's stored output without running the job again", async () => {
    const { runner } = setup();
    let runs = 0;
    const job = defineJob({ id: "once", run: async () => ++runs });
    await runner.run(job, { runId: "r" });
    const again = await runner.run(job, { runId: "r" });
    expect(again).toMatchObject({ status: "completed", output: 1 });
    expect(runs).toBe(1);
  });

  it("keys nested tasks under their parent, also when started through an integration", async () => {
    const { runner, store } = setup();
    const echo = new Echo({ id: "echo", token: "tok_abcdef123456", baseUrl: "http://127.0.0.1:9" });
    const job = defineJob({
      id: "nested",
      integrations: { echo },
      run: async (_p, io) => {
        await io.runTask("parent", async (_task, inner) => {
          await inner.runTask("child", async () => 1);
          await io.echo.runTask("through-integration", async () => 2);
          await Promise.all([
            io.runTask(["x", 1], async () => 3),
            io.runTask({ k: "v", a: 1 }, async () => 4),
          ]);
        });
      },
    });
    const result = await runner.run(job, { runId: "n" });
    expect(result.status).toBe("completed");
    const tasks = (await store.loadRun("n"))?.tasks ?? [];
    expect(tasks.map((t) => t.id).sort()).toEqual(
      [
        "parent",
        "parent/child",
        "parent/through-integration",
        'parent/["x",1]',
        'parent/{"a":1,"k":"v"}',
      ].sort(),
    );
    expect(tasks.find((t) => t.id === "parent/child")?.parentId).toBe("parent");
  });

  it("escapes slashes so a key cannot pose as a nested task", async () => {
    const { runner, store } = setup();
    const job = defineJob({
      id: "slashes",
      run: async (_p, io) => {
        await io.runTask("a", async (_t, inner) => inner.runTask("b", async () => 1));
        await io.runTask("a/b", async () => 2);
      },
    });
    expect((await runner.run(job, { runId: "sl" })).status).toBe("completed");
    expect((await store.loadRun("sl"))?.tasks.map((t) => t.id)).toEqual(["a", "a/b", "a%2Fb"]);
  });

  it("fails the run when a key is used twice", async () => {
    const { runner } = setup();
    const job = defineJob({
      id: "dup",
      run: async (_p, io) => {
        await io.runTask("same", async () => 1);
        await io.runTask("same", async () => 2);
      },
    });
    const result = await runner.run(job);
    expect(result.status).toBe("failed");
    if (result.status === "failed") expect(DuplicateTaskKeyError.isInstance(result.error.cause)).toBe(true);
  });

  it("lets a retried parent replay its children instead of calling them a duplicate", async () => {
    const { runner } = setup();
    let childCalls = 0;
    let parentCalls = 0;
    const job = defineJob({
      id: "retry-parent",
      run: async (_p, io) =>
        io.runTask(
          "parent",
          async (_t, inner) => {
            await inner.runTask("child", async () => ++childCalls);
            if (++parentCalls === 1) throw failing("upstream");
            return parentCalls;
          },
          { retry: { limit: 2, minTimeoutInMs: 10 } },
        ),
    });
    expect(await runner.run(job)).toMatchObject({ status: "completed", output: 2 });
    expect(childCalls).toBe(1);
  });

  it("gives every task an idempotency key that is stable across replays and differs across runs", async () => {
    const { runner } = setup();
    const seen: string[] = [];
    let hang = true;
    const job = defineJob({
      id: "idem",
      run: async (_p, io) => {
        await io.runTask("t", async (task) => seen.push(task.idempotencyKey), {
          retry: { limit: 1, minTimeoutInMs: 1 },
        });
        await io.runTask(
          "u",
          async (task) => {
            seen.push(task.idempotencyKey);
            if (hang) {
              hang = false;
              throw failing("network");
            }
          },
          { retry: { limit: 1, minTimeoutInMs: 1 } },
        );
      },
    });
    await runner.run(job, { runId: "one" });
    await runner.run(job, { runId: "two" });
    const [t1, u1, u1retry, t2] = seen;
    expect(u1).toBe(u1retry);
    expect(t1).not.toBe(t2);
    expect(t1).toMatch(/^[0-9a-f]{64}$/);
  });

  it("JSON round-trips outputs on the first run, and types them so", async () => {
    const { runner } = setup();
    const job = defineJob({
      id: "json",
      run: async (_p, io) => {
        const out = await io.runTask("date", async () => ({ at: new Date(0), skip: undefined, n: 1 }));
        expectTypeOf(out.at).toEqualTypeOf<string>();
        return out;
      },
    });
    const result = await runner.run(job);
    if (result.status === "completed") expectTypeOf(result.output.at).toEqualTypeOf<string>();
    expect(result).toMatchObject({ status: "completed", output: { at: "1970-01-01T00:00:00.000Z", n: 1 } });
    if (result.status === "completed") expect(Object.keys(result.output)).toEqual(["at", "n"]);
  });
});

/** A job whose one task runs `attempt(n)` on its n-th attempt; `attempts()` says how many there were. */
function oneTaskJob(
  id: string,
  attempt: (n: number) => unknown,
  options?: RunTaskOptions,
  onError?: RunTaskErrorCallback,
) {
  let calls = 0;
  const job = defineJob({
    id,
    run: async (_p, io) => io.runTask("x", async () => attempt(++calls), options, onError),
  });
  return { job, attempts: () => calls };
}

const alwaysFails = (type: IntegrationErrorType) => () => {
  throw failing(type);
};

describe("retries", () => {
  it("backs off exponentially up to the limit, then fails with the classified error", async () => {
    const { runner, clock } = setup();
    const { job, attempts } = oneTaskJob("backoff", alwaysFails("upstream"), {
      retry: { limit: 3, factor: 2, minTimeoutInMs: 100, maxTimeoutInMs: 250 },
    });
    const result = await runner.run(job);
    expect(attempts()).toBe(4);
    expect(clock.sleeps).toEqual([100, 200, 250]);
    expect(result.status).toBe("failed");
    if (result.status === "failed") expect(result.error.type).toBe("upstream");
  });

  it("jitters within [delay/2, delay] when randomize is set", async () => {
    const clock = createTestClock();
    const runner = new JobRunner({ logger: false, clock, random: () => 0 });
    const { job } = oneTaskJob("jitter", alwaysFails("network"), {
      retry: { limit: 2, factor: 2, minTimeoutInMs: 100, randomize: true },
    });
    await runner.run(job);
    expect(clock.sleeps).toEqual([50, 100]);
  });

  it.each(["auth", "schema"] as const)("does not retry %s errors", async (type) => {
    const { runner, clock } = setup();
    const { job, attempts } = oneTaskJob("fast-fail", alwaysFails(type), { retry: { limit: 5 } });
    const result = await runner.run(job);
    expect(attempts()).toBe(1);
    expect(clock.sleeps).toEqual([]);
    expect(result).toMatchObject({ status: "failed", error: { type } });
  });

  it.each(["rate-limit", "network", "upstream"] as const)("retries %s errors", async (type) => {
    const { runner } = setup();
    const { job } = oneTaskJob(
      "retryable",
      (n) => {
        if (n < 3) throw failing(type);
        return n;
      },
      { retry: { limit: 5, minTimeoutInMs: 5 } },
    );
    expect(await runner.run(job)).toMatchObject({ status: "completed", output: 3 });
  });

  it("waits until the provider's retryAt rather than the backoff delay", async () => {
    const { runner, clock } = setup();
    const { job } = oneTaskJob(
      "provider-retry-at",
      (n) => {
        if (n === 1) throw failing("rate-limit", { retryAt: new Date(clock.now() + 7_000) });
        return "ok";
      },
      { retry: { limit: 3, minTimeoutInMs: 10 } },
    );
    expect(await runner.run(job)).toMatchObject({ status: "completed", output: "ok" });
    expect(clock.sleeps).toEqual([7_000]);
  });

  it("lets onError's retryAt win over backoff, also for an error the taxonomy would not retry", async () => {
    const { runner, clock } = setup();
    const { job } = oneTaskJob(
      "on-error-retry-at",
      (n) => {
        if (n === 1) throw failing("schema");
        return n;
      },
      { retry: { limit: 2, minTimeoutInMs: 10 } },
      () => ({ retryAt: new Date(clock.now() + 3_000) }),
    );
    expect(await runner.run(job)).toMatchObject({ status: "completed", output: 2 });
    expect(clock.sleeps).toEqual([3_000]);
  });

  it("honours the retry limit even when onError keeps asking for retries", async () => {
    const { runner, clock } = setup();
    const { job, attempts } = oneTaskJob(
      "on-error-limit",
      alwaysFails("upstream"),
      { retry: { limit: 2 } },
      () => ({
        retryAt: new Date(clock.now() + 1_000),
      }),
    );
    expect((await runner.run(job)).status).toBe("failed");
    expect(attempts()).toBe(3);
  });

  // An answer lost after the request was sent: the call may have happened.
  const lostAnswer = () =>
    new IntegrationError({
      type: "network",
      provider: "test",
      message: "socket hang up",
      code: "ECONNRESET",
      reason: "outcome_unknown",
    });

  it("never repeats an undeclared write's unknown outcome, even when onError asks for a retryAt", async () => {
    const { runner, clock } = setup();
    const { job, attempts } = oneTaskJob(
      "on-error-unknown-outcome",
      (n) => {
        if (n === 1) throw lostAnswer();
        return n;
      },
      { retry: { limit: 3 }, idempotency: "none" },
      () => ({ retryAt: new Date(clock.now() + 2_000) }),
    );
    expect(await runner.run(job)).toMatchObject({
      status: "failed",
      error: { reason: "outcome_unknown", retryable: false },
    });
    expect(attempts()).toBe(1);
    expect(clock.sleeps).toEqual([]);
  });

  it("asks the reconciler before repeating an unknown outcome at onError's retryAt", async () => {
    const { runner, clock } = setup();
    let looked = 0;
    const { job, attempts } = oneTaskJob(
      "on-error-unknown-outcome-reconciled",
      (n) => {
        if (n === 1) throw lostAnswer();
        return n;
      },
      {
        retry: { limit: 3 },
        idempotency: "reconcile",
        reconcile: async () => {
          looked++;
          return { found: false };
        },
      },
      () => ({ retryAt: new Date(clock.now() + 2_000) }),
    );
    expect(await runner.run(job)).toMatchObject({ status: "completed", output: 2 });
    expect(looked).toBe(1);
    expect(attempts()).toBe(2);
    expect(clock.sleeps).toEqual([2_000]);
  });

  it("stops at once on skipRetrying, and records the error onError returns", async () => {
    const { runner, store } = setup();
    const { job, attempts } = oneTaskJob("skip", alwaysFails("upstream"), { retry: { limit: 5 } }, () => ({
      skipRetrying: true,
      error: failing("auth"),
    }));
    const result = await runner.run(job, { runId: "skip" });
    expect(attempts()).toBe(1);
    expect(result).toMatchObject({ status: "failed", error: { type: "auth" } });
    expect((await store.loadRun("skip"))?.tasks[0]).toMatchObject({
      status: "failed",
      error: { type: "auth" },
    });
  });

  it("replays a failed task's error instead of calling it again", async () => {
    const { runner } = setup();
    let calls = 0;
    let caught: unknown[] = [];
    let hang = true;
    const job = defineJob({
      id: "replay-failure",
      run: async (_p, io) => {
        await io.try(
          () =>
            io.runTask("x", async () => {
              calls++;
              throw failing("schema");
            }),
          async (error) => {
            caught.push(error);
          },
        );
        if (hang) {
          hang = false;
          await io.wait("pause", 3600);
        }
        return "done";
      },
    });
    expect((await runner.run(job, { runId: "rf" })).status).toBe("suspended");
    caught = [];
    await runner.run(job, { runId: "rf" });
    expect(calls).toBe(1);
    expect(IntegrationError.isInstance(caught[0])).toBe(true);
  });
});

describe("suspension", () => {
  it("suspends a run whose retry is further away than the in-process limit, and resumes it when due", async () => {
    const { runner, clock, events } = setup({ maxInProcessWaitMs: 1_000 });
    let calls = 0;
    const job = defineJob({
      id: "rate-limited",
      run: async (_p, io) => {
        const before = await io.runTask("before", async () => "before");
        const limited = await io.runTask(
          "limited",
          async () => {
            if (++calls === 1) throw failing("rate-limit", { retryAt: new Date(clock.now() + 5 * 60_000) });
            return "after";
          },
          { retry: { limit: 3 } },
        );
        return [before, limited];
      },
    });
    const first = await runner.run(job, { runId: "s" });
    expect(first).toEqual({ runId: "s", status: "suspended", resumeAt: new Date(clock.now() + 5 * 60_000) });
    expect(clock.sleeps).toEqual([]);

    expect(await runner.resumeDue([job])).toEqual([]);
    expect(calls).toBe(1);

    clock.advance(5 * 60_000);
    const [resumed] = await runner.resumeDue([job]);
    expect(resumed).toEqual({ runId: "s", status: "completed", output: ["before", "after"] });
    expect(calls).toBe(2);
    expect(
      events.filter((e) => e.type === "task.replayed").map((e) => e.type === "task.replayed" && e.task.id),
    ).toEqual(["before"]);
  });

  it("wakes a suspended run by itself when it falls due, through schedule()", async () => {
    const store = new MemoryTaskStore();
    const runner = new JobRunner({ logger: false, store, maxInProcessWaitMs: 0 });
    const job = defineJob({
      id: "scheduled",
      run: async (_p, io) => {
        await io.wait("nap", 0.05);
        return "awake";
      },
    });
    expect((await runner.run(job, { runId: "sch" })).status).toBe("suspended");
    const scheduler = runner.schedule([job], { intervalMs: 10 });
    try {
      await vi_waitFor(async () => (await store.loadRun("sch"))?.run.status === "completed");
    } finally {
      await scheduler.stop();
    }
    expect((await store.loadRun("sch"))?.run.output).toBe("awake");
  });

  it("stays suspended when user code swallows the signal with a bare try/catch", async () => {
    const { runner } = setup();
    let after = 0;
    const job = defineJob({
      id: "swallow",
      run: async (_p, io) => {
        try {
          await io.wait("long", 3_600);
        } catch {
          // a user's catch-all
        }
        await io.runTask("after", async () => ++after).catch(() => undefined);
        return "returned";
      },
    });
    const result = await runner.run(job);
    expect(result.status).toBe("suspended");
    expect(after).toBe(0);
  });

  it("io.try rethrows the signal but hands ordinary errors to the catch callback", async () => {
    const { runner } = setup();
    const handled: string[] = [];
    const job = defineJob({
      id: "io-try",
      run: async (_p, io) => {
        await io.try(
          () =>
            io.runTask("bad", async () => {
              throw failing("schema");
            }),
          async (e) => {
            handled.push((e as Error).message);
          },
        );
        await io.try(
          () => io.wait("long", 3_600),
          async () => {
            handled.push("signal caught");
          },
        );
      },
    });
    expect((await runner.run(job)).status).toBe("suspended");
    expect(handled).toEqual(["schema failure"]);
  });

  it("sleeps short waits in process and resumes long ones later", async () => {
    const { runner, clock } = setup({ maxInProcessWaitMs: 10_000 });
    const job = defineJob({
      id: "waits",
      run: async (_p, io) => {
        await io.wait("short", 2);
        await io.wait("long", 60);
        return "woke";
      },
    });
    expect((await runner.run(job, { runId: "w" })).status).toBe("suspended");
    expect(clock.sleeps).toEqual([2_000]);
    clock.advance(60_000);
    expect(await runner.run(job, { runId: "w" })).toMatchObject({ status: "completed", output: "woke" });
    expect(clock.sleeps).toEqual([2_000]);
  });
});

describe("integrations in a run", () => {
  it("calls cloneForRun once per run and integration, and exposes the clone as io.<name>", async () => {
    const { runner } = setup();
    const echo = new Echo({ id: "echo-local", token: "tok_local_123456", baseUrl: "http://127.0.0.1:9" });
    const seen: unknown[] = [];
    const job = defineJob({
      id: "clones",
      integrations: { echo },
      run: async (_p, io) => {
        seen.push(io.echo, io.echo, io.echo.id);
      },
    });
    Echo.clones = 0;
    await runner.run(job);
    expect(Echo.clones).toBe(1);
    expect(seen[0]).toBe(seen[1]);
    expect(seen[0]).not.toBe(echo);
    expect(seen[2]).toBe("echo-local");
  });

  it("resolves HOSTED auth per run, and fails with an auth error when there is none", async () => {
    const echo = new Echo({ id: "echo-hosted", baseUrl: "http://127.0.0.1:9" });
    const job = defineJob({ id: "hosted", integrations: { echo }, run: async (_p, io) => io.echo.id });
    const withAuth = new JobRunner({
      logger: false,
      resolveAuth: () => ({ type: "oauth2", accessToken: "oauth-token-123456" }),
    });
    expect(await withAuth.run(job)).toMatchObject({ status: "completed", output: "echo-hosted" });
    const without = await new JobRunner({ logger: false }).run(job);
    expect(without).toMatchObject({ status: "failed", error: { type: "auth", provider: "echo" } });
  });

  it("refuses an integration named like an io member", () => {
    const echo = new Echo({ id: "e", token: "x-token-123456", baseUrl: "http://127.0.0.1:9" });
    expect(() => defineJob({ id: "bad", integrations: { runTask: echo }, run: async () => {} })).toThrow(
      /runTask/,
    );
  });
});

describe("secrets", () => {
  it("scrubs auth tokens, secret-named fields and redact paths from params, outputs, errors and logs", async () => {
    const store = new MemoryTaskStore();
    const events: RunEvent[] = [];
    const token = "oauth-secret-value-987654";
    const runner = new JobRunner({
      logger: false,
      store,
      onEvent: (e) => events.push(e),
      resolveAuth: () => ({ type: "oauth2", accessToken: token }),
    });
    const echo = new Echo({ id: "echo", baseUrl: "http://127.0.0.1:9" });
    const job = defineJob({
      id: "secrets",
      integrations: { echo },
      run: async (_p, io: IO) => {
        io.logger.info(`using ${token}`, { token, note: `Bearer ${token}` });
        await io.runTask("params", async () => ({ echoed: token, password: "hunter2-long" }), {
          params: { card: { number: "4242424242424242" }, apiKey: "k-123456789", text: `has ${token}` },
          redact: { paths: ["card.number"] },
        });
        await io.runTask("fails", async () => {
          throw new Error(`request with ${token} failed`);
        });
      },
    });
    const result = await runner.run(job, { runId: "sec" });
    expect(result.status).toBe("failed");
    const stored = JSON.stringify(await store.loadRun("sec"));
    const emitted = JSON.stringify(events);
    for (const text of [stored, emitted]) {
      expect(text).not.toContain(token);
      expect(text).not.toContain("4242424242424242");
      expect(text).not.toContain("k-123456789");
      expect(text).not.toContain("hunter2-long");
    }
    expect(stored).toContain("[REDACTED]");
    if (result.status === "failed") expect(result.error.message).not.toContain(token);
  });
});

describe("secrets a task declares", () => {
  it("scrubs them from that task's and every later task's records in the run, also on a replay", async () => {
    const store = new MemoryTaskStore();
    const secret = "step-credential-0123456789";
    let pause = true;
    const job = defineJob({
      id: "step-secrets",
      run: async (_p, io) => {
        await io.runTask(
          "step",
          async (_t, inner) =>
            inner.runTask("nested-provider-call", async () => ({ echoed: `token ${secret}` })),
          { secrets: [secret], params: { note: `uses ${secret}` } },
        );
        if (pause) {
          pause = false;
          await io.wait("pause", 3_600);
        }
        return io.runTask("later", async () => `still ${secret}`);
      },
    });
    const runner = new JobRunner({ logger: false, store });
    expect((await runner.run(job, { runId: "s" })).status).toBe("suspended");
    const resumed = await new JobRunner({
      logger: false,
      store,
      clock: createTestClock(Date.now() + 7_200_000),
    }).run(job, {
      runId: "s",
    });
    expect(resumed.status).toBe("completed");
    const stored = JSON.stringify(await store.loadRun("s"));
    expect(stored).toContain("nested-provider-call");
    expect(stored).not.toContain(secret);
    if (resumed.status === "completed") expect(resumed.output).not.toContain(secret);
  });
});

async function vi_waitFor(condition: () => Promise<boolean>, timeoutMs = 2_000): Promise<void> {
  const started = Date.now();
  while (!(await condition())) {
    if (Date.now() - started > timeoutMs) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe("run.started", () => {
  it("says resumed only when the run made progress before, not for a record saved ahead of its first execution", async () => {
    const store = new MemoryTaskStore();
    const clock = createTestClock(Date.UTC(2026, 0, 1));
    const now = new Date(clock.now()).toISOString();
    await store.saveRun({
      id: "queued",
      jobId: "started-events",
      status: "running",
      createdAt: now,
      updatedAt: now,
    });
    const job = defineJob({
      id: "started-events",
      run: async (_payload, io) => {
        await io.runTask("first", async () => "done");
        await io.wait("pause", 3_600);
      },
    });
    const started: boolean[] = [];
    const onEvent = (event: RunEvent) => {
      if (event.type === "run.started") started.push(event.resumed);
    };
    const first = await new JobRunner({ logger: false, store, onEvent, clock }).run(job, { runId: "queued" });
    expect(first.status).toBe("suspended");
    clock.advance(7_200_000);
    const second = await new JobRunner({ logger: false, store, onEvent, clock }).run(job, {
      runId: "queued",
    });
    expect(second.status).toBe("completed");
    expect(started).toEqual([false, true]);
  });
});

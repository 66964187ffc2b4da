import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Acme, answer, startAcmeServer } from "../provider-kit/__fixtures__/acme-sdk";
import { createTestClock } from "../testing/test-clock";
import type { Clock } from "./clock";
import type { RunEvent } from "./events";
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

describe("a provider task's timeoutMs before its request leaves", () => {
  let api: Awaited<ReturnType<typeof startAcmeServer>>;
  beforeAll(async () => {
    api = await startAcmeServer();
  });
  afterAll(() => api.stop());

  it("expiring while the task waits for a rate-limit slot fails as network/timeout (reason timeout) and is retried", async () => {
    // The run's clock: while `holding`, a sleep (the bucket's wait for its slot) never ends; afterwards it
    // moves time forward at once, as a test clock does.
    let now = Date.UTC(2026, 0, 1);
    let holding = false;
    const clock: Clock = {
      now: () => now,
      sleep: (ms) => {
        if (holding) return never();
        now += ms;
        return Promise.resolve();
      },
    };
    // A token of its own: a fresh rate-limit bucket (on this clock) in the process's client cache.
    const acme = new Acme({ id: "acme", token: "acme_tok_slotwait1", baseUrl: api.url });
    // The deadline is real time: only it ends the held wait (a slow machine reaches it later, never sooner),
    // and the retry's one loopback request has a whole second to answer.
    const create = (id: string, options: { limit: number; timeoutMs?: number }) =>
      defineJob({
        id,
        integrations: { acme },
        run: async (_p, io) =>
          io.acme.runTask("create", (client) => client.widgets.create({ name: id }), {
            ...(options.timeoutMs !== undefined && { timeoutMs: options.timeoutMs }),
            retry: { limit: options.limit, minTimeoutInMs: 1, maxTimeoutInMs: 1 },
          }),
      });

    // Acme refuses a first call with Retry-After 3 s: the bucket holds every call of this token until then.
    api.next(answer(429, { "retry-after": "3" }));
    const refused = await new JobRunner({ clock, logger: false }).run(create("refused", { limit: 0 }));
    expect(refused).toMatchObject({ status: "failed", error: { type: "rate-limit" } });
    const postsBefore = api.requests.filter((r) => r.method === "POST").length;

    holding = true;
    const events: RunEvent[] = [];
    const store = new MemoryTaskStore();
    const result = await new JobRunner({
      store,
      clock,
      logger: false,
      onEvent: (event) => {
        events.push(event);
        // The first attempt timed out in the bucket; its retry waits out the rest of the pause on the clock.
        if (event.type === "task.retrying") holding = false;
      },
    }).run(create("slot-wait", { limit: 2, timeoutMs: 1_000 }));

    expect(result).toMatchObject({ status: "completed", output: { id: "w_new" } });
    const retrying = events.filter((e) => e.type === "task.retrying");
    expect(retrying).toHaveLength(1);
    expect(retrying[0]).toMatchObject({
      attempt: 1,
      error: { type: "network", code: "timeout", reason: "timeout", retryable: true },
    });
    expect((await store.loadRun(result.runId))?.tasks[0]).toMatchObject({ attempts: 2, status: "completed" });
    // The timed-out attempt sent nothing: the one request is the retry's.
    expect(api.requests.filter((r) => r.method === "POST").length).toBe(postsBefore + 1);
  });
});

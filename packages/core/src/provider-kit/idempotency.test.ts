import type { AddressInfo } from "node:net";
import { createServer } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { RunEvent } from "../runtime/events";
import { taskMarker } from "../runtime/idempotency";
import { defineJob, type JobIO } from "../runtime/job";
import { MemoryTaskStore } from "../runtime/memory-task-store";
import { JobRunner } from "../runtime/runner";
import type { TaskRecord } from "../runtime/task-store";
import { createTestClock } from "../testing/test-clock";
import { Acme, answer, loseAnswer, startAcmeServer } from "./__fixtures__/acme-sdk";

// Effectively once, through the kit: a provider task's answer is lost after the provider acted on the request
// (the fake API handles it, then destroys the socket). What happens next is the task's idempotency declaration.

let api: Awaited<ReturnType<typeof startAcmeServer>>;
beforeAll(async () => {
  api = await startAcmeServer();
});
afterAll(() => api.stop());
afterEach(() => {
  api.requests.length = 0;
  api.created.length = 0;
});

let runs = 0;
async function run<T>(
  body: (io: JobIO<{ acme: Acme }>) => Promise<T>,
  options: { baseUrl?: string; retry?: { onUnknownOutcome: "retry" | "fail" } } = {},
) {
  const store = new MemoryTaskStore();
  const events: RunEvent[] = [];
  const acme = new Acme({ id: "acme", token: "acme_tok_idempotent", baseUrl: options.baseUrl ?? api.url });
  const job = defineJob({
    id: "idempotency",
    integrations: { acme },
    ...(options.retry && { retry: options.retry }),
    run: async (_p, io) => body(io),
  });
  const runner = new JobRunner({
    store,
    clock: createTestClock(),
    logger: false,
    onEvent: (event) => events.push(event),
  });
  const result = await runner.run(job, { runId: `idem-${++runs}` });
  const tasks = (await store.loadRun(result.runId))?.tasks ?? [];
  return { result, tasks, events, task: (id: string) => tasks.find((t) => t.id === id) as TaskRecord };
}

const posts = () => api.requests.filter((request) => request.method === "POST");

describe("a write whose answer is lost", () => {
  it("declaring nothing fails as network/outcome_unknown, once, with what to check; the provider's code is kept", async () => {
    api.next(loseAnswer);
    const { result, events, task } = await run((io) => io.acme.widgets.createPlain("plain", { name: "x" }));
    expect(result).toMatchObject({
      status: "failed",
      error: { type: "network", reason: "outcome_unknown", retryable: false, provider: "acme" },
    });
    if (result.status !== "failed") return;
    expect(result.error.code).toBeDefined();
    expect(result.error.message).toMatch(/Task "plain" \(Create Plain Widget, acme\) may have happened/);
    expect(result.error.message).toMatch(/Check whether it happened before re-running/);
    expect(api.created).toHaveLength(1);
    expect(events.filter((e) => e.type === "task.retrying")).toHaveLength(0);
    // The run view and the events read the reason from the task log and the failure event.
    expect(task("plain")).toMatchObject({ status: "failed", error: { reason: "outcome_unknown" } });
    expect(events.find((e) => e.type === "task.failed")).toMatchObject({
      error: { reason: "outcome_unknown" },
    });
  });

  it("a passthrough write is undeclared too: not repeated", async () => {
    api.next(loseAnswer);
    const { result } = await run((io) => io.acme.widgets.archive("archive", { id: "w1" }));
    expect(result).toMatchObject({ status: "failed", error: { reason: "outcome_unknown" } });
    expect(posts()).toHaveLength(1);
  });

  it("`native` is retried with the same idempotency key, and its error says it was retryable", async () => {
    api.next(loseAnswer);
    const { result, events } = await run((io) => io.acme.widgets.create("native", { name: "x" }));
    expect(result.status).toBe("completed");
    const [first, second] = posts();
    expect(posts()).toHaveLength(2);
    expect(second?.idempotencyKey).toBe(first?.idempotencyKey);
    expect(events.find((e) => e.type === "task.retrying")).toMatchObject({
      error: { type: "network", reason: "outcome_unknown", retryable: true },
    });
  });

  it("`idempotent` (a passthrough read, by its name) is retried", async () => {
    api.next(loseAnswer);
    const { result } = await run((io) => io.acme.whoami.get("read"));
    expect(result.status).toBe("completed");
    expect(api.requests).toHaveLength(2);
  });

  it('the job\'s `retry: { onUnknownOutcome: "retry" }` repeats an undeclared write (at-least-once)', async () => {
    api.next(loseAnswer);
    const { result } = await run((io) => io.acme.widgets.createPlain("plain", { name: "x" }), {
      retry: { onUnknownOutcome: "retry" },
    });
    expect(result.status).toBe("completed");
    expect(api.created).toHaveLength(2);
  });
});

describe("a `reconcile` write whose answer is lost", () => {
  it("found: completes once with what the reconciler found, logged as reconciled", async () => {
    api.next(loseAnswer);
    const { result, events, task } = await run((io) => io.acme.widgets.createTagged("tagged", { name: "t" }));
    expect(api.created).toHaveLength(1);
    const [widget] = api.created;
    expect(result).toMatchObject({ status: "completed", output: widget });
    expect(widget?.marker).toBe(taskMarker(task("tagged")));
    expect(task("tagged")).toMatchObject({ status: "completed", reconciled: true, attempts: 1 });
    expect(
      events.filter((e) => e.type === "task.reconciled").map((e) => e.type === "task.reconciled" && e.result),
    ).toEqual(["found"]);
    expect(events.find((e) => e.type === "task.completed")).toMatchObject({ reconciled: true });
  });

  it("certainly not found: the call is repeated once", async () => {
    // The request is refused before the route runs (a 200 script would count as an answer): the answer is
    // lost and nothing was created, so the reconciler finds nothing and the call goes out again.
    api.next((_request, response) => {
      response.socket?.destroy();
      return true;
    });
    const { result, events, task } = await run((io) => io.acme.widgets.createTagged("tagged", { name: "t" }));
    expect(result.status).toBe("completed");
    expect(api.created).toHaveLength(1);
    expect(posts()).toHaveLength(2);
    expect(task("tagged").reconciled).toBeUndefined();
    expect(events.find((e) => e.type === "task.reconciled")).toMatchObject({ result: "not-found" });
  });

  it("the reconciler cannot tell (its lookup fails): fails with outcome_unknown, not repeated", async () => {
    api.next(loseAnswer);
    api.next(answer(500));
    const { result, events } = await run((io) => io.acme.widgets.createTagged("tagged", { name: "t" }));
    expect(result).toMatchObject({
      status: "failed",
      error: { reason: "outcome_unknown", retryable: false },
    });
    if (result.status === "failed") expect(result.error.message).toMatch(/its reconciler failed/);
    expect(posts()).toHaveLength(1);
    expect(events.find((e) => e.type === "task.reconciled")).toMatchObject({ result: "unknown" });
  });
});

describe("a request that certainly was not sent", () => {
  it("ECONNREFUSED stays a retryable network error, without a reason, for an undeclared write", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise((resolve) => closed.close(resolve));
    const { result, events } = await run((io) => io.acme.widgets.createPlain("plain", { name: "x" }), {
      baseUrl: `http://127.0.0.1:${port}`,
    });
    expect(result).toMatchObject({
      status: "failed",
      error: { type: "network", code: "ECONNREFUSED", retryable: true },
    });
    if (result.status === "failed") expect(result.error.reason).toBeUndefined();
    // The fixture's backoff allows 3 retries.
    expect(events.filter((e) => e.type === "task.retrying")).toHaveLength(3);
  });
});

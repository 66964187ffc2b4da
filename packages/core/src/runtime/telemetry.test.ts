import { AsyncLocalStorage } from "node:async_hooks";
import {
  type Context,
  type ContextManager,
  context,
  ROOT_CONTEXT,
  SpanStatusCode,
  trace,
} from "@opentelemetry/api";
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
} from "@opentelemetry/sdk-trace-base";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { IntegrationError } from "../errors";
import { createTestClock } from "../testing/test-clock";
import { defineJob } from "./job";
import { JobRunner } from "./runner";

// A real tracer provider with an in-memory exporter, registered globally as an application would.
const exporter = new InMemorySpanExporter();
const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
beforeAll(() => {
  trace.setGlobalTracerProvider(provider);
  context.setGlobalContextManager(new AsyncLocalStorageContextManager());
});
afterAll(async () => {
  trace.disable();
  context.disable();
  await provider.shutdown();
});
beforeEach(() => exporter.reset());

/**
 * The context manager an application's OpenTelemetry set-up registers on Node (what
 * `@opentelemetry/context-async-hooks` ships, written out here so the test needs no other package).
 */
class AsyncLocalStorageContextManager implements ContextManager {
  private readonly storage = new AsyncLocalStorage<Context>();
  active(): Context {
    return this.storage.getStore() ?? ROOT_CONTEXT;
  }
  with<A extends unknown[], F extends (...args: A) => ReturnType<F>>(
    ctx: Context,
    fn: F,
    thisArg?: ThisParameterType<F>,
    ...args: A
  ): ReturnType<F> {
    return this.storage.run(ctx, () => fn.call(thisArg, ...args));
  }
  bind<T>(_ctx: Context, target: T): T {
    return target;
  }
  enable(): this {
    return this;
  }
  disable(): this {
    this.storage.disable();
    return this;
  }
}

const spans = () => exporter.getFinishedSpans();
const named = (name: string): ReadableSpan[] => spans().filter((s) => s.name === name);
const parentOf = (span: ReadableSpan) => span.parentSpanContext?.spanId;

describe("telemetry", () => {
  it("makes the run a span, each task attempt a child span, and records a retried and a failed attempt", async () => {
    const retryAt = new Date(Date.UTC(2026, 0, 1, 0, 0, 5));
    let calls = 0;
    const job = defineJob({
      id: "traced",
      run: async (_p, io) => {
        await io.runTask("ok", async () => 1, { icon: "acme" });
        await io.runTask(
          "flaky",
          async () => {
            calls += 1;
            if (calls === 1) {
              throw new IntegrationError({
                type: "rate-limit",
                provider: "acme",
                message: "slow down",
                retryAt,
              });
            }
            return io.runTask("inner", async () => 2);
          },
          { icon: "acme", retry: { limit: 2, minTimeoutInMs: 1, maxTimeoutInMs: 1 } },
        );
        await io.runTask(
          "broken",
          async () => {
            throw new IntegrationError({
              type: "schema",
              provider: "acme",
              method: "widgets.create",
              status: 422,
              message: "bad widget",
            });
          },
          { icon: "acme" },
        );
      },
    });
    const runner = new JobRunner({ clock: createTestClock(), logger: false });
    const result = await runner.run(job, { runId: "t1" });
    expect(result.status).toBe("failed");

    const [run] = named("autoflow.run traced");
    expect(run?.attributes).toMatchObject({ "autoflow.run.id": "t1", "autoflow.job.id": "traced" });
    expect(run?.status.code).toBe(SpanStatusCode.ERROR);
    expect(run?.attributes["autoflow.error.type"]).toBe("schema");

    const ok = named("autoflow.task ok");
    expect(ok).toHaveLength(1);
    expect(parentOf(ok[0]!)).toBe(run?.spanContext().spanId);
    expect(ok[0]?.attributes).toMatchObject({
      "autoflow.task.key": "ok",
      "autoflow.task.attempt": 1,
      "autoflow.provider": "acme",
    });
    expect(ok[0]?.status.code).not.toBe(SpanStatusCode.ERROR);

    const flaky = named("autoflow.task flaky").sort(
      (a, b) => Number(a.attributes["autoflow.task.attempt"]) - Number(b.attributes["autoflow.task.attempt"]),
    );
    expect(flaky.map((s) => s.attributes["autoflow.task.attempt"])).toEqual([1, 2]);
    expect(flaky[0]?.attributes).toMatchObject({
      "autoflow.error.type": "rate-limit",
      "autoflow.retry_at": retryAt.toISOString(),
    });
    expect(flaky[0]?.status.code).toBe(SpanStatusCode.ERROR);
    expect(flaky[0]?.events.some((e) => e.name === "exception")).toBe(true);
    // A nested task's span is a child of its parent task's attempt.
    const [inner] = named("autoflow.task inner");
    expect(parentOf(inner!)).toBe(flaky[1]?.spanContext().spanId);

    const [broken] = named("autoflow.task broken");
    expect(broken?.attributes).toMatchObject({
      "autoflow.error.type": "schema",
      "autoflow.method": "widgets.create",
      "http.response.status_code": 422,
    });
    expect(broken?.status).toMatchObject({ code: SpanStatusCode.ERROR });
    expect(spans().every((s) => s.spanContext().traceId === run?.spanContext().traceId)).toBe(true);
  });

  it("makes a task attempt's span the active one during its call, so the call's own spans are its children", async () => {
    const job = defineJob({
      id: "instrumented",
      run: async (_p, io) =>
        io.runTask(
          "post",
          async () => {
            // What an instrumented HTTP client does for the SDK's request: a span in the active context.
            await Promise.resolve();
            trace.getTracer("http").startSpan("POST /chat.postMessage").end();
            return 1;
          },
          { icon: "acme" },
        ),
    });
    await new JobRunner({ clock: createTestClock(), logger: false }).run(job);
    const [task] = named("autoflow.task post");
    const [request] = named("POST /chat.postMessage");
    expect(parentOf(request!)).toBe(task?.spanContext().spanId);
    expect(request?.spanContext().traceId).toBe(task?.spanContext().traceId);
  });

  it("makes no spans with telemetry: false", async () => {
    const job = defineJob({ id: "quiet", run: async (_p, io) => io.runTask("t", async () => 1) });
    await new JobRunner({ clock: createTestClock(), telemetry: false }).run(job);
    expect(spans()).toEqual([]);
  });
});

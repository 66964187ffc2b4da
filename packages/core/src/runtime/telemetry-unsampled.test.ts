import {
  INVALID_SPAN_CONTEXT,
  type Span,
  type SpanContext,
  TraceFlags,
  type Tracer,
  type TracerProvider,
  trace,
} from "@opentelemetry/api";
import { afterEach, describe, expect, it } from "vitest";
import { createTestClock } from "../testing/test-clock";
import { defineJob } from "./job";
import { JobRunner } from "./runner";

/** A tracer provider whose spans are all non-recording with `context`, counting the spans asked of it. */
function countingProvider(context: SpanContext): TracerProvider & { started: string[] } {
  const started: string[] = [];
  const tracer = {
    startSpan: (name: string): Span => {
      started.push(name);
      return trace.wrapSpanContext(context);
    },
  } as unknown as Tracer;
  return { started, getTracer: () => tracer };
}

const job = defineJob({
  id: "three-tasks",
  run: async (_p, io) => {
    for (const key of ["a", "b", "c"]) await io.runTask(key, async () => key);
  },
});

afterEach(() => trace.disable());

describe("telemetry without a tracer that records", () => {
  // What `@opentelemetry/api` gives when it is installed and no SDK is registered: a no-op span with no context.
  it("asks for no task span when the run's span is the no-op tracer's", async () => {
    const provider = countingProvider(INVALID_SPAN_CONTEXT);
    trace.setGlobalTracerProvider(provider);
    const result = await new JobRunner({ clock: createTestClock(), logger: false }).run(job);
    expect(result.status).toBe("completed");
    expect(provider.started).toEqual(["autoflow.run three-tasks"]);
  });

  // A sampler that drops the run still gives it a trace id, which the tasks' spans carry on to what they call.
  it("still makes the tasks' spans under a run that was sampled out", async () => {
    const provider = countingProvider({
      traceId: "4bf92f3577b34da6a3ce929d0e0e4736",
      spanId: "00f067aa0ba902b7",
      traceFlags: TraceFlags.NONE,
    });
    trace.setGlobalTracerProvider(provider);
    await new JobRunner({ clock: createTestClock(), logger: false }).run(job);
    expect(provider.started).toEqual([
      "autoflow.run three-tasks",
      "autoflow.task a",
      "autoflow.task b",
      "autoflow.task c",
    ]);
  });
});

import type * as OpenTelemetry from "@opentelemetry/api";
import type { SerializedIntegrationError } from "../errors";
import type { RunEvent, RunEventListener } from "./events";

type Api = typeof OpenTelemetry;

/** The tracer's name (and the instrumentation scope spans carry). */
export const TRACER_NAME = "@autoflow/core";

let loading: Promise<Api | undefined> | undefined;

/**
 * `@opentelemetry/api` when it is installed, loaded once and only when a runner first runs, so core works
 * without it (it is an optional peer dependency).
 */
export function loadOpenTelemetry(): Promise<Api | undefined> {
  loading ??= import("@opentelemetry/api").then(
    // A CommonJS build may see the module as its default export.
    (api) => (api.trace ? api : (api as unknown as { default?: Api }).default),
    () => undefined,
  );
  return loading;
}

/** A tracing listener, and how to run a task's call inside its attempt's span. */
export interface TracingListener extends RunEventListener {
  /**
   * Runs `fn` with the task attempt's span as the active context, so spans the call makes (the SDK's HTTP
   * request under an instrumented fetch or http, a database query) are its children.
   */
  activate<T>(runId: string, taskId: string, fn: () => T): T;
}

/**
 * A run event listener that makes every run and every task attempt a span through the global tracer provider:
 * the run's span is the parent of its tasks' (a nested task's, of its parent task's), attempts carry the
 * provider, task key, attempt, taxonomy type and `retryAt`, and failures are recorded with an error status.
 */
export function tracingListener(api: Api): TracingListener {
  const tracer = api.trace.getTracer(TRACER_NAME);
  const runs = new Map<string, OpenTelemetry.Span>();
  // Runs whose span is the API's no-op (no tracer provider registered, no parent span): their tasks' spans would be
  // no-ops too, so none is made for them (with the API installed and no SDK, tracing costs a task nothing).
  const untraced = new Set<string>();
  const tasks = new Map<string, OpenTelemetry.Span>();
  const taskKey = (runId: string, taskId: string) => `${runId}\u0000${taskId}`;

  /** The context a task's span starts in: its parent task's attempt, else its run. */
  const parentContext = (runId: string, parentId: string | undefined) => {
    const parent = (parentId !== undefined && tasks.get(taskKey(runId, parentId))) || runs.get(runId);
    return parent ? api.trace.setSpan(api.context.active(), parent) : api.context.active();
  };
  const fail = (span: OpenTelemetry.Span, error: SerializedIntegrationError) => {
    span.setAttributes({
      "autoflow.error.type": error.type,
      ...(error.reason !== undefined && { "autoflow.error.reason": error.reason }),
      ...(error.code !== undefined && { "autoflow.error.code": error.code }),
      ...(error.method !== undefined && { "autoflow.method": error.method }),
      ...(error.status !== undefined && { "http.response.status_code": error.status }),
    });
    span.recordException({ name: error.name, message: error.message });
    span.setStatus({ code: api.SpanStatusCode.ERROR, message: error.message });
  };
  const endRun = (runId: string, end: (span: OpenTelemetry.Span) => void) => {
    if (untraced.delete(runId)) return;
    // A task still open (a parallel branch when another failed) ends with its run.
    for (const [key, span] of tasks) {
      if (key.startsWith(`${runId}\u0000`)) {
        span.end();
        tasks.delete(key);
      }
    }
    const span = runs.get(runId);
    if (!span) return;
    end(span);
    span.end();
    runs.delete(runId);
  };

  const activate = <T>(runId: string, taskId: string, fn: () => T): T => {
    const span = tasks.get(taskKey(runId, taskId));
    return span ? api.context.with(api.trace.setSpan(api.context.active(), span), fn) : fn();
  };

  const listener = (event: RunEvent) => {
    switch (event.type) {
      case "run.started": {
        const span = tracer.startSpan(`autoflow.run ${event.jobId}`, {
          attributes: {
            "autoflow.run.id": event.runId,
            "autoflow.job.id": event.jobId,
            "autoflow.run.resumed": event.resumed,
          },
        });
        // A sampled-out span still has a valid context (its trace id goes on to what the run calls): only the
        // no-op tracer's has none.
        const noOp = !span.isRecording() && !api.trace.isSpanContextValid(span.spanContext());
        if (noOp) untraced.add(event.runId);
        else runs.set(event.runId, span);
        return;
      }
      case "task.started": {
        if (untraced.has(event.runId)) return;
        const { task } = event;
        const span = tracer.startSpan(
          `autoflow.task ${task.name}`,
          {
            attributes: {
              "autoflow.run.id": event.runId,
              "autoflow.task.id": task.id,
              "autoflow.task.key": task.key,
              "autoflow.task.name": task.name,
              "autoflow.task.attempt": event.attempt,
              ...(task.icon !== undefined && { "autoflow.provider": task.icon }),
            },
          },
          parentContext(event.runId, task.parentId),
        );
        tasks.set(taskKey(event.runId, task.id), span);
        return;
      }
      case "task.completed":
      case "task.retrying":
      case "task.failed":
      case "task.cancelled": {
        const key = taskKey(event.runId, event.task.id);
        const span = tasks.get(key);
        if (!span) return;
        tasks.delete(key);
        if (event.type === "task.retrying") {
          fail(span, event.error);
          span.setAttribute("autoflow.retry_at", event.retryAt);
        } else if (event.type === "task.failed") fail(span, event.error);
        else if (event.type === "task.cancelled") {
          span.setStatus({ code: api.SpanStatusCode.ERROR, message: "cancelled" });
        } else if (event.reconciled) span.setAttribute("autoflow.task.reconciled", true);
        span.end();
        return;
      }
      case "task.reconciled":
        tasks.get(taskKey(event.runId, event.task.id))?.addEvent("autoflow.reconciled", {
          "autoflow.reconcile.result": event.result,
        });
        return;
      case "log":
        runs.get(event.runId)?.addEvent(event.message, { "log.level": event.level });
        return;
      case "run.completed":
        endRun(event.runId, (span) => span.setStatus({ code: api.SpanStatusCode.OK }));
        return;
      case "run.failed":
        endRun(event.runId, (span) => {
          if (event.task) span.setAttribute("autoflow.task.key", event.task.key);
          fail(span, event.error);
        });
        return;
      case "run.suspended":
        endRun(event.runId, (span) => span.setAttribute("autoflow.resume_at", event.resumeAt));
        return;
      case "run.cancelled":
        endRun(event.runId, (span) =>
          span.setStatus({ code: api.SpanStatusCode.ERROR, message: "cancelled" }),
        );
        return;
      default:
        return;
    }
  };
  return Object.assign(listener, { activate });
}

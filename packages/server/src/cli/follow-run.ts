import type { LoadedRun, RunEvent, RunEventListener, TaskRecord, TaskStore } from "@autoflow/core";

/** How `followRun` waits between polls; a test passes one that steps a fake clock. */
export type FollowSleep = (ms: number) => Promise<void>;

export interface FollowRunOptions {
  /** Between polls of the store. Default 1000. */
  intervalMs?: number;
  sleep?: FollowSleep;
}

/**
 * Polls the store for the run and hands what changed to `listener` as run events (the ones a runner emits), so
 * `consoleReporter()` shows another process's run as it goes; resolves with the run once it has ended
 * (completed, failed or cancelled), `undefined` when there is no such run.
 */
export async function followRun(
  store: TaskStore,
  runId: string,
  listener: RunEventListener,
  options: FollowRunOptions = {},
): Promise<LoadedRun | undefined> {
  const sleep = options.sleep ?? ((ms) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  let previous: LoadedRun | undefined;
  for (;;) {
    const current = await store.loadRun(runId);
    if (!current) return previous;
    for (const event of eventsBetween(previous, current)) listener(event);
    previous = current;
    const { status } = current.run;
    if (status === "completed" || status === "failed" || status === "cancelled") return current;
    await sleep(options.intervalMs ?? 1_000);
  }
}

/** The run events that take a run from `previous` (its last poll; none at first) to `current`. */
export function eventsBetween(previous: LoadedRun | undefined, current: LoadedRun): RunEvent[] {
  const { run } = current;
  const events: RunEvent[] = [];
  const before = previous?.run.status;
  if (before === undefined || (before === "suspended" && run.status !== "suspended")) {
    events.push({ type: "run.started", runId: run.id, jobId: run.jobId, resumed: before !== undefined });
  }
  const seen = new Map((previous?.tasks ?? []).map((task) => [task.id, task]));
  for (const task of current.tasks) {
    const last = seen.get(task.id);
    if (last && last.status === task.status && last.attempts === task.attempts) continue;
    events.push(...taskEvents(last, task));
  }
  if (run.status === before) return events;
  const durationMs = Date.parse(run.updatedAt) - Date.parse(run.createdAt);
  if (run.status === "completed") {
    events.push({ type: "run.completed", runId: run.id, jobId: run.jobId, durationMs });
  } else if (run.status === "cancelled") {
    events.push({ type: "run.cancelled", runId: run.id, jobId: run.jobId, durationMs });
  } else if (run.status === "suspended") {
    events.push({ type: "run.suspended", runId: run.id, jobId: run.jobId, resumeAt: run.resumeAt ?? "" });
  } else if (run.status === "failed") {
    events.push({
      type: "run.failed",
      runId: run.id,
      jobId: run.jobId,
      error: run.error ?? {
        name: "IntegrationError",
        type: "upstream",
        provider: "autoflow",
        message: "the run failed",
        retryable: false,
      },
      ...(run.failedTask !== undefined && { task: run.failedTask }),
      durationMs,
    });
  }
  return events;
}

function taskEvents(last: TaskRecord | undefined, task: TaskRecord): RunEvent[] {
  const info = {
    id: task.id,
    key: task.key,
    name: task.name,
    properties: task.properties ?? [],
    ...(task.icon !== undefined && { icon: task.icon }),
    ...(task.parentId !== undefined && { parentId: task.parentId }),
  };
  const { runId, attempts: attempt } = task;
  const events: RunEvent[] = [];
  // A new attempt (or a task first seen mid-way) starts its line.
  if (attempt > 0 && (last === undefined || last.attempts !== attempt)) {
    events.push({ type: "task.started", runId, task: info, attempt });
  }
  const started = Date.parse(task.attemptStartedAt ?? task.startedAt);
  switch (task.status) {
    case "completed":
      events.push({
        type: "task.completed",
        runId,
        task: info,
        attempt,
        durationMs: task.completedAt ? Date.parse(task.completedAt) - started : 0,
        ...(task.reconciled && { reconciled: true as const }),
      });
      break;
    case "failed":
      if (task.error) events.push({ type: "task.failed", runId, task: info, attempt, error: task.error });
      break;
    case "cancelled":
      events.push({ type: "task.cancelled", runId, task: info, attempt });
      break;
    case "waiting":
      if (task.error && task.retryAt) {
        events.push({
          type: "task.retrying",
          runId,
          task: info,
          attempt,
          error: task.error,
          retryAt: task.retryAt,
        });
      } else if (task.retryAt) {
        events.push({ type: "task.waiting", runId, task: info, until: task.retryAt });
      }
      break;
    default:
      break;
  }
  return events;
}

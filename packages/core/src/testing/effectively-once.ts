import { expect } from "vitest";
import type { RunEvent } from "../runtime/events";
import type { RunResult } from "../runtime/runner";
import type { TaskRecord } from "../runtime/task-store";

/** What one run of a single write task left, as a provider's effectively-once tests collect it. */
export interface WriteTaskRun {
  result: RunResult<unknown>;
  tasks: readonly TaskRecord[];
  events: readonly RunEvent[];
}

/** What each `task.reconciled` event of a run answered (`found`, `not-found`, `unknown`, `look-again`), in order. */
export function reconcileResults(events: readonly RunEvent[]): string[] {
  return events.flatMap((event) => (event.type === "task.reconciled" ? [event.result] : []));
}

/**
 * Asserts the guarantee after a write whose answer was lost once the provider had handled it: the run completed, the
 * side effect exists once (`sideEffects`, counted at the provider), and the task completed either from its reconciler
 * without a second call (`reconciled`; the reconciler may have asked to look again first) or by one harmless repeat (two calls, the second answering "already done").
 * `calls` is how many requests the write made to the provider. Returns the task's record.
 */
export function expectDoneOnce(
  run: WriteTaskRun,
  expected: { reconciled: boolean; sideEffects: number; calls: number },
): TaskRecord {
  expect(run.result.status, JSON.stringify(run.result)).toBe("completed");
  expect(expected.sideEffects).toBe(1);
  const task = run.tasks.at(-1) as TaskRecord;
  expect(task.status).toBe("completed");
  if (expected.reconciled) {
    expect(task.reconciled).toBe(true);
    // Found, at once or after looking again while the provider's search lagged; never not-found first.
    expect(reconcileResults(run.events).filter((result) => result !== "look-again")).toEqual(["found"]);
    expect(expected.calls).toBe(1);
  } else {
    expect(task.reconciled).toBeUndefined();
    expect(task.attempts).toBe(2);
    expect(expected.calls).toBe(2);
  }
  return task;
}

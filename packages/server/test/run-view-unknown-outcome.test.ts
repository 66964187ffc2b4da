import type { LoadedRun, TaskRecord } from "@autoflow/core";
import { describe, expect, it } from "vitest";
import { toRunView } from "../src/run-view";

// What `GET /api/runs/:id` shows of a step whose provider call lost its answer.
const at = "2026-01-01T00:00:00.000Z";

function loaded(tasks: TaskRecord[]): LoadedRun {
  return {
    run: {
      id: "run-1",
      jobId: "workflow:wf-1",
      status: "failed",
      createdAt: at,
      updatedAt: at,
      payload: {
        workflowId: "wf-1",
        steps: [
          { id: "post", action: "slack.sendMessage", inputs: {} },
          { id: "open", action: "github.createIssue", inputs: {} },
        ],
      },
    },
    tasks,
  };
}

const task = (id: string, overrides: Partial<TaskRecord>): TaskRecord => ({
  runId: "run-1",
  id,
  key: id.split("/").at(-1) ?? id,
  idempotencyKey: `k-${id}`,
  name: id,
  status: "completed",
  attempts: 1,
  startedAt: at,
  sequence: 0,
  ...overrides,
});

describe("the run view of an unknown outcome", () => {
  it("marks a step reconciled when a call under it was completed from its reconciler, and shows a failed step's reason", () => {
    const error = {
      name: "IntegrationError",
      type: "network" as const,
      provider: "github",
      message:
        'Task "open/create" may have happened: other side closed. Check whether it happened before re-running.',
      code: "UND_ERR_SOCKET",
      reason: "outcome_unknown",
      retryable: false,
    };
    const view = toRunView(
      loaded([
        task("post", { sequence: 0 }),
        task("post/send", { sequence: 1, reconciled: true, attemptStartedAt: at }),
        task("open", { sequence: 2, status: "failed", error }),
        task("open/create", { sequence: 3, status: "failed", error }),
      ]),
    );
    expect(view.steps[0]).toMatchObject({ id: "post", status: "completed", reconciled: true });
    expect(view.steps[1]).toMatchObject({
      id: "open",
      status: "failed",
      error: { reason: "outcome_unknown" },
    });
    expect(view.steps[1]?.reconciled).toBeUndefined();
  });
});

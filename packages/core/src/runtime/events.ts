import type { DisplayProperty } from "../display";
import type { SerializedIntegrationError } from "../errors";
import type { RunFailedTask } from "./task-store";

/** What a task looked like when an event about it was emitted. */
export type TaskEventInfo = {
  id: string;
  key: string;
  name: string;
  icon?: string;
  parentId?: string;
  properties: DisplayProperty[];
};

/** Everything a run does, for progress displays, logs and metrics. Secrets are already scrubbed. */
export type RunEvent =
  | { type: "run.started"; runId: string; jobId: string; resumed: boolean }
  | { type: "run.completed"; runId: string; jobId: string; durationMs: number }
  | {
      type: "run.failed";
      runId: string;
      jobId: string;
      error: SerializedIntegrationError;
      /** The task the run failed at; absent when the job failed outside a task. */
      task?: RunFailedTask;
      durationMs: number;
    }
  | { type: "run.suspended"; runId: string; jobId: string; resumeAt: string }
  /** The run was cancelled (`JobRunner.cancel`, the service's cancel route): it is never resumed or retried. */
  | { type: "run.cancelled"; runId: string; jobId: string; durationMs: number }
  | { type: "task.started"; runId: string; task: TaskEventInfo; attempt: number }
  | {
      type: "task.completed";
      runId: string;
      task: TaskEventInfo;
      attempt: number;
      durationMs: number;
      /** The call's answer was lost and the task's reconciler found its side effect: this is what it found. */
      reconciled?: true;
    }
  | {
      /**
       * An attempt's outcome was unknown (its answer lost, or the worker died mid-call; `error.reason` is
       * `outcome_unknown`) and the task's reconciler looked: `found` completes the task with what it found,
       * `not-found` repeats the call, `unknown` (it could not tell, or failed) fails the task, `look-again` (its
       * search lags) waits and asks it again.
       */
      type: "task.reconciled";
      runId: string;
      task: TaskEventInfo;
      attempt: number;
      result: "found" | "not-found" | "unknown" | "look-again";
      error: SerializedIntegrationError;
    }
  | { type: "task.replayed"; runId: string; task: TaskEventInfo; status: "completed" | "failed" }
  | {
      type: "task.retrying";
      runId: string;
      task: TaskEventInfo;
      attempt: number;
      error: SerializedIntegrationError;
      retryAt: string;
    }
  | {
      type: "task.failed";
      runId: string;
      task: TaskEventInfo;
      attempt: number;
      error: SerializedIntegrationError;
    }
  | { type: "task.waiting"; runId: string; task: TaskEventInfo; until: string }
  /** The task was running (or waiting to retry) when its run was cancelled: its signal was aborted. */
  | { type: "task.cancelled"; runId: string; task: TaskEventInfo; attempt: number }
  | {
      type: "log";
      runId: string;
      level: "debug" | "info" | "warn" | "error";
      message: string;
      data?: Record<string, unknown>;
    };

export type RunEventListener = (event: RunEvent) => void;

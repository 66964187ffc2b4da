import { styleText } from "node:util";
import type { RunEvent, TaskEventInfo } from "@autoflow/core";

type Write = (line: string) => void;

/** Renders a run's events as they happen: each task with its properties, attempts and duration. */
export class ProgressDisplay {
  private readonly started = new Map<string, number>();
  readonly summary = { completed: 0, replayed: 0, retries: 0, failed: 0 };

  constructor(private readonly write: Write = (line) => process.stdout.write(`${line}\n`)) {}

  readonly listener = (event: RunEvent): void => {
    switch (event.type) {
      case "run.started":
        this.write(
          styleText(
            "bold",
            `${event.resumed ? "↻ resuming" : "▶ starting"} run ${event.runId} (${event.jobId})`,
          ),
        );
        return;
      case "task.started":
        this.started.set(event.task.id, performance.now());
        this.write(
          `  ${styleText("cyan", "…")} ${label(event.task)}${event.attempt > 1 ? styleText("yellow", `  attempt ${event.attempt}`) : ""}`,
        );
        return;
      case "task.completed": {
        this.summary.completed++;
        const ms = Math.round(performance.now() - (this.started.get(event.task.id) ?? performance.now()));
        this.write(
          `  ${styleText("green", "✔")} ${label(event.task)}  ${styleText("dim", `attempt ${event.attempt} · ${ms} ms`)}`,
        );
        for (const p of event.task.properties) {
          this.write(styleText("dim", `      ${p.label}: ${p.text}${p.url ? `  ${p.url}` : ""}`));
        }
        return;
      }
      case "task.replayed":
        this.summary.replayed++;
        this.write(
          `  ${styleText("blue", "↺")} ${label(event.task)}  ${styleText("dim", "replayed from the task log, not called again")}`,
        );
        return;
      case "task.retrying": {
        this.summary.retries++;
        const wait = Math.max(0, Date.parse(event.retryAt) - Date.now());
        this.write(
          `  ${styleText("yellow", "⟳")} ${label(event.task)}  ${styleText("yellow", `${event.error.type}: ${event.error.message}`)}  ${styleText("dim", `retry in ${wait} ms`)}`,
        );
        return;
      }
      case "task.failed":
        this.summary.failed++;
        this.write(
          `  ${styleText("red", "✖")} ${label(event.task)}  ${styleText("red", `${event.error.type}: ${event.error.message}`)}`,
        );
        return;
      case "task.waiting":
        this.write(`  ${styleText("magenta", "⏸")} ${label(event.task)} until ${event.until}`);
        return;
      case "run.suspended":
        this.write(styleText("magenta", `⏸ run suspended until ${event.resumeAt}`));
        return;
      case "run.completed":
        this.write(styleText(["bold", "green"], `✔ run completed in ${Math.round(event.durationMs)} ms`));
        return;
      case "run.failed":
        this.write(styleText(["bold", "red"], `✖ run failed: ${event.error.type}: ${event.error.message}`));
        return;
      case "log":
        this.write(styleText("dim", `  · ${event.message}`));
        return;
    }
  };
}

function label(task: TaskEventInfo): string {
  const icon = task.icon ? styleText("dim", `[${task.icon}] `) : "";
  return `${icon}${task.name} ${styleText("dim", `(${task.id})`)}`;
}

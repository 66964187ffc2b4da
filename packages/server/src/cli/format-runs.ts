import { isFinishedRunStatus, type LoadedRun, type RunSummary, type TaskRecord } from "@autoflow/core";

const ICONS: Record<string, string> = {
  completed: "✔",
  failed: "✖",
  running: "…",
  waiting: "⏸",
  suspended: "⏸",
  cancelled: "⊘",
};

/** `1.2 s`, `340 ms`, `2 min 5 s`; `-` when the span has not ended. */
export function formatDuration(from: string, to: string | undefined): string {
  if (to === undefined) return "-";
  const ms = Date.parse(to) - Date.parse(from);
  if (!Number.isFinite(ms) || ms < 0) return "-";
  if (ms < 1000) return `${ms} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}

/** The runs as a table: id, job, status, tasks, start, duration and what a failed run failed at. */
export function formatRunList(runs: readonly RunSummary[]): string {
  if (runs.length === 0) return "No runs.\n";
  const rows = runs.map((run) => [
    run.id,
    run.jobId,
    `${ICONS[run.status] ?? " "} ${run.status}`,
    String(run.taskCount),
    run.startedAt,
    formatDuration(run.startedAt, run.finishedAt),
    run.status === "failed"
      ? `${run.errorType ?? "error"}${run.failedTask ? ` at ${run.failedTask.id}` : ""}`
      : run.status === "suspended" && run.resumeAt
        ? `resumes ${run.resumeAt}`
        : "",
  ]);
  return table(["RUN", "JOB", "STATUS", "TASKS", "STARTED", "DURATION", "ERROR"], rows);
}

/** One run and its tasks, in the order they started, each with status, attempts, error type and duration. */
export function formatRun({ run, tasks }: LoadedRun): string {
  const finished = isFinishedRunStatus(run.status);
  const lines = [
    `Run ${run.id} (${run.jobId}): ${ICONS[run.status] ?? ""} ${run.status}`,
    `  started ${run.createdAt}, ${finished ? `took ${formatDuration(run.createdAt, run.updatedAt)}` : `updated ${run.updatedAt}`}`,
  ];
  if (run.resumeAt) lines.push(`  resumes at ${run.resumeAt}`);
  if (run.status === "failed" && run.error) {
    const at = run.failedTask ? ` at ${run.failedTask.id} (${run.failedTask.name})` : "";
    lines.push(`  failed${at}: ${run.error.type}: ${run.error.message}`);
  }
  lines.push("");
  if (tasks.length === 0) return `${lines.join("\n")}No tasks.\n`;
  const ordered = [...tasks].sort((a, b) => a.sequence - b.sequence);
  const rows = ordered.map((task) => [
    `${"  ".repeat(depth(task))}${task.id}`,
    task.name,
    `${ICONS[task.status] ?? " "} ${task.status}`,
    String(task.attempts),
    task.error?.type ?? "",
    formatDuration(task.startedAt, task.completedAt),
  ]);
  return `${lines.join("\n")}${table(["TASK", "NAME", "STATUS", "ATTEMPTS", "ERROR", "DURATION"], rows)}`;
}

/** A run and its tasks for `--json`: as stored, each task with `durationMs` once it ended. */
export function runJson({ run, tasks }: LoadedRun): object {
  return {
    run,
    tasks: tasks.map((task) => ({ ...task, ...durationMs(task) })),
  };
}

function durationMs(task: TaskRecord): { durationMs?: number } {
  if (task.completedAt === undefined) return {};
  return { durationMs: Date.parse(task.completedAt) - Date.parse(task.startedAt) };
}

function depth(task: TaskRecord): number {
  return task.parentId === undefined ? 0 : task.id.split("/").length - 1;
}

function table(headers: readonly string[], rows: readonly string[][]): string {
  const widths = headers.map((header, column) =>
    Math.max(header.length, ...rows.map((row) => (row[column] ?? "").length)),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, column) => cell.padEnd(widths[column] ?? 0))
      .join("  ")
      .trimEnd();
  return `${[line(headers), ...rows.map(line)].join("\n")}\n`;
}

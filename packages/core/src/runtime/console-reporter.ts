import type { RunEvent, RunEventListener, TaskEventInfo } from "./events";

/** Where `consoleReporter` writes: `process.stderr` by default; any object with `write` (a test's fake stream). */
export interface ReporterStream {
  write(text: string): unknown;
  /** A terminal: lines are redrawn in place. */
  isTTY?: boolean;
  /** The terminal's width: live lines are cut to it, so a wrapped line never breaks the redraw. */
  columns?: number;
  /** The terminal's height: a line scrolled out of view is printed again instead of redrawn. */
  rows?: number;
}

/**
 * - `live`: one line per task, redrawn in place as it starts, retries, waits and ends (a terminal).
 * - `plain`: one line per outcome (a task completed, retried, failed, replayed or waiting; a log line; the
 *   run's start and end), never rewritten: for CI logs and files.
 * - `quiet`: nothing.
 * - `auto` (the default): `live` when the stream is a TTY, `plain` otherwise.
 */
export type ReporterMode = "auto" | "live" | "plain" | "quiet";

export interface ConsoleReporterOptions {
  /** Default `process.stderr`, so a job's own output on stdout stays clean. */
  stream?: ReporterStream;
  mode?: ReporterMode;
  /** ANSI colours. Default: in `live` mode, unless `NO_COLOR` is set. */
  color?: boolean;
  /** Also print each completed task's display properties under it. Default false. */
  properties?: boolean;
  /** The clock a retry's wait is measured on (`retry in 1 s`). Default `Date.now`. */
  now?: () => number;
}

/** What a reporter saw, across every run it reported. */
export interface ReporterSummary {
  completed: number;
  replayed: number;
  retries: number;
  failed: number;
}

/** A `RunEventListener` that prints progress: pass it as `JobRunner`'s `onEvent`. */
export interface ConsoleReporter extends RunEventListener {
  readonly summary: ReporterSummary;
  /**
   * True unless `quiet`: it prints every failed run (the task's error on the task's line, the run's end on its
   * own), so a `JobRunner` given it as `onEvent` and no `logger` does not print the failure a second time.
   */
  readonly reportsRunFailures: boolean;
}

type Style = "bold" | "dim" | "red" | "green" | "yellow" | "blue" | "cyan" | "magenta";
const ANSI: Record<Style, [number, number]> = {
  bold: [1, 22],
  dim: [2, 22],
  red: [31, 39],
  green: [32, 39],
  yellow: [33, 39],
  blue: [34, 39],
  cyan: [36, 39],
  magenta: [35, 39],
};

/** A piece of a line and its style; lines are cut on their visible text, before styling. */
type Part = readonly [text: string, style?: Style];

/**
 * Live progress on the console, from a runner's events: every task on one line with an icon, its provider,
 * name and key, the attempt, a retry's error and wait, and its duration; `io.logger` lines; the run's end.
 * On a TTY each task's line is redrawn in place as it moves on (`live`); elsewhere each outcome is one plain
 * line (`plain`). `new JobRunner({ onEvent: consoleReporter() })`.
 */
export function consoleReporter(options: ConsoleReporterOptions = {}): ConsoleReporter {
  const stream = options.stream ?? process.stderr;
  const mode = options.mode === undefined || options.mode === "auto" ? autoMode(stream) : options.mode;
  const color = options.color ?? (mode === "live" && !process.env.NO_COLOR);
  const now = options.now ?? Date.now;
  const summary: ReporterSummary = { completed: 0, replayed: 0, retries: 0, failed: 0 };

  // The live block: every line printed since the first active run started; tasks point at their line.
  const lines: string[] = [];
  const taskLine = new Map<string, number>();
  const activeRuns = new Set<string>();

  const render = (parts: readonly Part[], indent: number): string => {
    const width = mode === "live" && stream.columns ? stream.columns - 1 - indent : Number.POSITIVE_INFINITY;
    let room = width;
    let out = " ".repeat(indent);
    for (const [text, style] of parts) {
      if (room <= 0) break;
      const cut = [...text].length > room ? `${[...text].slice(0, Math.max(0, room - 1)).join("")}…` : text;
      room -= [...cut].length;
      out += color && style ? `\x1b[${ANSI[style][0]}m${cut}\x1b[${ANSI[style][1]}m` : cut;
    }
    return out;
  };

  const print = (parts: readonly Part[], indent = 0): number => {
    const line = render(parts, indent);
    stream.write(`${line}\n`);
    lines.push(line);
    return lines.length - 1;
  };

  /** A task's line: redrawn in place when it is on screen (live), printed anew otherwise. */
  const showTask = (runId: string, task: TaskEventInfo, parts: readonly Part[], final: boolean): void => {
    const id = `${runId}\u0000${task.id}`;
    if (mode === "plain") {
      if (final) print(parts, 2);
      return;
    }
    const index = taskLine.get(id);
    const distance = index === undefined ? 0 : lines.length - index;
    if (index === undefined || (stream.rows !== undefined && distance >= stream.rows)) {
      taskLine.set(id, print(parts, 2));
      return;
    }
    const line = render(parts, 2);
    lines[index] = line;
    stream.write(`\x1b[${distance}A\r\x1b[2K${line}\x1b[${distance}B\r`);
  };

  const endRun = (runId: string, parts: readonly Part[]): void => {
    print(parts);
    activeRuns.delete(runId);
    if (activeRuns.size === 0) {
      lines.length = 0;
      taskLine.clear();
    }
  };

  const listener = (event: RunEvent): void => {
    if (mode === "quiet") return;
    switch (event.type) {
      case "run.started":
        activeRuns.add(event.runId);
        print([
          [`${event.resumed ? "↻ resuming" : "▶ starting"} run ${event.runId} (${event.jobId})`, "bold"],
        ]);
        return;
      case "task.started":
        showTask(
          event.runId,
          event.task,
          [["…", "cyan"], ...label(event.task), [`  attempt ${event.attempt}`, "dim"]],
          false,
        );
        return;
      case "task.retrying":
        summary.retries++;
        showTask(
          event.runId,
          event.task,
          [
            ["⟳", "yellow"],
            ...label(event.task),
            [`  attempt ${event.attempt} · `, "dim"],
            [`${event.error.type}: ${event.error.message}`, "yellow"],
            [` · retry in ${formatWait(Date.parse(event.retryAt) - now())}`, "dim"],
          ],
          true,
        );
        return;
      case "task.waiting":
        showTask(
          event.runId,
          event.task,
          [
            ["⏸", "magenta"],
            ...label(event.task),
            [`  waiting ${formatWait(Date.parse(event.until) - now())} (until ${event.until})`, "dim"],
          ],
          true,
        );
        return;
      case "task.reconciled":
        showTask(
          event.runId,
          event.task,
          [
            ["?", "yellow"],
            ...label(event.task),
            [`  attempt ${event.attempt} · answer lost, reconciler: ${event.result}`, "dim"],
          ],
          event.result !== "found",
        );
        return;
      case "task.completed": {
        summary.completed++;
        const how = event.reconciled ? " · found by its reconciler" : "";
        showTask(
          event.runId,
          event.task,
          [
            ["✔", "green"],
            ...label(event.task),
            [`  attempt ${event.attempt} · ${formatWait(event.durationMs)}${how}`, "dim"],
          ],
          true,
        );
        if (options.properties) {
          for (const p of event.task.properties) {
            print([[`${p.label}: ${p.text}${p.url ? `  ${p.url}` : ""}`, "dim"]], 6);
          }
        }
        return;
      }
      case "task.failed":
        summary.failed++;
        showTask(
          event.runId,
          event.task,
          [
            ["✖", "red"],
            ...label(event.task),
            [`  attempt ${event.attempt} · `, "dim"],
            [`${event.error.type}: ${event.error.message}`, "red"],
          ],
          true,
        );
        return;
      case "task.cancelled":
        showTask(
          event.runId,
          event.task,
          [["⊘", "yellow"], ...label(event.task), [`  attempt ${event.attempt} · cancelled`, "dim"]],
          true,
        );
        return;
      case "task.replayed":
        summary.replayed++;
        showTask(
          event.runId,
          event.task,
          [
            ["↺", "blue"],
            ...label(event.task),
            [
              `  replayed from the task log${event.status === "failed" ? " (failed)" : ""}, not called again`,
              "dim",
            ],
          ],
          true,
        );
        return;
      case "log": {
        const level = event.level === "info" || event.level === "debug" ? "" : `${event.level}: `;
        print(
          [
            [
              `· ${level}${event.message}`,
              event.level === "error" ? "red" : event.level === "warn" ? "yellow" : "dim",
            ],
          ],
          2,
        );
        return;
      }
      case "run.suspended":
        endRun(event.runId, [[`⏸ run suspended until ${event.resumeAt}`, "magenta"]]);
        return;
      case "run.cancelled":
        endRun(event.runId, [[`⊘ run cancelled after ${formatWait(event.durationMs)}`, "yellow"]]);
        return;
      case "run.completed":
        endRun(event.runId, [[`✔ run completed in ${formatWait(event.durationMs)}`, "green"]]);
        return;
      case "run.failed": {
        // A task's error is on the task's line already; a job that threw outside a task has only this line.
        const what = event.task
          ? `at ${JSON.stringify(event.task.id)} (${event.error.type})`
          : `(${event.error.type}: ${event.error.message})`;
        endRun(event.runId, [
          [`✖ run ${event.runId} (${event.jobId}) failed ${what} in ${formatWait(event.durationMs)}`, "red"],
        ]);
        return;
      }
    }
  };
  return Object.assign(listener, { summary, reportsRunFailures: mode !== "quiet" });
}

function autoMode(stream: ReporterStream): "live" | "plain" {
  return stream.isTTY === true ? "live" : "plain";
}

/** `[acme] Create Widget (add-widget)`: provider, name, and the task's id within the run. */
function label(task: TaskEventInfo): Part[] {
  return [
    [" "],
    ...(task.icon ? [[`[${task.icon}] `, "dim"] as const] : []),
    [task.name],
    [` (${task.id})`, "dim"],
  ];
}

/** A duration for people: `40 ms`, `1.5 s`, `3 min`, `2 h`. */
export function formatWait(ms: number): string {
  const value = Math.max(0, Math.round(ms));
  if (value < 1_000) return `${value} ms`;
  if (value < 60_000) return `${Number((value / 1_000).toFixed(1))} s`;
  if (value < 3_600_000) return `${Math.round(value / 60_000)} min`;
  return `${Math.round(value / 3_600_000)} h`;
}

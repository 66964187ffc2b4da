import { consoleReporter, JobRunner, type RunStatus } from "@autoflow/core";
import { type CliCommand, CliUsageError, integerOption, parseCommandArgs } from "./cli-command";
import { followRun } from "./follow-run";
import { formatRun, formatRunList, runJson } from "./format-runs";
import { openTaskStore } from "./open-task-store";

const STATUSES: readonly RunStatus[] = ["running", "suspended", "completed", "failed", "cancelled"];

/** `autoflow runs [list|show <id>|cancel <id>]`: code jobs' and workflows' runs from the task store `serve` writes to. */
export const runsCommand: CliCommand = {
  name: "runs",
  summary: "List runs, show (or follow) one run's tasks, or cancel a run, in the task store",
  usage: [
    "Usage: autoflow runs [list] [--status <status>] [--job <id>] [--limit <n>] [--json]",
    "       autoflow runs show <run-id> [--json | --follow [--interval <ms>]]",
    "       autoflow runs cancel <run-id>",
    "",
    "Reads the runs of code jobs and workflows (job autoflow.workflow) from the task store serve writes to:",
    "PostgreSQL when DATABASE_URL is set, else the SQLite file (AUTOFLOW_SQLITE_PATH, default",
    "$AUTOFLOW_STATE_DIR/autoflow.db, .autoflow/autoflow.db from where serve runs).",
    "",
    "  list   Runs newest first: status, task count, start, duration, and a failed run's error type and task",
    "  show   One run and each of its tasks: status, attempts, error type and duration; with --follow, its",
    "         progress as it runs (polling the store) until it ends: exit 0 when it completed, 1 otherwise",
    "  cancel Records a cancel in the store: the process running it stops before its next task and the run",
    "         ends cancelled (a suspended run at once); exit 1 when it had already ended. A workflow run's",
    "         listing in the service catches up when its worker stops it; POST /api/runs/:id/cancel does both",
    "",
    "Options:",
    `  --status <status>  list: only runs in this status (${STATUSES.join(", ")})`,
    "  --job <id>         list: only this job's runs",
    "  --limit <n>        list: at most n runs, 1 to 1000 (default 20)",
    "  --json             JSON for scripts: { runs: [...] }, or { run, tasks } with each task's durationMs",
    "  --follow           show: live progress until the run ends",
    "  --interval <ms>    show --follow: how often to poll the store, 100 to 60000 (default 1000)",
    "  -h, --help         This text",
    "",
  ].join("\n"),
  async run(args) {
    const [first, ...rest] = args;
    if (first === "show") return show(rest, this.usage);
    if (first === "cancel") return cancel(rest, this.usage);
    return list(first === "list" ? rest : args, this.usage);
  },
};

async function list(args: readonly string[], usage: string): Promise<number> {
  const { values, positionals } = parseCommandArgs(
    args,
    {
      status: { type: "string" },
      job: { type: "string" },
      limit: { type: "string" },
      json: { type: "boolean" },
    },
    true,
  );
  if (values.help) {
    process.stdout.write(usage);
    return 0;
  }
  if (positionals.length > 0) {
    throw new CliUsageError(
      `unknown runs subcommand "${positionals[0]}" (list, show <run-id> or cancel <run-id>)`,
    );
  }
  const status = values.status;
  if (status !== undefined && !(STATUSES as readonly string[]).includes(status)) {
    throw new CliUsageError(`--status must be one of ${STATUSES.join(", ")}, got "${status}"`);
  }
  const limit = values.limit === undefined ? 20 : integerOption("--limit", values.limit, 1, 1000);
  const store = await openTaskStore();
  try {
    const runs = await store.listRuns({
      limit,
      ...(status !== undefined && { status: status as RunStatus }),
      ...(values.job !== undefined && { jobId: values.job }),
    });
    process.stdout.write(values.json ? `${JSON.stringify({ runs }, null, 2)}\n` : formatRunList(runs));
  } finally {
    await store.close();
  }
  return 0;
}

async function show(args: readonly string[], usage: string): Promise<number> {
  const { values, positionals } = parseCommandArgs(
    args,
    { json: { type: "boolean" }, follow: { type: "boolean" }, interval: { type: "string" } },
    true,
  );
  if (values.help) {
    process.stdout.write(usage);
    return 0;
  }
  const [runId, extra] = positionals;
  if (!runId) throw new CliUsageError("runs show needs a run id: autoflow runs show <run-id>");
  if (extra !== undefined) throw new CliUsageError(`runs show takes one run id, got "${extra}" too`);
  if (values.follow && values.json) throw new CliUsageError("--follow and --json do not go together");
  if (values.interval !== undefined && !values.follow)
    throw new CliUsageError("--interval goes with --follow");
  const intervalMs =
    values.interval === undefined ? 1_000 : integerOption("--interval", values.interval, 100, 60_000);
  const store = await openTaskStore();
  try {
    if (values.follow) {
      const reporter = consoleReporter({ stream: process.stdout });
      const run = await followRun(store, runId, reporter, { intervalMs });
      if (!run) {
        process.stderr.write(`autoflow runs: no run ${runId}\n`);
        return 1;
      }
      return run.run.status === "completed" ? 0 : 1;
    }
    const loaded = await store.loadRun(runId);
    if (!loaded) {
      process.stderr.write(`autoflow runs: no run ${runId}\n`);
      return 1;
    }
    process.stdout.write(values.json ? `${JSON.stringify(runJson(loaded), null, 2)}\n` : formatRun(loaded));
  } finally {
    await store.close();
  }
  return 0;
}

async function cancel(args: readonly string[], usage: string): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, {}, true);
  if (values.help) {
    process.stdout.write(usage);
    return 0;
  }
  const [runId, extra] = positionals;
  if (!runId) throw new CliUsageError("runs cancel needs a run id: autoflow runs cancel <run-id>");
  if (extra !== undefined) throw new CliUsageError(`runs cancel takes one run id, got "${extra}" too`);
  const store = await openTaskStore();
  try {
    const result = await new JobRunner({ store, logger: false, telemetry: false }).cancel(runId);
    switch (result.outcome) {
      case "not_found":
        process.stderr.write(`autoflow runs: no run ${runId}\n`);
        return 1;
      case "finished":
        process.stderr.write(
          `autoflow runs: run ${runId} already ended (${result.status}); nothing to cancel\n`,
        );
        return 1;
      case "cancelled":
        process.stdout.write(`run ${runId} cancelled\n`);
        return 0;
      case "requested":
        process.stdout.write(
          `run ${runId}: cancel recorded; the process running it stops before its next task\n`,
        );
        return 0;
    }
  } finally {
    await store.close();
  }
}

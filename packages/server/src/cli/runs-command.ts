import type { RunStatus } from "@autoflow/core";
import { type CliCommand, CliUsageError, integerOption, parseCommandArgs } from "./cli-command";
import { formatRun, formatRunList, runJson } from "./format-runs";
import { openTaskStore } from "./open-task-store";

const STATUSES: readonly RunStatus[] = ["running", "suspended", "completed", "failed"];

/** `autoflow runs [list|show <id>]`: code jobs' and workflows' runs from the task store `serve` writes to. */
export const runsCommand: CliCommand = {
  name: "runs",
  summary: "List runs, or show one run's tasks, from the task store (SQLite file or DATABASE_URL)",
  usage: [
    "Usage: autoflow runs [list] [--status <status>] [--job <id>] [--limit <n>] [--json]",
    "       autoflow runs show <run-id> [--json]",
    "",
    "Reads the runs of code jobs and workflows (job autoflow.workflow) from the task store serve writes to:",
    "PostgreSQL when DATABASE_URL is set, else the SQLite file (AUTOFLOW_SQLITE_PATH, default",
    "$AUTOFLOW_STATE_DIR/autoflow.db, .autoflow/autoflow.db from where serve runs).",
    "",
    "  list   Runs newest first: status, task count, start, duration, and a failed run's error type and task",
    "  show   One run and each of its tasks: status, attempts, error type and duration",
    "",
    "Options:",
    `  --status <status>  list: only runs in this status (${STATUSES.join(", ")})`,
    "  --job <id>         list: only this job's runs",
    "  --limit <n>        list: at most n runs, 1 to 1000 (default 20)",
    "  --json             JSON for scripts: { runs: [...] }, or { run, tasks } with each task's durationMs",
    "  -h, --help         This text",
    "",
  ].join("\n"),
  async run(args) {
    const [first, ...rest] = args;
    if (first === "show") return show(rest, this.usage);
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
    throw new CliUsageError(`unknown runs subcommand "${positionals[0]}" (list or show <run-id>)`);
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
  const { values, positionals } = parseCommandArgs(args, { json: { type: "boolean" } }, true);
  if (values.help) {
    process.stdout.write(usage);
    return 0;
  }
  const [runId, extra] = positionals;
  if (!runId) throw new CliUsageError("runs show needs a run id: autoflow runs show <run-id>");
  if (extra !== undefined) throw new CliUsageError(`runs show takes one run id, got "${extra}" too`);
  const store = await openTaskStore();
  try {
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

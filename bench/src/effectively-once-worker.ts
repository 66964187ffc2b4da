// One worker process of the "Effectively once" crash trials: runs the crash job (effectively-once-crash-run.ts)
// over the task store the bench names, for every `run <runId> <mark>` line on stdin, and says `started <runId>`
// before and `done <runId> <status>` after. The bench SIGKILLs it at a random moment and hands the run to another
// worker, which resumes it from the task log.
// Environment: EO_STORE (`sqlite` with EO_SQLITE_PATH, or `postgres` with DATABASE_URL and PG_OPTIONS), and
// EO_TARGETS: each provider's emulator access by provider id (JSON), in the run's order.
import { createInterface } from "node:readline";
import { JobRunner, type TaskStore } from "@autoflow/core";
import { SqliteTaskStore } from "@autoflow/core/sqlite";
import { PostgresTaskStore } from "@autoflow/server";
import pg from "pg";
import { crashRunJob } from "./effectively-once-crash-run";
import { loadProviderBench } from "./load-provider-bench";
import type { EmulatorAccess } from "./provider-bench";

const env = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`effectively-once worker: ${name} is not set`);
  return value;
};

async function openStore(): Promise<TaskStore> {
  if (env("EO_STORE") === "sqlite") return new SqliteTaskStore({ path: env("EO_SQLITE_PATH") });
  const pool = new pg.Pool({
    connectionString: env("DATABASE_URL"),
    options: process.env.PG_OPTIONS ?? "",
    max: 2,
  });
  return PostgresTaskStore.open({ pool, skipMigrations: true, endPoolOnClose: true });
}

const store = await openStore();
const targets = Object.entries(JSON.parse(env("EO_TARGETS")) as Record<string, EmulatorAccess>);
const benches = await Promise.all(
  targets.map(async ([id, access]) => {
    const bench = await loadProviderBench(id);
    if (!bench) throw new Error(`effectively-once worker: ${id} has no bench`);
    return { bench, access };
  }),
);
const job = crashRunJob(benches, 10_000);
const runner = new JobRunner({ store });

process.stdout.write("ready\n");
for await (const line of createInterface({ input: process.stdin })) {
  const [command, runId = "", mark = ""] = line.trim().split(" ");
  if (command !== "run") continue;
  process.stdout.write(`started ${runId}\n`);
  let result = await runner.run(job, { runId, payload: { mark } });
  // A retry waiting past the in-process limit suspends the run: this worker resumes it when it is due.
  for (;;) {
    if (result.status !== "suspended") break;
    const wait = Math.max(0, result.resumeAt.getTime() - Date.now());
    await new Promise((resolve) => setTimeout(resolve, wait));
    result = await runner.run(job, { runId, payload: { mark } });
  }
  if (result.status === "failed")
    process.stderr.write(`effectively-once worker: ${runId} failed: ${result.error.message}\n`);
  process.stdout.write(`done ${runId} ${result.status}\n`);
}
await store.close();

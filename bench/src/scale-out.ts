import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { fileURLToPath } from "node:url";
import { JobRunner } from "@autoflow/core";
import {
  createProviderLifecycles,
  createWorkflowService,
  generateVaultKey,
  loadServerConfig,
  openStores,
  PgBossRunQueue,
  PROVIDER_IDS,
  type ProviderLifecycles,
} from "@autoflow/server";
import pg from "pg";
import type { AnyProviderBench, WorkflowStepTarget } from "./provider-bench";
import { firstProviderWith } from "./provider-benches";
import type { BenchContext, BenchSection, SectionResult } from "./section";
import { table } from "./stats";

const DATABASE_URL = process.env.AUTOFLOW_TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";
const workerScript = fileURLToPath(new URL("./scale-out-worker.ts", import.meta.url));
const benchDir = fileURLToPath(new URL("..", import.meta.url));

interface Round {
  workers: number;
  runs: number;
  seconds: number;
  runsPerSecond: number;
}

/** Starts `count` worker processes and waits until each takes runs. */
async function startWorkers(count: number, env: Record<string, string>): Promise<ChildProcess[]> {
  const children = Array.from({ length: count }, () =>
    spawn(process.execPath, ["--import", "tsx", workerScript], {
      cwd: benchDir,
      env: { PATH: process.env.PATH ?? "", ...env },
      stdio: ["ignore", "pipe", "inherit"],
    }),
  );
  await Promise.all(
    children.map(
      (child) =>
        new Promise<void>((resolve, reject) => {
          let out = "";
          child.stdout?.on("data", (chunk: Buffer) => {
            out += chunk.toString();
            if (out.includes("ready")) resolve();
          });
          child.once("exit", (code) => reject(new Error(`a worker exited ${code} before it was ready`)));
        }),
    ),
  );
  return children;
}

async function stopWorkers(children: ChildProcess[]): Promise<void> {
  await Promise.all(
    children.map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null) return resolve();
          child.once("exit", () => resolve());
          child.kill("SIGTERM");
        }),
    ),
  );
}

/**
 * Issue 8 item 6: workflow runs per second with 1, 2 and 4 worker processes on PostgreSQL. Each round queues
 * the same number of one-step runs (the first listed provider's `workflowStep`: one action call to its
 * emulator) through the service's pg-boss queue and times from the first enqueue to the last run recorded
 * completed.
 */
async function run(context: BenchContext): Promise<SectionResult> {
  const representative = await firstProviderWith("workflowStep");
  if (!representative) {
    const why = "no listed provider's bench has `workflowStep`";
    return {
      rows: [],
      markdown: `Not measured: ${why}.`,
      targets: [{ name: "Scale-out runs/s", measured: "-", target: "reported", met: undefined, why }],
    };
  }
  const admin = new pg.Pool({ connectionString: DATABASE_URL, max: 1 });
  try {
    await admin.query("SELECT 1");
  } catch (error) {
    await admin.end();
    const why = `PostgreSQL unreachable at ${DATABASE_URL}: ${error instanceof Error ? error.message : error}`;
    return {
      rows: [],
      markdown: `Not measured: ${why}.`,
      targets: [{ name: "Scale-out runs/s", measured: "-", target: "reported", met: undefined, why }],
    };
  }
  const schema = `autoflow_bench_${randomBytes(5).toString("hex")}`;
  const queueSchema = `${schema}_queue`;
  await admin.query(`CREATE SCHEMA ${schema}`);
  const target = await startStepTarget(representative.id, representative.bench, representative.role);
  const env = {
    NODE_ENV: "test",
    DATABASE_URL,
    AUTOFLOW_VAULT_KEY: generateVaultKey(),
    AUTOFLOW_JWT_SECRET: `bench-${generateVaultKey()}`,
    ...target.env,
    AUTOFLOW_WORKER_CONCURRENCY: "4",
    // One user queues every run of the measurement at once: the per-user in-flight limit (default 100) would
    // refuse most of them, and this section measures workers, not the limit.
    AUTOFLOW_MAX_RUNS_IN_FLIGHT_PER_USER: "100000",
    PG_OPTIONS: `-c search_path=${schema}`,
    QUEUE_SCHEMA: queueSchema,
  };
  const config = loadServerConfig(env, PROVIDER_IDS);
  const stores = await openStores({
    vault: config.vault,
    sqlitePath: ":memory:",
    databaseUrl: DATABASE_URL,
    postgres: { options: env.PG_OPTIONS },
  });
  const queue = await PgBossRunQueue.open({ connectionString: DATABASE_URL, schema: queueSchema });
  const lifecycles = createProviderLifecycles(stores.connections, config.providers);
  // This process only queues: the workers execute.
  const service = createWorkflowService({
    workflows: stores.workflows,
    tasks: stores.tasks,
    runner: new JobRunner({ store: stores.tasks }),
    queue,
    lifecycles,
    limits: config.limits,
  });
  const rounds: Round[] = [];
  try {
    await target.connect(lifecycles, "bench");
    const workflow = await service.create("bench", { steps: [target.step] });
    const runs = context.quick ? 40 : 400;
    const count = async (ids: string[]) =>
      Number(
        (
          await admin.query(
            `SELECT count(*) AS n FROM ${schema}.autoflow_workflow_runs WHERE status = 'completed' AND run_id = ANY($1)`,
            [ids],
          )
        ).rows[0]?.n ?? 0,
      );
    for (const workers of [1, 2, 4]) {
      const children = await startWorkers(workers, env);
      try {
        const started = performance.now();
        const ids: string[] = [];
        for (let n = 0; n < runs; n += 20) {
          const batch = await Promise.all(
            Array.from({ length: Math.min(20, runs - n) }, (_, i) =>
              service.start("bench", workflow.id, { n: n + i }),
            ),
          );
          for (const s of batch) if (s) ids.push(s.runId);
        }
        const deadline = Date.now() + 300_000;
        while ((await count(ids)) < runs) {
          if (Date.now() > deadline)
            throw new Error(`${workers} worker(s): not every run completed in 5 minutes`);
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
        const seconds = (performance.now() - started) / 1000;
        rounds.push({ workers, runs, seconds, runsPerSecond: runs / seconds });
        context.log(
          `${workers} worker(s): ${runs} runs in ${seconds.toFixed(2)} s (${(runs / seconds).toFixed(1)}/s)`,
        );
      } finally {
        await stopWorkers(children);
      }
    }
  } finally {
    await service.close();
    await stores.close();
    await target.stop();
    await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await admin.query(`DROP SCHEMA IF EXISTS ${queueSchema} CASCADE`);
    await admin.end();
  }
  const base = rounds[0]?.runsPerSecond ?? 1;
  const markdown = [
    `Workflow runs (${target.label}) queued through pg-boss on PostgreSQL and executed by`,
    "separate `startWorker` processes (4 runs at a time each). Timed from the first enqueue to the last run recorded",
    "`completed`. The machine has 2 cores shared by the workers, PostgreSQL, the emulator and this process, so more",
    "than 2 workers cannot scale linearly here; the point is that adding workers is safe and does not lose throughput.",
    "",
    table(
      ["Workers", "Runs", "Seconds", "Runs/s", "vs 1 worker"],
      rounds.map((r) => [
        String(r.workers),
        String(r.runs),
        r.seconds.toFixed(2),
        r.runsPerSecond.toFixed(1),
        `${(r.runsPerSecond / base).toFixed(2)}x`,
      ]),
    ),
  ].join("\n");
  return {
    rows: rounds.map((r) => ({ ...r })),
    markdown,
    // The issue sets no target here: the numbers are the finding.
    targets: [],
  };
}

/**
 * The provider's emulator, started, for the one-step workflow: `env` points the service and the workers at
 * its API, `connect` gives `userId` a connection to it (a minted token), under the step's `credentialId`.
 */
async function startStepTarget(id: string, bench: AnyProviderBench, target: WorkflowStepTarget) {
  const emulator = bench.emulator();
  await emulator.start();
  return {
    label: target.label,
    step: target.step,
    // Only the API URL: the runs call the API, and an OAuth app would change the service's configuration.
    env: Object.fromEntries(Object.entries(emulator.env()).filter(([name]) => name.endsWith("_API_URL"))),
    connect: async (lifecycles: ProviderLifecycles, userId: string) => {
      await lifecycles[id]?.connectApiKey({ userId, accessToken: emulator.mintToken() });
    },
    stop: () => emulator.stop(),
  };
}

export const scaleOut: BenchSection = {
  id: "scale-out",
  title: "6. Scale-out: workflow runs/s with 1, 2, 4 workers",
  run,
};

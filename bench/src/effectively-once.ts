import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { defineJob, JobRunner, MemoryTaskStore } from "@autoflow/core";
import { SqliteTaskStore } from "@autoflow/core/sqlite";
import { createTestClock } from "@autoflow/core/testing";
import { PostgresTaskStore } from "@autoflow/server";
import pg from "pg";
import { type StartedProvider, startEmulators } from "./bench-emulators";
import { crashRunSteps, crashRunTargets } from "./effectively-once-crash-run";
import { listedProviderBenches } from "./provider-benches";
import type { BenchContext, BenchSection, SectionResult, TargetResult } from "./section";
import { table } from "./stats";

const DATABASE_URL = process.env.AUTOFLOW_TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";
const workerScript = fileURLToPath(new URL("./effectively-once-worker.ts", import.meta.url));
const benchDir = fileURLToPath(new URL("..", import.meta.url));
const sourcesTsconfig = fileURLToPath(new URL("../tsconfig.sources.json", import.meta.url));
/** The seed of every random choice (which answers hang, when workers die): the same figures run to run. */
export const EFFECTIVELY_ONCE_SEED = 15;
/**
 * Each emulated request waits this long before it is handled, so a kill often lands while a call is in
 * flight.
 */
const CRASH_LATENCY_MS = 15;

/** One case's count of side effects: each trial expects exactly one per side effect. */
export interface EffectsRow {
  part: "answer lost" | "worker killed";
  provider: string;
  task: string;
  idempotency: string;
  store: string;
  trials: number;
  expected: number;
  seen: number;
  duplicated: number;
  lost: number;
  /** Runs that completed; the others failed (visibly, with `outcome_unknown` for an undeclared write). */
  completed: number;
  /**
   * Tasks completed from their reconciler (answer lost), or trials whose kill landed before the run was done.
   */
  reconciled?: number;
  killedMidRun?: number;
}

export interface EffectivelyOnceOptions {
  lostAnswerTrials: number;
  crashTrials: number;
  seed?: number;
  tmpDir: string;
  log: (message: string) => void;
  /** Default: SQLite, and PostgreSQL when reachable. */
  stores?: ("sqlite" | "postgres")[];
}

/** mulberry32: a small seeded generator, so a run's random moments can be reproduced from its seed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const tally = (counts: number[]) => ({
  expected: counts.length,
  seen: counts.reduce((sum, n) => sum + n, 0),
  duplicated: counts.reduce((sum, n) => sum + Math.max(0, n - 1), 0),
  lost: counts.filter((n) => n === 0).length,
});

/**
 * (a) Every listed provider's write cases, `trials` times: the answer lost (reset, or one in five held past a
 * 250 ms deadline).
 */
async function lostAnswers(
  providers: readonly StartedProvider[],
  trials: number,
  random: () => number,
): Promise<EffectsRow[]> {
  const rows: EffectsRow[] = [];
  // Numbers every case across the providers, so each trial's names (`lost-post-<n>`) are its own.
  let index = 0;
  for (const { bench, emulator, access } of providers) {
    for (const write of bench.effectivelyOnce.lostAnswers) {
      const counts: number[] = [];
      let completed = 0;
      let reconciled = 0;
      for (let trial = 0; trial < trials; trial++) {
        const hang = random() < 0.2;
        const setup = await write.prepare(emulator, index * 10_000 + trial);
        emulator.server.faults.loseAnswerNext(1, write.match(setup), hang ? "hang" : "reset");
        const store = new MemoryTaskStore();
        const job = defineJob({
          id: "answer-lost",
          integrations: bench.integrations(access, hang ? 250 : 10_000),
          run: async (_payload, io) => write.call(io, setup),
        });
        // A test clock: retry backoff costs no real time (the emulators keep theirs, within the reconcilers'
        // skew). No logger: a run failing here is an outcome the table counts, not news.
        const result = await new JobRunner({
          store,
          logger: false,
          clock: createTestClock(Date.now()),
          maxInProcessWaitMs: Number.POSITIVE_INFINITY,
        }).run(job);
        emulator.server.faults.clear();
        if (result.status === "completed") completed++;
        const tasks = (await store.loadRun(result.runId))?.tasks ?? [];
        if (tasks.some((t) => t.reconciled)) reconciled++;
        counts.push(write.count(emulator, setup));
      }
      rows.push({
        part: "answer lost",
        provider: bench.name,
        task: write.task,
        idempotency: write.idempotency,
        store: "memory",
        trials,
        ...tally(counts),
        completed,
        reconciled,
      });
      index++;
    }
  }
  return rows;
}

/** A worker process and the lines it has written. */
class Worker {
  readonly lines: string[] = [];
  private waiters: (() => void)[] = [];
  readonly exited: Promise<void>;

  constructor(readonly child: ChildProcess) {
    let partial = "";
    child.stdout?.on("data", (chunk: Buffer) => {
      partial += chunk.toString();
      const parts = partial.split("\n");
      partial = parts.pop() ?? "";
      this.lines.push(...parts);
      for (const wake of this.waiters.splice(0)) wake();
    });
    this.exited = new Promise((resolve) => child.once("exit", () => resolve()));
    void this.exited.then(() => {
      for (const wake of this.waiters.splice(0)) wake();
    });
  }

  /** Waits for a line that starts with `prefix` (from `from` on); undefined if the process exits first. */
  async line(prefix: string, from = 0): Promise<string | undefined> {
    for (;;) {
      const found = this.lines.slice(from).find((l) => l.startsWith(prefix));
      if (found) return found;
      if (this.child.exitCode !== null || this.child.signalCode !== null) return undefined;
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }

  send(line: string): void {
    this.child.stdin?.write(`${line}\n`);
  }
}

async function startWorker(env: Record<string, string>): Promise<Worker> {
  const worker = new Worker(
    spawn(process.execPath, ["--import", "tsx", workerScript], {
      cwd: benchDir,
      // On the workspace sources, as the tests run (tsconfig.sources.json), not on whatever was last built.
      env: { PATH: process.env.PATH ?? "", TSX_TSCONFIG_PATH: sourcesTsconfig, ...env },
      stdio: ["pipe", "pipe", "inherit"],
    }),
  );
  if (!(await worker.line("ready"))) throw new Error("an effectively-once worker exited before it was ready");
  return worker;
}

async function stopWorker(worker: Worker): Promise<void> {
  worker.child.stdin?.end();
  if (worker.child.exitCode === null && worker.child.signalCode === null) worker.child.kill("SIGTERM");
  await worker.exited;
}

/** Runs `runId` on `worker` to the end; the run's final status. */
async function runOn(worker: Worker, runId: string, mark: string): Promise<string> {
  const from = worker.lines.length;
  worker.send(`run ${runId} ${mark}`);
  const done = await worker.line(`done ${runId} `, from);
  if (!done) throw new Error(`the worker died running ${runId}`);
  return done.split(" ")[2] ?? "";
}

/**
 * (b) The crash run (every listed provider's steps, `effectively-once-crash-run.ts`) `trials` times on
 * `store`, with two worker processes: one starts the run and is SIGKILLed at a random moment within its usual
 * duration, the other resumes it from the task log; the killed one is replaced before the next trial, which
 * starts on the other.
 */
async function killedWorkers(
  providers: readonly StartedProvider[],
  store: "sqlite" | "postgres",
  storeEnv: Record<string, string>,
  trials: number,
  random: () => number,
  seed: number,
  log: (message: string) => void,
): Promise<EffectsRow[]> {
  const env = { ...storeEnv, EO_TARGETS: JSON.stringify(crashRunTargets(providers)) };
  const steps = crashRunSteps(providers.map((p) => p.bench));
  for (const { emulator } of providers) emulator.server.faults.latency(CRASH_LATENCY_MS);
  const workers = await Promise.all([startWorker(env), startWorker(env)]);
  const tag = `${store}-${seed}-${randomBytes(3).toString("hex")}`;
  try {
    // The run's usual duration, undisturbed: kills land anywhere within it (and a little after).
    // (The second of two runs: the first pays for the worker's warm-up.)
    await runOn(workers[0] as Worker, `eo-${tag}-warm-up`, `eo-${tag}-warm-up`);
    const started = performance.now();
    await runOn(workers[0] as Worker, `eo-${tag}-calibrate`, `eo-${tag}-calibrate`);
    const window = Math.max(30, (performance.now() - started) * 1.2);
    log(
      `${store}: an undisturbed run takes ${(window / 1.2).toFixed(0)} ms; kills within ${window.toFixed(0)} ms`,
    );
    const perStep: number[][] = steps.map(() => []);
    let completed = 0;
    let killedMidRun = 0;
    for (let trial = 0; trial < trials; trial++) {
      const slot = trial % 2;
      const first = workers[slot] as Worker;
      const second = workers[1 - slot] as Worker;
      const runId = `eo-${tag}-${trial}`;
      const mark = runId;
      const from = first.lines.length;
      first.send(`run ${runId} ${mark}`);
      await first.line(`started ${runId}`, from);
      const delay = random() * window;
      const done = first.line(`done ${runId} `, from);
      const early = await Promise.race([
        done.then(() => true),
        new Promise<false>((resolve) => setTimeout(() => resolve(false), delay)),
      ]);
      if (!early) {
        killedMidRun++;
        first.child.kill("SIGKILL");
        await first.exited;
      }
      const replacement = early ? Promise.resolve(first) : startWorker(env);
      const status = await runOn(second, runId, mark);
      workers[slot] = await replacement;
      if (status === "completed") completed++;
      const effects = providers.flatMap(({ bench, emulator }) =>
        bench.effectivelyOnce.crashRun.count(emulator, mark),
      );
      for (const [step, n] of effects.entries()) perStep[step]?.push(n);
    }
    log(`${store}: ${trials} trials, ${killedMidRun} killed mid-run, ${completed} completed`);
    const counts = perStep.flat();
    return [
      {
        part: "worker killed",
        provider: [...new Set(providers.map((p) => p.bench.name))].join(" + "),
        task: steps.map((s) => s.task).join(" → "),
        idempotency: "reconcile",
        store: store === "sqlite" ? "SQLite" : "PostgreSQL",
        trials,
        ...tally(counts),
        completed,
        killedMidRun,
      },
    ];
  } finally {
    for (const { emulator } of providers) emulator.server.faults.clear();
    await Promise.all(workers.map(stopWorker));
  }
}

/** Opens the store once here (its migrations), and says how the workers reach it. */
async function prepareStore(
  store: "sqlite" | "postgres",
  tmpDir: string,
): Promise<{ env: Record<string, string>; cleanup: () => Promise<void> } | { why: string }> {
  if (store === "sqlite") {
    const path = join(tmpDir, `effectively-once-${randomBytes(4).toString("hex")}.sqlite`);
    await new SqliteTaskStore({ path }).close();
    return { env: { EO_STORE: "sqlite", EO_SQLITE_PATH: path }, cleanup: async () => {} };
  }
  const admin = new pg.Pool({ connectionString: DATABASE_URL, max: 1 });
  try {
    await admin.query("SELECT 1");
  } catch (error) {
    await admin.end();
    return {
      why: `PostgreSQL unreachable at ${DATABASE_URL}: ${error instanceof Error ? error.message : error}`,
    };
  }
  const schema = `autoflow_eo_${randomBytes(5).toString("hex")}`;
  await admin.query(`CREATE SCHEMA ${schema}`);
  const options = `-c search_path=${schema}`;
  const pool = new pg.Pool({ connectionString: DATABASE_URL, options, max: 1 });
  await (await PostgresTaskStore.open({ pool, endPoolOnClose: true })).close();
  return {
    env: { EO_STORE: "postgres", DATABASE_URL, PG_OPTIONS: options },
    cleanup: async () => {
      await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await admin.end();
    },
  };
}

/** Both parts of the measure; rows per case, and why a store could not be measured. */
export async function measureEffectivelyOnce(
  options: EffectivelyOnceOptions,
): Promise<{ rows: EffectsRow[]; notMeasured: string[] }> {
  const seed = options.seed ?? EFFECTIVELY_ONCE_SEED;
  const random = seededRandom(seed);
  const emulators = await startEmulators(await listedProviderBenches());
  const rows: EffectsRow[] = [];
  const notMeasured: string[] = [];
  try {
    if (options.lostAnswerTrials > 0) {
      const lost = await lostAnswers(emulators.providers, options.lostAnswerTrials, random);
      rows.push(...lost);
      options.log(`answer lost: ${lost.length} write tasks x ${options.lostAnswerTrials} trials`);
    }
    for (const store of options.stores ?? (["sqlite", "postgres"] as const)) {
      if (options.crashTrials <= 0) break;
      const prepared = await prepareStore(store, options.tmpDir);
      if ("why" in prepared) {
        notMeasured.push(prepared.why);
        continue;
      }
      try {
        rows.push(
          ...(await killedWorkers(
            emulators.providers,
            store,
            prepared.env,
            options.crashTrials,
            random,
            seed,
            options.log,
          )),
        );
      } finally {
        await prepared.cleanup();
      }
    }
  } finally {
    await emulators.stop();
  }
  return { rows, notMeasured };
}

async function run(context: BenchContext): Promise<SectionResult> {
  // Quick: a smoke run (CI's own sample of 5 + 5 trials is bench/test/effectively-once.test.ts).
  const lostAnswerTrials = context.quick ? 2 : 50;
  const crashTrials = context.quick ? 2 : 50;
  const { rows, notMeasured } = await measureEffectivelyOnce({
    lostAnswerTrials,
    crashTrials,
    tmpDir: context.tmpDir,
    log: context.log,
  });
  const declared = rows.filter((r) => r.idempotency !== "none");
  const lossTable = rows.filter((r) => r.part === "answer lost");
  const crashTable = rows.filter((r) => r.part === "worker killed");
  const targets: TargetResult[] = [];
  for (const store of ["memory", "SQLite", "PostgreSQL"]) {
    const mine = declared.filter((r) => r.store === store);
    if (mine.length === 0) continue;
    const duplicated = mine.reduce((sum, r) => sum + r.duplicated, 0);
    const lost = mine.reduce((sum, r) => sum + r.lost, 0);
    const what = store === "memory" ? "answer lost, declared writes" : `worker killed, ${store}`;
    targets.push({
      name: `Effectively once (${what}): duplicated / lost`,
      measured: `${duplicated} / ${lost}`,
      target: "0 / 0",
      met: duplicated === 0 && lost === 0,
      ...(duplicated + lost > 0 && { why: "a declared task repeated or lost its side effect" }),
    });
  }
  for (const why of notMeasured) {
    targets.push({
      name: "Effectively once (worker killed, PostgreSQL)",
      measured: "-",
      target: "0 / 0",
      met: undefined,
      why,
    });
  }
  const steps = crashRunSteps((await listedProviderBenches()).map((listed) => listed.bench));
  const controls = lossTable.filter((r) => r.idempotency === "none").map((r) => `\`${r.task}\``);
  const markdown = [
    `Seed ${EFFECTIVELY_ONCE_SEED} (mulberry32) for every random choice. Each trial expects each side effect exactly once:`,
    "*duplicated* counts extra copies, *lost* counts side effects that never happened.",
    "",
    `**Answer lost** (${lostAnswerTrials} trials per task): the emulator performs the request, then resets the connection`,
    "before any byte of the answer (or, in about one trial in five, holds it past the client's 250 ms deadline).",
    "`reconciled` counts tasks completed from their reconciler without a second call. The undeclared writes",
    `(idempotency \`none\`: ${controls.join(", ")}) are the control: each must fail visibly (\`outcome_unknown\`), never repeat.`,
    "",
    table(
      [
        "Provider",
        "Task",
        "Idempotency",
        "Trials",
        "Expected",
        "Seen",
        "Duplicated",
        "Lost",
        "Completed",
        "Reconciled",
      ],
      lossTable.map((r) => [
        r.provider,
        `\`${r.task}\``,
        r.idempotency,
        String(r.trials),
        String(r.expected),
        String(r.seen),
        String(r.duplicated),
        String(r.lost),
        String(r.completed),
        String(r.reconciled ?? 0),
      ]),
    ),
    "",
    `**Worker killed** (${crashTrials} trials per store): a ${stepCount(steps.length)}-step run (${steps.map((s) => s.effect).join(", ")})`,
    "on one of two worker processes, SIGKILLed at a random moment within its usual duration (each emulated request",
    `waits ${CRASH_LATENCY_MS} ms first, so kills land mid-call), then resumed from the task log by the other worker;`,
    `the killed worker is replaced before the next trial. Expected: ${steps.length} side effects per trial.`,
    "",
    crashTable.length > 0
      ? table(
          ["Store", "Trials", "Killed mid-run", "Expected", "Seen", "Duplicated", "Lost", "Runs completed"],
          crashTable.map((r) => [
            r.store,
            String(r.trials),
            String(r.killedMidRun ?? 0),
            String(r.expected),
            String(r.seen),
            String(r.duplicated),
            String(r.lost),
            String(r.completed),
          ]),
        )
      : "Not measured.",
    ...notMeasured.map((why) => `\nNot measured: ${why}.`),
  ].join("\n");
  return { rows: rows.map((r) => ({ ...r })), markdown, targets };
}

/** "three" for the report's "a three-step run". */
function stepCount(n: number): string {
  return ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine"][n - 1] ?? String(n);
}

export const effectivelyOnce: BenchSection = {
  id: "effectively-once",
  title: "8. Effectively once: lost answers and killed workers",
  run,
};

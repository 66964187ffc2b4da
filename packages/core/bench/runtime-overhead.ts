// Runtime cost per task, as ratios against the same work done without the runtime, measured in one process.
// `--quick` runs a small version (CI runs it so the benchmark never rots). Usage: pnpm bench [--quick]
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { defineJob, JobRunner, MemoryTaskStore, type TaskStore } from "../src/index";
import { SqliteTaskStore } from "../src/sqlite";

const quick = process.argv.includes("--quick");
const tasks = quick ? 200 : 2_000;
const rounds = quick ? 3 : 7;

/** Simulated provider latency: a real call costs at least a loopback round trip (~100 µs). */
const work = (i: number) =>
  new Promise<{ i: number; ok: true }>((resolve) => setImmediate(() => resolve({ i, ok: true })));

async function direct(): Promise<number> {
  const started = performance.now();
  for (let i = 0; i < tasks; i++) await work(i);
  return performance.now() - started;
}

async function throughRuntime(store: TaskStore): Promise<number> {
  const job = defineJob({
    id: "bench",
    run: async (_p, io) => {
      for (let i = 0; i < tasks; i++) await io.runTask(`t-${i}`, async () => work(i), { params: { i } });
    },
  });
  const started = performance.now();
  await new JobRunner({ store }).run(job);
  return performance.now() - started;
}

async function replay(store: TaskStore, count: number): Promise<number> {
  let resumed = false;
  const job = defineJob({
    id: "replay",
    run: async (_p, io) => {
      for (let i = 0; i < count; i++) await io.runTask(`t-${i}`, async () => work(i));
      if (!resumed) await io.wait("pause", 3_600);
      return io.runTask("first-new-task", async () => performance.now());
    },
  });
  const runner = new JobRunner({ store });
  await runner.run(job, { runId: `replay-${count}` });
  resumed = true;
  const started = performance.now();
  const result = await runner.run(job, { runId: `replay-${count}` });
  if (result.status !== "completed") throw new Error(`replay did not complete: ${result.status}`);
  return (result.output as number) - started;
}

const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;

async function measure(fn: () => Promise<number>): Promise<number> {
  await fn(); // warm-up
  const samples: number[] = [];
  for (let i = 0; i < rounds; i++) samples.push(await fn());
  return median(samples);
}

const dir = mkdtempSync(join(tmpdir(), "autoflow-bench-"));
try {
  const baseline = await measure(direct);
  const memory = await measure(() => throughRuntime(new MemoryTaskStore()));
  let n = 0;
  const sqlite = await measure(() =>
    throughRuntime(new SqliteTaskStore({ path: join(dir, `run-${n++}.db`) })),
  );

  const perCall = (ms: number) => `${((ms / tasks) * 1000).toFixed(1)} µs`;
  console.log(`## Runtime overhead (${tasks} tasks, median of ${rounds}, Node ${process.version})\n`);
  console.log("| how | per task | ratio to direct |");
  console.log("| --- | --- | --- |");
  console.log(`| direct call | ${perCall(baseline)} | 1.00x |`);
  console.log(`| io.runTask, in-memory log | ${perCall(memory)} | ${(memory / baseline).toFixed(2)}x |`);
  console.log(`| io.runTask, SQLite log | ${perCall(sqlite)} | ${(sqlite / baseline).toFixed(2)}x |`);

  const sizes = quick ? [100, 1_000] : [100, 1_000, 10_000];
  console.log("\n## Replay: time to reach the first new task after N completed ones (SQLite)\n");
  console.log("| completed tasks | time | per task |");
  console.log("| --- | --- | --- |");
  for (const size of sizes) {
    const ms = await replay(new SqliteTaskStore({ path: join(dir, `replay-${size}.db`) }), size);
    console.log(`| ${size} | ${ms.toFixed(1)} ms | ${((ms / size) * 1000).toFixed(1)} µs |`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}

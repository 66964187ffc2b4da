import { copyFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import { defineJob, JobRunner } from "@autoflow/core";
import { SqliteTaskStore } from "@autoflow/core/sqlite";
import type { BenchSection, SectionResult, TargetResult } from "./section";
import { median, ms, nowMs, table, us } from "./stats";

/** Growth between sizes counts as linear or better up to this exponent (t ∝ n^k), leaving room for noise. */
const MAX_EXPONENT = 1.1;

/** A job of `count` completed tasks that pauses for an hour, then starts a new task. */
function replayJob(count: number, probe: { resumed: boolean; reachedAt: number }) {
  return defineJob({
    id: "bench-replay",
    run: async (_payload, io) => {
      for (let i = 0; i < count; i++)
        await io.runTask(["task", i], async () => ({ i, ok: true }), { params: { i } });
      if (!probe.resumed) await io.wait("pause", 3_600);
      probe.reachedAt = nowMs();
      await io.runTask("first-new-task", async () => "new");
    },
  });
}

/** Builds a suspended run of `count` tasks in a SQLite file; each sample resumes its own copy of it. */
async function buildLog(path: string, count: number): Promise<void> {
  const store = new SqliteTaskStore({ path });
  try {
    const result = await new JobRunner({ store }).run(replayJob(count, { resumed: false, reachedAt: 0 }), {
      runId: "replay",
    });
    if (result.status !== "suspended") throw new Error(`building the replay log: run ${result.status}`);
  } finally {
    await store.close();
  }
}

async function resumeOnce(source: string, copy: string, count: number): Promise<number> {
  copyFileSync(source, copy);
  if (existsSync(`${source}-wal`)) copyFileSync(`${source}-wal`, `${copy}-wal`);
  const store = new SqliteTaskStore({ path: copy });
  try {
    const probe = { resumed: true, reachedAt: 0 };
    const started = nowMs();
    const result = await new JobRunner({ store }).run(replayJob(count, probe), { runId: "replay" });
    if (result.status !== "completed") throw new Error(`replay run ${result.status}`);
    return probe.reachedAt - started;
  } finally {
    await store.close();
  }
}

/**
 * Item 4: resuming a run from its SQLite task log: time from `runner.run` to the first new task, after
 * N completed tasks (load the log, replay each recorded task), and how that time grows with N.
 */
export const replay: BenchSection = {
  id: "replay",
  title: "4. Replay",
  run: async (context) => {
    const sizes = context.quick ? [100, 1_000] : [100, 1_000, 10_000];
    const samplesPerSize = context.quick ? 3 : 5;
    const rows: { tasks: number; medianMs: number; perTaskUs: number; samples: number[] }[] = [];
    for (const size of sizes) {
      const source = join(context.tmpDir, `replay-${size}.db`);
      await buildLog(source, size);
      const samples: number[] = [];
      for (let s = 0; s < samplesPerSize; s++) {
        samples.push(await resumeOnce(source, join(context.tmpDir, `replay-${size}-${s}.db`), size));
      }
      const medianMs = median(samples);
      rows.push({ tasks: size, medianMs, perTaskUs: (medianMs / size) * 1000, samples });
      context.log(`${size} tasks: ${ms(medianMs)}`);
    }
    const exponents = rows.slice(1).map((row, i) => {
      const previous = rows[i] as (typeof rows)[number];
      return {
        from: previous.tasks,
        to: row.tasks,
        exponent: Math.log(row.medianMs / previous.medianMs) / Math.log(row.tasks / previous.tasks),
      };
    });
    const thousand = rows.find((r) => r.tasks === 1_000);
    const targets: TargetResult[] = exponents.map((e) => {
      const met = e.exponent <= MAX_EXPONENT;
      return {
        name: `replay time growth ${e.from} -> ${e.to} tasks (t ∝ n^k)`,
        measured: `k = ${e.exponent.toFixed(2)}`,
        target: `linear or better (k <= ${MAX_EXPONENT})`,
        met,
        ...(!met && { why: "replay cost per task rises with the log's size" }),
      };
    });
    const markdown = [
      `A run of N completed tasks suspended on \`io.wait\`; each sample resumes its own copy of the SQLite file (median of ${samplesPerSize}). Time is from \`runner.run(job, { runId })\` to the first task that is not in the log: loading the log, then replaying N \`io.runTask\` calls from it.${thousand ? ` With 1,000 tasks: **${ms(thousand.medianMs)}**.` : ""}`,
      "",
      table(
        ["completed tasks", "time to first new task", "per replayed task"],
        rows.map((r) => [r.tasks.toLocaleString("en-US"), ms(r.medianMs), us(r.perTaskUs / 1000)]),
      ),
      "",
      `Growth: ${exponents.map((e) => `${e.from} -> ${e.to}: k = ${e.exponent.toFixed(2)}`).join("; ")} (k = 1 is linear; below 1 the fixed cost of a resume still dominates).`,
    ].join("\n");
    return {
      rows: rows.map(({ samples, ...row }) => ({ ...row, samplesMs: samples })),
      markdown,
      targets,
    } satisfies SectionResult;
  },
};

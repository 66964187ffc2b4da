import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { TASK_OUTPUT_LIMITS } from "../truncate-json";
import { defineJob } from "./job";
import { JobRunner } from "./runner";
import { SqliteTaskStore } from "./sqlite-task-store";

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

const MiB = 1024 * 1024;

describe("task outputs in the task log are bounded", () => {
  it("stores a 20 MiB answer cut with a marker, and the job sees the same value on the first run and on replay", async () => {
    const dir = mkdtempSync(join(tmpdir(), "autoflow-output-bounds-"));
    dirs.push(dir);
    const path = join(dir, "tasks.db");
    const store = new SqliteTaskStore({ path });
    const seen: string[] = [];
    let fetches = 0;
    let crash = true;
    const job = defineJob({
      id: "big-answer",
      run: async (_payload, io) => {
        const answer = await io.runTask("fetch", async () => {
          fetches += 1;
          return { status: 200, body: "z".repeat(20 * MiB) };
        });
        seen.push(answer.body);
        // The first execution stops here for good, as a process killed after the task was logged would.
        if (crash) await new Promise(() => {});
        return { length: answer.body.length };
      },
    });

    void new JobRunner({ store }).run(job, { runId: "r" });
    while (seen.length === 0) await new Promise((resolve) => setTimeout(resolve, 10));
    crash = false;
    const replayed = await new JobRunner({ store }).run(job, { runId: "r" });

    expect(fetches).toBe(1);
    expect(seen).toHaveLength(2);
    expect(seen[1]).toBe(seen[0]);
    const cutBytes = 20 * MiB - TASK_OUTPUT_LIMITS.maxStringBytes;
    expect(seen[0]).toBe(`${"z".repeat(TASK_OUTPUT_LIMITS.maxStringBytes)}…[truncated ${cutBytes} bytes]`);
    expect(replayed).toMatchObject({ status: "completed" });

    const stored = (await store.loadRun("r"))?.tasks.find((task) => task.id === "fetch");
    expect(stored?.output).toEqual({ status: 200, body: seen[0] });
    await store.close();
    // The whole database holds about one cap's worth, not the 20 MiB answer (63 MB before the bound).
    expect(statSync(path).size).toBeLessThan(4 * MiB);
  });

  it("bounds a run's own output, which repeats every task's", async () => {
    const runner = new JobRunner();
    const job = defineJob({
      id: "many-outputs",
      run: async (_payload, io) => {
        const outputs: string[] = [];
        for (let i = 0; i < 8; i++) outputs.push(await io.runTask(`step-${i}`, async () => "y".repeat(MiB)));
        return outputs;
      },
    });
    const result = await runner.run(job, { runId: "many" });
    expect(result.status).toBe("completed");
    const output = result.status === "completed" ? result.output : [];
    expect(JSON.stringify(output).length).toBeLessThan(TASK_OUTPUT_LIMITS.maxTotalBytes + 1024);
    expect(output.at(-1)).toMatch(/…\[truncated \d+ (bytes|items)\]$/);
    expect((await runner.store.loadRun("many"))?.run.output).toEqual(output);
  });
});

import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { SqliteTaskStore } from "../src/sqlite";

const fixture = fileURLToPath(new URL("./__fixtures__/crash-job.ts", import.meta.url));

function runJob(dir: string, env: Record<string, string> = {}) {
  return spawnSync(
    process.execPath,
    ["--import", "tsx", fixture, join(dir, "log.db"), join(dir, "effects.log"), "order-run"],
    {
      cwd: fileURLToPath(new URL("..", import.meta.url)),
      env: { ...process.env, ...env },
      encoding: "utf8",
    },
  );
}

describe("a run that crashes half-way", () => {
  it("resumes from the SQLite task log in a new process without repeating completed tasks", async () => {
    const dir = mkdtempSync(join(tmpdir(), "autoflow-crash-"));

    const crashed = runJob(dir, { CRASH_AFTER_TASK: "2" });
    expect(crashed.status, crashed.stderr).toBe(86);
    const afterCrash = readFileSync(join(dir, "effects.log"), "utf8").trim().split("\n");
    expect(afterCrash.map((line) => line.split(" ")[0])).toEqual(["reserve", "charge"]);

    const resumed = runJob(dir);
    expect(resumed.status, resumed.stderr).toBe(0);
    expect(JSON.parse(resumed.stdout)).toEqual({
      runId: "order-run",
      status: "completed",
      output: ["reserve:o-1", "charge:o-1", "ship:o-1", "notify:o-1"],
    });

    const effects = readFileSync(join(dir, "effects.log"), "utf8").trim().split("\n");
    expect(effects.map((line) => line.split(" ")[0])).toEqual(["reserve", "charge", "ship", "notify"]);
    expect(new Set(effects.map((line) => line.split(" ")[1])).size).toBe(4);

    const store = new SqliteTaskStore({ path: join(dir, "log.db") });
    const loaded = await store.loadRun("order-run");
    await store.close();
    expect(loaded?.run.status).toBe("completed");
    expect(loaded?.tasks.map((t) => [t.id, t.status, t.attempts])).toEqual([
      ["reserve", "completed", 1],
      ["charge", "completed", 1],
      ["ship", "completed", 1],
      ["notify", "completed", 1],
    ]);
  });
});

import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { DatabaseSync } from "node:sqlite";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { describeTaskStore } from "../testing/task-store-suite";
import { runMigrations, type SqliteMigration, TASK_STORE_MIGRATIONS } from "./sqlite-migrations";
import { SqliteTaskStore } from "./sqlite-task-store";
import type { RunRecord, TaskRecord } from "./task-store";

const tempDirs: string[] = [];

function tempPath(file = "autoflow.db"): string {
  const dir = mkdtempSync(join(tmpdir(), "autoflow-sqlite-"));
  tempDirs.push(dir);
  return join(dir, file);
}

afterAll(() => {
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});

describeTaskStore("SqliteTaskStore", () => new SqliteTaskStore({ path: tempPath() }));

const createdAt = "2025-01-15T12:00:00.000Z";
const run: RunRecord = { id: "run-1", jobId: "job-1", status: "running", createdAt, updatedAt: createdAt };
const task: TaskRecord = {
  runId: "run-1",
  id: "step",
  key: "step",
  idempotencyKey: "run-1:step",
  name: "test.step",
  status: "completed",
  output: { ok: true },
  attempts: 1,
  startedAt: createdAt,
  sequence: 0,
};

function appliedVersions(path: string): number[] {
  const db = new DatabaseSync(path, { readOnly: true });
  try {
    return db
      .prepare("SELECT version FROM schema_migrations ORDER BY version")
      .all()
      .map((row) => Number(row.version));
  } finally {
    db.close();
  }
}

describe("SqliteTaskStore", () => {
  it("keeps data across close and reopen", async () => {
    const path = tempPath();
    const first = new SqliteTaskStore({ path });
    await first.saveRun(run);
    await first.saveTask(task);
    await first.close();

    const second = new SqliteTaskStore({ path });
    expect(await second.loadRun(run.id)).toStrictEqual({ run, tasks: [task] });
    await second.close();
  });

  it("records migrations once and does not rerun them on reopen", async () => {
    const path = tempPath();
    await new SqliteTaskStore({ path }).close();
    await new SqliteTaskStore({ path }).close();
    expect(appliedVersions(path)).toEqual(TASK_STORE_MIGRATIONS.map((migration) => migration.version));
  });

  it("reads rows written before migration 6 (no attempt history, no resumedAt) as they were", async () => {
    const path = tempPath();
    const db = new DatabaseSync(path);
    runMigrations(
      db,
      TASK_STORE_MIGRATIONS.filter((migration) => migration.version < 6),
    );
    db.prepare(
      "INSERT INTO autoflow_runs (id, job_id, status, created_at, updated_at) VALUES (?, ?, ?, ?, ?)",
    ).run(run.id, run.jobId, run.status, run.createdAt, run.updatedAt);
    db.prepare(
      `INSERT INTO autoflow_tasks (run_id, id, key, idempotency_key, name, status, output, attempts, started_at, sequence)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      task.runId,
      task.id,
      task.key,
      task.idempotencyKey,
      task.name,
      task.status,
      '{"ok":true}',
      1,
      createdAt,
      0,
    );
    db.close();

    const store = new SqliteTaskStore({ path });
    expect(await store.loadRun(run.id)).toStrictEqual({ run, tasks: [task] });
    await store.close();
    expect(appliedVersions(path)).toEqual(TASK_STORE_MIGRATIONS.map((migration) => migration.version));
  });

  it("applies only pending migrations, each once", () => {
    const db = new DatabaseSync(":memory:");
    const migrations: SqliteMigration[] = [
      { version: 1, name: "one", sql: "CREATE TABLE one (id INTEGER)" },
      { version: 2, name: "two", sql: "CREATE TABLE two (id INTEGER)" },
    ];
    expect(runMigrations(db, migrations.slice(0, 1))).toEqual([1]);
    expect(runMigrations(db, migrations)).toEqual([2]);
    expect(runMigrations(db, migrations)).toEqual([]);
    db.close();
  });

  it("rolls back a failing migration and names it", () => {
    const db = new DatabaseSync(":memory:");
    const broken: SqliteMigration = {
      version: 1,
      name: "half-done",
      sql: "CREATE TABLE kept (id INTEGER); CREATE TABLE kept (id INTEGER);",
    };
    expect(() => runMigrations(db, [broken])).toThrow(/migration 1 \(half-done\) failed/);
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'kept'").get()).toBeUndefined();
    expect(db.prepare("SELECT version FROM schema_migrations").all()).toEqual([]);
    db.close();
  });

  it("rejects migrations out of order", () => {
    const db = new DatabaseSync(":memory:");
    const migrations: SqliteMigration[] = [
      { version: 2, name: "two", sql: "SELECT 1" },
      { version: 1, name: "one", sql: "SELECT 1" },
    ];
    expect(() => runMigrations(db, migrations)).toThrow(/ascending order/);
    db.close();
  });

  it("creates a missing directory", async () => {
    const path = tempPath(join("does", "not", "exist", "autoflow.db"));
    const store = new SqliteTaskStore({ path });
    await store.saveRun(run);
    await store.close();
    expect(existsSync(path)).toBe(true);
  });

  it("opens in WAL mode", async () => {
    const path = tempPath();
    await new SqliteTaskStore({ path }).close();
    const db = new DatabaseSync(path);
    expect(db.prepare("PRAGMA journal_mode").get()).toEqual({ journal_mode: "wal" });
    db.close();
  });

  it("supports an in-memory database", async () => {
    const store = new SqliteTaskStore({ path: ":memory:" });
    await store.saveRun(run);
    expect((await store.loadRun(run.id))?.run).toStrictEqual(run);
    await store.close();
  });

  it("rejects calls after close with a clear error", async () => {
    const store = new SqliteTaskStore({ path: ":memory:" });
    await store.close();
    await store.close();
    await expect(store.loadRun(run.id)).rejects.toThrow(/SqliteTaskStore \(:memory:\) is closed/);
    await expect(store.saveTask(task)).rejects.toThrow(/closed/);
  });

  it("lets two processes write to one file at once", async () => {
    const path = tempPath();
    const runId = "shared-run";
    const perWriter = 200;
    const writers = ["a", "b"].map((prefix) => startWriter([path, runId, prefix, String(perWriter)]));

    await Promise.all(writers.map((writer) => writer.ready));
    for (const writer of writers) writer.child.stdin?.write("go\n");
    const results = await Promise.all(writers.map((writer) => writer.exit));

    for (const result of results) {
      expect(result.stderr).not.toMatch(/SQLITE_BUSY|database is locked/);
      expect(result).toMatchObject({ code: 0, stdout: "ready\ndone\n" });
    }
    const store = new SqliteTaskStore({ path });
    const loaded = await store.loadRun(runId);
    await store.close();
    expect(loaded?.tasks).toHaveLength(2 * perWriter);
    const expectedIds = ["a", "b"].flatMap((prefix) =>
      Array.from({ length: perWriter }, (_, i) => `${prefix}-${i}`),
    );
    expect(new Set(loaded?.tasks.map((t) => t.id))).toEqual(new Set(expectedIds));
    expect(appliedVersions(path)).toEqual(TASK_STORE_MIGRATIONS.map((migration) => migration.version));
  });
});

const writerScript = fileURLToPath(new URL("../../test/__fixtures__/sqlite-writer.ts", import.meta.url));
const packageDir = fileURLToPath(new URL("../..", import.meta.url));

interface WriterResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

function startWriter(args: string[]): {
  child: ChildProcess;
  ready: Promise<void>;
  exit: Promise<WriterResult>;
} {
  // cwd is the package, so `--import tsx` resolves from the workspace's node_modules.
  const child = spawn(process.execPath, ["--import", "tsx", writerScript, ...args], {
    cwd: packageDir,
    stdio: ["pipe", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
    stdout += chunk;
  });
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
    stderr += chunk;
  });
  const exit = new Promise<WriterResult>((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
  const ready = new Promise<void>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout });
    lines.on("line", (line) => {
      if (line === "ready") resolve();
    });
    exit.then((result) => reject(new Error(`writer exited before it was ready: ${result.stderr}`)), reject);
  });
  return { child, ready, exit };
}

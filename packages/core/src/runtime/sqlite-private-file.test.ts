import { chmodSync, mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createPrivateSqliteFile } from "./sqlite-private-file";
import { SqliteTaskStore } from "./sqlite-task-store";

const modeOf = (path: string) => statSync(path).mode & 0o777;

/** Runs `fn` with the most permissive umask, so only an explicit chmod can give owner-only modes. */
function withUmask<T>(mask: number, fn: () => T): T {
  const previous = process.umask(mask);
  try {
    return fn();
  } finally {
    process.umask(previous);
  }
}

const roots: string[] = [];
afterEach(() => {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});
const tempRoot = () => {
  const root = mkdtempSync(join(tmpdir(), "autoflow-modes-"));
  roots.push(root);
  return root;
};

describe("SQLite files are owner-only", () => {
  it("creates the task store's folders 0700 and its database, WAL and shared-memory files 0600 under umask 000", async () => {
    const root = tempRoot();
    const path = join(root, "state", "nested", "autoflow.db");
    const store = withUmask(0, () => new SqliteTaskStore({ path }));
    await store.saveRun({
      id: "run-1",
      jobId: "job",
      status: "running",
      payload: { secret: "kept-in-the-wal" },
      createdAt: "2025-01-01T00:00:00.000Z",
      updatedAt: "2025-01-01T00:00:00.000Z",
    });
    expect(modeOf(join(root, "state"))).toBe(0o700);
    expect(modeOf(join(root, "state", "nested"))).toBe(0o700);
    for (const file of [path, `${path}-wal`, `${path}-shm`]) expect(modeOf(file), file).toBe(0o600);
    await store.close();
  });

  it("tightens a world-readable database and WAL left by an older version, and leaves an existing folder alone", async () => {
    const root = tempRoot();
    chmodSync(root, 0o755);
    const path = join(root, "autoflow.db");
    const first = new SqliteTaskStore({ path });
    await first.close();
    chmodSync(path, 0o644);
    writeFileSync(`${path}-wal`, "");
    chmodSync(`${path}-wal`, 0o644);
    const reopened = withUmask(0, () => new SqliteTaskStore({ path }));
    expect(modeOf(path)).toBe(0o600);
    expect(modeOf(`${path}-wal`)).toBe(0o600);
    expect(modeOf(root)).toBe(0o755);
    await reopened.close();
  });

  it("leaves an in-memory database alone", () => {
    expect(() => createPrivateSqliteFile(":memory:")).not.toThrow();
  });
});

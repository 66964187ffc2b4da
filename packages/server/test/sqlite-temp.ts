import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const dirs: string[] = [];

/** A database path in a fresh temporary directory; `removeTempDirs` deletes them all. */
export function tempSqlitePath(file = "autoflow.db"): string {
  const dir = mkdtempSync(join(tmpdir(), "autoflow-server-"));
  dirs.push(dir);
  return join(dir, file);
}

/** Deletes every directory `tempSqlitePath` made. */
export function removeTempDirs(): void {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
}

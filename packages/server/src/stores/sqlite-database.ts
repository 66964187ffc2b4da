import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { configureSqlite, runMigrations } from "@autoflow/core/sqlite";
import { SQLITE_CONNECTION_MIGRATIONS } from "./sqlite-connection-migrations";

// Same file and convention as core's SqliteTaskStore, so one database holds the whole service.
const DEFAULT_SQLITE_PATH = ".autoflow/autoflow.db";

/**
 * Opens the service's SQLite file (creating its directory) with the settings every store over it shares, and
 * applies the service migrations. `path` is relative to `process.cwd()`; `":memory:"` gives a throwaway database.
 */
export function openServiceDatabase(path = DEFAULT_SQLITE_PATH): { db: DatabaseSync; path: string } {
  const resolved = path === ":memory:" ? path : resolve(process.cwd(), path);
  if (resolved !== ":memory:") mkdirSync(dirname(resolved), { recursive: true });
  const db = new DatabaseSync(resolved);
  try {
    // The task store's settings: wait for other processes' locks, WAL, durable against a process crash.
    configureSqlite(db);
    runMigrations(db, SQLITE_CONNECTION_MIGRATIONS);
  } catch (error) {
    db.close();
    throw error;
  }
  return { db, path: resolved };
}

import { resolve } from "node:path";
import { DatabaseSync } from "node:sqlite";
import {
  configureSqlite,
  createPrivateSqliteFile,
  restrictSqliteSideFiles,
  runMigrations,
} from "@autoflow/core/sqlite";
import { SQLITE_CONNECTION_MIGRATIONS } from "./sqlite-connection-migrations";

// Same file and convention as core's SqliteTaskStore, so one database holds the whole service.
const DEFAULT_SQLITE_PATH = ".autoflow/autoflow.db";

/**
 * Opens the service's SQLite file (creating it 0600 and its missing folders 0700) with the settings every store
 * over it shares, and applies the service migrations. `path` is relative to `process.cwd()`; `":memory:"` gives
 * a throwaway database.
 */
export function openServiceDatabase(path = DEFAULT_SQLITE_PATH): { db: DatabaseSync; path: string } {
  const resolved = path === ":memory:" ? path : resolve(process.cwd(), path);
  // Owner-only (0600 file, 0700 new folders): the file holds vault ciphertexts, run payloads and outputs.
  createPrivateSqliteFile(resolved);
  const db = new DatabaseSync(resolved);
  try {
    // The task store's settings: wait for other processes' locks, WAL, durable against a process crash.
    configureSqlite(db);
    runMigrations(db, SQLITE_CONNECTION_MIGRATIONS);
    restrictSqliteSideFiles(resolved);
  } catch (error) {
    db.close();
    throw error;
  }
  return { db, path: resolved };
}

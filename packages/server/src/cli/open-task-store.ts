import { existsSync } from "node:fs";
import type { TaskStore } from "@autoflow/core";
import { SqliteTaskStore } from "@autoflow/core/sqlite";
import { Pool } from "pg";
import { databaseLocation } from "../config";
import { PostgresTaskStore } from "../stores/postgres-task-store";

const POSTGRES_URL = /^postgres(?:ql)?:\/\//i;

/** The task store `serve` writes to, from the same environment (`DATABASE_URL`, else the SQLite file). */
export async function openTaskStore(env: NodeJS.ProcessEnv = process.env): Promise<TaskStore> {
  const { databaseUrl, sqlitePath } = databaseLocation(env);
  const url = databaseUrl?.trim();
  if (url) {
    if (!POSTGRES_URL.test(url)) throw new Error("DATABASE_URL must start with postgres:// or postgresql://");
    const pool = new Pool({ connectionString: url });
    pool.on("error", () => {});
    try {
      return await PostgresTaskStore.open({ pool, endPoolOnClose: true });
    } catch (error) {
      await pool.end();
      throw error;
    }
  }
  // Opening a missing file would create an empty database: say where runs were looked for instead.
  if (!existsSync(sqlitePath)) {
    throw new Error(
      `no database at ${sqlitePath}: run this where autoflow serve runs, or set AUTOFLOW_SQLITE_PATH (or DATABASE_URL)`,
    );
  }
  return new SqliteTaskStore({ path: sqlitePath });
}

import type { ConnectionStore, TaskStore } from "@autoflow/core";
import { SqliteTaskStore } from "@autoflow/core/sqlite";
import { Pool, type PoolConfig } from "pg";
import type { Vault } from "../vault/vault";
import { PostgresConnectionStore } from "./postgres-connection-store";
import { runPostgresMigrations } from "./postgres-migrations";
import { PostgresTaskStore } from "./postgres-task-store";
import { SqliteConnectionStore } from "./sqlite-connection-store";

const DEFAULT_SQLITE_PATH = ".autoflow/autoflow.db";
const POSTGRES_URL = /^postgres(?:ql)?:\/\//i;

/** Options for `openStores`. */
export interface OpenStoresOptions {
  /** A `postgres://` or `postgresql://` URL selects PostgreSQL; unset or empty selects SQLite. */
  databaseUrl?: string;
  /** The SQLite file, relative to `process.cwd()`. Default `.autoflow/autoflow.db`. */
  sqlitePath?: string;
  vault: Vault;
  /** Extra `pg` pool settings (size, `options: "-c search_path=..."`, ...); the URL still names the server. */
  postgres?: Omit<PoolConfig, "connectionString">;
}

/** The service's stores over one database. */
export interface Stores {
  connections: ConnectionStore;
  tasks: TaskStore;
  kind: "sqlite" | "postgres";
  /** Closes both stores and the database connections. */
  close(): Promise<void>;
}

/**
 * Opens the connection and task stores, migrating the schema: PostgreSQL when `databaseUrl` is a postgres URL,
 * otherwise SQLite at `sqlitePath`. A non-empty URL of any other scheme is an error rather than a silent
 * fallback to SQLite.
 */
export async function openStores(options: OpenStoresOptions): Promise<Stores> {
  const url = options.databaseUrl?.trim();
  if (url) {
    if (!POSTGRES_URL.test(url)) {
      throw new Error(
        "DATABASE_URL must start with postgres:// or postgresql://; leave it unset to use SQLite " +
          `at ${options.sqlitePath ?? DEFAULT_SQLITE_PATH}`,
      );
    }
    return openPostgres(url, options);
  }
  return openSqlite(options);
}

async function openPostgres(url: string, options: OpenStoresOptions): Promise<Stores> {
  const pool = new Pool({ ...options.postgres, connectionString: url });
  // An idle client's error (server restart) would otherwise crash the process; the next query reconnects.
  pool.on("error", () => {});
  try {
    await runPostgresMigrations(pool);
    const shared = { pool, skipMigrations: true };
    const connections = await PostgresConnectionStore.open({ ...shared, vault: options.vault });
    const tasks = await PostgresTaskStore.open(shared);
    return {
      connections,
      tasks,
      kind: "postgres",
      async close() {
        await Promise.all([connections.close(), tasks.close()]);
        await pool.end();
      },
    };
  } catch (error) {
    await pool.end();
    throw error;
  }
}

function openSqlite(options: OpenStoresOptions): Stores {
  const path = options.sqlitePath ?? DEFAULT_SQLITE_PATH;
  const tasks = new SqliteTaskStore({ path });
  let connections: SqliteConnectionStore;
  try {
    connections = new SqliteConnectionStore({ path, vault: options.vault });
  } catch (error) {
    void tasks.close();
    throw error;
  }
  return {
    connections,
    tasks,
    kind: "sqlite",
    async close() {
      await Promise.all([connections.close(), tasks.close()]);
    },
  };
}

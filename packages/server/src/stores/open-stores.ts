import type {
  ConnectionStore,
  CursorStore,
  TaskStore,
  TriggerStateStore,
  WebhookInbox,
} from "@autoflow/core";
import { SqliteTaskStore } from "@autoflow/core/sqlite";
import { Pool, type PoolConfig } from "pg";
import type { Vault } from "../vault/vault";
import { PostgresConnectionStore } from "./postgres-connection-store";
import { runPostgresMigrations } from "./postgres-migrations";
import { PostgresSessionStore } from "./postgres-session-store";
import { PostgresTaskStore } from "./postgres-task-store";
import { PostgresTriggerStore } from "./postgres-trigger-store";
import { PostgresWebhookSecretStore } from "./postgres-webhook-secret-store";
import { PostgresWorkflowStore } from "./postgres-workflow-store";
import type { SessionStore } from "./session-store";
import { SqliteConnectionStore } from "./sqlite-connection-store";
import { SqliteSessionStore } from "./sqlite-session-store";
import { SqliteTriggerStore } from "./sqlite-trigger-store";
import { SqliteWebhookSecretStore } from "./sqlite-webhook-secret-store";
import { SqliteWorkflowStore } from "./sqlite-workflow-store";
import type { WebhookSecretStore } from "./webhook-secret-store";
import type { WorkflowStore } from "./workflow-store";

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
  /** The durable webhook inbox: deliveries are written here before the provider gets its 2xx. */
  inbox: WebhookInbox;
  /** The polling triggers' cursors (the same store object as `inbox`). */
  cursors: CursorStore;
  /** What trigger health needs: last events, polls, renewals and failures (the same store object as `inbox`). */
  triggerStates: TriggerStateStore;
  /** Secrets of webhooks registered per connection, encrypted by the vault. */
  webhookSecrets: WebhookSecretStore;
  /** Workflow definitions, per user. */
  workflows: WorkflowStore;
  /** The dashboard's browser sessions and spent sign-in tokens, shared by every process on the database. */
  sessions: SessionStore;
  kind: "sqlite" | "postgres";
  /** Closes every store and the database connections. */
  close(): Promise<void>;
}

/**
 * Opens the connection, task, trigger (inbox and cursors), webhook-secret, workflow and session stores, migrating the schema: PostgreSQL when `databaseUrl` is a postgres URL,
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
    const triggers = await PostgresTriggerStore.open(shared);
    const webhookSecrets = await PostgresWebhookSecretStore.open({ ...shared, vault: options.vault });
    const workflows = await PostgresWorkflowStore.open(shared);
    const sessions = await PostgresSessionStore.open(shared);
    return {
      connections,
      tasks,
      inbox: triggers,
      cursors: triggers,
      triggerStates: triggers,
      webhookSecrets,
      workflows,
      sessions,
      kind: "postgres",
      async close() {
        await Promise.all([
          connections.close(),
          tasks.close(),
          triggers.close(),
          webhookSecrets.close(),
          workflows.close(),
          sessions.close(),
        ]);
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
  const opened: { close(): Promise<void> }[] = [];
  const open = <T extends { close(): Promise<void> }>(store: T): T => {
    opened.push(store);
    return store;
  };
  const closeAll = async () => {
    await Promise.all(opened.map((store) => store.close()));
  };
  try {
    const tasks = open(new SqliteTaskStore({ path }));
    const connections = open(new SqliteConnectionStore({ path, vault: options.vault }));
    const triggers = open(new SqliteTriggerStore({ path }));
    const webhookSecrets = open(new SqliteWebhookSecretStore({ path, vault: options.vault }));
    const workflows = open(new SqliteWorkflowStore({ path }));
    const sessions = open(new SqliteSessionStore({ path }));
    return {
      connections,
      tasks,
      inbox: triggers,
      cursors: triggers,
      triggerStates: triggers,
      webhookSecrets,
      workflows,
      sessions,
      kind: "sqlite",
      close: closeAll,
    };
  } catch (error) {
    void closeAll();
    throw error;
  }
}

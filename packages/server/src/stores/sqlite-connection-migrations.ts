import type { SqliteMigration } from "@autoflow/core/sqlite";

/**
 * The SQLite connection-store schema, oldest first; append, never edit a shipped one. Versions start at 1001
 * because the task store's migrations share the same `schema_migrations` table in the same file.
 */
export const SQLITE_CONNECTION_MIGRATIONS: readonly SqliteMigration[] = [
  {
    version: 1001,
    name: "create connections and oauth states",
    sql: `
      CREATE TABLE autoflow_connections (
        id TEXT PRIMARY KEY,
        user_id TEXT NOT NULL,
        provider TEXT NOT NULL,
        auth_method TEXT NOT NULL,
        credential_ciphertext TEXT NOT NULL,
        metadata TEXT NOT NULL,
        token_refresh_status TEXT,
        created_at TEXT NOT NULL,
        revoked_at TEXT,
        updated_at TEXT NOT NULL
      );
      CREATE INDEX autoflow_connections_user_provider ON autoflow_connections (user_id, provider, created_at);

      CREATE TABLE autoflow_oauth_states (
        state TEXT PRIMARY KEY,
        user_id TEXT NOT NULL,
        provider TEXT NOT NULL,
        code_verifier_ciphertext TEXT,
        expires_at TEXT NOT NULL,
        used_at TEXT
      );
      CREATE INDEX autoflow_oauth_states_expires_at ON autoflow_oauth_states (expires_at);
    `,
  },
];

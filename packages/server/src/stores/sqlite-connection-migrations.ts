import type { SqliteMigration } from "@autoflow/core/sqlite";

/**
 * The service's SQLite schema beyond the task log (connections, OAuth states, the webhook inbox, trigger
 * cursors, webhook secrets and registrations, workflows, browser sessions), oldest first; append, never edit a shipped one. Versions start at 1001 because the
 * task store's migrations share the same `schema_migrations` table in the same file. Every store over this file
 * runs the whole list, so whichever opens first migrates.
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
  {
    version: 1002,
    name: "create webhook inbox and trigger cursors",
    sql: `
      CREATE TABLE autoflow_webhook_inbox (
        provider TEXT NOT NULL,
        delivery_id TEXT NOT NULL,
        event TEXT NOT NULL,
        action TEXT,
        payload TEXT NOT NULL,
        received_at TEXT NOT NULL,
        dispatched_at TEXT,
        PRIMARY KEY (provider, delivery_id)
      );
      CREATE INDEX autoflow_webhook_inbox_pending ON autoflow_webhook_inbox (received_at)
        WHERE dispatched_at IS NULL;

      CREATE TABLE autoflow_trigger_cursors (
        trigger_id TEXT PRIMARY KEY,
        cursor TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );
    `,
  },
  {
    version: 1003,
    name: "create webhook secrets",
    sql: `
      CREATE TABLE autoflow_webhook_secrets (
        connection_id TEXT NOT NULL,
        secret_id TEXT NOT NULL,
        provider TEXT NOT NULL,
        secret_ciphertext TEXT NOT NULL,
        created_at TEXT NOT NULL,
        PRIMARY KEY (connection_id, secret_id)
      );
    `,
  },
  {
    version: 1004,
    name: "create webhook registrations",
    sql: `
      CREATE TABLE autoflow_webhook_registrations (
        key TEXT PRIMARY KEY,
        provider TEXT NOT NULL,
        connection_id TEXT NOT NULL,
        url TEXT NOT NULL,
        external_id TEXT NOT NULL,
        secret_id TEXT NOT NULL,
        created_at TEXT NOT NULL
      );
    `,
  },
  {
    version: 1005,
    name: "create workflows",
    sql: `
      CREATE TABLE autoflow_workflows (
        id TEXT PRIMARY KEY,
        user_id TEXT NOT NULL,
        definition TEXT NOT NULL,
        created_at TEXT NOT NULL
      );
      CREATE INDEX autoflow_workflows_user ON autoflow_workflows (user_id, created_at);
    `,
  },
  {
    version: 1006,
    name: "workflow triggers, edits and the run index",
    sql: `
      ALTER TABLE autoflow_workflows ADD COLUMN trigger_provider TEXT;
      ALTER TABLE autoflow_workflows ADD COLUMN updated_at TEXT;
      CREATE INDEX autoflow_workflows_trigger ON autoflow_workflows (trigger_provider)
        WHERE trigger_provider IS NOT NULL;
      CREATE TABLE autoflow_workflow_runs (
        run_id TEXT PRIMARY KEY,
        user_id TEXT NOT NULL,
        workflow_id TEXT NOT NULL,
        status TEXT NOT NULL,
        source TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );
      CREATE INDEX autoflow_workflow_runs_user ON autoflow_workflow_runs (user_id, created_at);
      CREATE INDEX autoflow_workflow_runs_status ON autoflow_workflow_runs (status, updated_at);
    `,
  },
  {
    version: 1007,
    name: "delivery auth source and tenant, workflow trigger scope",
    // A workflow with a trigger and no scope (every one stored before this) is paused until it is saved again
    // with its scope checked.
    sql: `
      ALTER TABLE autoflow_webhook_inbox ADD COLUMN auth TEXT;
      ALTER TABLE autoflow_webhook_inbox ADD COLUMN tenant TEXT;
      ALTER TABLE autoflow_workflows ADD COLUMN trigger_scope TEXT;
    `,
  },
  {
    version: 1008,
    name: "delivery attempts and dead letters",
    // A delivery whose dispatch failed waits for retry_at; after its last allowed attempt dead_at is set and it
    // leaves the pending set until someone retries it.
    sql: `
      ALTER TABLE autoflow_webhook_inbox ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE autoflow_webhook_inbox ADD COLUMN retry_at TEXT;
      ALTER TABLE autoflow_webhook_inbox ADD COLUMN last_error TEXT;
      ALTER TABLE autoflow_webhook_inbox ADD COLUMN dead_at TEXT;
      DROP INDEX autoflow_webhook_inbox_pending;
      CREATE INDEX autoflow_webhook_inbox_pending ON autoflow_webhook_inbox (received_at)
        WHERE dispatched_at IS NULL AND dead_at IS NULL;
      CREATE INDEX autoflow_webhook_inbox_dead ON autoflow_webhook_inbox (dead_at) WHERE dead_at IS NOT NULL;
    `,
  },
  {
    version: 1009,
    name: "connections keep their masked token in clear",
    // Listing a connection whose credential can no longer be decrypted still shows its tokenMasked. Rows from
    // before stay NULL until a read or reencrypt that can decrypt them fills it in.
    sql: "ALTER TABLE autoflow_connections ADD COLUMN token_masked TEXT;",
  },
  {
    version: 1010,
    name: "trigger states and subscription intents",
    // A registration is recorded `pending` before its hook is created (a crash leaves the intent, which the next
    // start adopts or completes) and keyed per connection (two users' workflows on one repository get a hook
    // each). Trigger states hold what health needs: last event, last success and failure, expiry, gaps.
    sql: `
      ALTER TABLE autoflow_webhook_registrations ADD COLUMN status TEXT NOT NULL DEFAULT 'active';
      UPDATE autoflow_webhook_registrations SET key = key || '#' || connection_id;
      CREATE TABLE autoflow_trigger_states (
        id TEXT PRIMARY KEY,
        state TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );
    `,
  },
  {
    version: 1011,
    name: "browser sessions and spent sign-in tokens",
    // Sign-out revokes a session for every process on this file, and a sign-in link is spent once. Only SHA-256
    // hashes of the session ids and sign-in tokens are kept.
    sql: `
      CREATE TABLE autoflow_sign_in_tokens (
        token_hash TEXT PRIMARY KEY,
        expires_at TEXT NOT NULL
      );
      CREATE INDEX autoflow_sign_in_tokens_expires_at ON autoflow_sign_in_tokens (expires_at);

      CREATE TABLE autoflow_browser_sessions (
        id_hash TEXT PRIMARY KEY,
        user_id TEXT NOT NULL,
        created_at TEXT NOT NULL,
        expires_at TEXT NOT NULL,
        revoked_at TEXT
      );
      CREATE INDEX autoflow_browser_sessions_expires_at ON autoflow_browser_sessions (expires_at);
    `,
  },
  {
    version: 1012,
    name: "workflows version counter",
    // Bumped by every statement that writes a workflow, whichever process runs it: the webhook dispatcher caches
    // the triggered workflows and reads this one row to know when its copy is stale.
    sql: `
      CREATE TABLE autoflow_workflows_version (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        version INTEGER NOT NULL
      );
      INSERT INTO autoflow_workflows_version (id, version) VALUES (1, 0);
      CREATE TRIGGER autoflow_workflows_version_insert AFTER INSERT ON autoflow_workflows
        BEGIN UPDATE autoflow_workflows_version SET version = version + 1 WHERE id = 1; END;
      CREATE TRIGGER autoflow_workflows_version_update AFTER UPDATE ON autoflow_workflows
        BEGIN UPDATE autoflow_workflows_version SET version = version + 1 WHERE id = 1; END;
      CREATE TRIGGER autoflow_workflows_version_delete AFTER DELETE ON autoflow_workflows
        BEGIN UPDATE autoflow_workflows_version SET version = version + 1 WHERE id = 1; END;
    `,
  },
];

import type { Pool } from "pg";

/** One PostgreSQL schema change; `version`s are applied in ascending order, each once per schema. */
export interface PostgresMigration {
  version: number;
  name: string;
  sql: string;
}

// First key of the two-key advisory lock: "autoflow" in ASCII. The second is the schema, so services in
// different schemas of one database (and parallel test runs) migrate without waiting on each other.
const MIGRATION_LOCK_CLASS = 0x6175746f;

/**
 * The service schema on PostgreSQL, oldest first: the task store (the same tables as core's SQLite store, JSON
 * in JSONB), the connection store, the webhook inbox, trigger cursors, webhook secrets, webhook registrations, workflows and browser sessions. Append new
 * migrations; never edit or reorder a shipped one. Timestamps are ISO-8601 text in the "C" collation, so they
 * round-trip exactly and sort by time.
 */
export const POSTGRES_MIGRATIONS: readonly PostgresMigration[] = [
  {
    version: 1,
    name: "create runs and tasks",
    sql: `
      CREATE TABLE autoflow_runs (
        id TEXT COLLATE "C" PRIMARY KEY,
        job_id TEXT NOT NULL,
        status TEXT NOT NULL,
        payload JSONB,
        output JSONB,
        error JSONB,
        resume_at TEXT COLLATE "C",
        created_at TEXT COLLATE "C" NOT NULL,
        updated_at TEXT COLLATE "C" NOT NULL
      );
      CREATE INDEX autoflow_runs_due ON autoflow_runs (resume_at, id) WHERE status = 'suspended';

      CREATE TABLE autoflow_tasks (
        run_id TEXT COLLATE "C" NOT NULL,
        id TEXT COLLATE "C" NOT NULL,
        parent_id TEXT,
        key TEXT NOT NULL,
        idempotency_key TEXT NOT NULL,
        name TEXT NOT NULL,
        icon TEXT,
        status TEXT NOT NULL,
        params JSONB,
        output JSONB,
        error JSONB,
        properties JSONB,
        attempts INTEGER NOT NULL,
        retry_at TEXT COLLATE "C",
        started_at TEXT COLLATE "C" NOT NULL,
        completed_at TEXT COLLATE "C",
        sequence INTEGER NOT NULL,
        PRIMARY KEY (run_id, id)
      );
      CREATE INDEX autoflow_tasks_run_id_sequence ON autoflow_tasks (run_id, sequence);
    `,
  },
  {
    version: 2,
    name: "create connections and oauth states",
    sql: `
      CREATE TABLE autoflow_connections (
        id TEXT COLLATE "C" PRIMARY KEY,
        user_id TEXT NOT NULL,
        provider TEXT NOT NULL,
        auth_method TEXT NOT NULL,
        credential_ciphertext TEXT COLLATE "C" NOT NULL,
        metadata JSONB NOT NULL,
        token_refresh_status TEXT,
        created_at TEXT COLLATE "C" NOT NULL,
        revoked_at TEXT COLLATE "C",
        updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
      );
      CREATE INDEX autoflow_connections_user_provider ON autoflow_connections (user_id, provider, created_at, id);

      CREATE TABLE autoflow_oauth_states (
        state TEXT PRIMARY KEY,
        user_id TEXT NOT NULL,
        provider TEXT NOT NULL,
        code_verifier_ciphertext TEXT,
        expires_at TEXT COLLATE "C" NOT NULL,
        used_at TEXT COLLATE "C"
      );
      CREATE INDEX autoflow_oauth_states_expires_at ON autoflow_oauth_states (expires_at);
    `,
  },
  {
    version: 3,
    name: "create webhook inbox and trigger cursors",
    sql: `
      CREATE TABLE autoflow_webhook_inbox (
        provider TEXT COLLATE "C" NOT NULL,
        delivery_id TEXT COLLATE "C" NOT NULL,
        event TEXT NOT NULL,
        action TEXT,
        -- JSON, not JSONB: JSONB refuses an escaped NUL character, and a provider's payload may carry one.
        payload JSON NOT NULL,
        received_at TEXT COLLATE "C" NOT NULL,
        dispatched_at TEXT COLLATE "C",
        -- Orders deliveries received in the same millisecond by arrival.
        sequence BIGINT GENERATED ALWAYS AS IDENTITY,
        PRIMARY KEY (provider, delivery_id)
      );
      CREATE INDEX autoflow_webhook_inbox_pending ON autoflow_webhook_inbox (received_at, sequence)
        WHERE dispatched_at IS NULL;

      CREATE TABLE autoflow_trigger_cursors (
        trigger_id TEXT COLLATE "C" PRIMARY KEY,
        cursor JSONB NOT NULL,
        updated_at TEXT COLLATE "C" NOT NULL
      );
    `,
  },
  {
    version: 4,
    name: "create webhook secrets",
    sql: `
      CREATE TABLE autoflow_webhook_secrets (
        connection_id TEXT COLLATE "C" NOT NULL,
        secret_id TEXT COLLATE "C" NOT NULL,
        provider TEXT NOT NULL,
        secret_ciphertext TEXT COLLATE "C" NOT NULL,
        created_at TEXT COLLATE "C" NOT NULL,
        PRIMARY KEY (connection_id, secret_id)
      );
    `,
  },
  {
    version: 5,
    name: "create webhook registrations",
    sql: `
      CREATE TABLE autoflow_webhook_registrations (
        key TEXT COLLATE "C" PRIMARY KEY,
        provider TEXT NOT NULL,
        connection_id TEXT COLLATE "C" NOT NULL,
        url TEXT NOT NULL,
        external_id TEXT NOT NULL,
        secret_id TEXT COLLATE "C" NOT NULL,
        created_at TEXT COLLATE "C" NOT NULL
      );
    `,
  },
  {
    version: 6,
    name: "create workflows",
    sql: `
      CREATE TABLE autoflow_workflows (
        id TEXT COLLATE "C" PRIMARY KEY,
        user_id TEXT NOT NULL,
        -- JSON, not JSONB: the definition comes back as written (key order, an escaped NUL in a message).
        definition JSON NOT NULL,
        created_at TEXT COLLATE "C" NOT NULL
      );
      CREATE INDEX autoflow_workflows_user ON autoflow_workflows (user_id, created_at);
    `,
  },
  {
    version: 7,
    name: "workflow triggers, edits and the run index",
    sql: `
      ALTER TABLE autoflow_workflows ADD COLUMN trigger_provider TEXT;
      ALTER TABLE autoflow_workflows ADD COLUMN updated_at TEXT COLLATE "C";
      CREATE INDEX autoflow_workflows_trigger ON autoflow_workflows (trigger_provider)
        WHERE trigger_provider IS NOT NULL;
      CREATE TABLE autoflow_workflow_runs (
        run_id TEXT COLLATE "C" PRIMARY KEY,
        user_id TEXT NOT NULL,
        workflow_id TEXT NOT NULL,
        status TEXT NOT NULL,
        source TEXT NOT NULL,
        created_at TEXT COLLATE "C" NOT NULL,
        updated_at TEXT COLLATE "C" NOT NULL
      );
      CREATE INDEX autoflow_workflow_runs_user ON autoflow_workflow_runs (user_id, created_at);
      CREATE INDEX autoflow_workflow_runs_status ON autoflow_workflow_runs (status, updated_at);
    `,
  },
  {
    version: 8,
    name: "delivery auth source and tenant, workflow trigger scope",
    // JSON as text: small values the service writes itself. A workflow with a trigger and no scope (every one
    // stored before this) is paused until it is saved again with its scope checked.
    sql: `
      ALTER TABLE autoflow_webhook_inbox ADD COLUMN auth TEXT;
      ALTER TABLE autoflow_webhook_inbox ADD COLUMN tenant TEXT;
      ALTER TABLE autoflow_workflows ADD COLUMN trigger_scope TEXT;
    `,
  },
  {
    version: 9,
    name: "delivery attempts and dead letters, JSON instead of JSONB",
    // A delivery whose dispatch failed waits for retry_at; after its last allowed attempt dead_at is set and it
    // leaves the pending set until someone retries it. Runs, tasks and cursors move from JSONB to JSON, as the
    // inbox and workflows already are: JSONB refuses a NUL character and unpaired surrogates that a delivery or
    // a run's input may carry, JSON keeps the text as written (and nothing queries inside these columns).
    sql: `
      ALTER TABLE autoflow_webhook_inbox
        ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0,
        ADD COLUMN retry_at TEXT COLLATE "C",
        ADD COLUMN last_error TEXT,
        ADD COLUMN dead_at TEXT COLLATE "C";
      DROP INDEX autoflow_webhook_inbox_pending;
      CREATE INDEX autoflow_webhook_inbox_pending ON autoflow_webhook_inbox (received_at, sequence)
        WHERE dispatched_at IS NULL AND dead_at IS NULL;
      CREATE INDEX autoflow_webhook_inbox_dead ON autoflow_webhook_inbox (dead_at) WHERE dead_at IS NOT NULL;
      ALTER TABLE autoflow_runs
        ALTER COLUMN payload TYPE JSON, ALTER COLUMN output TYPE JSON, ALTER COLUMN error TYPE JSON;
      ALTER TABLE autoflow_tasks
        ALTER COLUMN params TYPE JSON, ALTER COLUMN output TYPE JSON, ALTER COLUMN error TYPE JSON,
        ALTER COLUMN properties TYPE JSON;
      ALTER TABLE autoflow_trigger_cursors ALTER COLUMN cursor TYPE JSON;
    `,
  },
  {
    version: 10,
    name: "connections keep their masked token in clear",
    // Listing a connection whose credential can no longer be decrypted still shows its tokenMasked. Rows from
    // before stay NULL until a read or reencrypt that can decrypt them fills it in.
    sql: "ALTER TABLE autoflow_connections ADD COLUMN token_masked TEXT;",
  },
  {
    version: 11,
    name: "tasks keep their attempt's start and whether they were reconciled",
    // The reconciler of a task whose answer was lost looks for its side effect from the attempt's start on.
    sql: `
      ALTER TABLE autoflow_tasks
        ADD COLUMN attempt_started_at TEXT COLLATE "C",
        ADD COLUMN reconciled BOOLEAN;
    `,
  },
  {
    version: 12,
    name: "trigger states and subscription intents",
    // As SQLite 1010: registrations recorded `pending` before the hook exists and keyed per connection; trigger
    // states for health.
    sql: `
      ALTER TABLE autoflow_webhook_registrations ADD COLUMN status TEXT NOT NULL DEFAULT 'active';
      UPDATE autoflow_webhook_registrations SET key = key || '#' || connection_id;
      CREATE TABLE autoflow_trigger_states (
        id TEXT COLLATE "C" PRIMARY KEY,
        state JSONB NOT NULL,
        updated_at TEXT COLLATE "C" NOT NULL
      );
    `,
  },
  {
    version: 13,
    name: "runs keep the task they failed at, and are listed newest first",
    // As SQLite task store migration 3: listRuns reads newest first, for all runs or one job's.
    sql: `
      ALTER TABLE autoflow_runs ADD COLUMN failed_task JSON;
      CREATE INDEX autoflow_runs_created_at ON autoflow_runs (created_at, id);
      CREATE INDEX autoflow_runs_job_id_created_at ON autoflow_runs (job_id, created_at, id);
    `,
  },
  {
    version: 14,
    name: "runs keep when a cancel was requested",
    // As SQLite task store migration 4.
    sql: 'ALTER TABLE autoflow_runs ADD COLUMN cancel_requested_at TEXT COLLATE "C";',
  },
  {
    version: 15,
    name: "resource mappings: an external record's resource, claimed before it is created",
    // As SQLite task store migration 5.
    sql: `
      CREATE TABLE autoflow_resource_mappings (
        scope TEXT NOT NULL,
        external_id TEXT NOT NULL,
        resource_id TEXT,
        claimant TEXT,
        lease_until TIMESTAMPTZ,
        updated_at TIMESTAMPTZ NOT NULL,
        PRIMARY KEY (scope, external_id)
      );
    `,
  },
  {
    version: 16,
    name: "tasks keep each attempt's error, runs when their execution resumed",
    // As SQLite task store migration 6: a run's timeline shows every failed attempt and which tasks a resumed
    // execution replayed from the log.
    sql: `
      ALTER TABLE autoflow_tasks ADD COLUMN attempt_errors JSON;
      ALTER TABLE autoflow_runs ADD COLUMN resumed_at TEXT COLLATE "C";
    `,
  },
  {
    version: 17,
    name: "browser sessions and spent sign-in tokens",
    // As SQLite migration 1011: sign-out revokes a session for every process, and a sign-in link is spent once
    // across processes. Only SHA-256 hashes of the session ids and sign-in tokens are kept.
    sql: `
      CREATE TABLE autoflow_sign_in_tokens (
        token_hash TEXT COLLATE "C" PRIMARY KEY,
        expires_at TEXT COLLATE "C" NOT NULL
      );
      CREATE INDEX autoflow_sign_in_tokens_expires_at ON autoflow_sign_in_tokens (expires_at);

      CREATE TABLE autoflow_browser_sessions (
        id_hash TEXT COLLATE "C" PRIMARY KEY,
        user_id TEXT NOT NULL,
        created_at TEXT COLLATE "C" NOT NULL,
        expires_at TEXT COLLATE "C" NOT NULL,
        revoked_at TEXT COLLATE "C"
      );
      CREATE INDEX autoflow_browser_sessions_expires_at ON autoflow_browser_sessions (expires_at);
    `,
  },
  {
    version: 18,
    name: "workflows version counter",
    // As SQLite migration 1012: bumped by every statement that writes a workflow, whichever process runs it (a
    // trigger, in the writing transaction), so the webhook dispatcher's cached triggered workflows are revalidated
    // by reading one row. The function is created in the schema being migrated, next to its table.
    sql: `
      CREATE TABLE autoflow_workflows_version (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        version BIGINT NOT NULL
      );
      INSERT INTO autoflow_workflows_version (id, version) VALUES (1, 0);
      CREATE FUNCTION autoflow_bump_workflows_version() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          UPDATE autoflow_workflows_version SET version = version + 1 WHERE id = 1;
          RETURN NULL;
        END
      $$;
      CREATE TRIGGER autoflow_workflows_version AFTER INSERT OR UPDATE OR DELETE ON autoflow_workflows
        FOR EACH STATEMENT EXECUTE FUNCTION autoflow_bump_workflows_version();
    `,
  },
];

/**
 * Applies every migration not yet in `schema_migrations`, each in its own transaction under a transaction-level
 * advisory lock, so processes starting at once apply each migration exactly once. Tables go into the pool's
 * `search_path` schema. Returns the versions this call applied.
 */
export async function runPostgresMigrations(
  pool: Pool,
  migrations: readonly PostgresMigration[] = POSTGRES_MIGRATIONS,
): Promise<number[]> {
  assertOrdered(migrations);
  const applied: number[] = [];
  const client = await pool.connect();
  let failure: Error | undefined;
  try {
    for (const migration of migrations) {
      await client.query("BEGIN");
      try {
        await client.query("SELECT pg_advisory_xact_lock($1, hashtext(current_schema()))", [
          MIGRATION_LOCK_CLASS,
        ]);
        // Under the lock: two processes racing on CREATE TABLE IF NOT EXISTS can otherwise both fail.
        await client.query(
          `CREATE TABLE IF NOT EXISTS schema_migrations (
             version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT now()
           )`,
        );
        const done = await client.query("SELECT 1 FROM schema_migrations WHERE version = $1", [
          migration.version,
        ]);
        if (done.rowCount === 0) {
          await client.query(migration.sql);
          await client.query("INSERT INTO schema_migrations (version, name) VALUES ($1, $2)", [
            migration.version,
            migration.name,
          ]);
          applied.push(migration.version);
        }
        await client.query("COMMIT");
      } catch (error) {
        await client.query("ROLLBACK").catch(() => {});
        failure = new Error(`PostgreSQL migration ${migration.version} (${migration.name}) failed`, {
          cause: error,
        });
        throw failure;
      }
    }
  } finally {
    // Passing the failure discards the connection instead of returning a possibly broken one to the pool.
    client.release(failure);
  }
  return applied;
}

function assertOrdered(migrations: readonly PostgresMigration[]): void {
  let previous = 0;
  for (const { version, name } of migrations) {
    if (!Number.isSafeInteger(version) || version <= previous) {
      throw new Error(
        `PostgreSQL migration "${name}" has version ${version}; versions must be positive integers in ascending order`,
      );
    }
    previous = version;
  }
}

import type { DatabaseSync } from "node:sqlite";

/** One schema change. `version`s are applied in ascending order, each exactly once per database file. */
export interface SqliteMigration {
  version: number;
  name: string;
  sql: string;
}

/**
 * The task store's schema, oldest first. Append new migrations at the end with the next version; never edit
 * or reorder one that has shipped, since existing database files have already recorded it as applied.
 */
export const TASK_STORE_MIGRATIONS: readonly SqliteMigration[] = [
  {
    version: 1,
    name: "create runs and tasks",
    sql: `
      CREATE TABLE autoflow_runs (
        id TEXT PRIMARY KEY,
        job_id TEXT NOT NULL,
        status TEXT NOT NULL,
        payload TEXT,
        output TEXT,
        error TEXT,
        resume_at TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );
      CREATE INDEX autoflow_runs_status_resume_at ON autoflow_runs (status, resume_at);

      CREATE TABLE autoflow_tasks (
        run_id TEXT NOT NULL,
        id TEXT NOT NULL,
        parent_id TEXT,
        key TEXT NOT NULL,
        idempotency_key TEXT NOT NULL,
        name TEXT NOT NULL,
        icon TEXT,
        status TEXT NOT NULL,
        params TEXT,
        output TEXT,
        error TEXT,
        properties TEXT,
        attempts INTEGER NOT NULL,
        retry_at TEXT,
        started_at TEXT NOT NULL,
        completed_at TEXT,
        sequence INTEGER NOT NULL,
        PRIMARY KEY (run_id, id)
      );
      CREATE INDEX autoflow_tasks_run_id_sequence ON autoflow_tasks (run_id, sequence);
    `,
  },
  {
    version: 2,
    name: "tasks keep their attempt's start and whether they were reconciled",
    sql: `
      ALTER TABLE autoflow_tasks ADD COLUMN attempt_started_at TEXT;
      ALTER TABLE autoflow_tasks ADD COLUMN reconciled INTEGER;
    `,
  },
  {
    version: 3,
    name: "runs keep the task they failed at, and are listed newest first",
    // listRuns reads newest first, for all runs or one job's; ISO-8601 text sorts as time.
    sql: `
      ALTER TABLE autoflow_runs ADD COLUMN failed_task TEXT;
      CREATE INDEX autoflow_runs_created_at ON autoflow_runs (created_at, id);
      CREATE INDEX autoflow_runs_job_id_created_at ON autoflow_runs (job_id, created_at, id);
    `,
  },
  {
    version: 4,
    name: "runs keep when a cancel was requested",
    sql: "ALTER TABLE autoflow_runs ADD COLUMN cancel_requested_at TEXT;",
  },
  {
    version: 5,
    name: "resource mappings: an external record's resource, claimed before it is created",
    sql: `
      CREATE TABLE autoflow_resource_mappings (
        scope TEXT NOT NULL,
        external_id TEXT NOT NULL,
        resource_id TEXT,
        claimant TEXT,
        lease_until TEXT,
        updated_at TEXT NOT NULL,
        PRIMARY KEY (scope, external_id)
      );
    `,
  },
  {
    version: 6,
    name: "tasks keep each attempt's error, runs when their execution resumed",
    // A run's timeline shows every failed attempt and which tasks a resumed execution replayed from the log.
    sql: `
      ALTER TABLE autoflow_tasks ADD COLUMN attempt_errors TEXT;
      ALTER TABLE autoflow_runs ADD COLUMN resumed_at TEXT;
    `,
  },
];

/**
 * Applies every migration not yet recorded in `schema_migrations`, each in its own `BEGIN IMMEDIATE`
 * transaction. Safe to call from several processes opening the same file at once. Returns the versions it
 * applied (empty when the schema was already current).
 */
export function runMigrations(db: DatabaseSync, migrations: readonly SqliteMigration[]): number[] {
  assertOrdered(migrations);
  db.exec(
    "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)",
  );
  const isApplied = db.prepare("SELECT 1 AS applied FROM schema_migrations WHERE version = ?");
  const record = db.prepare("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)");
  const applied: number[] = [];
  for (const migration of migrations) {
    // Checked outside a transaction first so an up-to-date open never takes the write lock.
    if (isApplied.get(migration.version) !== undefined) continue;
    db.exec("BEGIN IMMEDIATE");
    try {
      // Checked again under the lock: another process may have applied it while we waited.
      if (isApplied.get(migration.version) === undefined) {
        db.exec(migration.sql);
        record.run(migration.version, migration.name, new Date().toISOString());
        applied.push(migration.version);
      }
      db.exec("COMMIT");
    } catch (error) {
      // SQLite rolls back by itself after some errors (a full disk); a second ROLLBACK would hide the cause.
      if (db.isTransaction) db.exec("ROLLBACK");
      throw new Error(`SQLite migration ${migration.version} (${migration.name}) failed`, { cause: error });
    }
  }
  return applied;
}

function assertOrdered(migrations: readonly SqliteMigration[]): void {
  let previous = 0;
  for (const { version, name } of migrations) {
    if (!Number.isSafeInteger(version) || version <= previous) {
      throw new Error(
        `SQLite migration "${name}" has version ${version}; versions must be positive integers in ascending order`,
      );
    }
    previous = version;
  }
}

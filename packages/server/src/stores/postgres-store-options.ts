import type { Pool } from "pg";

/** Options for the PostgreSQL stores. */
export interface PostgresStoreOptions {
  /** Queries go to its `search_path` schema; set it with `options: "-c search_path=..."` to isolate one. */
  pool: Pool;
  /** End the pool when the store closes. Default false: whoever created the pool ends it. */
  endPoolOnClose?: boolean;
  /** Skip migrations because the caller already ran `runPostgresMigrations` on this pool. */
  skipMigrations?: boolean;
}

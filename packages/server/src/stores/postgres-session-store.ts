import { runPostgresMigrations } from "./postgres-migrations";
import { PostgresStore } from "./postgres-store";
import type { PostgresStoreOptions } from "./postgres-store-options";
import { type BrowserSessionRecord, type SessionStore, secretHash, sessionRowValues } from "./session-store";

/**
 * Browser sessions and spent sign-in tokens on PostgreSQL, as hashes only, shared by every process of the
 * service. Spending a token is one `INSERT ... ON CONFLICT DO NOTHING` on its primary key: a concurrent second
 * insert waits for the first and then inserts nothing, so exactly one caller wins. Open it with `.open`.
 */
export class PostgresSessionStore extends PostgresStore implements SessionStore {
  /** Migrates the schema (unless told not to) and returns the store. */
  static async open(options: PostgresStoreOptions): Promise<PostgresSessionStore> {
    if (!options.skipMigrations) await runPostgresMigrations(options.pool);
    return new PostgresSessionStore(options);
  }

  async spendSignInToken(token: string, expiresAt: Date): Promise<boolean> {
    this.assertOpen();
    const { rowCount } = await this.pool.query(
      `INSERT INTO autoflow_sign_in_tokens (token_hash, expires_at) VALUES ($1, $2)
       ON CONFLICT (token_hash) DO NOTHING`,
      [secretHash(token), expiresAt.toISOString()],
    );
    return rowCount === 1;
  }

  async createSession(session: BrowserSessionRecord): Promise<void> {
    this.assertOpen();
    await this.pool.query(
      `INSERT INTO autoflow_browser_sessions (id_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)`,
      sessionRowValues(session),
    );
  }

  async isSessionActive(id: string, at: Date): Promise<boolean> {
    this.assertOpen();
    const { rowCount } = await this.pool.query(
      `SELECT 1 FROM autoflow_browser_sessions WHERE id_hash = $1 AND revoked_at IS NULL AND expires_at > $2`,
      [secretHash(id), at.toISOString()],
    );
    return rowCount === 1;
  }

  async revokeSession(id: string, at: Date): Promise<void> {
    this.assertOpen();
    await this.pool.query(
      "UPDATE autoflow_browser_sessions SET revoked_at = $1 WHERE id_hash = $2 AND revoked_at IS NULL",
      [at.toISOString(), secretHash(id)],
    );
  }

  async pruneExpired(at: Date): Promise<number> {
    this.assertOpen();
    const cutoff = at.toISOString();
    const tokens = await this.pool.query("DELETE FROM autoflow_sign_in_tokens WHERE expires_at <= $1", [
      cutoff,
    ]);
    const sessions = await this.pool.query("DELETE FROM autoflow_browser_sessions WHERE expires_at <= $1", [
      cutoff,
    ]);
    return (tokens.rowCount ?? 0) + (sessions.rowCount ?? 0);
  }
}

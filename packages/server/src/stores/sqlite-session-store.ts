import type { DatabaseSync } from "node:sqlite";
import { type BrowserSessionRecord, type SessionStore, secretHash, sessionRowValues } from "./session-store";
import { openServiceDatabase } from "./sqlite-database";

/** Options for `SqliteSessionStore`. */
export interface SqliteSessionStoreOptions {
  /** Database file, relative to `process.cwd()`. `":memory:"` for a throwaway store. */
  path?: string;
}

/**
 * Browser sessions and spent sign-in tokens in the service's SQLite file, as hashes only. SQLite runs one
 * writer at a time (other processes wait on the lock), so the insert-if-absent that spends a token is atomic.
 */
export class SqliteSessionStore implements SessionStore {
  readonly path: string;
  private readonly db: DatabaseSync;

  constructor(options: SqliteSessionStoreOptions = {}) {
    const opened = openServiceDatabase(options.path);
    this.path = opened.path;
    this.db = opened.db;
  }

  async spendSignInToken(token: string, expiresAt: Date): Promise<boolean> {
    this.assertOpen();
    const { changes } = this.db
      .prepare(
        `INSERT INTO autoflow_sign_in_tokens (token_hash, expires_at) VALUES (?, ?)
         ON CONFLICT (token_hash) DO NOTHING`,
      )
      .run(secretHash(token), expiresAt.toISOString());
    return Number(changes) === 1;
  }

  async createSession(session: BrowserSessionRecord): Promise<void> {
    this.assertOpen();
    this.db
      .prepare(
        `INSERT INTO autoflow_browser_sessions (id_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)`,
      )
      .run(...sessionRowValues(session));
  }

  async isSessionActive(id: string, at: Date): Promise<boolean> {
    this.assertOpen();
    const row = this.db
      .prepare(
        `SELECT 1 AS active FROM autoflow_browser_sessions
         WHERE id_hash = ? AND revoked_at IS NULL AND expires_at > ?`,
      )
      .get(secretHash(id), at.toISOString());
    return row !== undefined;
  }

  async revokeSession(id: string, at: Date): Promise<void> {
    this.assertOpen();
    this.db
      .prepare("UPDATE autoflow_browser_sessions SET revoked_at = ? WHERE id_hash = ? AND revoked_at IS NULL")
      .run(at.toISOString(), secretHash(id));
  }

  async pruneExpired(at: Date): Promise<number> {
    this.assertOpen();
    const cutoff = at.toISOString();
    const tokens = this.db.prepare("DELETE FROM autoflow_sign_in_tokens WHERE expires_at <= ?").run(cutoff);
    const sessions = this.db
      .prepare("DELETE FROM autoflow_browser_sessions WHERE expires_at <= ?")
      .run(cutoff);
    return Number(tokens.changes) + Number(sessions.changes);
  }

  async close(): Promise<void> {
    if (this.db.isOpen) this.db.close();
  }

  private assertOpen(): void {
    if (!this.db.isOpen) {
      throw new Error(`SqliteSessionStore (${this.path}) is closed; open a new store to keep using it`);
    }
  }
}

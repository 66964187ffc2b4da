import type { DatabaseSync, StatementSync } from "node:sqlite";
import type { ConnectionStore, OAuthStateRecord, StoredConnection } from "@autoflow/core";
import type { Vault } from "../vault/vault";
import {
  type ConnectionRow,
  missingTokenMasked,
  type OAuthStateRow,
  rowToConnection,
  rowToOAuthState,
  tokenMaskedOf,
} from "./connection-rows";
import { encryptCodeVerifier, encryptCredential, primaryKeyPattern } from "./credential-codec";
import { openServiceDatabase } from "./sqlite-database";

const CONNECTION_COLUMNS =
  "id, user_id, provider, auth_method, credential_ciphertext, token_masked, metadata, token_refresh_status, " +
  "created_at, revoked_at";
const STATE_COLUMNS = "state, user_id, provider, code_verifier_ciphertext, expires_at, used_at";

/** Options for `SqliteConnectionStore`. */
export interface SqliteConnectionStoreOptions {
  /**
   * Database file, relative to `process.cwd()`; created 0600, its missing folders 0700. `":memory:"` for a
   * throwaway store.
   */
  path?: string;
  /** Encrypts every credential and PKCE verifier before it reaches the file. */
  vault: Vault;
}

/**
 * A `ConnectionStore` in a SQLite file (`node:sqlite`). Credentials are stored only as vault ciphertext bound
 * to the connection id; user, provider, auth method, metadata and timestamps are clear columns.
 */
export class SqliteConnectionStore implements ConnectionStore {
  /** The resolved database file, or `":memory:"`. */
  readonly path: string;
  private readonly vault: Vault;
  private readonly db: DatabaseSync;
  private readonly upsertConnection: StatementSync;
  private readonly updateClearColumns: StatementSync;
  private readonly fillTokenMasked: StatementSync;
  private readonly selectConnection: StatementSync;
  private readonly selectConnections: StatementSync;
  private readonly insertState: StatementSync;
  private readonly claimState: StatementSync;
  private readonly selectState: StatementSync;

  constructor(options: SqliteConnectionStoreOptions) {
    const opened = openServiceDatabase(options.path);
    this.path = opened.path;
    this.db = opened.db;
    this.vault = options.vault;
    try {
      this.upsertConnection = this.db.prepare(
        `INSERT INTO autoflow_connections (${CONNECTION_COLUMNS}, updated_at)
         VALUES ($id, $user_id, $provider, $auth_method, $credential_ciphertext, $token_masked, $metadata,
                 $token_refresh_status, $created_at, $revoked_at, $updated_at)
         ON CONFLICT (id) DO UPDATE SET
           user_id = excluded.user_id, provider = excluded.provider, auth_method = excluded.auth_method,
           credential_ciphertext = excluded.credential_ciphertext, token_masked = excluded.token_masked,
           metadata = excluded.metadata,
           token_refresh_status = excluded.token_refresh_status, created_at = excluded.created_at,
           revoked_at = excluded.revoked_at, updated_at = excluded.updated_at`,
      );
      // A connection whose credential cannot be read keeps its ciphertext: only what is stored in clear changes.
      this.updateClearColumns = this.db.prepare(
        `UPDATE autoflow_connections SET metadata = $metadata, token_refresh_status = $token_refresh_status,
           revoked_at = $revoked_at, updated_at = $updated_at
         WHERE id = $id`,
      );
      this.fillTokenMasked = this.db.prepare(
        "UPDATE autoflow_connections SET token_masked = ? WHERE id = ? AND token_masked IS NULL",
      );
      this.selectConnection = this.db.prepare(
        `SELECT ${CONNECTION_COLUMNS} FROM autoflow_connections WHERE id = ?`,
      );
      this.selectConnections = this.db.prepare(
        `SELECT ${CONNECTION_COLUMNS} FROM autoflow_connections
         WHERE user_id = ? AND provider = ? ORDER BY created_at, id`,
      );
      this.insertState = this.db.prepare(
        `INSERT INTO autoflow_oauth_states (${STATE_COLUMNS})
         VALUES ($state, $user_id, $provider, $code_verifier_ciphertext, $expires_at, $used_at)
         ON CONFLICT (state) DO UPDATE SET
           user_id = excluded.user_id, provider = excluded.provider,
           code_verifier_ciphertext = excluded.code_verifier_ciphertext, expires_at = excluded.expires_at,
           used_at = excluded.used_at`,
      );
      // One statement, so the claim is atomic even across processes sharing the file: only the caller whose
      // UPDATE matched saw the state unused. used_at never changes once set, so a follow-up read is consistent.
      this.claimState = this.db.prepare(
        `UPDATE autoflow_oauth_states SET used_at = ?
         WHERE state = ? AND used_at IS NULL AND expires_at > ? AND (? IS NULL OR user_id = ?)
           AND (? IS NULL OR provider = ?) RETURNING ${STATE_COLUMNS}`,
      );
      this.selectState = this.db.prepare(
        `SELECT ${STATE_COLUMNS} FROM autoflow_oauth_states WHERE state = ?`,
      );
    } catch (error) {
      this.db.close();
      throw error;
    }
  }

  async saveConnection(connection: StoredConnection): Promise<void> {
    this.assertOpen();
    if (connection.needsReauth) {
      this.updateClearColumns.run({
        id: connection.id,
        metadata: JSON.stringify(connection.metadata),
        token_refresh_status: connection.tokenRefreshStatus ?? null,
        revoked_at: connection.revokedAt ?? null,
        updated_at: new Date().toISOString(),
      });
      return;
    }
    this.upsertConnection.run({
      id: connection.id,
      user_id: connection.userId,
      provider: connection.provider,
      auth_method: connection.authMethod,
      credential_ciphertext: encryptCredential(this.vault, connection.id, connection.credential),
      token_masked: tokenMaskedOf(connection),
      metadata: JSON.stringify(connection.metadata),
      token_refresh_status: connection.tokenRefreshStatus ?? null,
      created_at: connection.createdAt,
      revoked_at: connection.revokedAt ?? null,
      updated_at: new Date().toISOString(),
    });
  }

  async getConnection(id: string): Promise<StoredConnection | undefined> {
    this.assertOpen();
    const row = this.selectConnection.get(id) as ConnectionRow | undefined;
    return row && this.toConnection(row);
  }

  async listConnections(userId: string, provider: string): Promise<StoredConnection[]> {
    this.assertOpen();
    const rows = this.selectConnections.all(userId, provider) as unknown as ConnectionRow[];
    return rows.map((row) => this.toConnection(row));
  }

  /** Shapes a row, filling in the clear `token_masked` of a row from before it existed once it decrypts. */
  private toConnection(row: ConnectionRow): StoredConnection {
    const connection = rowToConnection(this.vault, row);
    const tokenMasked = missingTokenMasked(row, connection);
    if (tokenMasked !== undefined) this.fillTokenMasked.run(tokenMasked, row.id);
    return connection;
  }

  async saveOAuthState(record: OAuthStateRecord): Promise<void> {
    this.assertOpen();
    this.insertState.run({
      state: record.state,
      user_id: record.userId,
      provider: record.provider,
      code_verifier_ciphertext:
        record.codeVerifier === undefined
          ? null
          : encryptCodeVerifier(this.vault, record.state, record.codeVerifier),
      expires_at: record.expiresAt,
      used_at: record.usedAt ?? null,
    });
  }

  async consumeOAuthState(
    state: string,
    now: string,
    expectedUserId?: string,
    expectedProvider?: string,
  ): Promise<OAuthStateRecord | undefined> {
    this.assertOpen();
    const user = expectedUserId ?? null;
    const provider = expectedProvider ?? null;
    // Only a matching state is claimed; any other is read back as it is, still usable by its rightful caller.
    const claimed = this.claimState.get(now, state, now, user, user, provider, provider) as
      | OAuthStateRow
      | undefined;
    if (claimed) {
      const record = rowToOAuthState(this.vault, claimed);
      // The caller gets the state as it was before this claim.
      delete record.usedAt;
      return record;
    }
    const row = this.selectState.get(state) as OAuthStateRow | undefined;
    return row && rowToOAuthState(this.vault, row);
  }

  /** Deletes OAuth states that expired before `before` (ISO-8601); returns how many. */
  async pruneOAuthStates(before: string): Promise<number> {
    this.assertOpen();
    const result = this.db.prepare("DELETE FROM autoflow_oauth_states WHERE expires_at < ?").run(before);
    return Number(result.changes);
  }

  /**
   * Re-encrypts every credential not under the vault's primary key (after a key rotation); returns how many.
   * Each row is swapped only if unchanged since it was read, so a concurrent save is never overwritten.
   */
  async reEncryptCredentials(): Promise<number> {
    this.assertOpen();
    const stale = this.db
      .prepare(
        "SELECT id, credential_ciphertext FROM autoflow_connections WHERE credential_ciphertext NOT LIKE ?",
      )
      .all(primaryKeyPattern(this.vault)) as unknown as { id: string; credential_ciphertext: string }[];
    const swap = this.db.prepare(
      "UPDATE autoflow_connections SET credential_ciphertext = ? WHERE id = ? AND credential_ciphertext = ?",
    );
    let migrated = 0;
    for (const row of stale) {
      const fresh = this.vault.reEncrypt(row.credential_ciphertext, row.id);
      migrated += Number(swap.run(fresh, row.id, row.credential_ciphertext).changes);
    }
    // Rows from before `token_masked` get it now, while the key that decrypts them is still configured.
    const unmasked = this.db
      .prepare(`SELECT ${CONNECTION_COLUMNS} FROM autoflow_connections WHERE token_masked IS NULL`)
      .all() as unknown as ConnectionRow[];
    for (const row of unmasked) this.toConnection(row);
    return migrated;
  }

  async close(): Promise<void> {
    if (this.db.isOpen) this.db.close();
  }

  private assertOpen(): void {
    if (!this.db.isOpen) {
      throw new Error(`SqliteConnectionStore (${this.path}) is closed; open a new store to keep using it`);
    }
  }
}

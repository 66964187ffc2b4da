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
import { runPostgresMigrations } from "./postgres-migrations";
import { PostgresStore } from "./postgres-store";
import type { PostgresStoreOptions } from "./postgres-store-options";

const CONNECTION_COLUMNS =
  "id, user_id, provider, auth_method, credential_ciphertext, token_masked, metadata, token_refresh_status, " +
  "created_at, revoked_at";
const STATE_COLUMNS = "state, user_id, provider, code_verifier_ciphertext, expires_at, used_at";

/** Options for `PostgresConnectionStore.open`. */
export interface PostgresConnectionStoreOptions extends PostgresStoreOptions {
  /** Encrypts every credential and PKCE verifier before it is sent to the server. */
  vault: Vault;
}

/**
 * A `ConnectionStore` on PostgreSQL (`pg`), for several service instances sharing one database. Credentials
 * are stored only as vault ciphertext bound to the connection id. Open it with `PostgresConnectionStore.open`.
 */
export class PostgresConnectionStore extends PostgresStore implements ConnectionStore {
  private readonly vault: Vault;

  private constructor(options: PostgresConnectionStoreOptions) {
    super(options);
    this.vault = options.vault;
  }

  /** Migrates the schema (unless told not to) and returns the store. */
  static async open(options: PostgresConnectionStoreOptions): Promise<PostgresConnectionStore> {
    if (!options.skipMigrations) await runPostgresMigrations(options.pool);
    return new PostgresConnectionStore(options);
  }

  async saveConnection(connection: StoredConnection): Promise<void> {
    this.assertOpen();
    if (connection.needsReauth) {
      // The credential cannot be read: its ciphertext stays, only what is stored in clear changes.
      await this.pool.query(
        `UPDATE autoflow_connections SET metadata = $2::jsonb, token_refresh_status = $3, revoked_at = $4,
           updated_at = now()
         WHERE id = $1`,
        [
          connection.id,
          JSON.stringify(connection.metadata),
          connection.tokenRefreshStatus ?? null,
          connection.revokedAt ?? null,
        ],
      );
      return;
    }
    await this.pool.query(
      `INSERT INTO autoflow_connections (${CONNECTION_COLUMNS}, updated_at)
       VALUES ($1, $2, $3, $4, $5, $10, $6::jsonb, $7, $8, $9, now())
       ON CONFLICT (id) DO UPDATE SET
         user_id = excluded.user_id, provider = excluded.provider, auth_method = excluded.auth_method,
         credential_ciphertext = excluded.credential_ciphertext, token_masked = excluded.token_masked,
         metadata = excluded.metadata,
         token_refresh_status = excluded.token_refresh_status, created_at = excluded.created_at,
         revoked_at = excluded.revoked_at, updated_at = excluded.updated_at`,
      [
        connection.id,
        connection.userId,
        connection.provider,
        connection.authMethod,
        encryptCredential(this.vault, connection.id, connection.credential),
        JSON.stringify(connection.metadata),
        connection.tokenRefreshStatus ?? null,
        connection.createdAt,
        connection.revokedAt ?? null,
        tokenMaskedOf(connection),
      ],
    );
  }

  async getConnection(id: string): Promise<StoredConnection | undefined> {
    this.assertOpen();
    const { rows } = await this.pool.query<ConnectionRow>(
      `SELECT ${CONNECTION_COLUMNS} FROM autoflow_connections WHERE id = $1`,
      [id],
    );
    const [row] = rows;
    return row && this.toConnection(row);
  }

  async listConnections(userId: string, provider: string): Promise<StoredConnection[]> {
    this.assertOpen();
    const { rows } = await this.pool.query<ConnectionRow>(
      `SELECT ${CONNECTION_COLUMNS} FROM autoflow_connections
       WHERE user_id = $1 AND provider = $2 ORDER BY created_at, id`,
      [userId, provider],
    );
    return Promise.all(rows.map((row) => this.toConnection(row)));
  }

  /** Shapes a row, filling in the clear `token_masked` of a row from before it existed once it decrypts. */
  private async toConnection(row: ConnectionRow): Promise<StoredConnection> {
    const connection = rowToConnection(this.vault, row);
    const tokenMasked = missingTokenMasked(row, connection);
    if (tokenMasked !== undefined) {
      await this.pool.query(
        "UPDATE autoflow_connections SET token_masked = $1 WHERE id = $2 AND token_masked IS NULL",
        [tokenMasked, row.id],
      );
    }
    return connection;
  }

  async saveOAuthState(record: OAuthStateRecord): Promise<void> {
    this.assertOpen();
    await this.pool.query(
      `INSERT INTO autoflow_oauth_states (${STATE_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (state) DO UPDATE SET
         user_id = excluded.user_id, provider = excluded.provider,
         code_verifier_ciphertext = excluded.code_verifier_ciphertext, expires_at = excluded.expires_at,
         used_at = excluded.used_at`,
      [
        record.state,
        record.userId,
        record.provider,
        record.codeVerifier === undefined
          ? null
          : encryptCodeVerifier(this.vault, record.state, record.codeVerifier),
        record.expiresAt,
        record.usedAt ?? null,
      ],
    );
  }

  async consumeOAuthState(
    state: string,
    now: string,
    expectedUserId?: string,
    expectedProvider?: string,
  ): Promise<OAuthStateRecord | undefined> {
    this.assertOpen();
    // Only a matching state (unexpired, this user and provider when given) is marked used. FOR UPDATE makes
    // concurrent consumers queue on the row; each then reads the committed used_at, so
    // exactly one sees NULL. RETURNING reports the value from before this statement's update.
    const { rows } = await this.pool.query<OAuthStateRow>(
      `WITH previous AS (
         SELECT state, used_at FROM autoflow_oauth_states WHERE state = $1 FOR UPDATE
       )
       UPDATE autoflow_oauth_states AS s
       SET used_at = CASE
         WHEN s.expires_at > $2 AND ($3::text IS NULL OR s.user_id = $3) AND ($4::text IS NULL OR s.provider = $4)
         THEN COALESCE(s.used_at, $2) ELSE s.used_at END
       FROM previous WHERE s.state = previous.state
       RETURNING s.state, s.user_id, s.provider, s.code_verifier_ciphertext, s.expires_at, previous.used_at`,
      [state, now, expectedUserId ?? null, expectedProvider ?? null],
    );
    const [row] = rows;
    return row && rowToOAuthState(this.vault, row);
  }

  /**
   * Holds a session advisory lock on the connection while `fn` runs, so workers on other machines
   * wait instead of refreshing the same token twice (refresh tokens are often single-use).
   */
  async withConnectionLock<T>(connectionId: string, fn: () => Promise<T>): Promise<T> {
    this.assertOpen();
    const client = await this.pool.connect();
    try {
      await client.query("SELECT pg_advisory_lock(hashtext('autoflow.connection'), hashtext($1))", [
        connectionId,
      ]);
      try {
        return await fn();
      } finally {
        await client.query("SELECT pg_advisory_unlock(hashtext('autoflow.connection'), hashtext($1))", [
          connectionId,
        ]);
      }
    } finally {
      client.release();
    }
  }

  /** Deletes OAuth states that expired before `before` (ISO-8601); returns how many. */
  async pruneOAuthStates(before: string): Promise<number> {
    this.assertOpen();
    const result = await this.pool.query("DELETE FROM autoflow_oauth_states WHERE expires_at < $1", [before]);
    return result.rowCount ?? 0;
  }

  /**
   * Re-encrypts every credential not under the vault's primary key (after a key rotation); returns how many.
   * Each row is swapped only if unchanged since it was read, so a concurrent save is never overwritten.
   */
  async reEncryptCredentials(): Promise<number> {
    this.assertOpen();
    const { rows } = await this.pool.query<{ id: string; credential_ciphertext: string }>(
      "SELECT id, credential_ciphertext FROM autoflow_connections WHERE credential_ciphertext NOT LIKE $1",
      [primaryKeyPattern(this.vault)],
    );
    let migrated = 0;
    for (const row of rows) {
      const result = await this.pool.query(
        "UPDATE autoflow_connections SET credential_ciphertext = $1 WHERE id = $2 AND credential_ciphertext = $3",
        [this.vault.reEncrypt(row.credential_ciphertext, row.id), row.id, row.credential_ciphertext],
      );
      migrated += result.rowCount ?? 0;
    }
    // Rows from before `token_masked` get it now, while the key that decrypts them is still configured.
    const unmasked = await this.pool.query<ConnectionRow>(
      `SELECT ${CONNECTION_COLUMNS} FROM autoflow_connections WHERE token_masked IS NULL`,
    );
    for (const row of unmasked.rows) await this.toConnection(row);
    return migrated;
  }
}

import { maskToken, type OAuthStateRecord, type StoredConnection } from "@autoflow/core";
import type { Vault } from "../vault/vault";
import { VaultDecryptError } from "../vault/vault-errors";
import { decryptCodeVerifier, decryptCredential } from "./credential-codec";

// Masks the unknown: what a row from before `token_masked` existed shows once its credential is unreadable.
const UNKNOWN_TOKEN_MASKED = "****";

/** A connection row as both SQL stores read it; `metadata` is JSON text in SQLite, parsed JSONB in PostgreSQL. */
export interface ConnectionRow {
  id: string;
  user_id: string;
  provider: string;
  auth_method: string;
  credential_ciphertext: string;
  /** `maskToken` of the access token, kept in clear so listing needs no decryption; NULL on rows from before it. */
  token_masked: string | null;
  metadata: string | Record<string, unknown>;
  token_refresh_status: string | null;
  created_at: string;
  revoked_at: string | null;
}

/** An OAuth state row as both SQL stores read it. */
export interface OAuthStateRow {
  state: string;
  user_id: string;
  provider: string;
  code_verifier_ciphertext: string | null;
  expires_at: string;
  used_at: string | null;
}

/** The clear `token_masked` value of a credential: written with every save, so it follows refreshed tokens. */
export function tokenMaskedOf(connection: StoredConnection): string {
  return maskToken(connection.credential.accessToken);
}

/**
 * Decrypts and shapes a connection row, leaving out absent optional fields. A credential the vault cannot
 * decrypt (its key is gone, or the row was altered) does not fail the read: the connection comes back with
 * `needsReauth`, an empty credential and the stored `tokenMasked`, so one bad row cannot break a whole listing.
 */
export function rowToConnection(vault: Vault, row: ConnectionRow): StoredConnection {
  let credential: StoredConnection["credential"] | undefined;
  try {
    credential = decryptCredential(vault, row.id, row.credential_ciphertext);
  } catch (error) {
    if (!VaultDecryptError.isInstance(error)) throw error;
  }
  const connection: StoredConnection = {
    id: row.id,
    userId: row.user_id,
    provider: row.provider,
    authMethod: row.auth_method,
    credential: credential ?? { accessToken: "" },
    metadata:
      typeof row.metadata === "string" ? (JSON.parse(row.metadata) as Record<string, unknown>) : row.metadata,
    createdAt: row.created_at,
  };
  if (row.revoked_at !== null) connection.revokedAt = row.revoked_at;
  if (row.token_refresh_status !== null) {
    connection.tokenRefreshStatus = row.token_refresh_status as NonNullable<
      StoredConnection["tokenRefreshStatus"]
    >;
  }
  if (credential === undefined) {
    connection.needsReauth = true;
    connection.tokenMasked = row.token_masked ?? UNKNOWN_TOKEN_MASKED;
  }
  return connection;
}

/** The `token_masked` a readable row from before the column should be given, or `undefined` when it has one. */
export function missingTokenMasked(row: ConnectionRow, connection: StoredConnection): string | undefined {
  return row.token_masked === null && !connection.needsReauth ? tokenMaskedOf(connection) : undefined;
}

/** Decrypts and shapes an OAuth state row, leaving out absent optional fields. */
export function rowToOAuthState(vault: Vault, row: OAuthStateRow): OAuthStateRecord {
  const record: OAuthStateRecord = {
    state: row.state,
    userId: row.user_id,
    provider: row.provider,
    expiresAt: row.expires_at,
  };
  if (row.code_verifier_ciphertext !== null) {
    record.codeVerifier = decryptCodeVerifier(vault, row.state, row.code_verifier_ciphertext);
  }
  if (row.used_at !== null) record.usedAt = row.used_at;
  return record;
}

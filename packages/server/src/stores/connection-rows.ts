import type { OAuthStateRecord, StoredConnection } from "@autoflow/core";
import type { Vault } from "../vault/vault";
import { decryptCodeVerifier, decryptCredential } from "./credential-codec";

/** A connection row as both SQL stores read it; `metadata` is JSON text in SQLite, parsed JSONB in PostgreSQL. */
export interface ConnectionRow {
  id: string;
  user_id: string;
  provider: string;
  auth_method: string;
  credential_ciphertext: string;
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

/** Decrypts and shapes a connection row, leaving out absent optional fields. */
export function rowToConnection(vault: Vault, row: ConnectionRow): StoredConnection {
  const connection: StoredConnection = {
    id: row.id,
    userId: row.user_id,
    provider: row.provider,
    authMethod: row.auth_method,
    credential: decryptCredential(vault, row.id, row.credential_ciphertext),
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
  return connection;
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

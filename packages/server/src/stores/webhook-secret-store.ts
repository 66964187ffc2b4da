import type { Vault } from "../vault/vault";
import { decryptWebhookSecret } from "./credential-codec";

/** One per-connection webhook signing secret, e.g. the generated secret of a GitHub repository hook. */
export interface WebhookSecretRecord {
  connectionId: string;
  /** Unique per connection, e.g. the GitHub hook id; saving the same id again replaces the secret. */
  secretId: string;
  provider: string;
  secret: string;
  /** ISO-8601. */
  createdAt: string;
}

/**
 * Where the secrets of webhooks registered for a connection are kept, encrypted by the vault (never in the
 * clear, never in the connection's credential, so a token refresh cannot drop them). Deliveries to
 * `POST /api/webhooks/:provider/:connectionId` are verified against every secret stored for the connection.
 */
export interface WebhookSecretStore {
  saveSecret(record: WebhookSecretRecord): Promise<void>;
  /** The connection's secrets, oldest first. */
  listSecrets(connectionId: string): Promise<WebhookSecretRecord[]>;
  /** False when there was no such secret. */
  deleteSecret(connectionId: string, secretId: string): Promise<boolean>;
}

/** A `webhook_secrets` row as both databases return it. */
export interface WebhookSecretRow {
  connection_id: string;
  secret_id: string;
  provider: string;
  secret_ciphertext: string;
  created_at: string;
}

/** Decrypts a row; a tampered or moved ciphertext throws `VaultDecryptError`. */
export function rowToSecret(vault: Vault, row: WebhookSecretRow): WebhookSecretRecord {
  return {
    connectionId: row.connection_id,
    secretId: row.secret_id,
    provider: row.provider,
    secret: decryptWebhookSecret(vault, row.connection_id, row.secret_id, row.secret_ciphertext),
    createdAt: row.created_at,
  };
}

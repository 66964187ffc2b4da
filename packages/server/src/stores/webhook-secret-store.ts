import type { Vault } from "../vault/vault";
import { decryptWebhookSecret } from "./credential-codec";

/** One per-connection webhook signing secret, e.g. the generated secret of a repository hook the service registered. */
export interface WebhookSecretRecord {
  connectionId: string;
  /** Unique per connection, e.g. the provider's hook id; saving the same id again replaces the secret. */
  secretId: string;
  provider: string;
  secret: string;
  /** ISO-8601. */
  createdAt: string;
}

/** A provider webhook the service created (or is creating) for a trigger's registration key, and the secret it signs with. */
export interface WebhookRegistrationRecord {
  /**
   * The trigger registration's key and the connection, `<registration key>#<connectionId>` (`registrationRecordKey`):
   * one hook per key and connection.
   */
  key: string;
  provider: string;
  /** The connection whose auth created the hook, and under which its secret is stored. */
  connectionId: string;
  /** Where the hook delivers; a service whose URL changed registers the hook again. */
  url: string;
  /** The provider's id for the hook (its hook id). */
  externalId: string;
  /** The hook's secret in this store, under `connectionId`. */
  secretId: string;
  /** ISO-8601. */
  createdAt: string;
  /**
   * `pending`: recorded before the hook was created, so a crash leaves the intent (the next attempt adopts a hook
   * to our URL, or creates one); `externalId` is empty until it is `active`.
   */
  status: "pending" | "active";
}

/** The record key of a registration with a connection. */
export function registrationRecordKey(registrationKey: string, connectionId: string): string {
  return `${registrationKey}#${connectionId}`;
}

/** The registration key a record key was made from. */
export function registrationKeyOf(recordKey: string): string {
  const at = recordKey.lastIndexOf("#");
  return at < 0 ? recordKey : recordKey.slice(0, at);
}

/**
 * Where the secrets of webhooks registered for a connection are kept (with the registrations that created them), encrypted by the vault (never in the
 * clear, never in the connection's credential, so a token refresh cannot drop them). Deliveries to
 * `POST /api/webhooks/:provider/:connectionId` are verified against every secret stored for the connection.
 */
export interface WebhookSecretStore {
  saveSecret(record: WebhookSecretRecord): Promise<void>;
  /** The connection's secrets, oldest first. */
  listSecrets(connectionId: string): Promise<WebhookSecretRecord[]>;
  /** False when there was no such secret. */
  deleteSecret(connectionId: string, secretId: string): Promise<boolean>;
  /** Saving the same key again replaces the record. */
  saveRegistration(record: WebhookRegistrationRecord): Promise<void>;
  /** Every registration, by key. */
  listRegistrations(): Promise<WebhookRegistrationRecord[]>;
  /** False when there was no such registration. */
  deleteRegistration(key: string): Promise<boolean>;
}

/** A `webhook_registrations` row as both databases return it. */
export interface WebhookRegistrationRow {
  key: string;
  provider: string;
  connection_id: string;
  url: string;
  external_id: string;
  secret_id: string;
  created_at: string;
  status: string;
}

/** The record of a row. */
export function rowToRegistration(row: WebhookRegistrationRow): WebhookRegistrationRecord {
  return {
    key: row.key,
    provider: row.provider,
    connectionId: row.connection_id,
    url: row.url,
    externalId: row.external_id,
    secretId: row.secret_id,
    createdAt: row.created_at,
    status: row.status === "pending" ? "pending" : "active",
  };
}

/** The columns, in the order the stores' INSERT lists them. */
export const REGISTRATION_COLUMNS =
  "key, provider, connection_id, url, external_id, secret_id, created_at, status";

/** A record's values in `REGISTRATION_COLUMNS` order. */
export function registrationValues(record: WebhookRegistrationRecord): string[] {
  return [
    record.key,
    record.provider,
    record.connectionId,
    record.url,
    record.externalId,
    record.secretId,
    record.createdAt,
    record.status,
  ];
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

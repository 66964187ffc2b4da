import type { DatabaseSync } from "node:sqlite";
import type { Vault } from "../vault/vault";
import { encryptWebhookSecret } from "./credential-codec";
import { openServiceDatabase } from "./sqlite-database";
import {
  REGISTRATION_COLUMNS,
  registrationValues,
  rowToRegistration,
  rowToSecret,
  type WebhookRegistrationRecord,
  type WebhookRegistrationRow,
  type WebhookSecretRecord,
  type WebhookSecretRow,
  type WebhookSecretStore,
} from "./webhook-secret-store";

/** Options for `SqliteWebhookSecretStore`. */
export interface SqliteWebhookSecretStoreOptions {
  /** Database file, relative to `process.cwd()`. `":memory:"` for a throwaway store. */
  path?: string;
  vault: Vault;
}

/** Per-connection webhook secrets in the service's SQLite file, as vault ciphertext only, and the registrations that own them. */
export class SqliteWebhookSecretStore implements WebhookSecretStore {
  readonly path: string;
  private readonly db: DatabaseSync;
  private readonly vault: Vault;

  constructor(options: SqliteWebhookSecretStoreOptions) {
    const opened = openServiceDatabase(options.path);
    this.path = opened.path;
    this.db = opened.db;
    this.vault = options.vault;
  }

  async saveSecret(record: WebhookSecretRecord): Promise<void> {
    this.assertOpen();
    this.db
      .prepare(
        `INSERT INTO autoflow_webhook_secrets (connection_id, secret_id, provider, secret_ciphertext, created_at)
         VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (connection_id, secret_id) DO UPDATE SET
           provider = excluded.provider, secret_ciphertext = excluded.secret_ciphertext,
           created_at = excluded.created_at`,
      )
      .run(
        record.connectionId,
        record.secretId,
        record.provider,
        encryptWebhookSecret(this.vault, record.connectionId, record.secretId, record.secret),
        record.createdAt,
      );
  }

  async listSecrets(connectionId: string): Promise<WebhookSecretRecord[]> {
    this.assertOpen();
    const rows = this.db
      .prepare(
        `SELECT connection_id, secret_id, provider, secret_ciphertext, created_at FROM autoflow_webhook_secrets
         WHERE connection_id = ? ORDER BY created_at, secret_id`,
      )
      .all(connectionId) as unknown as WebhookSecretRow[];
    return rows.map((row) => rowToSecret(this.vault, row));
  }

  async deleteSecret(connectionId: string, secretId: string): Promise<boolean> {
    this.assertOpen();
    const { changes } = this.db
      .prepare("DELETE FROM autoflow_webhook_secrets WHERE connection_id = ? AND secret_id = ?")
      .run(connectionId, secretId);
    return Number(changes) > 0;
  }

  async saveRegistration(record: WebhookRegistrationRecord): Promise<void> {
    this.assertOpen();
    this.db
      .prepare(
        `INSERT INTO autoflow_webhook_registrations (${REGISTRATION_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (key) DO UPDATE SET
           provider = excluded.provider, connection_id = excluded.connection_id, url = excluded.url,
           external_id = excluded.external_id, secret_id = excluded.secret_id, created_at = excluded.created_at,
           status = excluded.status`,
      )
      .run(...registrationValues(record));
  }

  async listRegistrations(): Promise<WebhookRegistrationRecord[]> {
    this.assertOpen();
    const rows = this.db
      .prepare(`SELECT ${REGISTRATION_COLUMNS} FROM autoflow_webhook_registrations ORDER BY key`)
      .all() as unknown as WebhookRegistrationRow[];
    return rows.map(rowToRegistration);
  }

  async deleteRegistration(key: string): Promise<boolean> {
    this.assertOpen();
    const { changes } = this.db.prepare("DELETE FROM autoflow_webhook_registrations WHERE key = ?").run(key);
    return Number(changes) > 0;
  }

  async close(): Promise<void> {
    if (this.db.isOpen) this.db.close();
  }

  private assertOpen(): void {
    if (!this.db.isOpen) {
      throw new Error(`SqliteWebhookSecretStore (${this.path}) is closed; open a new store to keep using it`);
    }
  }
}

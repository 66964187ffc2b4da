import type { Vault } from "../vault/vault";
import { encryptWebhookSecret } from "./credential-codec";
import { runPostgresMigrations } from "./postgres-migrations";
import { PostgresStore } from "./postgres-store";
import type { PostgresStoreOptions } from "./postgres-store-options";
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

/** Per-connection webhook secrets on PostgreSQL, as vault ciphertext only, and the registrations that own them. Open it with `.open`. */
export class PostgresWebhookSecretStore extends PostgresStore implements WebhookSecretStore {
  private readonly vault: Vault;

  private constructor(options: PostgresStoreOptions & { vault: Vault }) {
    super(options);
    this.vault = options.vault;
  }

  /** Migrates the schema (unless told not to) and returns the store. */
  static async open(options: PostgresStoreOptions & { vault: Vault }): Promise<PostgresWebhookSecretStore> {
    if (!options.skipMigrations) await runPostgresMigrations(options.pool);
    return new PostgresWebhookSecretStore(options);
  }

  async saveSecret(record: WebhookSecretRecord): Promise<void> {
    this.assertOpen();
    await this.pool.query(
      `INSERT INTO autoflow_webhook_secrets (connection_id, secret_id, provider, secret_ciphertext, created_at)
       VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (connection_id, secret_id) DO UPDATE SET
         provider = excluded.provider, secret_ciphertext = excluded.secret_ciphertext,
         created_at = excluded.created_at`,
      [
        record.connectionId,
        record.secretId,
        record.provider,
        encryptWebhookSecret(this.vault, record.connectionId, record.secretId, record.secret),
        record.createdAt,
      ],
    );
  }

  async listSecrets(connectionId: string): Promise<WebhookSecretRecord[]> {
    this.assertOpen();
    const { rows } = await this.pool.query<WebhookSecretRow>(
      `SELECT connection_id, secret_id, provider, secret_ciphertext, created_at FROM autoflow_webhook_secrets
       WHERE connection_id = $1 ORDER BY created_at, secret_id`,
      [connectionId],
    );
    return rows.map((row) => rowToSecret(this.vault, row));
  }

  async deleteSecret(connectionId: string, secretId: string): Promise<boolean> {
    this.assertOpen();
    const { rowCount } = await this.pool.query(
      "DELETE FROM autoflow_webhook_secrets WHERE connection_id = $1 AND secret_id = $2",
      [connectionId, secretId],
    );
    return (rowCount ?? 0) > 0;
  }

  async saveRegistration(record: WebhookRegistrationRecord): Promise<void> {
    this.assertOpen();
    await this.pool.query(
      `INSERT INTO autoflow_webhook_registrations (${REGISTRATION_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
       ON CONFLICT (key) DO UPDATE SET
         provider = excluded.provider, connection_id = excluded.connection_id, url = excluded.url,
         external_id = excluded.external_id, secret_id = excluded.secret_id, created_at = excluded.created_at,
           status = excluded.status`,
      registrationValues(record),
    );
  }

  async listRegistrations(): Promise<WebhookRegistrationRecord[]> {
    this.assertOpen();
    const { rows } = await this.pool.query<WebhookRegistrationRow>(
      `SELECT ${REGISTRATION_COLUMNS} FROM autoflow_webhook_registrations ORDER BY key`,
    );
    return rows.map(rowToRegistration);
  }

  async deleteRegistration(key: string): Promise<boolean> {
    this.assertOpen();
    const { rowCount } = await this.pool.query("DELETE FROM autoflow_webhook_registrations WHERE key = $1", [
      key,
    ]);
    return (rowCount ?? 0) > 0;
  }
}

import type {
  CursorStore,
  DeadLetterInbox,
  DeliveryFailure,
  DeliveryKey,
  InboxEntry,
  Json,
  PendingOptions,
  TriggerStateRecord,
  TriggerStateStore,
  WebhookDelivery,
} from "@autoflow/core";
import {
  assertLimit,
  deliveryToRow,
  failureParams,
  INBOX_FAILURE_COLUMNS,
  type InboxRow,
  rowToEntry,
} from "./inbox-rows";
import { runPostgresMigrations } from "./postgres-migrations";
import { PostgresStore } from "./postgres-store";
import type { PostgresStoreOptions } from "./postgres-store-options";

const INBOX_SELECT = `provider, delivery_id, event, action, payload::text AS payload, received_at, dispatched_at, auth, tenant, ${INBOX_FAILURE_COLUMNS}`;

/**
 * The durable webhook inbox and the polling triggers' cursors on PostgreSQL. `accept` is one
 * `INSERT ... ON CONFLICT DO NOTHING`: concurrent accepts of one delivery, from any number of processes,
 * insert exactly one row, and only that caller hears "accepted". Open it with `PostgresTriggerStore.open`.
 */
export class PostgresTriggerStore
  extends PostgresStore
  implements DeadLetterInbox, CursorStore, TriggerStateStore
{
  private constructor(options: PostgresStoreOptions) {
    super(options);
  }

  /** Migrates the schema (unless told not to) and returns the store. */
  static async open(options: PostgresStoreOptions): Promise<PostgresTriggerStore> {
    if (!options.skipMigrations) await runPostgresMigrations(options.pool);
    return new PostgresTriggerStore(options);
  }

  async accept(delivery: WebhookDelivery): Promise<"accepted" | "duplicate"> {
    this.assertOpen();
    const { rowCount } = await this.pool.query(
      `INSERT INTO autoflow_webhook_inbox (provider, delivery_id, event, action, payload, received_at, auth, tenant)
       VALUES ($1, $2, $3, $4, $5::json, $6, $7, $8) ON CONFLICT (provider, delivery_id) DO NOTHING`,
      deliveryToRow(delivery),
    );
    return rowCount === 1 ? "accepted" : "duplicate";
  }

  async pending(limit = 100, options: PendingOptions = {}): Promise<InboxEntry[]> {
    this.assertOpen();
    assertLimit(limit);
    const { rows } = await this.pool.query<InboxRow>(
      `SELECT ${INBOX_SELECT} FROM autoflow_webhook_inbox
       WHERE dispatched_at IS NULL AND dead_at IS NULL AND ($2::text IS NULL OR retry_at IS NULL OR retry_at <= $2)
       ORDER BY received_at, sequence LIMIT $1`,
      [limit, options.dueBy ?? null],
    );
    return rows.map(rowToEntry);
  }

  async markDispatched(provider: string, deliveryId: string, at: string): Promise<void> {
    this.assertOpen();
    await this.pool.query(
      "UPDATE autoflow_webhook_inbox SET dispatched_at = $1 WHERE provider = $2 AND delivery_id = $3",
      [at, provider, deliveryId],
    );
  }

  async markDispatchedMany(deliveries: readonly DeliveryKey[], at: string): Promise<void> {
    this.assertOpen();
    if (deliveries.length === 0) return;
    // One statement for the whole batch: one round trip and one commit instead of one per delivery.
    await this.pool.query(
      `UPDATE autoflow_webhook_inbox AS inbox SET dispatched_at = $1
       FROM unnest($2::text[], $3::text[]) AS batch (provider, delivery_id)
       WHERE inbox.provider = batch.provider AND inbox.delivery_id = batch.delivery_id`,
      [at, deliveries.map((d) => d.provider), deliveries.map((d) => d.deliveryId)],
    );
  }

  async markFailed(provider: string, deliveryId: string, failure: DeliveryFailure): Promise<void> {
    this.assertOpen();
    // A delivery another process dispatched meanwhile keeps its success.
    await this.pool.query(
      `UPDATE autoflow_webhook_inbox SET attempts = $1, last_error = $2, retry_at = $3, dead_at = $4
       WHERE provider = $5 AND delivery_id = $6 AND dispatched_at IS NULL`,
      failureParams(provider, deliveryId, failure),
    );
  }

  async deadLetters(limit = 100): Promise<InboxEntry[]> {
    this.assertOpen();
    assertLimit(limit);
    const { rows } = await this.pool.query<InboxRow>(
      `SELECT ${INBOX_SELECT} FROM autoflow_webhook_inbox WHERE dead_at IS NOT NULL
       ORDER BY dead_at DESC, sequence DESC LIMIT $1`,
      [limit],
    );
    return rows.map(rowToEntry);
  }

  async retryDead(provider: string, deliveryId: string): Promise<boolean> {
    this.assertOpen();
    const { rowCount } = await this.pool.query(
      `UPDATE autoflow_webhook_inbox SET attempts = 0, last_error = NULL, retry_at = NULL, dead_at = NULL
       WHERE provider = $1 AND delivery_id = $2 AND dead_at IS NOT NULL`,
      [provider, deliveryId],
    );
    return rowCount === 1;
  }

  async getCursor(triggerId: string): Promise<Json | undefined> {
    this.assertOpen();
    const { rows } = await this.pool.query<{ cursor: string }>(
      "SELECT cursor::text AS cursor FROM autoflow_trigger_cursors WHERE trigger_id = $1",
      [triggerId],
    );
    const [row] = rows;
    return row === undefined ? undefined : (JSON.parse(row.cursor) as Json);
  }

  async setCursor(triggerId: string, cursor: Json): Promise<void> {
    this.assertOpen();
    await this.pool.query(
      `INSERT INTO autoflow_trigger_cursors (trigger_id, cursor, updated_at) VALUES ($1, $2::json, $3)
       ON CONFLICT (trigger_id) DO UPDATE SET cursor = excluded.cursor, updated_at = excluded.updated_at`,
      [triggerId, JSON.stringify(cursor), new Date().toISOString()],
    );
  }

  async getTriggerState(id: string): Promise<TriggerStateRecord | undefined> {
    this.assertOpen();
    const { rows } = await this.pool.query<{ state: string }>(
      "SELECT state::text AS state FROM autoflow_trigger_states WHERE id = $1",
      [id],
    );
    const [row] = rows;
    return row === undefined ? undefined : (JSON.parse(row.state) as TriggerStateRecord);
  }

  async saveTriggerState(record: TriggerStateRecord): Promise<void> {
    this.assertOpen();
    await this.pool.query(
      `INSERT INTO autoflow_trigger_states (id, state, updated_at) VALUES ($1, $2::jsonb, $3)
       ON CONFLICT (id) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at`,
      [record.id, JSON.stringify(record), new Date().toISOString()],
    );
  }

  async deleteTriggerState(id: string): Promise<boolean> {
    this.assertOpen();
    const { rowCount } = await this.pool.query("DELETE FROM autoflow_trigger_states WHERE id = $1", [id]);
    return (rowCount ?? 0) > 0;
  }
}

import type { DatabaseSync, StatementSync } from "node:sqlite";
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
import { openServiceDatabase } from "./sqlite-database";

const INBOX_COLUMNS = `provider, delivery_id, event, action, payload, received_at, dispatched_at, auth, tenant, ${INBOX_FAILURE_COLUMNS}`;

/** Options for `SqliteTriggerStore`. */
export interface SqliteTriggerStoreOptions {
  /** Database file, relative to `process.cwd()`; its directory is created. `":memory:"` for a throwaway store. */
  path?: string;
}

/**
 * The durable webhook inbox and the polling triggers' cursors in the service's SQLite file. `accept` is one
 * `INSERT ... ON CONFLICT DO NOTHING`, so of any number of concurrent accepts of one delivery (in this process
 * or another on the same file) exactly one inserts the row and reports "accepted".
 */
export class SqliteTriggerStore implements DeadLetterInbox, CursorStore, TriggerStateStore {
  /** The resolved database file, or `":memory:"`. */
  readonly path: string;
  private readonly db: DatabaseSync;
  private readonly insertDelivery: StatementSync;
  private readonly selectPending: StatementSync;
  private readonly updateDispatched: StatementSync;
  private readonly updateFailed: StatementSync;
  private readonly selectDead: StatementSync;
  private readonly updateRetryDead: StatementSync;
  private readonly selectCursor: StatementSync;
  private readonly upsertCursor: StatementSync;

  constructor(options: SqliteTriggerStoreOptions = {}) {
    const opened = openServiceDatabase(options.path);
    this.path = opened.path;
    this.db = opened.db;
    try {
      this.insertDelivery = this.db.prepare(
        `INSERT INTO autoflow_webhook_inbox (provider, delivery_id, event, action, payload, received_at, auth, tenant)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (provider, delivery_id) DO NOTHING`,
      );
      // rowid breaks ties between deliveries received in the same millisecond: arrival order.
      this.selectPending = this.db.prepare(
        `SELECT ${INBOX_COLUMNS} FROM autoflow_webhook_inbox
         WHERE dispatched_at IS NULL AND dead_at IS NULL AND (? IS NULL OR retry_at IS NULL OR retry_at <= ?)
         ORDER BY received_at, rowid LIMIT ?`,
      );
      // A delivery another process dispatched meanwhile keeps its success.
      this.updateFailed = this.db.prepare(
        `UPDATE autoflow_webhook_inbox SET attempts = ?, last_error = ?, retry_at = ?, dead_at = ?
         WHERE provider = ? AND delivery_id = ? AND dispatched_at IS NULL`,
      );
      this.selectDead = this.db.prepare(
        `SELECT ${INBOX_COLUMNS} FROM autoflow_webhook_inbox WHERE dead_at IS NOT NULL
         ORDER BY dead_at DESC, rowid DESC LIMIT ?`,
      );
      this.updateRetryDead = this.db.prepare(
        `UPDATE autoflow_webhook_inbox SET attempts = 0, last_error = NULL, retry_at = NULL, dead_at = NULL
         WHERE provider = ? AND delivery_id = ? AND dead_at IS NOT NULL`,
      );
      this.updateDispatched = this.db.prepare(
        "UPDATE autoflow_webhook_inbox SET dispatched_at = ? WHERE provider = ? AND delivery_id = ?",
      );
      this.selectCursor = this.db.prepare("SELECT cursor FROM autoflow_trigger_cursors WHERE trigger_id = ?");
      this.upsertCursor = this.db.prepare(
        `INSERT INTO autoflow_trigger_cursors (trigger_id, cursor, updated_at) VALUES (?, ?, ?)
         ON CONFLICT (trigger_id) DO UPDATE SET cursor = excluded.cursor, updated_at = excluded.updated_at`,
      );
    } catch (error) {
      this.db.close();
      throw error;
    }
  }

  async accept(delivery: WebhookDelivery): Promise<"accepted" | "duplicate"> {
    this.assertOpen();
    const { changes } = this.insertDelivery.run(...deliveryToRow(delivery));
    return Number(changes) === 1 ? "accepted" : "duplicate";
  }

  async pending(limit = 100, options: PendingOptions = {}): Promise<InboxEntry[]> {
    this.assertOpen();
    assertLimit(limit);
    const dueBy = options.dueBy ?? null;
    return (this.selectPending.all(dueBy, dueBy, limit) as unknown as InboxRow[]).map(rowToEntry);
  }

  async markDispatched(provider: string, deliveryId: string, at: string): Promise<void> {
    this.assertOpen();
    this.updateDispatched.run(at, provider, deliveryId);
  }

  async markDispatchedMany(deliveries: readonly DeliveryKey[], at: string): Promise<void> {
    this.assertOpen();
    if (deliveries.length === 0) return;
    // One transaction: one commit (and WAL sync) for the whole batch instead of one per delivery.
    this.db.exec("BEGIN IMMEDIATE");
    try {
      for (const { provider, deliveryId } of deliveries) this.updateDispatched.run(at, provider, deliveryId);
      this.db.exec("COMMIT");
    } catch (error) {
      this.db.exec("ROLLBACK");
      throw error;
    }
  }

  async markFailed(provider: string, deliveryId: string, failure: DeliveryFailure): Promise<void> {
    this.assertOpen();
    this.updateFailed.run(...failureParams(provider, deliveryId, failure));
  }

  async deadLetters(limit = 100): Promise<InboxEntry[]> {
    this.assertOpen();
    assertLimit(limit);
    return (this.selectDead.all(limit) as unknown as InboxRow[]).map(rowToEntry);
  }

  async retryDead(provider: string, deliveryId: string): Promise<boolean> {
    this.assertOpen();
    return Number(this.updateRetryDead.run(provider, deliveryId).changes) === 1;
  }

  async getCursor(triggerId: string): Promise<Json | undefined> {
    this.assertOpen();
    const row = this.selectCursor.get(triggerId) as { cursor: string } | undefined;
    return row === undefined ? undefined : (JSON.parse(row.cursor) as Json);
  }

  async setCursor(triggerId: string, cursor: Json): Promise<void> {
    this.assertOpen();
    this.upsertCursor.run(triggerId, JSON.stringify(cursor), new Date().toISOString());
  }

  async getTriggerState(id: string): Promise<TriggerStateRecord | undefined> {
    this.assertOpen();
    const row = this.db.prepare("SELECT state FROM autoflow_trigger_states WHERE id = ?").get(id) as
      | { state: string }
      | undefined;
    return row === undefined ? undefined : (JSON.parse(row.state) as TriggerStateRecord);
  }

  async saveTriggerState(record: TriggerStateRecord): Promise<void> {
    this.assertOpen();
    this.db
      .prepare(
        `INSERT INTO autoflow_trigger_states (id, state, updated_at) VALUES (?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at`,
      )
      .run(record.id, JSON.stringify(record), new Date().toISOString());
  }

  async deleteTriggerState(id: string): Promise<boolean> {
    this.assertOpen();
    return Number(this.db.prepare("DELETE FROM autoflow_trigger_states WHERE id = ?").run(id).changes) > 0;
  }

  async close(): Promise<void> {
    if (this.db.isOpen) this.db.close();
  }

  private assertOpen(): void {
    if (!this.db.isOpen) {
      throw new Error(`SqliteTriggerStore (${this.path}) is closed; open a new store to keep using it`);
    }
  }
}

import type { InboxEntry, Json, WebhookDelivery } from "@autoflow/core";

/** An `autoflow_webhook_inbox` row as both databases return it (payload as JSON text). */
export interface InboxRow {
  provider: string;
  delivery_id: string;
  event: string;
  action: string | null;
  payload: string;
  received_at: string;
  dispatched_at: string | null;
}

/** The row's values for an insert, in column order: provider, delivery_id, event, action, payload, received_at. */
export function deliveryToRow(
  delivery: WebhookDelivery,
): [string, string, string, string | null, string, string] {
  return [
    delivery.provider,
    delivery.deliveryId,
    delivery.event,
    delivery.action ?? null,
    JSON.stringify(delivery.payload),
    delivery.receivedAt,
  ];
}

/** Maps a row back to the entry `pending` returns; absent optional fields stay absent. */
export function rowToEntry(row: InboxRow): InboxEntry {
  const entry: InboxEntry = {
    provider: row.provider,
    deliveryId: row.delivery_id,
    event: row.event,
    payload: JSON.parse(row.payload) as Json,
    receivedAt: row.received_at,
  };
  if (row.action !== null) entry.action = row.action;
  if (row.dispatched_at !== null) entry.dispatchedAt = row.dispatched_at;
  return entry;
}

/** The `pending` limit check both stores share: a non-negative integer. */
export function assertLimit(limit: number): void {
  if (!(Number.isSafeInteger(limit) && limit >= 0)) {
    throw new RangeError(`pending limit must be a non-negative integer, got ${limit}`);
  }
}

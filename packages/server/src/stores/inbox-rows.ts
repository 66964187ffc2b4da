import type { DeliveryAuthSource, DeliveryTenant, InboxEntry, Json, WebhookDelivery } from "@autoflow/core";

/** An `autoflow_webhook_inbox` row as both databases return it (payload as JSON text). */
export interface InboxRow {
  provider: string;
  delivery_id: string;
  event: string;
  action: string | null;
  payload: string;
  received_at: string;
  dispatched_at: string | null;
  /** `DeliveryAuthSource` as JSON; NULL on rows from before it was recorded (read as provider-wide). */
  auth: string | null;
  /** `DeliveryTenant` as JSON; NULL when the delivery names none. */
  tenant: string | null;
}

/**
 * The row's values for an insert, in column order: provider, delivery_id, event, action, payload, received_at, auth,
 * tenant.
 */
export function deliveryToRow(
  delivery: WebhookDelivery,
): [string, string, string, string | null, string, string, string | null, string | null] {
  return [
    delivery.provider,
    delivery.deliveryId,
    delivery.event,
    delivery.action ?? null,
    JSON.stringify(delivery.payload),
    delivery.receivedAt,
    delivery.auth ? JSON.stringify(delivery.auth) : null,
    delivery.tenant ? JSON.stringify(delivery.tenant) : null,
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
  if (row.auth !== null) entry.auth = JSON.parse(row.auth) as DeliveryAuthSource;
  if (row.tenant !== null) entry.tenant = JSON.parse(row.tenant) as DeliveryTenant;
  return entry;
}

/** The `pending` limit check both stores share: a non-negative integer. */
export function assertLimit(limit: number): void {
  if (!(Number.isSafeInteger(limit) && limit >= 0)) {
    throw new RangeError(`pending limit must be a non-negative integer, got ${limit}`);
  }
}

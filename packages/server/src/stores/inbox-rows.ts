import {
  type DeliveryAuthSource,
  type DeliveryFailure,
  type DeliveryTenant,
  type InboxEntry,
  type Json,
  type WebhookDelivery,
  WebhookRejection,
} from "@autoflow/core";

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
  /** Failed dispatches so far (0 until the first failure). */
  attempts: number;
  retry_at: string | null;
  last_error: string | null;
  /** Set once the delivery is a dead letter. */
  dead_at: string | null;
}

/** The dead-letter columns both stores select after their own (attempts, retry_at, last_error, dead_at). */
export const INBOX_FAILURE_COLUMNS = "attempts, retry_at, last_error, dead_at";

/**
 * The row's values for an insert, in column order: provider, delivery_id, event, action, payload, received_at, auth,
 * tenant.
 */
export function deliveryToRow(
  delivery: WebhookDelivery,
): [string, string, string, string | null, string, string, string | null, string | null] {
  assertNoNul(delivery);
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

/**
 * The delivery's text columns (its id, event and action) take no NUL character: PostgreSQL refuses one in text
 * and SQLite would keep it, so both refuse it, before anything is stored, with the 400 of a body that is not the
 * JSON the provider sends. (The payload keeps any NUL: it is stored as JSON text, where a NUL is an escape.)
 */
function assertNoNul(delivery: WebhookDelivery): void {
  const fields = { deliveryId: delivery.deliveryId, event: delivery.event, action: delivery.action };
  for (const [name, value] of Object.entries(fields)) {
    if (value?.includes("\u0000")) {
      throw new WebhookRejection("not_json", `The delivery's ${name} contains a NUL character`);
    }
  }
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
  if (Number(row.attempts) > 0) entry.attempts = Number(row.attempts);
  if (row.retry_at !== null) entry.retryAt = row.retry_at;
  if (row.last_error !== null) entry.lastError = row.last_error;
  if (row.dead_at !== null) entry.deadAt = row.dead_at;
  return entry;
}

/** The `pending` limit check both stores share: a non-negative integer. */
export function assertLimit(limit: number): void {
  if (!(Number.isSafeInteger(limit) && limit >= 0)) {
    throw new RangeError(`pending limit must be a non-negative integer, got ${limit}`);
  }
}

/** `markFailed`'s statement parameters, in the order both stores' UPDATE takes them. */
export function failureParams(
  provider: string,
  deliveryId: string,
  failure: DeliveryFailure,
): [number, string, string | null, string | null, string, string] {
  return [
    failure.attempts,
    failure.lastError,
    failure.retryAt ?? null,
    failure.deadAt ?? null,
    provider,
    deliveryId,
  ];
}

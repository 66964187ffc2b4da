import { createHash } from "node:crypto";
import type { DeadLetterInbox, InboxEntry } from "@autoflow/core";

/** The users a delivery concerns: whose workflows or jobs it would start, or whose connection verified it. */
export type DeliveryUsers = (entry: InboxEntry) => Promise<readonly string[]>;

/** A dead delivery as its users see it: no payload, no provider delivery id. */
export interface DeadDeliveryView {
  /** Opaque and stable: `dlv_` and 32 hex digits derived from the provider and its delivery id. */
  id: string;
  provider: string;
  event: string;
  action?: string;
  status: "dead";
  attempts: number;
  /** The last failure, scrubbed of credentials and at most 1,000 characters. */
  lastError?: string;
  receivedAt: string;
  deadAt: string;
}

/** Dead letters per user: listed and put back to pending. */
export interface DeadLetterService {
  /** The user's dead deliveries, most recently dead first. */
  list(userId: string, limit: number): Promise<DeadDeliveryView[]>;
  /** Puts the user's dead delivery back to pending; `false` for an unknown id or another user's delivery. */
  retry(userId: string, id: string): Promise<boolean>;
}

/** Options for `createDeadLetterService`. */
export interface DeadLetterServiceOptions {
  inbox: DeadLetterInbox;
  usersOf: DeliveryUsers;
  /** Told after a delivery was put back (wakes the dispatcher). */
  onRetried?: () => void;
  /** How many dead letters a listing or a retry looks through, newest first. Default 1,000. */
  scanLimit?: number;
}

/**
 * The id a dead delivery is listed and retried by. A hash, so it reveals nothing of the provider's delivery id,
 * and is the same in every process without a lookup table; whose it is, is checked on every use.
 */
export function deadDeliveryId(provider: string, deliveryId: string): string {
  return `dlv_${createHash("sha256").update(`${provider}\n${deliveryId}`).digest("hex").slice(0, 32)}`;
}

/** What `deadDeliveryId` returns; anything else is not a delivery id. */
export const DEAD_DELIVERY_ID = /^dlv_[0-9a-f]{32}$/;

/**
 * Dead letters scoped to the signed-in user: an entry is shown to, and retried by, only the users `usersOf` names.
 * Filtering happens over the newest `scanLimit` dead letters, which bounds the work of one request; an operator
 * with more dead letters than that retries the older ones through the database.
 */
export function createDeadLetterService(options: DeadLetterServiceOptions): DeadLetterService {
  const scanLimit = options.scanLimit ?? 1_000;
  const usersDead = async (userId: string): Promise<InboxEntry[]> => {
    const mine: InboxEntry[] = [];
    for (const entry of await options.inbox.deadLetters(scanLimit)) {
      if ((await options.usersOf(entry)).includes(userId)) mine.push(entry);
    }
    return mine;
  };
  return {
    async list(userId, limit) {
      return (await usersDead(userId)).slice(0, limit).map(toView);
    },
    async retry(userId, id) {
      const entry = (await usersDead(userId)).find((e) => deadDeliveryId(e.provider, e.deliveryId) === id);
      if (!entry || !(await options.inbox.retryDead(entry.provider, entry.deliveryId))) return false;
      options.onRetried?.();
      return true;
    },
  };
}

function toView(entry: InboxEntry): DeadDeliveryView {
  return {
    id: deadDeliveryId(entry.provider, entry.deliveryId),
    provider: entry.provider,
    event: entry.event,
    ...(entry.action !== undefined && { action: entry.action }),
    status: "dead",
    attempts: entry.attempts ?? 0,
    ...(entry.lastError !== undefined && { lastError: entry.lastError }),
    receivedAt: entry.receivedAt,
    deadAt: entry.deadAt ?? entry.receivedAt,
  };
}

import type { Json } from "../json";
import type { WebhookDelivery } from "./trigger";

/** A delivery in the inbox, with whether it has been handed to job runs yet. */
export interface InboxEntry extends WebhookDelivery {
  /** ISO-8601, set once every matching job's run was started. */
  dispatchedAt?: string;
  /** Dispatches of this entry that failed so far; absent until the first failure. */
  attempts?: number;
  /** ISO-8601: after a failed dispatch, the entry is not dispatched again before this. */
  retryAt?: string;
  /** The last failed dispatch's error message, scrubbed of credentials and cut to a bounded length. */
  lastError?: string;
  /** ISO-8601, set when the entry failed its last allowed attempt: a dead letter, no longer pending. */
  deadAt?: string;
}

/**
 * A failed dispatch as the inbox records it: the entry's attempt count so far, the scrubbed error, and either
 * when to try again (`retryAt`) or that it is now a dead letter (`deadAt`), never both.
 */
export interface DeliveryFailure {
  attempts: number;
  lastError: string;
  retryAt?: string;
  deadAt?: string;
}

/** Which delivery an inbox entry is: (provider, deliveryId) is unique in an inbox. */
export interface DeliveryKey {
  provider: string;
  deliveryId: string;
}

/** What `pending` may leave out. */
export interface PendingOptions {
  /** ISO-8601: leave out entries whose `retryAt` is later (the dispatcher's "due now"). Default: none left out. */
  dueBy?: string;
}

/**
 * The durable inbox: a verified delivery is written here BEFORE the provider gets its 2xx, so a
 * crash after the answer loses nothing. (provider, deliveryId) is unique: a redelivery is a duplicate.
 */
export interface WebhookInbox {
  /** `duplicate` when this (provider, deliveryId) was accepted before. */
  accept(delivery: WebhookDelivery): Promise<"accepted" | "duplicate">;
  /** Accepted but neither dispatched nor dead, oldest first. */
  pending(limit?: number, options?: PendingOptions): Promise<InboxEntry[]>;
  markDispatched(provider: string, deliveryId: string, at: string): Promise<void>;
  /**
   * Marks several deliveries dispatched at once, in one statement or transaction. Optional: the dispatcher falls
   * back to `markDispatched` one entry at a time.
   */
  markDispatchedMany?(deliveries: readonly DeliveryKey[], at: string): Promise<void>;
  /**
   * Records a failed dispatch. Optional so inboxes written before dead letters keep compiling; without it a
   * failing entry is retried on every pass (still without holding up the others) and never becomes dead.
   */
  markFailed?(provider: string, deliveryId: string, failure: DeliveryFailure): Promise<void>;
  /** Dead letters, most recently dead first. */
  deadLetters?(limit?: number): Promise<InboxEntry[]>;
  /** Puts a dead letter back to pending with no attempts and no error; `false` when it is not a dead letter. */
  retryDead?(provider: string, deliveryId: string): Promise<boolean>;
}

/** An inbox that records failed dispatches and keeps dead letters (every store the service opens). */
export type DeadLetterInbox = WebhookInbox &
  Required<Pick<WebhookInbox, "markFailed" | "deadLetters" | "retryDead">>;

/** Whether `inbox` keeps dead letters. */
export function keepsDeadLetters(inbox: WebhookInbox): inbox is DeadLetterInbox {
  return (
    typeof inbox.markFailed === "function" &&
    typeof inbox.deadLetters === "function" &&
    typeof inbox.retryDead === "function"
  );
}

/** Keeps polling triggers' cursors, so a restart resumes where the last poll ended. */
export interface CursorStore {
  getCursor(triggerId: string): Promise<Json | undefined>;
  setCursor(triggerId: string, cursor: Json): Promise<void>;
}

/** The in-memory inbox and cursor store, for tests and single-process use. */
export class MemoryWebhookInbox implements DeadLetterInbox, CursorStore {
  private readonly entries = new Map<string, InboxEntry>();
  private readonly cursors = new Map<string, string>();

  async accept(delivery: WebhookDelivery): Promise<"accepted" | "duplicate"> {
    const key = `${delivery.provider}\n${delivery.deliveryId}`;
    if (this.entries.has(key)) return "duplicate";
    this.entries.set(key, structuredClone(delivery));
    return "accepted";
  }

  async pending(limit = 100, options: PendingOptions = {}): Promise<InboxEntry[]> {
    const { dueBy } = options;
    return [...this.entries.values()]
      .filter((e) => !e.dispatchedAt && !e.deadAt)
      .filter((e) => dueBy === undefined || e.retryAt === undefined || e.retryAt <= dueBy)
      .sort((a, b) => a.receivedAt.localeCompare(b.receivedAt))
      .slice(0, limit)
      .map((e) => structuredClone(e));
  }

  async markDispatched(provider: string, deliveryId: string, at: string): Promise<void> {
    const entry = this.entries.get(`${provider}\n${deliveryId}`);
    if (entry) entry.dispatchedAt = at;
  }

  async markDispatchedMany(deliveries: readonly DeliveryKey[], at: string): Promise<void> {
    for (const { provider, deliveryId } of deliveries) {
      const entry = this.entries.get(`${provider}\n${deliveryId}`);
      if (entry) entry.dispatchedAt = at;
    }
  }

  async markFailed(provider: string, deliveryId: string, failure: DeliveryFailure): Promise<void> {
    const entry = this.entries.get(`${provider}\n${deliveryId}`);
    if (!entry || entry.dispatchedAt) return;
    const { retryAt: _retryAt, deadAt: _deadAt, ...rest } = entry;
    this.entries.set(`${provider}\n${deliveryId}`, { ...rest, ...structuredClone(failure) });
  }

  async deadLetters(limit = 100): Promise<InboxEntry[]> {
    return [...this.entries.values()]
      .filter((e) => e.deadAt !== undefined)
      .sort((a, b) => (b.deadAt ?? "").localeCompare(a.deadAt ?? ""))
      .slice(0, limit)
      .map((e) => structuredClone(e));
  }

  async retryDead(provider: string, deliveryId: string): Promise<boolean> {
    const key = `${provider}\n${deliveryId}`;
    const entry = this.entries.get(key);
    if (!entry?.deadAt) return false;
    const { attempts: _a, retryAt: _r, lastError: _l, deadAt: _d, ...delivery } = entry;
    this.entries.set(key, delivery);
    return true;
  }

  async getCursor(triggerId: string) {
    const text = this.cursors.get(triggerId);
    return text === undefined ? undefined : JSON.parse(text);
  }

  async setCursor(triggerId: string, cursor: Json): Promise<void> {
    this.cursors.set(triggerId, JSON.stringify(cursor));
  }
}

import type { Json } from "../json";
import type { WebhookDelivery } from "./trigger";

/** A delivery in the inbox, with whether it has been handed to job runs yet. */
export interface InboxEntry extends WebhookDelivery {
  /** ISO-8601, set once every matching job's run was started. */
  dispatchedAt?: string;
}

/**
 * The durable inbox: a verified delivery is written here BEFORE the provider gets its 2xx, so a
 * crash after the answer loses nothing. (provider, deliveryId) is unique: a redelivery is a duplicate.
 */
export interface WebhookInbox {
  /** `duplicate` when this (provider, deliveryId) was accepted before. */
  accept(delivery: WebhookDelivery): Promise<"accepted" | "duplicate">;
  /** Accepted but not yet dispatched, oldest first. */
  pending(limit?: number): Promise<InboxEntry[]>;
  markDispatched(provider: string, deliveryId: string, at: string): Promise<void>;
}

/** Keeps polling triggers' cursors, so a restart resumes where the last poll ended. */
export interface CursorStore {
  getCursor(triggerId: string): Promise<Json | undefined>;
  setCursor(triggerId: string, cursor: Json): Promise<void>;
}

/** The in-memory inbox and cursor store, for tests and single-process use. */
export class MemoryWebhookInbox implements WebhookInbox, CursorStore {
  private readonly entries = new Map<string, InboxEntry>();
  private readonly cursors = new Map<string, string>();

  async accept(delivery: WebhookDelivery): Promise<"accepted" | "duplicate"> {
    const key = `${delivery.provider}\n${delivery.deliveryId}`;
    if (this.entries.has(key)) return "duplicate";
    this.entries.set(key, structuredClone(delivery));
    return "accepted";
  }

  async pending(limit = 100): Promise<InboxEntry[]> {
    return [...this.entries.values()]
      .filter((e) => !e.dispatchedAt)
      .sort((a, b) => a.receivedAt.localeCompare(b.receivedAt))
      .slice(0, limit)
      .map((e) => structuredClone(e));
  }

  async markDispatched(provider: string, deliveryId: string, at: string): Promise<void> {
    const entry = this.entries.get(`${provider}\n${deliveryId}`);
    if (entry) entry.dispatchedAt = at;
  }

  async getCursor(triggerId: string) {
    const text = this.cursors.get(triggerId);
    return text === undefined ? undefined : JSON.parse(text);
  }

  async setCursor(triggerId: string, cursor: Json): Promise<void> {
    this.cursors.set(triggerId, JSON.stringify(cursor));
  }
}

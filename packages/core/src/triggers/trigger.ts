import type { ConnectionAuth } from "../integration";
import type { Json } from "../json";
import type { DeliveryAuthSource, DeliveryTenant } from "./delivery-tenancy";

/** A delivery as it arrived and was verified: what the inbox stores and triggers match on. */
export interface WebhookDelivery {
  /** The integration's slug, e.g. "acme". */
  provider: string;
  /** The provider's delivery id (a delivery header, an `event_id` in the body): the dedupe key. */
  deliveryId: string;
  /** The provider's event name, e.g. "issues" or "message". */
  event: string;
  /** The sub-type where the provider has one, e.g. `action: "opened"`. */
  action?: string;
  payload: Json;
  /** ISO-8601. */
  receivedAt: string;
  /**
   * How the intake authenticated it (set by the webhook handler, never by the payload). Absent on deliveries stored
   * before it was recorded, which the service treats as provider-wide.
   */
  auth?: DeliveryAuthSource;
  /** The provider tenant it is about, as the provider's verifier read it; absent when the delivery names none. */
  tenant?: DeliveryTenant;
}

/**
 * Starts a job run for every matching verified delivery. Provider packages build these
 * (`acme.onIssueOpened({ project })`); `TPayload` comes from the provider's published types.
 */
export interface WebhookTrigger<TPayload> {
  readonly kind: "webhook";
  readonly provider: string;
  /** Human-readable, e.g. "Acme: issue opened in hello". */
  readonly title: string;
  /** Whether this delivery starts a run (event, action and filters such as repository or channel). */
  matches(delivery: WebhookDelivery): boolean;
  /** The run's payload for a matching delivery. */
  payloadOf(delivery: WebhookDelivery): TPayload;
  /** How the service creates the provider's webhook for this trigger with a connection; absent when it cannot. */
  readonly registration?: WebhookRegistration;
}

/**
 * Creates and removes the provider-side webhook a trigger needs (a repository hook). The service
 * generates and stores the secret before calling `register`, so no delivery arrives that it cannot verify.
 */
export interface WebhookRegistration {
  /** Stable: one provider hook per key (jobs whose triggers share a key share the hook), e.g. `"acme:hello:issues"`. */
  readonly key: string;
  /** Creates the hook delivering to `url`, signed with `secret`; resolves the provider's id for it. */
  register(context: { url: string; auth: ConnectionAuth; secret: string }): Promise<{ externalId: string }>;
  /** Removes the hook `register` created; a hook that is already gone is not an error. */
  unregister(context: { auth: ConnectionAuth; externalId: string }): Promise<void>;
}

/** One page of a polling trigger: the new items and the cursor to resume from. */
export interface PollResult<TItem> {
  items: TItem[];
  cursor: Json;
}

/**
 * For what has no webhook: lists what is new since a cursor kept in the store, so a restart
 * neither misses nor repeats an item (`acme.onNewStar`, Gmail history, Jira `updated >=`).
 */
export interface PollingTrigger<TPayload> {
  readonly kind: "polling";
  readonly provider: string;
  /** Stable per trigger: the cursor's key in the store. */
  readonly id: string;
  readonly title: string;
  readonly intervalMs: number;
  /** `cursor` is `undefined` on the first poll: start from "now" (nothing historic fires). */
  poll(cursor: Json | undefined): Promise<PollResult<TPayload>>;
  /** Unique per item: with the trigger id, the item's run id (at most one run per item). */
  itemId(item: TPayload): string;
}

export type Trigger<TPayload> = WebhookTrigger<TPayload> | PollingTrigger<TPayload>;

/** The payload type a trigger starts runs with. */
export type TriggerPayload<T> = T extends Trigger<infer P> ? P : never;

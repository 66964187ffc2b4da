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
  /**
   * The catalogue key of the trigger it is, when the provider's factory corresponds to one (`"acme.widgetCreated"`):
   * what health reports show for a code job's trigger, as for a stored workflow's.
   */
  readonly key?: string;
  /** Human-readable, e.g. "Acme: issue opened in hello". */
  readonly title: string;
  /** Whether this delivery starts a run (event, action and filters such as repository or channel). */
  matches(delivery: WebhookDelivery): boolean;
  /** The run's payload for a matching delivery. */
  payloadOf(delivery: WebhookDelivery): TPayload;
  /** How the service creates the provider's webhook for this trigger with a connection; absent when it cannot. */
  readonly registration?: WebhookRegistration;
}

/** A subscription as the provider has it: its id, and when it lapses unless renewed (absent: it does not expire). */
export interface SubscriptionGrant {
  externalId: string;
  /** ISO-8601; the service renews at two thirds of the lifetime. */
  expiresAt?: string;
  /**
   * The signing secret the provider generated for this subscription, for providers that make their own (an
   * endpoint secret shown once, in the create answer) rather than take the service's: the service stores it in place of the one it
   * offered, and deliveries are verified with it.
   */
  secret?: string;
}

/** What `verify` found at the provider. */
export type SubscriptionCheck = "active" | "inactive" | "gone";

/**
 * The lifecycle of the provider-side subscription a trigger needs (a repository hook, a mailbox watch, a Graph
 * subscription): create, find (adopt), verify, renew and remove. The service generates and stores the secret
 * before calling `register`, records its intent before creating anything, and keeps the subscription alive on
 * its own scheduler, so no delivery arrives that it cannot verify and a crash never leaves a second hook. A provider
 * that generates the secret itself answers it in the grant (`secret`), and the service stores that one instead;
 * such a subscription cannot be adopted after a crash (its secret was only in the lost answer), so its `find`
 * removes the spare and answers nothing.
 */
export interface WebhookRegistration {
  /** Stable: one provider hook per key and connection (triggers that share a key share the hook), e.g. `"acme:hello:issues"`. */
  readonly key: string;
  /** Creates the subscription delivering to `url`, signed with `secret`; resolves the provider's id and expiry. */
  register(context: { url: string; auth: ConnectionAuth; secret: string }): Promise<SubscriptionGrant>;
  /** Removes the subscription `register` created; one that is already gone is not an error. */
  unregister(context: { auth: ConnectionAuth; externalId: string }): Promise<void>;
  /**
   * Finds a subscription already delivering to `url` (one a crash created but never recorded), so the service
   * adopts it instead of creating a second; it then signs with `secret`. Without it, a crash may leave a spare.
   */
  find?(context: {
    url: string;
    auth: ConnectionAuth;
    secret: string;
  }): Promise<SubscriptionGrant | undefined>;
  /** Whether the subscription still exists and delivers; the service re-creates one that is `gone` or `inactive`. */
  verify?(context: { auth: ConnectionAuth; externalId: string }): Promise<SubscriptionCheck>;
  /** Extends an expiring subscription; resolves the new expiry (and a new id when the provider issues one). */
  renew?(context: {
    auth: ConnectionAuth;
    externalId: string;
    url: string;
    secret: string;
  }): Promise<SubscriptionGrant>;
  /** How often `verify` runs. Default one hour. */
  readonly verifyIntervalMs?: number;
}

/** One page of a polling trigger: the new items and the cursor to resume from. */
export interface PollResult<TItem> {
  items: TItem[];
  cursor: Json;
  /** The listing stopped at a page boundary: poll again at once with `cursor` (it resumes at the next page). */
  more?: boolean;
}

/**
 * For what has no webhook: lists what is new since a cursor kept in the store, so a restart
 * neither misses nor repeats an item (`acme.onNewStar`, a mailbox's history, a JQL `updated >=`).
 */
export interface PollingTrigger<TPayload> {
  readonly kind: "polling";
  readonly provider: string;
  /**
   * Stable per trigger identity (provider, connection, trigger key and inputs; never the job or its deployment):
   * the cursor's key in the store, so a redeploy resumes where the last poll ended.
   */
  readonly id: string;
  /** The trigger's catalogue-style key, e.g. `"acme.itemUpdated"` (what health reports show). */
  readonly key?: string;
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

import type { WebhookDelivery, WebhookTrigger } from "@autoflow/core";
import type StripeSdk from "stripe";
import type { StripeClientOptions } from "../client";
import { stripeWebhookRegistration } from "./webhook-registration";

/** Every event type the SDK knows (`payment_intent.succeeded`, ...). */
export type StripeEventType = StripeSdk.Event["type"];

/** The SDK's event type for `T`: `data.object` typed (`PaymentIntent` for `payment_intent.succeeded`). */
export type StripeEventOfType<T extends StripeEventType> = Extract<StripeSdk.Event, { type: T }>;

/** Filters every Stripe trigger takes. */
export interface StripeEventFilter {
  /**
   * Only events of this account (`acct_...`): the one a Connect delivery names, or the account whose own endpoint
   * the event came to (the delivery's tenant); every account when omitted.
   */
  account?: string;
  /** Only live-mode (`true`) or test-mode (`false`) events; both when omitted. */
  livemode?: boolean;
}

/**
 * Starts a run for every verified event of `type`. Stripe does not deliver events in order and may deliver one
 * more than once: the inbox dedupes by event id, and a job should read the object's current state (or compare
 * `created`) rather than assume the order it runs in.
 */
export function stripeEventTrigger<T extends StripeEventType>(
  type: T,
  filter: StripeEventFilter = {},
  key?: string,
  client: StripeClientOptions = {},
): WebhookTrigger<StripeEventOfType<T>> {
  if (filter.account !== undefined && !/^acct_[A-Za-z0-9]+$/.test(filter.account)) {
    throw new TypeError(`stripe trigger: account must be an account id (acct_...), got ${filter.account}`);
  }
  return {
    kind: "webhook",
    provider: "stripe",
    ...(key !== undefined && { key }),
    title: `Stripe: ${type}${filter.account ? ` on ${filter.account}` : ""}`,
    matches(delivery: WebhookDelivery) {
      const event = delivery.payload as { type?: unknown; account?: unknown; livemode?: unknown };
      return (
        delivery.event === type &&
        event.type === type &&
        (filter.account === undefined || (event.account ?? delivery.tenant?.account) === filter.account) &&
        (filter.livemode === undefined || event.livemode === filter.livemode)
      );
    },
    payloadOf: (delivery) => delivery.payload as unknown as StripeEventOfType<T>,
    // The service keeps an endpoint for `type` on the connection's account, on the pinned API version.
    registration: stripeWebhookRegistration({ events: [type], client }),
  };
}

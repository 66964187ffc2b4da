import { STRIPE_PROVIDER_DEFINITION, type StripeIntegrationOptions } from "./definition";
import { StripeTriggerMethods } from "./triggers/stripe-trigger-methods";

/**
 * Stripe for AutoFlow jobs: `io.stripe.paymentIntents.create(key, params)` and every other `stripe` method as a
 * durable, typed task (`io.stripe.taxRates.list`, `io.stripe.billing.meters.create`, ...), typed from the SDK's
 * own params and objects, on the SDK's pinned API version. Every hand-written write sends the task's
 * idempotency key, so a retried or replayed task never charges, refunds or subscribes twice.
 */
export class Stripe extends StripeTriggerMethods {
  constructor(options: StripeIntegrationOptions) {
    super(STRIPE_PROVIDER_DEFINITION, options);
  }
}

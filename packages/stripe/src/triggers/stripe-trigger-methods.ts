import type { WebhookTrigger } from "@autoflow/core";
import type { StripeClientOptions } from "../client";
import { StripeIntegration } from "../definition";
import {
  type StripeEventFilter,
  type StripeEventOfType,
  type StripeEventType,
  stripeEventTrigger,
} from "./stripe-triggers";

/** `Stripe`'s trigger methods (`stripe.onInvoicePaid(...)`): webhook events, verified with `Stripe-Signature`. */
export abstract class StripeTriggerMethods extends StripeIntegration {
  /** Starts a run for every payment that succeeded (`payment_intent.succeeded`). */
  onPaymentIntentSucceeded(
    filter: StripeEventFilter = {},
  ): WebhookTrigger<StripeEventOfType<"payment_intent.succeeded">> {
    return stripeEventTrigger(
      "payment_intent.succeeded",
      filter,
      "stripe.paymentIntentSucceeded",
      this.clientOptions(),
    );
  }

  /** Starts a run for every Checkout Session the customer completed (`checkout.session.completed`). */
  onCheckoutSessionCompleted(
    filter: StripeEventFilter = {},
  ): WebhookTrigger<StripeEventOfType<"checkout.session.completed">> {
    return stripeEventTrigger(
      "checkout.session.completed",
      filter,
      "stripe.checkoutSessionCompleted",
      this.clientOptions(),
    );
  }

  /** Starts a run for every invoice paid (`invoice.paid`). */
  onInvoicePaid(filter: StripeEventFilter = {}): WebhookTrigger<StripeEventOfType<"invoice.paid">> {
    return stripeEventTrigger("invoice.paid", filter, "stripe.invoicePaid", this.clientOptions());
  }

  /** Starts a run for every subscription change (`customer.subscription.updated`; `previous_attributes` says what). */
  onCustomerSubscriptionUpdated(
    filter: StripeEventFilter = {},
  ): WebhookTrigger<StripeEventOfType<"customer.subscription.updated">> {
    return stripeEventTrigger(
      "customer.subscription.updated",
      filter,
      "stripe.customerSubscriptionUpdated",
      this.clientOptions(),
    );
  }

  /** Starts a run for every event of `type`; the payload is the SDK's event type for it. */
  onEvent<T extends StripeEventType>(
    type: T,
    filter: StripeEventFilter = {},
  ): WebhookTrigger<StripeEventOfType<T>> {
    return stripeEventTrigger(type, filter, undefined, this.clientOptions());
  }

  /** How this instance reaches Stripe (`apiBaseUrl`, timeout, fetch), without its id and key: for registrations. */
  private clientOptions(): StripeClientOptions {
    const { id: _id, token: _token, ...client } = this.options;
    return client;
  }
}

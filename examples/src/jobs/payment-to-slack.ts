import { defineJob, type Job } from "@autoflow/core";
import type { Slack } from "@autoflow/slack";
import type { Stripe, StripeEventOfType } from "@autoflow/stripe";

export interface PaymentToSlackOptions {
  stripe: Stripe;
  slack: Slack;
  /** Channel id the announcement goes to. */
  channel: string;
}

/** `4200, "usd"` -> `USD 42.00`: Stripe amounts are in the currency's smallest unit. */
function formatAmount(amount: number, currency: string): string {
  return `${currency.toUpperCase()} ${(amount / 100).toFixed(2)}`;
}

/** What a run answers: the payment, its amount and the Slack message announcing it. */
export interface PaymentAnnounced {
  payment: string;
  amount: number;
  slackTs: string | undefined;
}

/**
 * When a payment succeeds on Stripe: announce it in Slack with the customer's email, and note the payment on
 * the customer's metadata. Started by Stripe's signed `payment_intent.succeeded` event; each
 * step is a task, so a crash, a retry or Stripe sending the event twice never announces twice, and the
 * metadata write carries the task's `Idempotency-Key`.
 */
export function paymentToSlack({
  stripe,
  slack,
  channel,
}: PaymentToSlackOptions): Job<
  { stripe: Stripe; slack: Slack },
  StripeEventOfType<"payment_intent.succeeded">,
  PaymentAnnounced
> {
  return defineJob({
    id: "payment-to-slack",
    trigger: stripe.onPaymentIntentSucceeded(),
    integrations: { stripe, slack },
    run: async (event, io) => {
      const payment = event.data.object;
      const customerId = typeof payment.customer === "string" ? payment.customer : payment.customer?.id;
      const customer = customerId ? await io.stripe.customers.retrieve("customer", customerId) : undefined;
      const email = customer && !("deleted" in customer && customer.deleted) ? customer.email : undefined;

      const message = await io.slack.chat.postMessage("announce", {
        channel,
        text: `:moneybag: ${formatAmount(payment.amount_received, payment.currency)} received from ${email ?? "a customer"} (${payment.id})`,
      });

      if (customerId) {
        await io.stripe.customers.update("note", customerId, {
          metadata: { last_payment_announced: payment.id },
        });
      }
      return { payment: payment.id, amount: payment.amount_received, slackTs: message.ts };
    },
  });
}

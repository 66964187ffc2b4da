import { defineJob, type Job } from "@autoflow/core";
import type { Gmail } from "@autoflow/gmail";
import type { Stripe, StripeEventOfType } from "@autoflow/stripe";

export interface PaymentReceiptOptions {
  stripe: Stripe;
  gmail: Gmail;
  /** Who the receipt says it is from, e.g. `"Acme Billing"` (the mailbox's own address sends it). */
  shopName: string;
}

/** What a run answers: the payment, and the receipt's Gmail id and `Message-ID` (none without an email). */
export interface ReceiptSent {
  payment: string;
  receipt?: { id: string | null | undefined; messageId: string };
}

/** `4200, "usd"` -> `USD 42.00`: Stripe amounts are in the currency's smallest unit. */
function formatAmount(amount: number, currency: string): string {
  return `${currency.toUpperCase()} ${(amount / 100).toFixed(2)}`;
}

/**
 * When a payment succeeds on Stripe: email the customer a receipt from the shop's Gmail. Started by Stripe's signed
 * `payment_intent.succeeded` event. The receipt is sent once: Gmail has no idempotency key, so `sendEmail` gives the
 * mail a `Message-ID` derived from the task, and a send whose answer was lost is looked up by it before it is
 * repeated; Stripe sending the event again runs nothing, and a replayed run returns the logged send.
 */
export function paymentReceipt({
  stripe,
  gmail,
  shopName,
}: PaymentReceiptOptions): Job<
  { stripe: Stripe; gmail: Gmail },
  StripeEventOfType<"payment_intent.succeeded">,
  ReceiptSent
> {
  return defineJob({
    id: "payment-receipt",
    trigger: stripe.onPaymentIntentSucceeded(),
    integrations: { stripe, gmail },
    run: async (event, io) => {
      const payment = event.data.object;
      const customerId = typeof payment.customer === "string" ? payment.customer : payment.customer?.id;
      const customer = customerId ? await io.stripe.customers.retrieve("customer", customerId) : undefined;
      const email =
        customer && !("deleted" in customer && customer.deleted)
          ? customer.email
          : (payment.receipt_email ?? null);
      if (!email) return { payment: payment.id };

      const amount = formatAmount(payment.amount_received, payment.currency);
      const sent = await io.gmail.sendEmail("receipt", {
        to: email,
        subject: `${shopName}: receipt for ${amount}`,
        text: `Thank you! We received ${amount}.\n\nPayment reference: ${payment.id}`,
        html: `<p>Thank you! We received <b>${amount}</b>.</p><p>Payment reference: <code>${payment.id}</code></p>`,
      });
      return { payment: payment.id, receipt: { id: sent.id, messageId: sent.messageId } };
    },
  });
}

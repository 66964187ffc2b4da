import { defineAction, integrationFor } from "@autoflow/actions";
import { z } from "zod";
import { Stripe } from "../index";
import { stripeAction } from "./stripe-action";

/** `stripe.createPaymentIntent` -> `paymentIntents.create`, sent once with the step's idempotency key. */
export const stripeCreatePaymentIntent = defineAction({
  ...stripeAction,
  key: "stripe.createPaymentIntent",
  name: "Create payment intent",
  description:
    "Creates a PaymentIntent; with a payment method and confirm, charges it at once. Never charges twice.",
  inputSchema: z.object({
    amount: z.number().int().positive().describe("Amount in the currency's smallest unit (cents for USD)"),
    currency: z.string().length(3).describe("Three-letter ISO currency code, lower case: usd, eur"),
    customer: z
      .string()
      .regex(/^cus_[A-Za-z0-9]+$/)
      .optional()
      .describe("The customer's id (cus_...)"),
    payment_method: z.string().min(1).optional().describe("The payment method to charge (pm_...)"),
    confirm: z.boolean().optional().describe("Confirm at once (charges the payment method)"),
  }),
  examples: [
    { amount: 2000, currency: "usd" },
    {
      amount: 4999,
      currency: "eur",
      customer: "cus_NffrFeUfNV2Hib",
      payment_method: "pm_card_visa",
      confirm: true,
    },
  ],
  outputSchema: z.object({ id: z.string(), status: z.string(), amount: z.number() }),
  run: async (ctx) => {
    const intent = await integrationFor(ctx, Stripe).paymentIntents.create(
      "paymentIntents.create",
      ctx.inputs,
    );
    return { id: intent.id, status: String(intent.status), amount: intent.amount };
  },
});

import { defineTrigger, type Schema, type ScopeCheckResult, type ScopeConnection } from "@autoflow/actions";
import type { WebhookTrigger } from "@autoflow/core";
import { z } from "zod";
import type { StripeClientOptions } from "../client";
import { type StripeEventType, stripeEventTrigger } from "./stripe-triggers";

type StripeTrigger = WebhookTrigger<unknown>;

const account = z
  .string()
  .regex(/^acct_[A-Za-z0-9]+$/, "must be a Stripe account id such as acct_1Abc")
  .describe("The Stripe account (acct_...) whose events start the workflow: the connection's own account");

/**
 * Whether the connection is the account the inputs name: its `accountId`, recorded when it was connected
 * (`GET /v1/account`, or Connect's `stripe_user_id`). A delivery then reaches the workflow only when it is that
 * account's: a Connect event names it (`account`), and an account's own event, which names none, arrived at the
 * endpoint the service created on that account (the manifest's `connectionTenant`).
 */
export async function checkStripeScope(
  inputs: { account: string },
  connection: ScopeConnection,
): Promise<ScopeCheckResult> {
  const connected = connection.metadata.accountId;
  return connected === inputs.account
    ? { ok: true, account: inputs.account }
    : {
        ok: false,
        field: "account",
        message: `the connection is Stripe account ${String(connected)}, not ${inputs.account}`,
      };
}

const accountScope = { fields: ["account"], check: checkStripeScope } as const;

/** The run payload: Stripe's event envelope, exactly these fields at the root; the object itself is Stripe's and loose. */
const eventPayload = (type: string, object: Schema) =>
  z.object({
    id: z.string().describe("The event id, the same on every retry and resend"),
    object: z.literal("event"),
    type: z.literal(type),
    api_version: z.string().nullable(),
    created: z.number().describe("Epoch seconds"),
    livemode: z.boolean(),
    account: z.string().optional().describe("The connected account the event happened on (Connect)"),
    pending_webhooks: z.number(),
    request: z.looseObject({ id: z.string().nullable(), idempotency_key: z.string().nullable() }).nullable(),
    data: z.object({ object, previous_attributes: z.looseObject({}).optional() }),
  });

function eventTrigger(spec: {
  key: string;
  type: StripeEventType;
  name: string;
  description: string;
  object: Schema;
}) {
  return defineTrigger({
    key: spec.key,
    name: spec.name,
    description: spec.description,
    provider: "stripe",
    inputSchema: z.object({ account }),
    examples: [{ account: "acct_1AcmeConnectedStd0" }, { account: "acct_1NzAbCdEfGhIjK" }],
    scope: accountScope,
    payloadSchema: eventPayload(spec.type, spec.object),
    // The endpoint is registered through the service's Stripe options (its API URL: the emulator in tests).
    create: (inputs, context): StripeTrigger =>
      stripeEventTrigger(
        spec.type,
        { account: inputs.account },
        spec.key,
        (context?.providers?.stripe ?? {}) as StripeClientOptions,
      ),
  });
}

/** `stripe.paymentIntentSucceeded`: a payment succeeded. */
export const stripePaymentIntentSucceeded = eventTrigger({
  key: "stripe.paymentIntentSucceeded",
  type: "payment_intent.succeeded",
  name: "Stripe payment succeeded",
  description: "Starts a run when a PaymentIntent succeeds on the connected account.",
  object: z.looseObject({
    id: z.string(),
    object: z.literal("payment_intent"),
    amount: z.number(),
    amount_received: z.number(),
    currency: z.string(),
    customer: z.string().nullable(),
    status: z.literal("succeeded"),
  }),
});

/** `stripe.checkoutSessionCompleted`: a customer completed a Checkout Session. */
export const stripeCheckoutSessionCompleted = eventTrigger({
  key: "stripe.checkoutSessionCompleted",
  type: "checkout.session.completed",
  name: "Stripe Checkout completed",
  description: "Starts a run when a customer completes a Checkout Session on the connected account.",
  object: z.looseObject({
    id: z.string(),
    object: z.literal("checkout.session"),
    mode: z.string(),
    payment_status: z.string(),
    customer: z.string().nullable(),
  }),
});

/** `stripe.invoicePaid`: an invoice was paid. */
export const stripeInvoicePaid = eventTrigger({
  key: "stripe.invoicePaid",
  type: "invoice.paid",
  name: "Stripe invoice paid",
  description: "Starts a run when an invoice is paid on the connected account.",
  object: z.looseObject({
    id: z.string(),
    object: z.literal("invoice"),
    customer: z.string().nullable(),
    amount_paid: z.number(),
    currency: z.string(),
  }),
});

/** `stripe.customerSubscriptionUpdated`: a subscription changed (`previous_attributes` says what). */
export const stripeCustomerSubscriptionUpdated = eventTrigger({
  key: "stripe.customerSubscriptionUpdated",
  type: "customer.subscription.updated",
  name: "Stripe subscription updated",
  description: "Starts a run when a subscription changes on the connected account.",
  object: z.looseObject({
    id: z.string(),
    object: z.literal("subscription"),
    customer: z.string(),
    status: z.string(),
  }),
});

/** Stripe's workflow trigger catalogue entries, in the order the builder lists them. */
export const stripeTriggers = [
  stripePaymentIntentSucceeded,
  stripeCheckoutSessionCompleted,
  stripeInvoicePaid,
  stripeCustomerSubscriptionUpdated,
] as const;

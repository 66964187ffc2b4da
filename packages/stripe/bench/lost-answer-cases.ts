/**
 * @module
 * Stripe's write tasks in the bench's "Effectively once" section: the emulator performs each request, then loses its
 * answer. Every one is sent with the task's Idempotency-Key, so the runtime repeats it and Stripe (the emulator)
 * answers the first answer again. Each case says how to set it up, which request loses its answer, how the task is
 * called, and how many times its side effect happened (1 is right).
 */
import type { StripeEmulator, StripeObject } from "@autoflow/emulators";
import type { Stripe } from "@autoflow/stripe";
import type { LostAnswerCase } from "../../../bench/src/provider-bench";

/** How many objects of `collection` carry `marker` in their metadata. */
export function marked(
  emulator: StripeEmulator,
  collection: Parameters<StripeEmulator["state"]["list"]>[0],
  marker: string,
): number {
  return emulator.state.list(
    collection,
    (o: StripeObject) => (o.metadata as Record<string, string> | undefined)?.marker === marker,
  ).length;
}

/** A PaymentIntent that succeeded, to refund. */
function paidIntent(emulator: StripeEmulator): string {
  const { state } = emulator;
  const id = state.newId("payment_intents");
  const charge = state.add("charges", {
    id: state.newId("charges"),
    object: "charge",
    amount: 5000,
    amount_refunded: 0,
    captured: true,
    currency: "usd",
    payment_intent: id,
  });
  state.add("payment_intents", {
    id,
    object: "payment_intent",
    amount: 5000,
    currency: "usd",
    latest_charge: charge.id,
    status: "succeeded",
  });
  return id;
}

// Every Stripe write sends the task's Idempotency-Key: Stripe answers a repeat with the first answer.
const NATIVE = "native" as const;

/** Every write case; all declared (target 0 duplicated, 0 lost). */
export const LOST_ANSWER_CASES: LostAnswerCase<{ stripe: Stripe }, StripeEmulator>[] = [
  {
    task: "paymentIntents.create",
    idempotency: NATIVE,
    match: () => ({ method: "POST", path: "/v1/payment_intents" }),
    prepare: (_e, trial) => ({ marker: `lost-charge-${trial}` }),
    call: (io, { marker }) =>
      io.stripe.paymentIntents.create("charge", {
        amount: 2000,
        currency: "usd",
        payment_method: "pm_card_visa",
        confirm: true,
        metadata: { marker: marker ?? "" },
      }),
    count: (e, { marker }) => marked(e, "payment_intents", marker ?? ""),
  },
  {
    task: "refunds.create",
    idempotency: NATIVE,
    match: () => ({ method: "POST", path: "/v1/refunds" }),
    prepare: (e, trial) => ({ marker: `lost-refund-${trial}`, intent: paidIntent(e) }),
    call: (io, { marker, intent }) =>
      io.stripe.refunds.create("refund", {
        payment_intent: intent ?? "",
        amount: 100,
        metadata: { marker: marker ?? "" },
      }),
    count: (e, { marker }) => marked(e, "refunds", marker ?? ""),
  },
  {
    task: "customers.create",
    idempotency: NATIVE,
    match: () => ({ method: "POST", path: "/v1/customers" }),
    prepare: (_e, trial) => ({ marker: `lost-customer-${trial}` }),
    call: (io, { marker }) => io.stripe.customers.create("customer", { metadata: { marker: marker ?? "" } }),
    count: (e, { marker }) => marked(e, "customers", marker ?? ""),
  },
];

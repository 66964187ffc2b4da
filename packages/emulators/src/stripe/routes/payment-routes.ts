import type { EmulatorResponse } from "../../shared/types";
import type { StripeApi, StripeCall, StripeRouteRegistrar } from "../stripe-api";
import { flag, integer, list, mergeMetadata, object, text } from "../stripe-form";
import type { StripeObject, StripeObjects } from "../stripe-state";
import { invalidParam, listPage, missingParam, noSuchObject, stripeError } from "../stripe-wire";
import { listAnswer, pageQuery, unknownCustomer } from "./customer-routes";

/**
 * Stripe's test payment methods and what confirming with each does: `pm_card_visa` (and any other) succeeds, the
 * declining ones answer a `card_error` with their decline code.
 * @see https://docs.stripe.com/testing#declined-payments
 */
export const DECLINING_PAYMENT_METHODS: Readonly<Record<string, { code: string; decline_code?: string }>> = {
  pm_card_chargeDeclined: { code: "card_declined", decline_code: "generic_decline" },
  pm_card_chargeDeclinedInsufficientFunds: { code: "card_declined", decline_code: "insufficient_funds" },
  pm_card_chargeDeclinedLostCard: { code: "card_declined", decline_code: "lost_card" },
  pm_card_chargeDeclinedExpiredCard: { code: "expired_card" },
};

function paymentIntent(
  state: StripeObjects,
  call: StripeCall,
  amount: number,
  currency: string,
): StripeObject {
  const { form } = call;
  const id = state.newId("payment_intents");
  return {
    id,
    object: "payment_intent",
    amount,
    amount_capturable: 0,
    amount_received: 0,
    application: null,
    automatic_payment_methods: object(form, "automatic_payment_methods") ? { enabled: true } : null,
    canceled_at: null,
    cancellation_reason: null,
    capture_method: text(form, "capture_method") ?? "automatic",
    client_secret: `${id}_secret_${state.newId("customers").slice(4)}`,
    confirmation_method: text(form, "confirmation_method") ?? "automatic",
    created: state.seconds(),
    currency,
    customer: text(form, "customer") ?? null,
    description: text(form, "description") ?? null,
    last_payment_error: null,
    latest_charge: null,
    livemode: call.key.livemode,
    metadata: mergeMetadata({}, form),
    payment_method: text(form, "payment_method") ?? null,
    payment_method_types: list(form, "payment_method_types").filter((t) => typeof t === "string").length
      ? list(form, "payment_method_types")
      : ["card"],
    receipt_email: text(form, "receipt_email") ?? null,
    status: "requires_payment_method",
  };
}

/**
 * Confirms `intent` with its payment method, as Stripe's test mode does: a declining test card fails the payment
 * (`card_error` 402, the intent back to `requires_payment_method` with `last_payment_error`), any other succeeds
 * (or waits for capture with `capture_method: manual`). Emits what Stripe emits.
 */
function confirm(intent: StripeObject, call: StripeCall, api: StripeApi): StripeObject | EmulatorResponse {
  const method = intent.payment_method;
  if (typeof method !== "string") {
    return stripeError(
      400,
      "invalid_request_error",
      "You cannot confirm this PaymentIntent because it's missing a payment method.",
      { code: "payment_intent_unexpected_state", param: "payment_method" },
    );
  }
  const decline = DECLINING_PAYMENT_METHODS[method];
  if (decline) {
    const message = decline.code === "expired_card" ? "Your card has expired." : "Your card was declined.";
    intent.status = "requires_payment_method";
    intent.last_payment_error = { type: "card_error", message, ...decline };
    api.emit("payment_intent.payment_failed", intent, call);
    return stripeError(402, "card_error", message, { ...decline, payment_intent: intent });
  }
  const charge = api.state.add("charges", {
    id: api.state.newId("charges"),
    object: "charge",
    amount: intent.amount,
    amount_refunded: 0,
    captured: intent.capture_method !== "manual",
    created: api.state.seconds(),
    currency: intent.currency,
    payment_intent: intent.id,
    refunded: false,
    status: "succeeded",
  });
  intent.latest_charge = charge.id;
  intent.last_payment_error = null;
  if (intent.capture_method === "manual") {
    intent.status = "requires_capture";
    intent.amount_capturable = intent.amount;
    api.emit("payment_intent.amount_capturable_updated", intent, call);
  } else {
    intent.status = "succeeded";
    intent.amount_received = intent.amount;
    api.emit("payment_intent.succeeded", intent, call);
  }
  return intent;
}

function findIntent(state: StripeObjects, call: StripeCall): StripeObject | EmulatorResponse {
  const id = call.params.intent ?? "";
  return state.get("payment_intents", id) ?? noSuchObject("payment_intent", id, "intent");
}

function unexpectedState(intent: StripeObject, action: string): EmulatorResponse {
  return stripeError(
    400,
    "invalid_request_error",
    `You cannot ${action} this PaymentIntent because it has a status of ${String(intent.status)}.`,
    { code: "payment_intent_unexpected_state", payment_intent: intent },
  );
}

/** `paymentIntents` (create, retrieve, update, confirm, capture, cancel, list) and `refunds` (create, retrieve). */
export function registerPaymentRoutes(route: StripeRouteRegistrar): void {
  route("POST", "/v1/payment_intents", (call, api) => {
    const amount = integer(call.form, "amount");
    if (amount === undefined) return missingParam("amount");
    if (amount < 1) return invalidParam("amount", "Amount must be at least 1 (the smallest currency unit).");
    const currency = text(call.form, "currency");
    if (!currency) return missingParam("currency");
    const noCustomer = unknownCustomer(api.state, call.form);
    if (noCustomer) return noCustomer;
    const intent = api.state.add("payment_intents", paymentIntent(api.state, call, amount, currency));
    if (typeof intent.payment_method === "string") intent.status = "requires_confirmation";
    api.emit("payment_intent.created", intent, call);
    return flag(call.form, "confirm") ? confirm(intent, call, api) : intent;
  });

  route("GET", "/v1/payment_intents", (call, { state }) => {
    const customer = text(call.form, "customer");
    const all = state.list("payment_intents", (pi) => customer === undefined || pi.customer === customer);
    return listAnswer(listPage(all, pageQuery(call.form), "/v1/payment_intents"));
  });

  route("GET", "/v1/payment_intents/:intent", (call, { state }) => findIntent(state, call));

  route("POST", "/v1/payment_intents/:intent", (call, api) => {
    const intent = findIntent(api.state, call);
    if (!("object" in intent)) return intent;
    if (intent.status === "succeeded" || intent.status === "canceled")
      return unexpectedState(intent, "update");
    const previous: Record<string, unknown> = {};
    const amount = integer(call.form, "amount");
    if (amount !== undefined) {
      previous.amount = intent.amount;
      intent.amount = amount;
    }
    for (const field of ["currency", "customer", "description", "payment_method", "receipt_email"]) {
      const value = text(call.form, field);
      if (value === undefined) continue;
      previous[field] = intent[field];
      intent[field] = value === "" ? null : value;
    }
    if (object(call.form, "metadata")) {
      previous.metadata = intent.metadata;
      intent.metadata = mergeMetadata(intent.metadata as Record<string, string>, call.form);
    }
    if (typeof intent.payment_method === "string" && intent.status === "requires_payment_method") {
      intent.status = "requires_confirmation";
    }
    return intent;
  });

  route("POST", "/v1/payment_intents/:intent/confirm", (call, api) => {
    const intent = findIntent(api.state, call);
    if (!("object" in intent)) return intent;
    if (
      !["requires_payment_method", "requires_confirmation", "requires_action"].includes(String(intent.status))
    ) {
      return unexpectedState(intent, "confirm");
    }
    const method = text(call.form, "payment_method");
    if (method) intent.payment_method = method;
    return confirm(intent, call, api);
  });

  route("POST", "/v1/payment_intents/:intent/capture", (call, api) => {
    const intent = findIntent(api.state, call);
    if (!("object" in intent)) return intent;
    if (intent.status !== "requires_capture") return unexpectedState(intent, "capture");
    const amount = integer(call.form, "amount_to_capture") ?? (intent.amount_capturable as number);
    intent.amount_received = amount;
    intent.amount_capturable = 0;
    intent.status = "succeeded";
    const charge = api.state.get("charges", String(intent.latest_charge));
    if (charge) Object.assign(charge, { captured: true, amount });
    api.emit("payment_intent.succeeded", intent, call);
    return intent;
  });

  route("POST", "/v1/payment_intents/:intent/cancel", (call, api) => {
    const intent = findIntent(api.state, call);
    if (!("object" in intent)) return intent;
    if (intent.status === "succeeded" || intent.status === "canceled")
      return unexpectedState(intent, "cancel");
    intent.status = "canceled";
    intent.canceled_at = api.state.seconds();
    intent.cancellation_reason = text(call.form, "cancellation_reason") ?? null;
    intent.amount_capturable = 0;
    api.emit("payment_intent.canceled", intent, call);
    return intent;
  });

  route("POST", "/v1/refunds", (call, api) => refund(call, api));

  route("GET", "/v1/refunds/:refund", (call, { state }) => {
    const id = call.params.refund ?? "";
    return state.get("refunds", id) ?? noSuchObject("refund", id, "refund");
  });
}

/** A refund of a payment intent's (or a charge's) captured amount, whole by default. */
function refund(call: StripeCall, api: StripeApi): StripeObject | EmulatorResponse {
  const { state } = api;
  const intentId = text(call.form, "payment_intent");
  const chargeId = text(call.form, "charge");
  if (!intentId && !chargeId) return missingParam("charge");
  const intent = intentId ? state.get("payment_intents", intentId) : undefined;
  if (intentId && !intent) return noSuchObject("payment_intent", intentId, "payment_intent");
  const charge = state.get("charges", chargeId ?? String(intent?.latest_charge ?? ""));
  if (!charge || (intent && intent.status !== "succeeded")) {
    return stripeError(
      400,
      "invalid_request_error",
      `This PaymentIntent (${intentId}) does not have a successful charge to refund.`,
      { code: "charge_not_refundable", param: intentId ? "payment_intent" : "charge" },
    );
  }
  const left = (charge.amount as number) - (charge.amount_refunded as number);
  const amount = integer(call.form, "amount") ?? left;
  if (amount > left || amount < 1) {
    return stripeError(
      400,
      "invalid_request_error",
      `Refund amount (${amount}) is greater than unrefunded amount on charge (${left})`,
      { code: "amount_too_large", param: "amount" },
    );
  }
  charge.amount_refunded = (charge.amount_refunded as number) + amount;
  charge.refunded = charge.amount_refunded === charge.amount;
  const created = state.add("refunds", {
    id: state.newId("refunds"),
    object: "refund",
    amount,
    balance_transaction: null,
    charge: charge.id,
    created: state.seconds(),
    currency: charge.currency,
    metadata: mergeMetadata({}, call.form),
    payment_intent: charge.payment_intent ?? null,
    reason: text(call.form, "reason") ?? null,
    receipt_number: null,
    source_transfer_reversal: null,
    status: "succeeded",
    transfer_reversal: null,
  });
  api.emit("refund.created", created, call);
  api.emit("charge.refunded", charge, call);
  return created;
}

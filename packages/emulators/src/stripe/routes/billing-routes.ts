import type { EmulatorResponse } from "../../shared/types";
import type { StripeApi, StripeCall, StripeRouteRegistrar } from "../stripe-api";
import { type FormObject, flag, integer, list, mergeMetadata, object, text } from "../stripe-form";
import type { StripeObject, StripeObjects } from "../stripe-state";
import { listPage, missingParam, noSuchObject, stripeError } from "../stripe-wire";
import { findCustomer, listAnswer, pageQuery } from "./customer-routes";

const DAY = 86_400;
const INTERVAL_SECONDS: Readonly<Record<string, number>> = {
  day: DAY,
  week: 7 * DAY,
  month: 30 * DAY,
  year: 365 * DAY,
};

function invoice(
  state: StripeObjects,
  call: StripeCall,
  customer: StripeObject,
  form: FormObject,
): StripeObject {
  const id = state.newId("invoices");
  const now = state.seconds();
  return {
    id,
    object: "invoice",
    account_country: "US",
    account_name: "Acme Platform",
    amount_due: 0,
    amount_paid: 0,
    amount_remaining: 0,
    amount_shipping: 0,
    attempt_count: 0,
    attempted: false,
    auto_advance: flag(form, "auto_advance") ?? false,
    automatic_tax: { enabled: false, status: null },
    billing_reason: "manual",
    collection_method: text(form, "collection_method") ?? "charge_automatically",
    created: now,
    currency: text(form, "currency") ?? "usd",
    customer: customer.id,
    customer_email: customer.email ?? null,
    customer_name: customer.name ?? null,
    days_until_due: integer(form, "days_until_due") ?? null,
    default_tax_rates: [],
    description: text(form, "description") ?? null,
    hosted_invoice_url: null,
    lines: { object: "list", data: [], has_more: false, url: `/v1/invoices/${id}/lines` },
    livemode: call.key.livemode,
    metadata: mergeMetadata({}, form),
    number: null,
    paid: false,
    paid_out_of_band: false,
    payment_settings: { default_mandate: null, payment_method_options: null, payment_method_types: null },
    period_end: now,
    period_start: now,
    post_payment_credit_notes_amount: 0,
    pre_payment_credit_notes_amount: 0,
    starting_balance: 0,
    status: "draft",
    status_transitions: { finalized_at: null, marked_uncollectible_at: null, paid_at: null, voided_at: null },
    subscription: null,
    subtotal: 0,
    total: 0,
    total_tax_amounts: [],
  };
}

function finalize(found: StripeObject, api: StripeApi, call: StripeCall): void {
  found.status = "open";
  found.number = `${String(found.id).slice(3, 11).toUpperCase()}-0001`;
  found.hosted_invoice_url = `https://invoice.stripe.com/i/${found.id}`;
  found.amount_remaining = found.amount_due;
  (found.status_transitions as Record<string, unknown>).finalized_at = api.state.seconds();
  api.emit("invoice.finalized", found, call);
}

function markPaid(found: StripeObject, api: StripeApi, call: StripeCall): void {
  found.status = "paid";
  found.paid = true;
  found.attempted = true;
  found.attempt_count = (found.attempt_count as number) + 1;
  found.amount_paid = found.amount_due;
  found.amount_remaining = 0;
  (found.status_transitions as Record<string, unknown>).paid_at = api.state.seconds();
  api.emit("invoice.paid", found, call);
}

function findInvoice(state: StripeObjects, call: StripeCall): StripeObject | EmulatorResponse {
  const id = call.params.invoice ?? "";
  return state.get("invoices", id) ?? noSuchObject("invoice", id, "invoice");
}

function invoiceState(found: StripeObject, action: string): EmulatorResponse {
  return stripeError(
    400,
    "invalid_request_error",
    `You can only ${action}; this invoice is ${String(found.status)}.`,
    {
      code: "invoice_unexpected_state",
    },
  );
}

/** The subscription's items as Stripe answers them: a list of `subscription_item`s, each with its price. */
function subscriptionItems(
  state: StripeObjects,
  subscriptionId: string,
  form: FormObject,
): StripeObject[] | EmulatorResponse {
  const items: StripeObject[] = [];
  for (const [i, raw] of list(form, "items").entries()) {
    const item = typeof raw === "object" && !Array.isArray(raw) ? raw : {};
    const priceId = text(item, "price");
    if (!priceId) return missingParam(`items[${i}][price]`);
    const price = state.get("prices", priceId);
    if (!price) return noSuchObject("price", priceId, `items[${i}][price]`);
    items.push(
      state.add("subscription_items", {
        id: state.newId("subscription_items"),
        object: "subscription_item",
        created: state.seconds(),
        metadata: {},
        price,
        quantity: integer(item, "quantity") ?? 1,
        subscription: subscriptionId,
        tax_rates: [],
      }),
    );
  }
  return items;
}

function findSubscription(state: StripeObjects, call: StripeCall): StripeObject | EmulatorResponse {
  const id = call.params.subscription ?? "";
  return state.get("subscriptions", id) ?? noSuchObject("subscription", id, "subscription_exposed_id");
}

/** `subscriptions` (create, retrieve, update, cancel, list) and `invoices` (create, retrieve, finalize, pay, send, list). */
export function registerBillingRoutes(route: StripeRouteRegistrar): void {
  route("POST", "/v1/subscriptions", (call, api) => {
    const { state } = api;
    const customerId = text(call.form, "customer");
    if (!customerId) return missingParam("customer");
    const customer = findCustomer(state, customerId);
    if (!("object" in customer)) return customer;
    if (list(call.form, "items").length === 0) return missingParam("items");
    const id = state.newId("subscriptions");
    const items = subscriptionItems(state, id, call.form);
    if (!Array.isArray(items)) return items;
    const now = state.seconds();
    const first = items[0]?.price as StripeObject;
    const recurring = first.recurring as { interval?: string } | null;
    const period = INTERVAL_SECONDS[recurring?.interval ?? "month"] ?? 30 * DAY;
    const subscription: StripeObject = state.add("subscriptions", {
      id,
      object: "subscription",
      application: null,
      automatic_tax: { enabled: false },
      billing_cycle_anchor: now,
      cancel_at: null,
      cancel_at_period_end: false,
      canceled_at: null,
      collection_method: text(call.form, "collection_method") ?? "charge_automatically",
      created: now,
      currency: first.currency,
      current_period_end: now + period,
      current_period_start: now,
      customer: customerId,
      default_payment_method: text(call.form, "default_payment_method") ?? null,
      description: text(call.form, "description") ?? null,
      ended_at: null,
      items: {
        object: "list",
        data: items,
        has_more: false,
        url: `/v1/subscription_items?subscription=${id}`,
      },
      latest_invoice: null,
      livemode: call.key.livemode,
      metadata: mergeMetadata({}, call.form),
      start_date: now,
      status: "active",
      trial_end: null,
      trial_start: null,
    });
    api.emit("customer.subscription.created", subscription, call);
    // The first period's invoice, paid at once (test mode, a default payment method assumed).
    const first_invoice = state.add(
      "invoices",
      invoice(state, call, customer, { currency: String(first.currency) }),
    );
    const total = items.reduce(
      (sum, item) =>
        sum + (((item.price as StripeObject).unit_amount as number) ?? 0) * (item.quantity as number),
      0,
    );
    Object.assign(first_invoice, {
      amount_due: total,
      subtotal: total,
      total,
      subscription: id,
      billing_reason: "subscription_create",
      period_start: now,
      period_end: now,
    });
    api.emit("invoice.created", first_invoice, call);
    finalize(first_invoice, api, call);
    markPaid(first_invoice, api, call);
    subscription.latest_invoice = first_invoice.id;
    return subscription;
  });

  route("GET", "/v1/subscriptions", (call, { state }) => {
    const customer = text(call.form, "customer");
    const status = text(call.form, "status");
    const all = state.list(
      "subscriptions",
      (s) =>
        (customer === undefined || s.customer === customer) &&
        (status === "all" || (status === undefined ? s.status !== "canceled" : s.status === status)),
    );
    return listAnswer(listPage(all, pageQuery(call.form), "/v1/subscriptions"));
  });

  route("GET", "/v1/subscriptions/:subscription", (call, { state }) => findSubscription(state, call));

  route("POST", "/v1/subscriptions/:subscription", (call, api) => {
    const found = findSubscription(api.state, call);
    if (!("object" in found)) return found;
    if (found.status === "canceled") {
      return stripeError(
        400,
        "invalid_request_error",
        "A canceled subscription can only update its metadata.",
        {
          code: "resource_missing",
        },
      );
    }
    const previous: Record<string, unknown> = {};
    const atPeriodEnd = flag(call.form, "cancel_at_period_end");
    if (atPeriodEnd !== undefined) {
      previous.cancel_at_period_end = found.cancel_at_period_end;
      found.cancel_at_period_end = atPeriodEnd;
      found.cancel_at = atPeriodEnd ? found.current_period_end : null;
    }
    for (const field of ["description", "default_payment_method", "collection_method"]) {
      const value = text(call.form, field);
      if (value === undefined) continue;
      previous[field] = found[field];
      found[field] = value === "" ? null : value;
    }
    if (object(call.form, "metadata")) {
      previous.metadata = found.metadata;
      found.metadata = mergeMetadata(found.metadata as Record<string, string>, call.form);
    }
    if (list(call.form, "items").length > 0) {
      const items = subscriptionItems(api.state, found.id, call.form);
      if (!Array.isArray(items)) return items;
      previous.items = found.items;
      found.items = { ...(found.items as object), data: items };
    }
    api.emit("customer.subscription.updated", found, call, previous);
    return found;
  });

  route("DELETE", "/v1/subscriptions/:subscription", (call, api) => {
    const found = findSubscription(api.state, call);
    if (!("object" in found)) return found;
    if (found.status === "canceled") {
      return stripeError(404, "invalid_request_error", `No such subscription: '${found.id}'`, {
        code: "resource_missing",
        param: "id",
      });
    }
    found.status = "canceled";
    found.canceled_at = api.state.seconds();
    found.ended_at = found.canceled_at;
    api.emit("customer.subscription.deleted", found, call);
    return found;
  });

  route("POST", "/v1/invoices", (call, api) => {
    const customerId = text(call.form, "customer");
    if (!customerId) return missingParam("customer");
    const customer = findCustomer(api.state, customerId);
    if (!("object" in customer)) return customer;
    const created = api.state.add("invoices", invoice(api.state, call, customer, call.form));
    api.emit("invoice.created", created, call);
    return created;
  });

  route("GET", "/v1/invoices", (call, { state }) => {
    const customer = text(call.form, "customer");
    const status = text(call.form, "status");
    const subscription = text(call.form, "subscription");
    const all = state.list(
      "invoices",
      (i) =>
        (customer === undefined || i.customer === customer) &&
        (status === undefined || i.status === status) &&
        (subscription === undefined || i.subscription === subscription),
    );
    return listAnswer(listPage(all, pageQuery(call.form), "/v1/invoices"));
  });

  route("GET", "/v1/invoices/:invoice", (call, { state }) => findInvoice(state, call));

  route("POST", "/v1/invoices/:invoice/finalize", (call, api) => {
    const found = findInvoice(api.state, call);
    if (!("object" in found)) return found;
    if (found.status !== "draft") return invoiceState(found, "finalize a draft invoice");
    finalize(found, api, call);
    return found;
  });

  route("POST", "/v1/invoices/:invoice/pay", (call, api) => {
    const found = findInvoice(api.state, call);
    if (!("object" in found)) return found;
    if (found.status === "draft") finalize(found, api, call);
    if (found.status !== "open") return invoiceState(found, "pay an open invoice");
    if (flag(call.form, "paid_out_of_band")) found.paid_out_of_band = true;
    markPaid(found, api, call);
    return found;
  });

  route("POST", "/v1/invoices/:invoice/send", (call, api) => {
    const found = findInvoice(api.state, call);
    if (!("object" in found)) return found;
    if (found.collection_method !== "send_invoice") {
      return stripeError(
        400,
        "invalid_request_error",
        "You can only manually send an invoice if its collection method is 'send_invoice'.",
        { code: "invoice_unexpected_state" },
      );
    }
    if (found.status === "draft") finalize(found, api, call);
    if (found.status !== "open") return invoiceState(found, "send an open invoice");
    api.emit("invoice.sent", found, call);
    return found;
  });
}

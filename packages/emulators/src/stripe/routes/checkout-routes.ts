import type { EmulatorResponse } from "../../shared/types";
import type { StripeRouteRegistrar } from "../stripe-api";
import { integer, list, mergeMetadata, text } from "../stripe-form";
import type { StripeObject } from "../stripe-state";
import { missingParam, noSuchObject, stripeError } from "../stripe-wire";
import { unknownCustomer } from "./customer-routes";

const SESSION_LIFETIME_SECONDS = 24 * 3600;

/** `checkout.sessions`: create, retrieve and expire; `completeCheckoutSession` (a test control) pays one. */
export function registerCheckoutRoutes(route: StripeRouteRegistrar, webUrl: () => string): void {
  route("POST", "/v1/checkout/sessions", (call, { state }) => {
    const mode = text(call.form, "mode");
    if (!mode) return missingParam("mode");
    if (!["payment", "setup", "subscription"].includes(mode)) {
      return stripeError(
        400,
        "invalid_request_error",
        `Invalid mode: must be one of payment, setup, or subscription`,
        {
          code: "parameter_invalid_string",
          param: "mode",
        },
      );
    }
    const noCustomer = unknownCustomer(state, call.form);
    if (noCustomer) return noCustomer;
    let total = 0;
    let currency = text(call.form, "currency") ?? null;
    for (const [i, raw] of list(call.form, "line_items").entries()) {
      const item = typeof raw === "object" && !Array.isArray(raw) ? raw : {};
      const priceId = text(item, "price");
      const price = priceId ? state.get("prices", priceId) : undefined;
      if (priceId && !price) return noSuchObject("price", priceId, `line_items[${i}][price]`);
      total += ((price?.unit_amount as number | null) ?? 0) * (integer(item, "quantity") ?? 1);
      currency ??= (price?.currency as string | undefined) ?? null;
    }
    const id = state.newId("checkout_sessions");
    const now = state.seconds();
    const session = state.add("checkout_sessions", {
      id,
      object: "checkout.session",
      amount_subtotal: total,
      amount_total: total,
      automatic_tax: { enabled: false, status: null },
      cancel_url: text(call.form, "cancel_url") ?? null,
      client_reference_id: text(call.form, "client_reference_id") ?? null,
      created: now,
      currency,
      custom_fields: [],
      custom_text: { shipping_address: null, submit: null },
      customer: text(call.form, "customer") ?? null,
      customer_email: text(call.form, "customer_email") ?? null,
      expires_at: integer(call.form, "expires_at") ?? now + SESSION_LIFETIME_SECONDS,
      livemode: call.key.livemode,
      metadata: mergeMetadata({}, call.form),
      mode,
      payment_intent: null,
      payment_method_types: ["card"],
      payment_status: mode === "setup" ? "no_payment_required" : "unpaid",
      shipping_options: [],
      status: "open",
      subscription: null,
      success_url: text(call.form, "success_url") ?? null,
      url: `${webUrl()}/c/pay/${id}`,
    });
    return session;
  });

  route("GET", "/v1/checkout/sessions/:session", (call, { state }) => {
    const id = call.params.session ?? "";
    return state.get("checkout_sessions", id) ?? noSuchObject("checkout.session", id, "session");
  });

  route(
    "POST",
    "/v1/checkout/sessions/:session/expire",
    (call, { state, emit }): StripeObject | EmulatorResponse => {
      const id = call.params.session ?? "";
      const session = state.get("checkout_sessions", id);
      if (!session) return noSuchObject("checkout.session", id, "session");
      if (session.status !== "open") {
        return stripeError(
          400,
          "invalid_request_error",
          `Only Checkout Sessions with a status in ["open"] can be expired. This Checkout Session has a status of "${String(session.status)}".`,
          { code: "checkout_session_unexpected_state" },
        );
      }
      session.status = "expired";
      session.url = null;
      emit("checkout.session.expired", session, call);
      return session;
    },
  );
}

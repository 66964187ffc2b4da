import type { RequestViolation } from "../shared/request-validation";
import type { SpecFormats } from "../shared/spec-ajv";
import { loadApiDescription } from "../shared/spec-document";
import type { EmulatorResponse } from "../shared/types";
import { stripeError } from "./stripe-wire";

/**
 * Stripe's whole v1 description (`specs/stripe/api-all.json`, from the pinned `spec3.yaml`, API version
 * 2023-08-16): what the spec fallback answers and validates against.
 */
export function stripeDescription() {
  return loadApiDescription("stripe", "api-all.json");
}

/**
 * Stripe's own formats in its description: `unix-time` on its integer timestamps (a format ajv checks only on
 * strings, so any integer passes) and `decimal` on amounts sent as text (`unit_amount_decimal`).
 */
export const STRIPE_FORMATS: SpecFormats = {
  "unix-time": { pattern: /^\d+$/, sample: "1700000000" },
  decimal: { pattern: /^-?\d+(?:\.\d+)?$/, sample: "1500" },
};

/**
 * The operations the emulator serves with state (`routes/*.ts`), as `METHOD /path` of the description: the
 * conformance test calls each through the `stripe` SDK and validates the answers against the description.
 */
export const STRIPE_OPERATIONS = [
  "GET /v1/account",
  "GET /v1/balance",
  "POST /v1/customers",
  "GET /v1/customers",
  "GET /v1/customers/search",
  "GET /v1/customers/{customer}",
  "POST /v1/customers/{customer}",
  "DELETE /v1/customers/{customer}",
  "POST /v1/payment_intents",
  "GET /v1/payment_intents",
  "GET /v1/payment_intents/{intent}",
  "POST /v1/payment_intents/{intent}",
  "POST /v1/payment_intents/{intent}/confirm",
  "POST /v1/payment_intents/{intent}/capture",
  "POST /v1/payment_intents/{intent}/cancel",
  "POST /v1/checkout/sessions",
  "GET /v1/checkout/sessions/{session}",
  "POST /v1/checkout/sessions/{session}/expire",
  "POST /v1/subscriptions",
  "GET /v1/subscriptions",
  "GET /v1/subscriptions/{subscription_exposed_id}",
  "POST /v1/subscriptions/{subscription_exposed_id}",
  "DELETE /v1/subscriptions/{subscription_exposed_id}",
  "POST /v1/invoices",
  "GET /v1/invoices",
  "GET /v1/invoices/{invoice}",
  "POST /v1/invoices/{invoice}/finalize",
  "POST /v1/invoices/{invoice}/pay",
  "POST /v1/invoices/{invoice}/send",
  "POST /v1/refunds",
  "GET /v1/refunds/{refund}",
  "POST /v1/products",
  "GET /v1/products",
  "GET /v1/products/{id}",
  "POST /v1/prices",
  "GET /v1/prices",
  "GET /v1/prices/{price}",
  "POST /v1/webhook_endpoints",
  "GET /v1/webhook_endpoints",
  "GET /v1/webhook_endpoints/{webhook_endpoint}",
  "DELETE /v1/webhook_endpoints/{webhook_endpoint}",
  "GET /v1/events",
  "GET /v1/events/{id}",
] as const;

/**
 * Where the pinned description (API version 2023-08-16) is older than the SDK's pinned version and the emulator
 * accepts what the SDK sends, as `METHOD /path field` with why. Listed in the emulators README as accepted
 * differences.
 */
export const STRIPE_ACCEPTED_DIFFERENCES: Readonly<Record<string, string>> = {
  // The description's enum of API versions ends at 2023-08-16; the SDK pins a newer one (`2026-11-18.endive`).
  "POST /v1/webhook_endpoints api_version": "API versions newer than the description",
};

/** Whether a violation is one of the accepted differences (the description's age, not the caller's mistake). */
export function stripeDifferenceAccepted(violation: RequestViolation): boolean {
  return `${violation.operation} ${violation.field}` in STRIPE_ACCEPTED_DIFFERENCES;
}

/** Stripe's answer to a request that breaks the description: 400 `invalid_request_error` naming the first parameter. */
export function stripeInvalidRequest(violations: RequestViolation[]): EmulatorResponse {
  const [first] = violations;
  const param = first?.field ?? "";
  if (first?.code === "missing_field") {
    return stripeError(400, "invalid_request_error", `Missing required param: ${param}.`, {
      code: "parameter_missing",
      param,
    });
  }
  const message = first?.message ?? `Invalid ${param}`;
  const unknown = message.startsWith("Received unknown parameter");
  return stripeError(400, "invalid_request_error", message, {
    code: unknown ? "parameter_unknown" : "parameter_invalid",
    param,
  });
}

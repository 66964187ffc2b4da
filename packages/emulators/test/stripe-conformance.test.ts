import Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { STRIPE_OPERATIONS, StripeEmulator } from "../src/index";
import { newSpecAjv, withoutNullable } from "../src/shared/spec-ajv";
import { STRIPE_FORMATS } from "../src/stripe/stripe-spec";
import { loadDerivedSpec, OperationValidator } from "./openapi-conformance";
import { WebhookReceiver } from "./webhook-receiver";

// Stripe's description (`specs/stripe/api-all.json`, API version 2023-08-16), as cut by stripe-spec-subset.mjs.
const description = loadDerivedSpec("stripe", "api-all.json");
const api = new OperationValidator(description, undefined, STRIPE_FORMATS);
const emulator = new StripeEmulator();
const violations: string[] = [];
const exercised = new Set<string>();

/** The SDK's fetch, checking every answer (errors too) against the operation's response schema. */
const checkedFetch: typeof fetch = async (input, init) => {
  const response = await fetch(input, init);
  const url = new URL(String(input));
  const method = init?.method ?? "GET";
  // A literal path (`/v1/customers/search`) before a template it also matches (`/v1/customers/{customer}`).
  const literal = `${method} ${url.pathname}`;
  const operation = api.operations.includes(literal) ? literal : api.operationOf(method, url.pathname);
  const text = await response.clone().text();
  if (!operation) violations.push(`${init?.method} ${url.pathname}: not a described operation`);
  else {
    exercised.add(operation);
    const status = response.status === 200 ? 200 : "default";
    violations.push(...api.validateResponse(operation, status, JSON.parse(text)));
  }
  return response;
};

function sdk(): Stripe {
  const url = new URL(emulator.apiUrl);
  return new Stripe(emulator.mintToken(), {
    host: url.hostname,
    port: url.port,
    protocol: "http",
    maxNetworkRetries: 0,
    httpClient: Stripe.createFetchHttpClient(checkedFetch),
  });
}

beforeAll(() => emulator.start());
afterAll(() => emulator.stop());

describe("the Stripe emulator against Stripe's description", () => {
  it("answers every operation it serves with state as described, errors included", async () => {
    const receiver = new WebhookReceiver();
    const hookUrl = await receiver.start();
    const stripe = sdk();
    try {
      await stripe.accounts.retrieveCurrent();
      await stripe.balance.retrieve();
      const endpoint = await stripe.webhookEndpoints.create({ url: hookUrl, enabled_events: ["*"] });
      const customer = await stripe.customers.create({ email: "c@example.com", metadata: { a: "b" } });
      await stripe.customers.update(customer.id, { name: "C" });
      await stripe.customers.retrieve(customer.id);
      await stripe.customers.list({ limit: 1 });
      await stripe.customers.search({ query: "email:'c@example.com'" });
      const product = await stripe.products.create({ name: "Pro" });
      await stripe.products.retrieve(product.id);
      await stripe.products.list();
      const price = await stripe.prices.create({
        product: product.id,
        currency: "usd",
        unit_amount: 1000,
        recurring: { interval: "month" },
      });
      await stripe.prices.retrieve(price.id);
      await stripe.prices.list();
      const paid = await stripe.paymentIntents.create({
        amount: 1000,
        currency: "usd",
        customer: customer.id,
        payment_method: "pm_card_visa",
        confirm: true,
      });
      await stripe.paymentIntents.retrieve(paid.id);
      await stripe.paymentIntents.list();
      const manual = await stripe.paymentIntents.create({
        amount: 500,
        currency: "usd",
        capture_method: "manual",
      });
      await stripe.paymentIntents.update(manual.id, { description: "later" });
      await stripe.paymentIntents.confirm(manual.id, { payment_method: "pm_card_visa" });
      await stripe.paymentIntents.capture(manual.id);
      const other = await stripe.paymentIntents.create({ amount: 300, currency: "usd" });
      await stripe.paymentIntents.cancel(other.id);
      await stripe.paymentIntents
        .create({ amount: 300, currency: "usd", payment_method: "pm_card_chargeDeclined", confirm: true })
        .catch(() => undefined);
      const refund = await stripe.refunds.create({ payment_intent: paid.id });
      await stripe.refunds.retrieve(refund.id);
      const session = await stripe.checkout.sessions.create({
        mode: "payment",
        line_items: [{ price: price.id, quantity: 1 }],
        success_url: "https://example.com/ok",
      });
      await stripe.checkout.sessions.retrieve(session.id);
      await stripe.checkout.sessions.expire(session.id);
      const subscription = await stripe.subscriptions.create({
        customer: customer.id,
        items: [{ price: price.id }],
      });
      await stripe.subscriptions.retrieve(subscription.id);
      await stripe.subscriptions.update(subscription.id, { cancel_at_period_end: true });
      await stripe.subscriptions.list();
      await stripe.subscriptions.cancel(subscription.id);
      const invoice = await stripe.invoices.create({
        customer: customer.id,
        collection_method: "send_invoice",
        days_until_due: 3,
      });
      await stripe.invoices.retrieve(invoice.id);
      await stripe.invoices.finalizeInvoice(invoice.id);
      await stripe.invoices.sendInvoice(invoice.id);
      await stripe.invoices.pay(invoice.id, { paid_out_of_band: true });
      await stripe.invoices.list();
      const events = await stripe.events.list({ limit: 3 });
      await stripe.events.retrieve(events.data[0]?.id ?? "");
      await stripe.webhookEndpoints.list();
      expect((await stripe.webhookEndpoints.retrieve(endpoint.id)).status).toBe("enabled");
      await stripe.customers.retrieve("cus_missing").catch(() => undefined);
      await emulator.awaitDeliveries();
      await stripe.webhookEndpoints.del(endpoint.id);
      await stripe.customers.del(customer.id);

      // Every delivered event is an `event` as described.
      const ajv = newSpecAjv(false, STRIPE_FORMATS);
      ajv.addSchema(withoutNullable(description) as object, "spec");
      const validate = ajv.getSchema("spec#/components/schemas/event");
      expect(receiver.received.length).toBeGreaterThan(10);
      for (const delivery of receiver.received) {
        if (!validate?.(JSON.parse(delivery.body)))
          violations.push(`event: ${JSON.stringify(validate?.errors?.[0])}`);
      }
    } finally {
      await receiver.stop();
    }
    expect(violations.join("\n")).toBe("");
    // Every request the SDK sent conformed to the description too (forms and queries, coerced from text).
    expect(emulator.requestViolations).toEqual([]);
    expect([...STRIPE_OPERATIONS].filter((op) => !exercised.has(op))).toEqual([]);
  });
});

import Stripe from "stripe";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { StripeEmulator } from "../src/stripe/index";
import { WebhookReceiver } from "./webhook-receiver";

const emulator = new StripeEmulator();
const key = emulator.mintToken();

function sdk(apiKey = key): Stripe {
  const url = new URL(emulator.apiUrl);
  return new Stripe(apiKey, {
    host: url.hostname,
    port: url.port,
    protocol: "http",
    maxNetworkRetries: 0,
    httpClient: Stripe.createFetchHttpClient(),
  });
}

async function errorOf(promise: Promise<unknown>): Promise<InstanceType<typeof Stripe.errors.StripeError>> {
  return promise.then(
    () => {
      throw new Error("expected a Stripe error");
    },
    (error: unknown) => error as InstanceType<typeof Stripe.errors.StripeError>,
  );
}

beforeAll(() => emulator.start());
afterAll(() => emulator.stop());
beforeEach(() => emulator.reset());

describe("StripeEmulator through the stripe SDK", () => {
  it("creates, reads, updates, lists, searches and deletes customers with Stripe's shapes", async () => {
    const stripe = sdk();
    const created = await stripe.customers.create({
      email: "ada@example.com",
      name: "Ada",
      metadata: { plan: "pro" },
    });
    expect(created).toMatchObject({
      object: "customer",
      email: "ada@example.com",
      metadata: { plan: "pro" },
    });
    expect(created.id).toMatch(/^cus_[A-Za-z0-9]{24}$/);
    const updated = await stripe.customers.update(created.id, { name: "Ada L.", metadata: { plan: "" } });
    expect(updated).toMatchObject({ name: "Ada L.", metadata: {} });
    for (const n of [1, 2, 3]) await stripe.customers.create({ email: `c${n}@example.com` });
    const page = await stripe.customers.list({ limit: 2 });
    expect(page).toMatchObject({ object: "list", has_more: true, url: "/v1/customers" });
    expect(page.data.map((c) => c.email)).toEqual(["c3@example.com", "c2@example.com"]);
    const all = await stripe.customers.list({ limit: 2 }).autoPagingToArray({ limit: 10 });
    expect(all).toHaveLength(4);
    const found = await stripe.customers.search({ query: "email:'ada@example.com'" });
    expect(found.data.map((c) => c.id)).toEqual([created.id]);
    expect(await stripe.customers.del(created.id)).toEqual({
      id: created.id,
      object: "customer",
      deleted: true,
    });
    expect(await stripe.customers.retrieve(created.id)).toMatchObject({ deleted: true });
    const missing = await errorOf(stripe.customers.retrieve("cus_missing"));
    expect(missing).toMatchObject({
      type: "StripeInvalidRequestError",
      statusCode: 404,
      code: "resource_missing",
    });
  });

  it("echoes the Stripe-Version it was sent and answers a request id", async () => {
    const customer = await sdk().customers.create({});
    expect(customer.lastResponse.apiVersion).toBe(Stripe.API_VERSION);
    expect(customer.lastResponse.requestId).toMatch(/^req_/);
  });

  it("takes a payment: succeeds with pm_card_visa, declines with a decline code, captures, cancels and refunds", async () => {
    const stripe = sdk();
    const paid = await stripe.paymentIntents.create({
      amount: 2000,
      currency: "usd",
      payment_method: "pm_card_visa",
      confirm: true,
    });
    expect(paid).toMatchObject({ status: "succeeded", amount_received: 2000 });
    const declined = await errorOf(
      stripe.paymentIntents.create({
        amount: 500,
        currency: "usd",
        payment_method: "pm_card_chargeDeclined",
        confirm: true,
      }),
    );
    expect(declined).toMatchObject({
      type: "StripeCardError",
      statusCode: 402,
      code: "card_declined",
      decline_code: "generic_decline",
    });
    const manual = await stripe.paymentIntents.create({
      amount: 700,
      currency: "usd",
      capture_method: "manual",
    });
    expect(manual.status).toBe("requires_payment_method");
    const confirmed = await stripe.paymentIntents.confirm(manual.id, { payment_method: "pm_card_visa" });
    expect(confirmed.status).toBe("requires_capture");
    expect((await stripe.paymentIntents.capture(manual.id)).status).toBe("succeeded");
    const other = await stripe.paymentIntents.create({ amount: 100, currency: "usd" });
    expect((await stripe.paymentIntents.cancel(other.id)).status).toBe("canceled");
    const refund = await stripe.refunds.create({ payment_intent: paid.id, amount: 500 });
    expect(refund).toMatchObject({ object: "refund", amount: 500, status: "succeeded" });
    expect(await stripe.refunds.retrieve(refund.id)).toEqual(JSON.parse(JSON.stringify(refund)));
    const balance = await stripe.balance.retrieve();
    expect(balance.available).toEqual([
      { amount: 2000 + 700 - 500, currency: "usd", source_types: { card: 2200 } },
    ]);
  });

  it("replays an idempotent request, refuses other parameters with the key, and a key in flight with 409", async () => {
    const stripe = sdk();
    const first = await stripe.paymentIntents.create(
      { amount: 1000, currency: "usd" },
      { idempotencyKey: "k1" },
    );
    const again = await stripe.paymentIntents.create(
      { amount: 1000, currency: "usd" },
      { idempotencyKey: "k1" },
    );
    expect(again.id).toBe(first.id);
    // The fetch client keeps the answer's Headers object.
    expect(new Headers(again.lastResponse.headers as unknown as Headers).get("idempotent-replayed")).toBe(
      "true",
    );
    expect((await stripe.paymentIntents.list()).data).toHaveLength(1);
    const other = await errorOf(
      stripe.paymentIntents.create({ amount: 999, currency: "usd" }, { idempotencyKey: "k1" }),
    );
    expect(other).toMatchObject({ type: "StripeIdempotencyError", statusCode: 400 });

    const release = emulator.holdRequests({ method: "POST", path: "/v1/customers" });
    const held = stripe.customers.create({ name: "held" }, { idempotencyKey: "k2" });
    await expect.poll(() => emulator.requests.filter((r) => r.path === "/v1/customers").length).toBe(1);
    const inFlight = await errorOf(stripe.customers.create({ name: "held" }, { idempotencyKey: "k2" }));
    expect(inFlight).toMatchObject({ statusCode: 409, code: "idempotency_key_in_use" });
    release();
    expect((await held).name).toBe("held");
  });

  it("answers an unknown key with 401, a rate limit with 429 and Retry-After", async () => {
    const unknown = await errorOf(sdk("sk_test_unknown000000000000").customers.list());
    expect(unknown).toMatchObject({ type: "StripeAuthenticationError", statusCode: 401 });
    await emulator.injectFault("rate-limited");
    const limited = await errorOf(sdk().customers.list());
    expect(limited).toMatchObject({ type: "StripeRateLimitError", statusCode: 429, code: "rate_limit" });
    expect(limited.headers?.["retry-after"]).toBe("30");
  });

  it("keeps each account's objects apart, and lets only the platform's key act on a connected account", async () => {
    const connected = "acct_1ConnectedShop00";
    const platform = sdk();
    const shop = sdk(emulator.mintToken({ account: connected }));
    const otherKey = emulator.mintToken({ account: "acct_1SomeoneElse000" });
    const other = sdk(otherKey);
    const mine = await shop.customers.create({ email: "ada@shop.example" });
    await platform.customers.create({ email: "owner@acme.example" });
    // Another account's id is "No such customer", for reads, changes and other objects' references alike.
    for (const call of [
      () => other.customers.retrieve(mine.id),
      () => other.customers.update(mine.id, { name: "Mallory" }),
      () => other.customers.del(mine.id),
      () => other.paymentIntents.create({ amount: 500, currency: "usd", customer: mine.id }),
    ]) {
      expect(await errorOf(call())).toMatchObject({ statusCode: 404, code: "resource_missing" });
    }
    expect((await other.customers.list()).data).toEqual([]);
    expect((await shop.customers.list()).data.map((c) => c.id)).toEqual([mine.id]);
    expect((await shop.events.list()).data.map((e) => e.type)).toEqual(["customer.created"]);
    // The platform acts on its connected account with `Stripe-Account`; the account's own key cannot reach others.
    const asShop = await platform.customers.list({}, { stripeAccount: connected });
    expect(asShop.data.map((c) => c.id)).toEqual([mine.id]);
    expect((await platform.customers.list()).data.map((c) => c.email)).toEqual(["owner@acme.example"]);
    const refused = await errorOf(other.customers.list({}, { stripeAccount: connected }));
    expect(refused).toMatchObject({
      type: "StripePermissionError",
      statusCode: 403,
      code: "account_invalid",
    });
    expect(refused.message).toContain(`does not have access to account '${connected}'`);
    // The key is masked as in Stripe's 401: its first 8 and last 4 characters.
    expect(refused.message).not.toContain(otherKey);
    expect(refused.message).toContain(
      `'${otherKey.slice(0, 8)}${"*".repeat(otherKey.length - 12)}${otherKey.slice(-4)}'`,
    );
    const unknown = await errorOf(platform.customers.list({}, { stripeAccount: "acct_1NotConnected00" }));
    expect(unknown).toMatchObject({ statusCode: 403, code: "account_invalid" });
    // A connected account deleted by its own key stays "deleted" to it and unknown to everyone else.
    await shop.customers.del(mine.id);
    expect(await shop.customers.retrieve(mine.id)).toMatchObject({ id: mine.id, deleted: true });
    expect(await errorOf(other.customers.retrieve(mine.id))).toMatchObject({ statusCode: 404 });
  });

  it("runs Checkout, subscriptions and invoices", async () => {
    const stripe = sdk();
    const product = await stripe.products.create({ name: "Pro" });
    const price = await stripe.prices.create({
      product: product.id,
      unit_amount: 1500,
      currency: "usd",
      recurring: { interval: "month" },
    });
    expect((await stripe.prices.list({ product: product.id })).data.map((p) => p.id)).toEqual([price.id]);
    const session = await stripe.checkout.sessions.create({
      mode: "subscription",
      line_items: [{ price: price.id, quantity: 2 }],
      success_url: "https://example.com/ok",
    });
    expect(session).toMatchObject({ object: "checkout.session", status: "open", amount_total: 3000 });
    expect((await stripe.checkout.sessions.expire(session.id)).status).toBe("expired");
    const customer = await stripe.customers.create({ email: "sub@example.com" });
    const subscription = await stripe.subscriptions.create({
      customer: customer.id,
      items: [{ price: price.id }],
    });
    expect(subscription).toMatchObject({ status: "active", customer: customer.id });
    const invoice = await stripe.invoices.retrieve(String(subscription.latest_invoice));
    expect(invoice).toMatchObject({ status: "paid", amount_paid: 1500 });
    const updated = await stripe.subscriptions.update(subscription.id, { cancel_at_period_end: true });
    expect(updated.cancel_at_period_end).toBe(true);
    expect((await stripe.subscriptions.cancel(subscription.id)).status).toBe("canceled");
    const draft = await stripe.invoices.create({
      customer: customer.id,
      collection_method: "send_invoice",
      days_until_due: 7,
    });
    expect((await stripe.invoices.finalizeInvoice(draft.id)).status).toBe("open");
    expect((await stripe.invoices.sendInvoice(draft.id)).status).toBe("open");
    expect((await stripe.invoices.pay(draft.id, { paid_out_of_band: true })).status).toBe("paid");
  });

  it("refuses a form that breaks Stripe's description with Stripe's 400, before anything is created", async () => {
    const stripe = sdk();
    const unknown = await errorOf(stripe.customers.create({ emial: "a@example.com" } as never));
    expect(unknown).toMatchObject({ statusCode: 400, code: "parameter_unknown", param: "emial" });
    expect(unknown.message).toContain("Received unknown parameter: emial");
    const wrongType = await errorOf(
      stripe.paymentIntents.create({ amount: "lots" as never, currency: "usd" }),
    );
    expect(wrongType).toMatchObject({ statusCode: 400, param: "amount" });
    const notAnObject = await errorOf(stripe.customers.create({ address: "Paris" } as never));
    expect(notAnObject).toMatchObject({ statusCode: 400, code: "parameter_invalid", param: "address" });
    expect(emulator.state.list("customers")).toEqual([]);
    expect(emulator.requestViolations.map((v) => v.field)).toEqual(["emial", "amount", "address"]);
    await stripe.customers.create({ metadata: { plan: "pro" }, preferred_locales: ["en"], balance: 100 });
    await stripe.customers.list({ limit: 3, created: { gte: 1 }, expand: ["data.default_source"] });
    expect(emulator.requestViolations).toHaveLength(3);
  });

  it("answers a described operation it has no route for from the description", async () => {
    const rates = await sdk().taxRates.list();
    expect(rates.object).toBe("list");
    expect(emulator.requests.at(-1)?.responseHeaders?.["x-emulator-fallback"]).toBe("spec");
  });

  it("delivers signed events for the state changes it makes, which the SDK's verifier accepts", async () => {
    const receiver = new WebhookReceiver();
    const url = await receiver.start();
    try {
      const stripe = sdk();
      const endpoint = await stripe.webhookEndpoints.create({
        url,
        enabled_events: ["payment_intent.succeeded"],
      });
      expect(endpoint.secret).toMatch(/^whsec_/);
      expect((await stripe.webhookEndpoints.list()).data[0]).not.toHaveProperty("secret");
      const paid = await stripe.paymentIntents.create({
        amount: 100,
        currency: "usd",
        payment_method: "pm_card_visa",
        confirm: true,
      });
      await emulator.awaitDeliveries();
      expect(receiver.received).toHaveLength(1);
      const [delivery] = receiver.received;
      const event = stripe.webhooks.constructEvent(
        delivery?.body ?? "",
        String(delivery?.headers["stripe-signature"]),
        endpoint.secret ?? "",
      );
      expect(event).toMatchObject({ type: "payment_intent.succeeded", data: { object: { id: paid.id } } });
      expect((await stripe.events.retrieve(event.id)).type).toBe("payment_intent.succeeded");
      expect((await stripe.webhookEndpoints.del(endpoint.id)).deleted).toBe(true);
    } finally {
      await receiver.stop();
    }
  });
});

import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { WebhookDelivery } from "@autoflow/core";
import { StripeEmulator } from "@autoflow/emulators";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createStripeWebhookVerifier, STRIPE_API_VERSION, type Stripe } from "../src/index";
import { runJob, stripeFor } from "./helpers";

// The emulator's signed events, through a real HTTP receiver, the verifier and the typed triggers.
const emulator = new StripeEmulator();
const received: { headers: Headers; body: Uint8Array }[] = [];
let receiver: Server;
let url: string;
let stripe: Stripe;

beforeAll(async () => {
  await emulator.start();
  stripe = stripeFor(emulator, emulator.mintToken());
  receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const headers = new Headers();
      for (const [name, value] of Object.entries(req.headers))
        if (typeof value === "string") headers.set(name, value);
      received.push({ headers, body: new Uint8Array(Buffer.concat(chunks)) });
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/webhooks/stripe`;
});
// Each test registers its own endpoint: earlier ones (and what they were sent) are gone.
beforeEach(async () => {
  await emulator.reset();
  received.length = 0;
});
afterAll(async () => {
  await emulator.stop();
  await new Promise((resolve) => receiver.close(resolve));
});

async function deliveries(secret: string): Promise<WebhookDelivery[]> {
  await emulator.awaitDeliveries();
  const verifier = createStripeWebhookVerifier({ secrets: [secret] });
  const out: WebhookDelivery[] = [];
  for (const request of received.splice(0)) {
    const verified = await verifier.verify(request, Date.now());
    if (verified.kind === "delivery")
      out.push({ ...verified.delivery, receivedAt: new Date().toISOString() });
  }
  return out;
}

describe("Stripe events end to end", () => {
  it("registers an endpoint on the pinned API version, and delivers verified, typed events for what the job did", async () => {
    const { output } = await runJob(stripe, async (io) => {
      const endpoint = await io.stripe.webhookEndpoints.create("endpoint", {
        url,
        enabled_events: ["payment_intent.succeeded", "invoice.paid", "customer.subscription.updated"],
      });
      await io.stripe.paymentIntents.create("charge", {
        amount: 4200,
        currency: "usd",
        payment_method: "pm_card_visa",
        confirm: true,
      });
      return endpoint;
    });
    expect(output?.api_version).toBe(STRIPE_API_VERSION);
    // The signing secret never reaches the task log: a job's output shows it redacted.
    expect(output?.secret).not.toMatch(/^whsec_/);
    const events = await deliveries(emulator.endpointSecret(String(output?.id)) ?? "");
    expect(events.map((d) => d.event)).toEqual(["payment_intent.succeeded"]);
    const trigger = stripe.onPaymentIntentSucceeded();
    const [delivery] = events;
    if (!delivery) throw new Error("no delivery");
    expect(trigger.matches(delivery)).toBe(true);
    expect(stripe.onInvoicePaid().matches(delivery)).toBe(false);
    const payload = trigger.payloadOf(delivery);
    expect(payload.data.object.amount).toBe(4200);
    expect(payload.data.object.status).toBe("succeeded");
    expect(trigger.key).toBe("stripe.paymentIntentSucceeded");
  });

  it("delivers Checkout, invoice and subscription events; onEvent narrows by type", async () => {
    const endpoint = await stripe.definition
      .createClient(emulator.mintToken(), { id: "x", apiBaseUrl: emulator.apiUrl }, {})
      .webhookEndpoints.create({ url, enabled_events: ["*"] });
    const client = stripe.definition.createClient(
      emulator.mintToken(),
      { id: "x", apiBaseUrl: emulator.apiUrl },
      {},
    );
    const session = await client.checkout.sessions.create({
      mode: "payment",
      success_url: "https://example.com",
    });
    emulator.completeCheckoutSession(session.id);
    const customer = await client.customers.create({});
    const price = await client.prices.create({
      currency: "usd",
      unit_amount: 500,
      recurring: { interval: "month" },
      product_data: { name: "Plan" },
    });
    const subscription = await client.subscriptions.create({
      customer: customer.id,
      items: [{ price: price.id }],
    });
    await client.subscriptions.update(subscription.id, { metadata: { tier: "gold" } });
    const events = await deliveries(String(endpoint.secret));
    const completed = events.find((d) => stripe.onCheckoutSessionCompleted().matches(d));
    expect(completed && stripe.onCheckoutSessionCompleted().payloadOf(completed).data.object.id).toBe(
      session.id,
    );
    expect(events.some((d) => stripe.onInvoicePaid().matches(d))).toBe(true);
    const updated = events.find((d) => stripe.onCustomerSubscriptionUpdated().matches(d));
    expect(
      updated && stripe.onCustomerSubscriptionUpdated().payloadOf(updated).data.previous_attributes,
    ).toEqual({
      metadata: {},
    });
    const created = stripe.onEvent("customer.created");
    expect(events.filter((d) => created.matches(d)).map((d) => created.payloadOf(d).data.object.id)).toEqual([
      customer.id,
    ]);
    await client.webhookEndpoints.del(endpoint.id);
  });

  it("keeps the event id across a redelivery (the inbox dedupes by it) and accepts events out of order", async () => {
    const client = stripe.definition.createClient(
      emulator.mintToken(),
      { id: "x", apiBaseUrl: emulator.apiUrl },
      {},
    );
    const endpoint = await client.webhookEndpoints.create({ url, enabled_events: ["customer.created"] });
    emulator.holdDeliveries();
    const first = await client.customers.create({ name: "first" });
    const second = await client.customers.create({ name: "second" });
    emulator.releaseDeliveries("reverse");
    const outOfOrder = await deliveries(String(endpoint.secret));
    expect(outOfOrder.map((d) => (d.payload as { data: { object: { id: string } } }).data.object.id)).toEqual(
      [second.id, first.id],
    );
    const [event] = outOfOrder;
    await emulator.redeliver(String(event?.deliveryId));
    const again = await deliveries(String(endpoint.secret));
    expect(again.map((d) => d.deliveryId)).toEqual([event?.deliveryId]);
    await client.webhookEndpoints.del(endpoint.id);
  });
});

import Stripe from "stripe";
import { afterEach, describe, expect, it } from "vitest";
import { ManualClock, StripeEmulator } from "../src/index";
import { WebhookReceiver } from "./webhook-receiver";

const START = Date.UTC(2030, 5, 1, 12, 0, 0);
const stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const stop of stops.splice(0)) await stop();
});

async function setup(answer: ConstructorParameters<typeof WebhookReceiver>[0]) {
  const clock = new ManualClock(START);
  const emulator = new StripeEmulator({ clock });
  await emulator.start();
  const receiver = new WebhookReceiver(answer);
  const url = await receiver.start();
  stops.push(
    () => emulator.stop(),
    () => receiver.stop(),
  );
  const api = new URL(emulator.apiUrl);
  const stripe = new Stripe(emulator.mintToken(), {
    host: api.hostname,
    port: api.port,
    protocol: "http",
    maxNetworkRetries: 0,
    httpClient: Stripe.createFetchHttpClient(),
  });
  const endpoint = await stripe.webhookEndpoints.create({ url, enabled_events: ["customer.created"] });
  return { clock, emulator, receiver, stripe, endpoint };
}

describe("the Stripe emulator's webhook events", () => {
  it("retries a failed delivery on Stripe's schedule, on the emulator clock, with the same event", async () => {
    const { clock, emulator, receiver, stripe } = await setup((_request, index) =>
      index === 0 ? { status: 500 } : { status: 200 },
    );
    await stripe.customers.create({ name: "Ada" });
    await emulator.events.sender.idle();
    expect(receiver.received).toHaveLength(1);
    expect(emulator.events.sender.pendingRetries).toHaveLength(1);
    clock.advance(5 * 60_000);
    await emulator.events.sender.idle();
    expect(receiver.received).toHaveLength(2);
    const ids = receiver.received.map((r) => (JSON.parse(r.body) as { id: string }).id);
    expect(ids[1]).toBe(ids[0]);
    // The retry is signed afresh, at the clock's time then.
    expect(receiver.received[1]?.headers["stripe-signature"]).toContain(`t=${START / 1000 + 300}`);
  });

  it("sends an event with a forged, malformed or missing signature, or a stale timestamp, on request", async () => {
    const { emulator, receiver, stripe, endpoint } = await setup(() => ({ status: 200 }));
    await stripe.customers.create({ name: "Ada" });
    await emulator.awaitDeliveries();
    const [event] = emulator.state.list("events");
    if (!event) throw new Error("no event");
    await emulator.sendEvent(event.id, endpoint.id, { signature: "bad" });
    await emulator.sendEvent(event.id, endpoint.id, { signature: "malformed" });
    await emulator.sendEvent(event.id, endpoint.id, { signature: "missing" });
    await emulator.sendEvent(event.id, endpoint.id, { timestamp: START / 1000 - 600 });
    const secret = emulator.endpointSecret(endpoint.id) ?? "";
    const verdicts = receiver.received.map((r) => {
      try {
        stripe.webhooks.constructEvent(
          r.body,
          String(r.headers["stripe-signature"] ?? ""),
          secret,
          300,
          undefined,
          START / 1000,
        );
        return "ok";
      } catch {
        return "refused";
      }
    });
    expect(verdicts, JSON.stringify(receiver.received.map((r) => r.headers["stripe-signature"]))).toEqual([
      "ok",
      "refused",
      "refused",
      "refused",
      // Validly signed, but ten minutes old: a receiver's 300 s window is what refuses it.
      "ok",
    ]);
    expect(receiver.received[4]?.headers["stripe-signature"]).toMatch(
      new RegExp(`^t=${START / 1000 - 600},v1=`),
    );
  });
});

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

  it("delivers an account's events to its own endpoints without `account`, and to the platform's Connect endpoints with it", async () => {
    const { emulator, receiver } = await setup(() => ({ status: 200 }));
    const api = new URL(emulator.apiUrl);
    const client = (key: string) =>
      new Stripe(key, {
        host: api.hostname,
        port: api.port,
        protocol: "http",
        maxNetworkRetries: 0,
        httpClient: Stripe.createFetchHttpClient(),
      });
    const platform = client(emulator.mintToken());
    const connectedKey = emulator.mintToken({ account: "acct_1ConnectedShop0" });
    const connected = client(connectedKey);
    const ownHooks = new WebhookReceiver(() => ({ status: 200 }));
    const connectHooks = new WebhookReceiver(() => ({ status: 200 }));
    const [ownUrl, connectUrl] = await Promise.all([ownHooks.start(), connectHooks.start()]);
    stops.push(
      () => ownHooks.stop(),
      () => connectHooks.stop(),
    );
    const own = await connected.webhookEndpoints.create({
      url: ownUrl,
      enabled_events: ["customer.created"],
    });
    const connect = await platform.webhookEndpoints.create({
      url: connectUrl,
      enabled_events: ["customer.created"],
      connect: true,
    });

    await connected.customers.create({ name: "Shop customer" });
    await emulator.awaitDeliveries();
    const bodies = (hooks: WebhookReceiver) =>
      hooks.received.map((r) => JSON.parse(r.body) as { type: string; account?: string });
    expect(bodies(ownHooks).map((event) => event.account)).toEqual([undefined]);
    expect(bodies(connectHooks).map((event) => event.account)).toEqual(["acct_1ConnectedShop0"]);
    // The platform's plain endpoint (from `setup`) hears only the platform's own events.
    expect(receiver.received).toEqual([]);
    await platform.customers.create({ name: "Platform customer" });
    await emulator.awaitDeliveries();
    expect(receiver.received).toHaveLength(1);
    // Neither the other account's endpoint nor the Connect endpoint (connected accounts only) hears it.
    expect(bodies(ownHooks)).toHaveLength(1);
    expect(bodies(connectHooks)).toHaveLength(1);

    // Each account sees its own endpoints only.
    expect((await connected.webhookEndpoints.list()).data.map((e) => e.id)).toEqual([own.id]);
    expect((await platform.webhookEndpoints.list()).data.map((e) => e.id)).not.toContain(own.id);
    await expect(connected.webhookEndpoints.retrieve(connect.id)).rejects.toMatchObject({ statusCode: 404 });
    await expect(platform.webhookEndpoints.del(own.id)).rejects.toMatchObject({ statusCode: 404 });
  });
});

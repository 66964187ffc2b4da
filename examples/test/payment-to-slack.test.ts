import {
  JobRunner,
  MemoryTaskStore,
  MemoryWebhookInbox,
  type RunResult,
  TriggerDispatcher,
} from "@autoflow/core";
import { StripeEmulator } from "@autoflow/emulators";
import { Stripe } from "@autoflow/stripe";
import { afterEach, describe, expect, it } from "vitest";
import { paymentToSlack } from "../src/jobs/payment-to-slack";
import { CHANNEL, startEmulators, stopAll, stripeWebhooksTo } from "./harness";

let stripeEmulator: StripeEmulator | undefined;
afterEach(async () => {
  await stripeEmulator?.stop();
  await stopAll();
});

/** Stripe's signed events reach the intake; the dispatcher runs the job for each `payment_intent.succeeded`. */
async function setup() {
  const { slackEmulator, slack } = await startEmulators();
  stripeEmulator = new StripeEmulator();
  await stripeEmulator.start();
  const token = stripeEmulator.mintToken();
  const stripe = new Stripe({ id: "stripe", token, apiBaseUrl: stripeEmulator.apiUrl, timeoutMs: 15_000 });
  // The shop's own Stripe client: what its checkout and its developer do, not tasks of the job under test.
  const shop = stripe.definition.createClient(token, { id: "shop", apiBaseUrl: stripeEmulator.apiUrl }, {});
  const inbox = new MemoryWebhookInbox();
  await stripeWebhooksTo(inbox, shop, ["payment_intent.succeeded"]);
  const runs: RunResult<unknown>[] = [];
  const dispatcher = new TriggerDispatcher({
    inbox,
    runner: new JobRunner({ store: new MemoryTaskStore() }),
    jobs: [paymentToSlack({ stripe, slack, channel: CHANNEL })],
    onRun: (_job, result) => runs.push(result),
  });
  const emulator = stripeEmulator;
  const deliverAndRun = async () => {
    await emulator.awaitDeliveries();
    await dispatcher.dispatchPending();
  };
  const announcements = () =>
    slackEmulator
      .history(CHANNEL)
      .map((m) => m.text)
      .filter((text) => text?.startsWith(":moneybag:"));
  return { emulator, shop, runs, deliverAndRun, announcements };
}

describe("payment-to-slack", () => {
  it("announces a succeeded payment once with the customer's email, and notes it on the customer", async () => {
    const { shop, runs, deliverAndRun, announcements } = await setup();
    const customer = await shop.customers.create({ email: "ada@example.com" });
    const payment = await shop.paymentIntents.create({
      amount: 4200,
      currency: "usd",
      customer: customer.id,
      payment_method: "pm_card_visa",
      confirm: true,
    });
    await deliverAndRun();

    expect(runs).toEqual([
      expect.objectContaining({
        status: "completed",
        output: expect.objectContaining({ payment: payment.id, amount: 4200 }),
      }),
    ]);
    expect(announcements()).toEqual([`:moneybag: USD 42.00 received from ada@example.com (${payment.id})`]);
    expect(await shop.customers.retrieve(customer.id)).toMatchObject({
      metadata: { last_payment_announced: payment.id },
    });
  });

  it("runs nothing more when Stripe sends the same event again", async () => {
    const { emulator, shop, runs, deliverAndRun, announcements } = await setup();
    await shop.paymentIntents.create({
      amount: 990,
      currency: "eur",
      payment_method: "pm_card_visa",
      confirm: true,
    });
    await deliverAndRun();
    const [event] = (await shop.events.list({ type: "payment_intent.succeeded" })).data;
    await emulator.redeliver(event?.id ?? "");
    await deliverAndRun();
    expect(runs).toHaveLength(1);
    expect(announcements()).toEqual([
      expect.stringMatching(/^:moneybag: EUR 9\.90 received from a customer/),
    ]);
  });
});

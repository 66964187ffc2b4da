import {
  JobRunner,
  MemoryTaskStore,
  MemoryWebhookInbox,
  type RunResult,
  TriggerDispatcher,
} from "@autoflow/core";
import { DEFAULT_GMAIL_ADDRESS, GmailEmulator, StripeEmulator } from "@autoflow/emulators";
import { Gmail } from "@autoflow/gmail";
import { createStripeClient, Stripe } from "@autoflow/stripe";
import { afterEach, describe, expect, it } from "vitest";
import { paymentReceipt } from "../src/jobs/payment-receipt";
import { stopAll, stripeWebhooksTo } from "./harness";

const started: { stop(): Promise<void> }[] = [];
afterEach(async () => {
  for (const emulator of started.splice(0)) await emulator.stop();
  await stopAll();
});

const SEND = "/gmail/v1/users/me/messages/send";

/** Stripe's signed events reach the intake; the dispatcher runs the job for each `payment_intent.succeeded`. */
async function setup() {
  const stripeEmulator = new StripeEmulator();
  const gmailEmulator = new GmailEmulator();
  await Promise.all([stripeEmulator.start(), gmailEmulator.start()]);
  started.push(stripeEmulator, gmailEmulator);
  const token = stripeEmulator.mintToken();
  const stripe = new Stripe({ id: "stripe", token, apiBaseUrl: stripeEmulator.apiUrl, timeoutMs: 15_000 });
  const gmail = new Gmail({
    id: "gmail",
    token: gmailEmulator.mintToken(),
    apiBaseUrl: gmailEmulator.apiUrl,
    timeoutMs: 15_000,
    // The emulator's search index does not lag unless told to: a miss need not wait Gmail's 30 s here.
    searchIndexLagMs: 200,
  });
  // The shop's own Stripe client: what its checkout and its developer do, not tasks of the job under test.
  const shop = createStripeClient(token, { apiBaseUrl: stripeEmulator.apiUrl });
  const inbox = new MemoryWebhookInbox();
  await stripeWebhooksTo(inbox, shop, ["payment_intent.succeeded"]);
  const runs: RunResult<unknown>[] = [];
  const dispatcher = new TriggerDispatcher({
    inbox,
    runner: new JobRunner({ store: new MemoryTaskStore(), logger: false }),
    jobs: [paymentReceipt({ stripe, gmail, shopName: "Acme" })],
    onRun: (_job, result) => runs.push(result),
  });
  const deliverAndRun = async () => {
    await stripeEmulator.awaitDeliveries();
    await dispatcher.dispatchPending();
  };
  /** The receipts in the shop's mailbox (sent mail), as a receiver reads their headers. */
  const receipts = () =>
    [...gmailEmulator.state.mailbox(DEFAULT_GMAIL_ADDRESS).messages.values()]
      .filter((message) => message.labelIds.includes("SENT"))
      .map((message) =>
        Object.fromEntries(
          message.payload.headers.map((header) => [header.name.toLowerCase(), header.value]),
        ),
      );
  return { stripeEmulator, gmailEmulator, shop, runs, deliverAndRun, receipts };
}

describe("payment-receipt", () => {
  it("emails the customer one receipt for a succeeded payment, multipart text and HTML", async () => {
    const { shop, runs, deliverAndRun, receipts, gmailEmulator } = await setup();
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
        output: expect.objectContaining({ payment: payment.id }),
      }),
    ]);
    expect(receipts()).toEqual([
      expect.objectContaining({ to: "ada@example.com", subject: "Acme: receipt for USD 42.00" }),
    ]);
    const [sent] = [...gmailEmulator.state.mailbox(DEFAULT_GMAIL_ADDRESS).messages.values()];
    expect(sent?.payload.mimeType).toBe("multipart/alternative");
  });

  it("sends one receipt when Gmail's answer to the send is lost (found by its Message-ID), and none for a redelivery", async () => {
    const { stripeEmulator, gmailEmulator, shop, runs, deliverAndRun, receipts } = await setup();
    const customer = await shop.customers.create({ email: "grace@example.com" });
    gmailEmulator.server.faults.loseAnswerNext(1, { method: "POST", path: SEND }, "reset");
    await shop.paymentIntents.create({
      amount: 990,
      currency: "eur",
      customer: customer.id,
      payment_method: "pm_card_visa",
      confirm: true,
    });
    await deliverAndRun();
    const [event] = (await shop.events.list({ type: "payment_intent.succeeded" })).data;
    await stripeEmulator.redeliver(event?.id ?? "");
    await deliverAndRun();

    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ status: "completed" });
    expect(receipts()).toEqual([expect.objectContaining({ subject: "Acme: receipt for EUR 9.90" })]);
    expect(gmailEmulator.requests.filter((r) => r.path === SEND)).toHaveLength(1);
  });

  it("sends nothing for a payment with no email to send to", async () => {
    const { shop, runs, deliverAndRun, receipts } = await setup();
    await shop.paymentIntents.create({
      amount: 500,
      currency: "usd",
      payment_method: "pm_card_visa",
      confirm: true,
    });
    await deliverAndRun();
    expect(runs).toEqual([
      expect.objectContaining({ status: "completed", output: { payment: expect.any(String) } }),
    ]);
    expect(receipts()).toEqual([]);
  });
});

import { catalogueHarness, startIntake, type WebhookIntake } from "@autoflow/actions/testing";
import type { Json } from "@autoflow/core";
import { StripeEmulator } from "@autoflow/emulators";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createStripeClient, createStripeWebhookVerifier } from "../src/index";
import { stripeProvider } from "../src/provider";
import { checkStripeScope } from "../src/triggers/catalogue";

// Real deliveries: the emulator POSTs signed events to core's intake over loopback; the catalogue's triggers must
// match them as the class's triggers do, and only for the account the workflow's scope names.
const stripe = new StripeEmulator();
const ACME = "acct_1AcmeConnectedStd0";
const OTHER = "acct_1OtherConnected00";
let intake: WebhookIntake;
let secret = "";

const { registry, build, matching, payloadSchemaOf } = catalogueHarness(stripeProvider.triggers);

beforeAll(async () => {
  await stripe.start();
  // The endpoint's secret exists once the endpoint does, which needs the intake's URL: read it when verifying.
  intake = await startIntake({
    provider: "stripe",
    verify: (request, now) => createStripeWebhookVerifier({ secrets: [secret] }).verify(request, now),
  });
  const platform = createStripeClient(stripe.mintToken(), { apiBaseUrl: stripe.apiUrl });
  // A Connect endpoint on the platform: it gets the connected accounts' events, each naming its `account`.
  const endpoint = await platform.webhookEndpoints.create({
    url: intake.url,
    enabled_events: ["*"],
    connect: true,
  });
  secret = stripe.endpointSecret(endpoint.id) ?? "";
});
afterAll(async () => {
  await stripe.stop();
  await intake?.close();
});

async function paymentOn(account: string) {
  const client = createStripeClient(stripe.mintToken({ account }), { apiBaseUrl: stripe.apiUrl });
  const intent = await client.paymentIntents.create({
    amount: 700,
    currency: "usd",
    payment_method: "pm_card_visa",
    confirm: true,
  });
  await stripe.awaitDeliveries();
  const delivery = (await intake.deliveries()).find(
    (d) =>
      d.event === "payment_intent.succeeded" &&
      (d.payload as { data: { object: { id: string } } }).data.object.id === intent.id,
  );
  if (!delivery) throw new Error("no payment_intent.succeeded reached the intake");
  return delivery;
}

describe("Stripe catalogue triggers", () => {
  it("lists the four event triggers, each scoped to a connected account", () => {
    expect(registry.keys).toEqual([
      "stripe.paymentIntentSucceeded",
      "stripe.checkoutSessionCompleted",
      "stripe.invoicePaid",
      "stripe.customerSubscriptionUpdated",
    ]);
    expect(build({ key: "stripe.invoicePaid", inputs: { account: ACME } }).title).toBe(
      `Stripe: invoice.paid on ${ACME}`,
    );
    expect(() => build({ key: "stripe.invoicePaid", inputs: { account: "acme" } })).toThrow(/account/);
  });

  it("matches a real event of the scoped account only, and its payload fits the declared schema", async () => {
    const delivery = await paymentOn(ACME);
    expect(delivery.tenant).toEqual({ account: ACME });
    const triggers = [
      { key: "stripe.paymentIntentSucceeded", inputs: { account: ACME } },
      { key: "stripe.paymentIntentSucceeded", inputs: { account: OTHER } },
      { key: "stripe.invoicePaid", inputs: { account: ACME } },
    ];
    expect(matching(delivery, triggers)).toEqual([{ account: ACME }]);
    const payload = build(triggers[0] as (typeof triggers)[number]).payloadOf(delivery);
    expect(payloadSchemaOf("stripe.paymentIntentSucceeded").safeParse(payload).success).toBe(true);
    // Another tenant's delivery starts nothing scoped to ACME.
    expect(matching(await paymentOn(OTHER), triggers.slice(0, 1))).toEqual([]);
  });

  it("matches an account's own event (no `account` in it) by the tenant its endpoint's connection gave it", async () => {
    const own = await paymentOn(ACME);
    const { account: _named, ...payload } = own.payload as { [key: string]: Json };
    const triggers = [
      { key: "stripe.paymentIntentSucceeded", inputs: { account: ACME } },
      { key: "stripe.paymentIntentSucceeded", inputs: { account: OTHER } },
    ];
    // As the service records it: verified at the connection's endpoint, the tenant its account.
    expect(matching({ ...own, payload, tenant: { account: ACME } }, triggers)).toEqual([{ account: ACME }]);
    // Without a tenant it is nobody's: it starts nothing scoped to an account.
    const { tenant: _tenant, ...untenanted } = own;
    expect(matching({ ...untenanted, payload }, triggers)).toEqual([]);
  });

  it("checks the scope against the connection's account", async () => {
    const connection = { id: "c1", auth: { type: "api_key" }, metadata: { accountId: ACME } } as never;
    expect(await checkStripeScope({ account: ACME }, connection)).toEqual({ ok: true, account: ACME });
    expect(await checkStripeScope({ account: OTHER }, connection)).toMatchObject({
      ok: false,
      field: "account",
    });
  });
});

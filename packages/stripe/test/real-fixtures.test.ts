import { readFileSync } from "node:fs";
import { catalogueHarness, startIntake } from "@autoflow/actions/testing";
import { stripeSignature } from "@autoflow/emulators";
import { describe, expect, it } from "vitest";
import { createStripeWebhookVerifier, Stripe } from "../src/index";
import { stripeProvider } from "../src/provider";

// Stripe's own published example objects (`fixtures3.json`, as stripe-mock serves them, committed by the emulators'
// scripts/stripe-spec-subset.mjs), not the emulator's: wrapped in Stripe's published event envelope, signed as
// Stripe signs, posted to core's intake over loopback, and matched by the triggers and the catalogue.
type Json = Record<string, unknown>;
const FIXTURES_FILE = new URL("../../emulators/specs/stripe/fixtures.json", import.meta.url);
const { resources } = JSON.parse(readFileSync(FIXTURES_FILE, "utf8")) as { resources: Record<string, Json> };

const SECRET = "whsec_realFixturesSecret0000000000";
const ACCOUNT = "acct_1AcmeConnectedStd0";
const stripe = new Stripe({ id: "stripe", token: "sk_test_unused_for_webhook_triggers_0" });
const { matching, payloadSchemaOf } = catalogueHarness(stripeProvider.triggers);

const CASES = [
  { type: "payment_intent.succeeded", object: "payment_intent", key: "stripe.paymentIntentSucceeded" },
  { type: "checkout.session.completed", object: "checkout.session", key: "stripe.checkoutSessionCompleted" },
  { type: "invoice.paid", object: "invoice", key: "stripe.invoicePaid" },
  {
    type: "customer.subscription.updated",
    object: "subscription",
    key: "stripe.customerSubscriptionUpdated",
  },
] as const;

/** Stripe's example event with `object` inside, for the connected account, as the event type Stripe sends. */
function eventOf(type: string, object: Json, index: number): Json {
  // A succeeded payment's example object is what the event carries, whatever state the fixture was saved in.
  const data = type === "payment_intent.succeeded" ? { ...object, status: "succeeded" } : object;
  return { ...resources.event, id: `evt_fixture${index}`, type, account: ACCOUNT, data: { object: data } };
}

describe("Stripe's published fixtures through the intake and the triggers", () => {
  it.each(CASES.map((c, i) => [c.type, c, i] as const))("%s", async (_type, c, index) => {
    const fixture = resources[c.object];
    if (!fixture) throw new Error(`no ${c.object} fixture`);
    const intake = await startIntake(createStripeWebhookVerifier({ secrets: [SECRET] }));
    try {
      const body = JSON.stringify(eventOf(c.type, fixture, index), null, 2);
      const t = Math.floor(Date.now() / 1000);
      const answer = await fetch(intake.url, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "stripe-signature": `t=${t},v1=${stripeSignature(body, SECRET, t)}`,
        },
        body,
      });
      expect(answer.status).toBeLessThan(300);
      const [delivery] = await intake.deliveries();
      if (!delivery) throw new Error("the intake kept no delivery");
      expect(delivery).toMatchObject({
        deliveryId: `evt_fixture${index}`,
        event: c.type,
        tenant: { account: ACCOUNT },
      });
      const trigger = stripe.onEvent(c.type);
      expect(trigger.matches(delivery)).toBe(true);
      expect(trigger.payloadOf(delivery).data.object).toMatchObject({ id: fixture.id, object: c.object });
      expect(matching(delivery, [{ key: c.key, inputs: { account: ACCOUNT } }])).toEqual([
        { account: ACCOUNT },
      ]);
      const parsed = payloadSchemaOf(c.key).safeParse(trigger.payloadOf(delivery));
      expect(parsed.success, JSON.stringify(parsed.error?.issues)).toBe(true);
    } finally {
      await intake.close();
    }
  });
});

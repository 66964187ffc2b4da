import { WebhookRejection } from "@autoflow/core";
import { stripeSignature } from "@autoflow/emulators";
import StripeSdk from "stripe";
import { describe, expect, it } from "vitest";
import { createStripeWebhookVerifier } from "../src/index";

const OLD = "whsec_oldSecretAbCdEfGhIjKlMnOpQrSt";
const NEW = "whsec_newSecretAbCdEfGhIjKlMnOpQrSt";
const NOW = 1_765_000_000;
const event = {
  id: "evt_1AbCdEfGhIjKlMn",
  object: "event",
  api_version: StripeSdk.API_VERSION,
  created: NOW - 5,
  data: { object: { id: "pi_123", object: "payment_intent", status: "succeeded" } },
  livemode: false,
  pending_webhooks: 1,
  request: { id: null, idempotency_key: null },
  type: "payment_intent.succeeded",
};
const body = JSON.stringify(event, null, 2);

function request(text: string, signature: string | undefined) {
  const headers = new Headers({ "content-type": "application/json" });
  if (signature !== undefined) headers.set("stripe-signature", signature);
  return { headers, body: new TextEncoder().encode(text) };
}

const v1 = (secret: string, t = NOW, text = body) => `v1=${stripeSignature(text, secret, t)}`;

async function rejection(verify: () => unknown) {
  try {
    await verify();
  } catch (error) {
    if (WebhookRejection.isInstance(error)) return error.code;
    throw error;
  }
  throw new Error("accepted");
}

describe("createStripeWebhookVerifier", () => {
  const verifier = createStripeWebhookVerifier({ secrets: [NEW] });

  it("accepts an event signed as Stripe signs it: the event id is the delivery id, its type the event", async () => {
    expect(await verifier.verify(request(body, `t=${NOW},${v1(NEW)}`), NOW * 1000)).toEqual({
      kind: "delivery",
      delivery: { provider: "stripe", deliveryId: event.id, event: event.type, payload: event },
    });
  });

  it("accepts the header the stripe SDK's own test helper makes", async () => {
    const header = StripeSdk.webhooks.generateTestHeaderString({
      payload: body,
      secret: NEW,
      timestamp: NOW,
    });
    expect(await verifier.verify(request(body, header), NOW * 1000)).toMatchObject({ kind: "delivery" });
  });

  it("checks every v1 signature: during a secret roll Stripe sends one per secret, and any match passes", async () => {
    const rolled = `t=${NOW},${v1(OLD)},${v1(NEW)}`;
    expect(await verifier.verify(request(body, rolled), NOW * 1000)).toMatchObject({ kind: "delivery" });
    const rotating = createStripeWebhookVerifier({ secrets: [NEW, OLD] });
    expect(await rotating.verify(request(body, `t=${NOW},${v1(OLD)}`), NOW * 1000)).toMatchObject({
      kind: "delivery",
    });
    expect(await rejection(() => verifier.verify(request(body, `t=${NOW},${v1(OLD)}`), NOW * 1000))).toBe(
      "bad_signature",
    );
  });

  it("takes timestamps up to 300 s either way, and refuses older or later ones", async () => {
    for (const skew of [-300, 300]) {
      const t = NOW + skew;
      expect(await verifier.verify(request(body, `t=${t},${v1(NEW, t)}`), NOW * 1000)).toMatchObject({
        kind: "delivery",
      });
    }
    for (const skew of [-301, 301]) {
      const t = NOW + skew;
      expect(
        await rejection(() => verifier.verify(request(body, `t=${t},${v1(NEW, t)}`), NOW * 1000)),
      ).toMatch(/timestamp/);
    }
  });

  it("refuses a changed body, a missing or malformed header, and v0 test signatures alone", async () => {
    const changed = body.replace("succeeded", "canceled");
    expect(await rejection(() => verifier.verify(request(changed, `t=${NOW},${v1(NEW)}`), NOW * 1000))).toBe(
      "bad_signature",
    );
    expect(await rejection(() => verifier.verify(request(body, undefined), NOW * 1000))).toMatch(/signature/);
    expect(await rejection(() => verifier.verify(request(body, "garbage"), NOW * 1000))).toBeTruthy();
    const v0 = `t=${NOW},v0=${stripeSignature(body, NEW, NOW)}`;
    expect(await rejection(() => verifier.verify(request(body, v0), NOW * 1000))).toBeTruthy();
  });

  it("names the connected account as the tenant on Connect events", async () => {
    const connect = JSON.stringify({ ...event, account: "acct_1Connected" });
    const verified = await verifier.verify(request(connect, `t=${NOW},${v1(NEW, NOW, connect)}`), NOW * 1000);
    expect(verified).toMatchObject({
      kind: "delivery",
      delivery: { tenant: { account: "acct_1Connected" } },
    });
  });

  it("needs a secret", () => {
    expect(() => createStripeWebhookVerifier({ secrets: [""] })).toThrow(TypeError);
  });
});

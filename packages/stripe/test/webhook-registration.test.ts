import type { ConnectionAuth } from "@autoflow/core";
import { StripeEmulator } from "@autoflow/emulators";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  createStripeClient,
  STRIPE_API_VERSION,
  Stripe,
  stripeRegistrationKey,
  stripeWebhookRegistration,
  unregisterStripeRegistration,
} from "../src/index";
import { stripePaymentIntentSucceeded } from "../src/provider";

// The endpoint a trigger needs, made, found, checked and removed through the real SDK against the emulator.
const emulator = new StripeEmulator();
const URL_OF_SERVICE = "https://autoflow.example.com/api/webhooks/stripe/conn-1";
let auth: ConnectionAuth;
let client: { apiBaseUrl: string };

beforeAll(async () => {
  await emulator.start();
  client = { apiBaseUrl: emulator.apiUrl };
});
beforeEach(async () => {
  await emulator.reset();
  auth = { type: "apiKey", accessToken: emulator.mintToken() };
});
afterAll(() => emulator.stop());

const endpoints = async () =>
  (await createStripeClient(auth.accessToken, client).webhookEndpoints.list({ limit: 100 })).data;

describe("stripeWebhookRegistration", () => {
  it("creates the endpoint on the pinned API version and answers the secret Stripe generated", async () => {
    const registration = stripeWebhookRegistration({ events: ["payment_intent.succeeded"], client });
    expect(registration.key).toBe("stripe:events:payment_intent.succeeded");
    // The service offers a secret of its own; Stripe makes its own and the grant carries it.
    const grant = await registration.register({
      url: URL_OF_SERVICE,
      auth,
      secret: "offered-by-the-service",
    });
    expect(grant.secret).toMatch(/^whsec_/);
    expect(grant.secret).toBe(emulator.endpointSecret(grant.externalId));
    const [endpoint, ...more] = await endpoints();
    expect(more).toEqual([]);
    expect(endpoint).toMatchObject({
      id: grant.externalId,
      url: URL_OF_SERVICE,
      enabled_events: ["payment_intent.succeeded"],
      api_version: STRIPE_API_VERSION,
      metadata: { autoflow_registration: registration.key },
    });
    expect(await registration.verify?.({ auth, externalId: grant.externalId })).toBe("active");

    await registration.unregister({ auth, externalId: grant.externalId });
    expect(await endpoints()).toEqual([]);
    expect(await registration.verify?.({ auth, externalId: grant.externalId })).toBe("gone");
    // Already gone is not an error.
    await registration.unregister({ auth, externalId: grant.externalId });
  });

  it("never adopts a spare a crash left (its secret is unknown): find removes it, the user's own endpoints stay", async () => {
    const registration = stripeWebhookRegistration({ events: ["invoice.paid"], client });
    const spare = await registration.register({ url: URL_OF_SERVICE, auth, secret: "" });
    const other = stripeWebhookRegistration({ events: ["customer.created"], client });
    const kept = await other.register({ url: URL_OF_SERVICE, auth, secret: "" });
    const users = await createStripeClient(auth.accessToken, client).webhookEndpoints.create({
      url: URL_OF_SERVICE,
      enabled_events: ["invoice.paid"],
    });

    expect(await registration.find?.({ url: URL_OF_SERVICE, auth, secret: "" })).toBeUndefined();
    expect((await endpoints()).map((e) => e.id).sort()).toEqual([kept.externalId, users.id].sort());
    expect((await endpoints()).map((e) => e.id)).not.toContain(spare.externalId);
  });

  it("removes an endpoint by key and id alone, and refuses another provider's key", async () => {
    const registration = stripeWebhookRegistration({ events: ["invoice.paid", "charge.refunded"], client });
    expect(registration.key).toBe(stripeRegistrationKey(["charge.refunded", "invoice.paid"]));
    const grant = await registration.register({ url: URL_OF_SERVICE, auth, secret: "" });
    await unregisterStripeRegistration({ key: registration.key, externalId: grant.externalId, auth, client });
    expect(await endpoints()).toEqual([]);
    await expect(
      unregisterStripeRegistration({ key: "github:octo-org/hello:issues", externalId: "1", auth, client }),
    ).rejects.toThrow(/not a Stripe registration key/);
  });

  it("is what the triggers carry: code triggers with the instance's options, catalogue ones with the service's", async () => {
    const stripe = new Stripe({ id: "stripe", apiBaseUrl: emulator.apiUrl });
    const trigger = stripe.onPaymentIntentSucceeded();
    expect(trigger.registration?.key).toBe("stripe:events:payment_intent.succeeded");
    const grant = await trigger.registration?.register({ url: URL_OF_SERVICE, auth, secret: "" });
    expect((await endpoints()).map((e) => e.id)).toEqual([grant?.externalId]);

    const workflowTrigger = stripePaymentIntentSucceeded.create(
      { account: "acct_1AcmeConnectedStd0" },
      { providers: { stripe: { apiBaseUrl: emulator.apiUrl } } },
    );
    expect(workflowTrigger.kind === "webhook" && workflowTrigger.registration?.key).toBe(
      "stripe:events:payment_intent.succeeded",
    );
    expect(stripe.onEvent("customer.created").registration?.key).toBe("stripe:events:customer.created");
  });
});

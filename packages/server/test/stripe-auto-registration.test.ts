import { defineJob, type Job } from "@autoflow/core";
import { StripeEmulator } from "@autoflow/emulators";
import { createStripeClient, STRIPE_API_VERSION, Stripe } from "@autoflow/stripe";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { STORE_KINDS } from "./http-server";
import { TEST_DATABASE_URL, warnIfNoPostgres } from "./postgres-test-schema";
import { ServiceUnderTest } from "./service-under-test";
import { removeTempDirs } from "./sqlite-temp";
import { until } from "./until";

warnIfNoPostgres("Stripe endpoint auto-registration");
afterAll(removeTempDirs);

const USER = "user-a";

// A provider that makes its own signing secret: Stripe answers the endpoint's `whsec_` once, on creation, and the
// service must verify with that one rather than the secret it offered.
describe.each(STORE_KINDS)("automatic Stripe endpoint registration on %s", (kind) => {
  describe.skipIf(kind === "postgres" && !TEST_DATABASE_URL)("", () => {
    const emulator = new StripeEmulator();
    const service = new ServiceUnderTest(kind, USER);
    const runs: string[] = [];
    let job: Job;
    let key: string;
    let connectionId: string;

    const endpoints = async () =>
      (await createStripeClient(key, { apiBaseUrl: emulator.apiUrl }).webhookEndpoints.list({ limit: 100 }))
        .data;

    beforeAll(async () => {
      await emulator.start();
      await service.setUp(emulator.env());
      // HOSTED: no key of its own; the registration gets the connection's key, the emulator as its API.
      const stripe = new Stripe({ id: "stripe", apiBaseUrl: emulator.apiUrl });
      job = defineJob({
        id: "on-payment",
        integrations: { stripe },
        trigger: stripe.onPaymentIntentSucceeded(),
        run: async (event) => {
          runs.push(event.data.object.id);
        },
      });
      key = emulator.mintToken();
    });
    afterAll(async () => {
      await service.tearDown();
      await emulator.stop();
    });

    it("creates one endpoint on the pinned API version, stores the secret Stripe made, and runs the job once per payment", async () => {
      const server = await service.start([job]);
      const connected = await service.connect("stripe", { apiKey: key });
      expect(connected.status).toBe(201);
      connectionId = connected.id;
      await server.subscriptions.sync();

      const [endpoint, ...more] = await endpoints();
      expect(more).toEqual([]);
      expect(endpoint).toMatchObject({
        url: `${server.url}/api/webhooks/stripe/${connectionId}`,
        enabled_events: ["payment_intent.succeeded"],
        api_version: STRIPE_API_VERSION,
        status: "enabled",
      });
      const recordKey = `stripe:events:payment_intent.succeeded#${connectionId}`;
      const secrets = await server.stores.webhookSecrets.listSecrets(connectionId);
      expect(secrets?.map((s) => [s.provider, s.secretId, s.secret])).toEqual([
        ["stripe", recordKey, emulator.endpointSecret(endpoint?.id ?? "")],
      ]);
      expect(await server.stores.webhookSecrets.listRegistrations()).toEqual([
        expect.objectContaining({ key: recordKey, externalId: endpoint?.id, status: "active" }),
      ]);

      // A payment: Stripe signs the event with the endpoint's secret, the intake verifies it, the job runs once.
      const payment = await createStripeClient(key, { apiBaseUrl: emulator.apiUrl }).paymentIntents.create({
        amount: 1200,
        currency: "usd",
        payment_method: "pm_card_visa",
        confirm: true,
      });
      await emulator.awaitDeliveries();
      await until(() => runs.includes(payment.id), `the run for ${payment.id}`);
      expect(emulator.deliveries.map((d) => [d.url, d.status])).toEqual([[endpoint?.url, 200]]);
      const [event] = (
        await createStripeClient(key, { apiBaseUrl: emulator.apiUrl }).events.list({
          type: "payment_intent.succeeded",
        })
      ).data;
      // Stripe sends the event again: the intake answers it as a duplicate; a later payment's run (deliveries
      // dispatch in order) shows no second run came of it.
      await emulator.redeliver(event?.id ?? "");
      const later = await createStripeClient(key, { apiBaseUrl: emulator.apiUrl }).paymentIntents.create({
        amount: 300,
        currency: "usd",
        payment_method: "pm_card_visa",
        confirm: true,
      });
      await emulator.awaitDeliveries();
      await until(() => runs.includes(later.id), `the run for ${later.id}`);
      expect(runs.filter((id) => id === payment.id)).toEqual([payment.id]);
      expect(service.logs.join("\n")).not.toContain(emulator.endpointSecret(endpoint?.id ?? ""));
      expect(service.logs.join("\n")).not.toContain(key);
    });

    it("removes the endpoint, its registration and its secret when restarted without the job", async () => {
      const server = await service.restart([]);
      expect(await endpoints()).toEqual([]);
      expect(await server.stores.webhookSecrets.listRegistrations()).toEqual([]);
      expect(await server.stores.webhookSecrets.listSecrets(connectionId)).toEqual([]);
    });
  });
});

import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { defineJob, type Job } from "@autoflow/core";
import { StripeEmulator } from "@autoflow/emulators";
import { createStripeClient, STRIPE_API_VERSION, Stripe } from "@autoflow/stripe";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadServerConfig, type ServerConfig } from "../src/config";
import { createDevToken } from "../src/dev-token";
import { createLogger } from "../src/logger";
import { PROVIDER_IDS } from "../src/providers";
import { type RunningServer, startServer } from "../src/server";
import { generateVaultKey } from "../src/vault/vault";
import { STORE_KINDS } from "./http-server";
import {
  createTestSchema,
  TEST_DATABASE_URL,
  type TestSchema,
  warnIfNoPostgres,
} from "./postgres-test-schema";
import { removeTempDirs, tempSqlitePath } from "./sqlite-temp";
import { until } from "./until";

warnIfNoPostgres("Stripe endpoint auto-registration");
afterAll(removeTempDirs);

const USER = "user-a";

// A provider that makes its own signing secret: Stripe answers the endpoint's `whsec_` once, on creation, and the
// service must verify with that one rather than the secret it offered.
describe.each(STORE_KINDS)("automatic Stripe endpoint registration on %s", (kind) => {
  describe.skipIf(kind === "postgres" && !TEST_DATABASE_URL)("", () => {
    const emulator = new StripeEmulator();
    const runs: string[] = [];
    const logs: string[] = [];
    let schema: TestSchema | undefined;
    let config: ServerConfig;
    let jwtSecret: string;
    let job: Job;
    let server: RunningServer | undefined;
    let key: string;
    let connectionId: string;

    const start = async (jobs: readonly Job[]) => {
      server = await startServer(config, {
        hostname: "127.0.0.1",
        logger: createLogger({ sink: (line) => logs.push(line) }),
        jobs,
        jobsUserId: USER,
        ...(schema && { postgres: { options: schema.searchPathOption } }),
      });
      config = { ...config, port: server.port };
      return server;
    };
    const endpoints = async () =>
      (await createStripeClient(key, { apiBaseUrl: emulator.apiUrl }).webhookEndpoints.list({ limit: 100 }))
        .data;

    beforeAll(async () => {
      await emulator.start();
      schema = kind === "postgres" ? await createTestSchema() : undefined;
      jwtSecret = `test-secret-${generateVaultKey()}`;
      config = loadServerConfig(
        {
          NODE_ENV: "test",
          PORT: "0",
          AUTOFLOW_VAULT_KEY: generateVaultKey(),
          AUTOFLOW_JWT_SECRET: jwtSecret,
          AUTOFLOW_STATE_DIR: mkdtempSync(join(tmpdir(), "autoflow-state-")),
          ...(schema && TEST_DATABASE_URL
            ? { DATABASE_URL: TEST_DATABASE_URL }
            : { AUTOFLOW_SQLITE_PATH: tempSqlitePath() }),
          ...emulator.env(),
        },
        PROVIDER_IDS,
      );
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
      await server?.close();
      await schema?.drop();
      await emulator.stop();
    });

    it("creates one endpoint on the pinned API version, stores the secret Stripe made, and runs the job once per payment", async () => {
      await start([job]);
      const response = await fetch(`${server?.url}/api/integrations/stripe/connections`, {
        method: "POST",
        headers: {
          authorization: `Bearer ${await createDevToken(jwtSecret, { userId: USER })}`,
          "content-type": "application/json",
        },
        body: JSON.stringify({ apiKey: key }),
      });
      expect(response.status).toBe(201);
      connectionId = ((await response.json()) as { id: string }).id;
      await server?.subscriptions.sync();

      const [endpoint, ...more] = await endpoints();
      expect(more).toEqual([]);
      expect(endpoint).toMatchObject({
        url: `${server?.url}/api/webhooks/stripe/${connectionId}`,
        enabled_events: ["payment_intent.succeeded"],
        api_version: STRIPE_API_VERSION,
        status: "enabled",
      });
      const recordKey = `stripe:events:payment_intent.succeeded#${connectionId}`;
      const secrets = await server?.stores.webhookSecrets.listSecrets(connectionId);
      expect(secrets?.map((s) => [s.provider, s.secretId, s.secret])).toEqual([
        ["stripe", recordKey, emulator.endpointSecret(endpoint?.id ?? "")],
      ]);
      expect(await server?.stores.webhookSecrets.listRegistrations()).toEqual([
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
      expect(logs.join("\n")).not.toContain(emulator.endpointSecret(endpoint?.id ?? ""));
      expect(logs.join("\n")).not.toContain(key);
    });

    it("removes the endpoint, its registration and its secret when restarted without the job", async () => {
      await server?.close();
      await start([]);
      expect(await endpoints()).toEqual([]);
      expect(await server?.stores.webhookSecrets.listRegistrations()).toEqual([]);
      expect(await server?.stores.webhookSecrets.listSecrets(connectionId)).toEqual([]);
    });
  });
});

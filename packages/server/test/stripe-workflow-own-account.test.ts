import { StripeEmulator } from "@autoflow/emulators";
import { createStripeClient } from "@autoflow/stripe";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunSummary } from "../src/run-view";
import { STORE_KINDS, startTestServer, type TestServer } from "./http-server";
import { TEST_DATABASE_URL, warnIfNoPostgres } from "./postgres-test-schema";
import { removeTempDirs } from "./sqlite-temp";
import { until } from "./until";

warnIfNoPostgres("a stored workflow on a Stripe account's own events");
afterAll(removeTempDirs);

// Stripe names `account` on an event only when a Connect platform's endpoint receives it: a user who connects their
// own account with its API key gets its events at the endpoint the service created on that account, naming no
// account. They are that account's all the same, and start the workflow scoped to it.
describe.each(STORE_KINDS)("a stored workflow on a Stripe account's own events, on %s", (kind) => {
  describe.skipIf(kind === "postgres" && !TEST_DATABASE_URL)("", () => {
    const emulator = new StripeEmulator();
    let t: TestServer;
    // A user's own account, connected with its own API key (not through Connect).
    const ACCOUNT = "acct_1UserOwnShop00";
    let apiKey: string;
    let workflowId: string;

    beforeAll(async () => {
      await emulator.start();
      t = await startTestServer(kind, emulator.env());
      apiKey = emulator.mintToken({ account: ACCOUNT });
      const connected = await t.call("POST", "/api/integrations/stripe/connections", { body: { apiKey } });
      expect(connected.status).toBe(201);
      const created = await t.call("POST", "/api/workflows", {
        body: {
          name: "A customer for every payment",
          trigger: { key: "stripe.paymentIntentSucceeded", inputs: { account: ACCOUNT } },
          steps: [
            {
              id: "customer",
              action: "stripe.createCustomer",
              inputs: { email: "buyer-{{trigger.data.object.id}}@example.com" },
              credentialId: "stripe",
            },
          ],
        },
      });
      expect(created.status, JSON.stringify(created.json)).toBe(201);
      workflowId = (created.json as { id: string }).id;
      await t.server.subscriptions.sync();
    });
    afterAll(async () => {
      await t?.close();
      await emulator.stop();
    });

    it("runs the workflow for a payment whose event names no account", async () => {
      const stripe = createStripeClient(apiKey, { apiBaseUrl: emulator.apiUrl });
      const payment = await stripe.paymentIntents.create({
        amount: 1200,
        currency: "usd",
        payment_method: "pm_card_visa",
        confirm: true,
      });
      await emulator.awaitDeliveries();
      // Delivered to the endpoint the service created on the account: the event names no account.
      const [delivery] = emulator.deliveries;
      expect(delivery?.status).toBe(200);
      expect(JSON.parse(delivery?.body ?? "{}").account).toBeUndefined();

      const runs = async () =>
        ((await t.call("GET", `/api/runs?workflowId=${workflowId}`)).json as { runs: RunSummary[] }).runs;
      await until(async () => (await runs()).some((run) => run.status === "completed"), "the workflow's run");
      expect((await runs()).map((run) => run.status)).toEqual(["completed"]);
      const customers = await stripe.customers.list({ email: `buyer-${payment.id}@example.com` });
      expect(customers.data).toHaveLength(1);
    });
  });
});

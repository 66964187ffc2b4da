import { MemoryConnectionStore, type StoredConnection } from "@autoflow/core";
import { createStripeClient } from "@autoflow/stripe";
import { afterAll, describe, expect, it } from "vitest";
import { SqliteWebhookSecretStore } from "../src/stores/sqlite-webhook-secret-store";
import { generateVaultKey, Vault } from "../src/vault/vault";
import { createWebhookVerifiers, WEBHOOK_PROVIDERS } from "../src/webhooks";
import { removeTempDirs, tempSqlitePath } from "./sqlite-temp";

afterAll(removeTempDirs);

const ACCOUNT = "acct_1OwnAccount00";
const CONNECTED = "acct_1ConnectedStd0";
const SECRET = "whsec_endpoint_secret_for_this_connection";
// The time every delivery is signed at and verified at: a fixed clock, never the wall's.
const NOW = Date.UTC(2026, 11, 7, 12, 0, 0);
// Stripe's SDK signs as Stripe does; no request is sent.
const sdk = createStripeClient("sk_test_signing_only");

const connection: StoredConnection = {
  id: "conn-stripe",
  userId: "user-a",
  provider: "stripe",
  authMethod: "api_key",
  credential: { accessToken: "sk_test_connection_key" },
  metadata: { accountId: ACCOUNT, scopes: [] },
  createdAt: "2026-12-07T00:00:00.000Z",
};

async function verifiers() {
  const connections = new MemoryConnectionStore();
  await connections.saveConnection(connection);
  const secrets = new SqliteWebhookSecretStore({
    path: tempSqlitePath(),
    vault: Vault.fromEnv({ AUTOFLOW_VAULT_KEY: generateVaultKey() }),
  });
  await secrets.saveSecret({
    connectionId: connection.id,
    secretId: "we_1",
    provider: "stripe",
    secret: SECRET,
    createdAt: connection.createdAt,
  });
  return createWebhookVerifiers({ providers: WEBHOOK_PROVIDERS, configs: {}, connections, secrets });
}

/** A `payment_intent.succeeded` event as Stripe signs it; `account` only as a Connect delivery carries it. */
function signedEvent(account?: string) {
  const payload = JSON.stringify({
    id: `evt_${account ?? "own"}`,
    object: "event",
    type: "payment_intent.succeeded",
    ...(account && { account }),
    data: { object: { id: "pi_1", object: "payment_intent" } },
  });
  const headers = new Headers({
    "stripe-signature": sdk.webhooks.generateTestHeaderString({
      payload,
      secret: SECRET,
      timestamp: Math.floor(NOW / 1000),
    }),
  });
  return { headers, body: new TextEncoder().encode(payload) };
}

// Stripe names `account` only on Connect deliveries: an account's own events, at the endpoint the service created
// on that account, name none, and would otherwise start no stored workflow.
describe("a delivery to one connection's own hook", () => {
  it("is about the connection's account when its payload names none", async () => {
    const verifier = await (await verifiers()).forConnection("stripe", connection.id);
    const verified = await verifier?.verify(signedEvent(), NOW);
    expect(verified).toMatchObject({ kind: "delivery", delivery: { tenant: { account: ACCOUNT } } });
  });

  it("keeps the account its payload names", async () => {
    const verifier = await (await verifiers()).forConnection("stripe", connection.id);
    const verified = await verifier?.verify(signedEvent(CONNECTED), NOW);
    expect(verified).toMatchObject({ kind: "delivery", delivery: { tenant: { account: CONNECTED } } });
  });

  it("still refuses a delivery its secret did not sign", async () => {
    const verifier = await (await verifiers()).forConnection("stripe", connection.id);
    const forged = signedEvent();
    forged.headers.set("stripe-signature", `t=${Math.floor(NOW / 1000)},v1=${"0".repeat(64)}`);
    await expect(Promise.resolve().then(() => verifier?.verify(forged, NOW))).rejects.toMatchObject({
      code: "bad_signature",
    });
  });
});

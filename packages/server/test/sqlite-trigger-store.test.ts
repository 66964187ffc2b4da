import { DatabaseSync } from "node:sqlite";
import { afterAll, describe, expect, it } from "vitest";
import { SqliteTriggerStore } from "../src/stores/sqlite-trigger-store";
import { SqliteWebhookSecretStore } from "../src/stores/sqlite-webhook-secret-store";
import { generateVaultKey, Vault } from "../src/vault/vault";
import { removeTempDirs, tempSqlitePath } from "./sqlite-temp";
import { describeTriggerStore } from "./trigger-store-suite";
import { describeWebhookSecretStore } from "./webhook-secret-store-suite";

afterAll(removeTempDirs);

const vault = Vault.fromEnv({ AUTOFLOW_VAULT_KEY: generateVaultKey() });

describeTriggerStore(
  "SqliteTriggerStore",
  async () => {
    const path = tempSqlitePath();
    const opened = [new SqliteTriggerStore({ path })];
    return {
      store: opened[0] as SqliteTriggerStore,
      async another() {
        const store = new SqliteTriggerStore({ path });
        opened.push(store);
        return store;
      },
      async close() {
        await Promise.all(opened.map((store) => store.close()));
      },
    };
  },
  { sharesData: true },
);

describeWebhookSecretStore("SqliteWebhookSecretStore", vault, async (storeVault) => {
  const path = tempSqlitePath();
  const store = new SqliteWebhookSecretStore({ path, vault: storeVault });
  return {
    store,
    async rawCiphertexts() {
      const db = new DatabaseSync(path);
      try {
        const rows = db.prepare("SELECT secret_ciphertext FROM autoflow_webhook_secrets").all();
        return rows.map((row) => String(row.secret_ciphertext));
      } finally {
        db.close();
      }
    },
    close: () => store.close(),
  };
});

describe("SqliteTriggerStore", () => {
  it("keeps pending deliveries, dispatch marks and cursors across close and reopen", async () => {
    const path = tempSqlitePath();
    const first = new SqliteTriggerStore({ path });
    const base = { provider: "github", event: "issues", payload: { n: 1 } };
    await first.accept({ ...base, deliveryId: "kept", receivedAt: "2025-01-15T12:00:00.000Z" });
    await first.accept({ ...base, deliveryId: "done", receivedAt: "2025-01-15T12:00:01.000Z" });
    await first.markDispatched("github", "done", "2025-01-15T12:00:02.000Z");
    await first.setCursor("stars", { after: 7 });
    await first.close();

    const second = new SqliteTriggerStore({ path });
    expect(await second.pending()).toStrictEqual([
      { ...base, deliveryId: "kept", receivedAt: "2025-01-15T12:00:00.000Z" },
    ]);
    expect(await second.accept({ ...base, deliveryId: "done", receivedAt: "2025-01-15T12:01:00.000Z" })).toBe(
      "duplicate",
    );
    expect(await second.getCursor("stars")).toStrictEqual({ after: 7 });
    await second.close();
  });

  it("needs the same vault key to read a webhook secret back", async () => {
    const path = tempSqlitePath();
    const first = new SqliteWebhookSecretStore({ path, vault });
    await first.saveSecret({
      connectionId: "c-1",
      secretId: "hook-1",
      provider: "github",
      secret: "whsec-kept-0123456789",
      createdAt: "2025-01-15T12:00:00.000Z",
    });
    await first.close();
    const otherVault = Vault.fromEnv({ AUTOFLOW_VAULT_KEY: generateVaultKey() });
    const second = new SqliteWebhookSecretStore({ path, vault: otherVault });
    await expect(second.listSecrets("c-1")).rejects.toMatchObject({ name: "VaultDecryptError" });
    await second.close();
  });

  it("rejects calls after close with a clear error", async () => {
    const store = new SqliteTriggerStore({ path: ":memory:" });
    await store.close();
    await expect(store.pending()).rejects.toThrow(/SqliteTriggerStore \(:memory:\) is closed/);
  });
});

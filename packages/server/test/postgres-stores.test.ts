import { describeTaskStore } from "@autoflow/core/testing";
import { describe, expect, it } from "vitest";
import { PostgresConnectionStore } from "../src/stores/postgres-connection-store";
import { POSTGRES_MIGRATIONS, runPostgresMigrations } from "../src/stores/postgres-migrations";
import { PostgresTaskStore } from "../src/stores/postgres-task-store";
import { PostgresTriggerStore } from "../src/stores/postgres-trigger-store";
import { PostgresWebhookSecretStore } from "../src/stores/postgres-webhook-secret-store";
import { generateVaultKey, Vault } from "../src/vault/vault";
import { describeConnectionStore } from "./connection-store-suite";
import {
  createTestSchema,
  TEST_DATABASE_URL,
  useMigratedTestSchema,
  warnIfNoPostgres,
} from "./postgres-test-schema";
import { describeTriggerStore } from "./trigger-store-suite";
import { describeWebhookSecretStore } from "./webhook-secret-store-suite";

warnIfNoPostgres("store");

const vault = Vault.fromEnv({ AUTOFLOW_VAULT_KEY: generateVaultKey() });

describe.skipIf(!TEST_DATABASE_URL)("PostgreSQL stores", () => {
  const schema = useMigratedTestSchema();

  // The suites want a fresh, empty store per test: one schema per file, emptied before each test.
  describeConnectionStore("PostgresConnectionStore", async () => {
    await schema.pool.query("TRUNCATE autoflow_connections, autoflow_oauth_states");
    return PostgresConnectionStore.open({ pool: schema.pool, vault, skipMigrations: true });
  });

  describeTaskStore("PostgresTaskStore", async () => {
    await schema.pool.query("TRUNCATE autoflow_runs, autoflow_tasks, autoflow_resource_mappings");
    return PostgresTaskStore.open({ pool: schema.pool, skipMigrations: true });
  });

  describeTriggerStore(
    "PostgresTriggerStore",
    async () => {
      await schema.pool.query("TRUNCATE autoflow_webhook_inbox, autoflow_trigger_cursors");
      const store = await PostgresTriggerStore.open({ pool: schema.pool, skipMigrations: true });
      return {
        store,
        // Its own pool: another process's connections, so the race is decided by the database.
        another: () => PostgresTriggerStore.open({ pool: schema.newPool(), skipMigrations: true }),
        close: () => store.close(),
      };
    },
    { sharesData: true },
  );

  describeWebhookSecretStore("PostgresWebhookSecretStore", vault, async (storeVault) => {
    await schema.pool.query("TRUNCATE autoflow_webhook_secrets, autoflow_webhook_registrations");
    const store = await PostgresWebhookSecretStore.open({
      pool: schema.pool,
      vault: storeVault,
      skipMigrations: true,
    });
    return {
      store,
      async rawCiphertexts() {
        const { rows } = await schema.pool.query<{ secret_ciphertext: string }>(
          "SELECT secret_ciphertext FROM autoflow_webhook_secrets",
        );
        return rows.map((row) => row.secret_ciphertext);
      },
      close: () => store.close(),
    };
  });

  describe("migrations", () => {
    it("are recorded once, and a second run applies nothing", async () => {
      expect(await runPostgresMigrations(schema.pool)).toEqual([]);
      const { rows } = await schema.pool.query("SELECT version FROM schema_migrations ORDER BY version");
      expect(rows.map((row) => row.version)).toEqual(POSTGRES_MIGRATIONS.map((m) => m.version));
    });

    it("apply exactly once when several processes start at once", async () => {
      const fresh = await createTestSchema();
      try {
        const pools = Array.from({ length: 4 }, () => fresh.newPool());
        const results = await Promise.all(pools.map((pool) => runPostgresMigrations(pool)));
        expect(results.flat().sort((a, b) => a - b)).toEqual(POSTGRES_MIGRATIONS.map((m) => m.version));
        const { rows } = await fresh.pool.query("SELECT count(*)::int AS n FROM schema_migrations");
        expect(rows[0]?.n).toBe(POSTGRES_MIGRATIONS.length);
      } finally {
        await fresh.drop();
      }
    });

    it("roll back a failing migration and name it", async () => {
      const fresh = await createTestSchema();
      try {
        const broken = {
          version: 1,
          name: "half-done",
          sql: "CREATE TABLE kept (id int); CREATE TABLE kept (id int);",
        };
        await expect(runPostgresMigrations(fresh.pool, [broken])).rejects.toThrow(
          /migration 1 \(half-done\) failed/,
        );
        const { rows } = await fresh.pool.query("SELECT to_regclass('kept') AS kept");
        expect(rows[0]?.kept).toBeNull();
      } finally {
        await fresh.drop();
      }
    });
  });

  it("lets exactly one of 10 consumers on separate pools see a state unused", async () => {
    await schema.pool.query("TRUNCATE autoflow_oauth_states");
    const pools = Array.from({ length: 2 }, () => schema.newPool());
    const stores = await Promise.all(
      pools.map((pool) => PostgresConnectionStore.open({ pool, vault, skipMigrations: true })),
    );
    await stores[0]?.saveOAuthState({
      state: "two-processes",
      userId: "user-1",
      provider: "slack",
      expiresAt: "2030-01-01T00:00:00.000Z",
    });
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        stores[i % 2]?.consumeOAuthState("two-processes", `2025-01-01T00:00:0${i}.000Z`),
      ),
    );
    expect(results.filter((r) => r !== undefined && r.usedAt === undefined)).toHaveLength(1);
  });
});

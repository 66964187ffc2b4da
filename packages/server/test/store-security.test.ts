import { existsSync, readFileSync } from "node:fs";
import { DatabaseSync } from "node:sqlite";
import type { StoredConnection } from "@autoflow/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PostgresConnectionStore } from "../src/stores/postgres-connection-store";
import { runPostgresMigrations } from "../src/stores/postgres-migrations";
import { SqliteConnectionStore } from "../src/stores/sqlite-connection-store";
import { generateVaultKey, Vault } from "../src/vault/vault";
import {
  createTestSchema,
  TEST_DATABASE_URL,
  type TestSchema,
  warnIfNoPostgres,
} from "./postgres-test-schema";
import { removeTempDirs, tempSqlitePath } from "./sqlite-temp";

warnIfNoPostgres("store security");

const oldKey = generateVaultKey();
const newKey = generateVaultKey();
const vault = Vault.fromEnv({ AUTOFLOW_VAULT_KEY: oldKey });
const rotatedVault = Vault.fromEnv({ AUTOFLOW_VAULT_KEY: newKey, AUTOFLOW_VAULT_PREVIOUS_KEYS: oldKey });
const newKeyOnly = Vault.fromEnv({ AUTOFLOW_VAULT_KEY: newKey });

const ACCESS_TOKEN = "xoxb-PLAINTEXT-ACCESS-7f3a9c1e";
const REFRESH_TOKEN = "xoxe-PLAINTEXT-REFRESH-2b8d4f6a";
const CODE_VERIFIER = "PLAINTEXT-PKCE-VERIFIER-91c2e7";
const SECRETS = [ACCESS_TOKEN, REFRESH_TOKEN, CODE_VERIFIER];

function connection(id: string, accessToken = ACCESS_TOKEN): StoredConnection {
  return {
    id,
    userId: "user-security",
    provider: "slack",
    authMethod: "oauth2",
    credential: { accessToken, refreshToken: REFRESH_TOKEN, expiresAt: "2030-01-01T00:00:00.000Z" },
    metadata: { teamId: "T-SECURITY" },
    createdAt: "2025-01-15T12:00:00.000Z",
  };
}

async function saveSecrets(store: SqliteConnectionStore | PostgresConnectionStore): Promise<void> {
  await store.saveConnection(connection("conn-a"));
  await store.saveConnection(connection("conn-b", "xoxb-other-token"));
  await store.saveOAuthState({
    state: "state-secure",
    userId: "user-security",
    provider: "slack",
    codeVerifier: CODE_VERIFIER,
    expiresAt: "2030-01-01T00:00:00.000Z",
  });
}

afterAll(removeTempDirs);

describe("SQLite connection store at rest", () => {
  it("writes no plaintext token or verifier to the database file or its WAL", async () => {
    const path = tempSqlitePath();
    const store = new SqliteConnectionStore({ path, vault });
    await saveSecrets(store);
    // Read while open, so the rows are still in the WAL, and again after close checkpoints them into the file.
    const files = [path, `${path}-wal`];
    const whileOpen = files.filter(existsSync).map((file) => readFileSync(file));
    await store.close();
    const afterClose = files.filter(existsSync).map((file) => readFileSync(file));
    const all = Buffer.concat([...whileOpen, ...afterClose]);
    // Sanity: we are reading the bytes the rows live in.
    expect(all.includes("T-SECURITY")).toBe(true);
    expect(all.includes("user-security")).toBe(true);
    for (const secret of SECRETS) {
      expect(all.includes(secret), secret).toBe(false);
      expect(all.includes(Buffer.from(secret).toString("base64")), `${secret} as base64`).toBe(false);
    }
  });

  it("does not decrypt a credential moved to another connection's row: that row needs re-auth", async () => {
    const path = tempSqlitePath();
    const store = new SqliteConnectionStore({ path, vault });
    await saveSecrets(store);
    const db = new DatabaseSync(path);
    db.exec(
      `UPDATE autoflow_connections SET credential_ciphertext =
         (SELECT credential_ciphertext FROM autoflow_connections WHERE id = 'conn-a') WHERE id = 'conn-b'`,
    );
    db.close();
    const moved = await store.getConnection("conn-b");
    expect(moved).toMatchObject({ needsReauth: true, credential: { accessToken: "" } });
    expect(JSON.stringify(moved)).not.toContain(ACCESS_TOKEN);
    expect((await store.getConnection("conn-a"))?.credential.accessToken).toBe(ACCESS_TOKEN);
    await store.close();
  });

  it("re-encrypts credentials under a rotated key", async () => {
    const path = tempSqlitePath();
    const before = new SqliteConnectionStore({ path, vault });
    await saveSecrets(before);
    await before.close();
    const rotated = new SqliteConnectionStore({ path, vault: rotatedVault });
    expect(await rotated.reEncryptCredentials()).toBe(2);
    expect(await rotated.reEncryptCredentials()).toBe(0);
    await rotated.close();
    const after = new SqliteConnectionStore({ path, vault: newKeyOnly });
    expect(await after.getConnection("conn-a")).toStrictEqual(connection("conn-a"));
    await after.close();
  });
});

describe.skipIf(!TEST_DATABASE_URL)("PostgreSQL connection store at rest", () => {
  let schema: TestSchema;
  let store: PostgresConnectionStore;

  beforeAll(async () => {
    schema = await createTestSchema();
    await runPostgresMigrations(schema.pool);
    store = await PostgresConnectionStore.open({ pool: schema.pool, vault, skipMigrations: true });
    await saveSecrets(store);
  });

  afterAll(async () => {
    await store?.close();
    await schema?.drop();
  });

  it("stores no plaintext token or verifier in any row", async () => {
    const { rows } = await schema.pool.query<{ row: string }>(
      `SELECT c::text AS row FROM autoflow_connections c
       UNION ALL SELECT s::text FROM autoflow_oauth_states s`,
    );
    const text = rows.map((r) => r.row).join("\n");
    expect(text).toContain("T-SECURITY");
    for (const secret of SECRETS) expect(text).not.toContain(secret);
  });

  it("does not decrypt a credential moved to another connection's row: that row needs re-auth", async () => {
    await schema.pool.query(
      `UPDATE autoflow_connections SET credential_ciphertext =
         (SELECT credential_ciphertext FROM autoflow_connections WHERE id = 'conn-a') WHERE id = 'conn-b'`,
    );
    const moved = await store.getConnection("conn-b");
    expect(moved).toMatchObject({ needsReauth: true, credential: { accessToken: "" } });
    expect(JSON.stringify(moved)).not.toContain(ACCESS_TOKEN);
    expect((await store.getConnection("conn-a"))?.credential.accessToken).toBe(ACCESS_TOKEN);
    await store.saveConnection(connection("conn-b", "xoxb-other-token"));
  });

  it("re-encrypts credentials under a rotated key", async () => {
    const rotated = await PostgresConnectionStore.open({
      pool: schema.pool,
      vault: rotatedVault,
      skipMigrations: true,
    });
    expect(await rotated.reEncryptCredentials()).toBe(2);
    expect(await rotated.reEncryptCredentials()).toBe(0);
    const after = await PostgresConnectionStore.open({
      pool: schema.pool,
      vault: newKeyOnly,
      skipMigrations: true,
    });
    expect(await after.getConnection("conn-a")).toStrictEqual(connection("conn-a"));
  });
});

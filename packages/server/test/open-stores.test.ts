import { afterAll, describe, expect, it } from "vitest";
import { openStores } from "../src/stores/open-stores";
import { generateVaultKey, Vault } from "../src/vault/vault";
import { createTestSchema, TEST_DATABASE_URL, warnIfNoPostgres } from "./postgres-test-schema";
import { removeTempDirs, tempSqlitePath } from "./sqlite-temp";

warnIfNoPostgres("openStores");

const vault = Vault.fromEnv({ AUTOFLOW_VAULT_KEY: generateVaultKey() });
const run = {
  id: "run-1",
  jobId: "job-1",
  status: "running" as const,
  createdAt: "2025-01-15T12:00:00.000Z",
  updatedAt: "2025-01-15T12:00:00.000Z",
};
const connection = {
  id: "conn-1",
  userId: "user-1",
  provider: "slack",
  authMethod: "oauth2",
  credential: { accessToken: "xoxb-open-stores" },
  metadata: {},
  createdAt: "2025-01-15T12:00:00.000Z",
};

afterAll(removeTempDirs);

describe("openStores", () => {
  it("opens both stores in one SQLite file when no URL is given", async () => {
    const sqlitePath = tempSqlitePath();
    const stores = await openStores({ sqlitePath, vault, databaseUrl: "" });
    expect(stores.kind).toBe("sqlite");
    await stores.tasks.saveRun(run);
    await stores.connections.saveConnection(connection);
    await stores.close();

    const reopened = await openStores({ sqlitePath, vault });
    expect((await reopened.tasks.loadRun("run-1"))?.run).toStrictEqual(run);
    expect(await reopened.connections.getConnection("conn-1")).toStrictEqual(connection);
    await reopened.close();
  });

  it("refuses a URL that is not PostgreSQL instead of silently using SQLite", async () => {
    await expect(openStores({ databaseUrl: "mysql://localhost/db", vault })).rejects.toThrow(
      /must start with postgres:\/\/ or postgresql:\/\//,
    );
  });

  it.skipIf(!TEST_DATABASE_URL)("opens both stores on PostgreSQL for a postgres:// URL", async () => {
    const schema = await createTestSchema();
    try {
      const url = TEST_DATABASE_URL ?? "";
      const postgres = { options: schema.searchPathOption };
      const stores = await openStores({ databaseUrl: url, vault, postgres });
      expect(stores.kind).toBe("postgres");
      await stores.tasks.saveRun(run);
      await stores.connections.saveConnection(connection);
      await stores.close();

      const reopened = await openStores({
        databaseUrl: url.replace(/^postgres:/, "postgresql:"),
        vault,
        postgres,
      });
      expect((await reopened.tasks.loadRun("run-1"))?.run).toStrictEqual(run);
      expect(await reopened.connections.getConnection("conn-1")).toStrictEqual(connection);
      await reopened.close();
    } finally {
      await schema.drop();
    }
  });
});

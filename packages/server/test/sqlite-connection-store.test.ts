import { afterAll, describe, expect, it } from "vitest";
import { SqliteConnectionStore } from "../src/stores/sqlite-connection-store";
import { generateVaultKey, Vault } from "../src/vault/vault";
import { describeConnectionStore } from "./connection-store-suite";
import { removeTempDirs, tempSqlitePath } from "./sqlite-temp";

const vault = Vault.fromEnv({ AUTOFLOW_VAULT_KEY: generateVaultKey() });

afterAll(removeTempDirs);

describeConnectionStore(
  "SqliteConnectionStore",
  () => new SqliteConnectionStore({ path: tempSqlitePath(), vault }),
);

const saved = {
  id: "conn-1",
  userId: "user-1",
  provider: "slack",
  authMethod: "oauth2",
  credential: { accessToken: "xoxb-reopen" },
  metadata: { teamId: "T1" },
  createdAt: "2025-01-15T12:00:00.000Z",
};

describe("SqliteConnectionStore", () => {
  it("keeps connections across close and reopen, and migrates once", async () => {
    const path = tempSqlitePath();
    const first = new SqliteConnectionStore({ path, vault });
    await first.saveConnection(saved);
    await first.close();
    const second = new SqliteConnectionStore({ path, vault });
    expect(await second.getConnection("conn-1")).toStrictEqual(saved);
    await second.close();
  });

  it("needs the same vault key to read credentials back: another key reads the row as needing re-auth", async () => {
    const path = tempSqlitePath();
    const first = new SqliteConnectionStore({ path, vault });
    await first.saveConnection(saved);
    await first.close();
    const otherVault = Vault.fromEnv({ AUTOFLOW_VAULT_KEY: generateVaultKey() });
    const second = new SqliteConnectionStore({ path, vault: otherVault });
    const unreadable = await second.getConnection("conn-1");
    expect(unreadable).toMatchObject({ id: "conn-1", needsReauth: true, credential: { accessToken: "" } });
    expect(unreadable?.tokenMasked).not.toContain(saved.credential.accessToken.slice(5, -4));
    await second.close();
  });

  it("rejects calls after close with a clear error", async () => {
    const store = new SqliteConnectionStore({ path: ":memory:", vault });
    await store.close();
    await store.close();
    await expect(store.getConnection("x")).rejects.toThrow(/SqliteConnectionStore \(:memory:\) is closed/);
  });
});

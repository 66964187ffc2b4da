import { execFile } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { SqliteConnectionStore } from "../src/stores/sqlite-connection-store";
import { generateVaultKey, Vault } from "../src/vault/vault";

const packageDir = fileURLToPath(new URL("..", import.meta.url));

describe("the reencrypt command", () => {
  it("moves every credential to the new vault key, so the old key can be dropped", async () => {
    const dir = mkdtempSync(join(tmpdir(), "autoflow-reencrypt-"));
    const path = join(dir, "autoflow.db");
    const oldKey = generateVaultKey();
    const newKey = generateVaultKey();
    const before = new SqliteConnectionStore({
      path,
      vault: new Vault({ primaryKey: Buffer.from(oldKey, "base64") }),
    });
    await before.saveConnection({
      id: "8d3c3f0e-4a4e-4d5c-9d7e-3f1f5f0e2a11",
      userId: "user-1",
      provider: "slack",
      authMethod: "bot_token",
      credential: { accessToken: "xoxb-rotating-secret-0001" },
      metadata: { teamId: "T1" },
      createdAt: new Date(0).toISOString(),
    });
    await before.close();

    const run = () =>
      promisify(execFile)(process.execPath, ["--import", "tsx", "src/reencrypt.ts"], {
        cwd: packageDir,
        env: {
          ...process.env,
          TSX_TSCONFIG_PATH: "test/__fixtures__/tsconfig.json",
          AUTOFLOW_VAULT_KEY: newKey,
          AUTOFLOW_VAULT_PREVIOUS_KEYS: oldKey,
          AUTOFLOW_SQLITE_PATH: path,
          AUTOFLOW_STATE_DIR: dir,
          AUTOFLOW_JWT_SECRET: "a-development-secret-of-32-characters!",
          DATABASE_URL: "",
        },
      });
    expect((await run()).stdout).toMatch(/Re-encrypted 1 credential/);
    expect((await run()).stdout).toMatch(/Re-encrypted 0 credential/);

    const after = new SqliteConnectionStore({
      path,
      vault: new Vault({ primaryKey: Buffer.from(newKey, "base64") }),
    });
    try {
      expect(
        (await after.getConnection("8d3c3f0e-4a4e-4d5c-9d7e-3f1f5f0e2a11"))?.credential.accessToken,
      ).toBe("xoxb-rotating-secret-0001");
    } finally {
      await after.close();
    }
  }, 30_000);
});

import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { SqliteTriggerStore } from "../src/stores/sqlite-trigger-store";
import { generateVaultKey } from "../src/vault/vault";
import { killScripts, spawnScript } from "./child-process";
import { deliver } from "./hmac-webhook-provider";
import { until } from "./until";

const SECRET = "crash-test-webhook-secret-0123456789";
afterEach(killScripts);

/** Starts the fixture service in its own process and waits for its URL. */
async function startProcess(env: Record<string, string>) {
  const { child, output, exited } = spawnScript("test/__fixtures__/webhook-server.ts", {
    TSX_TSCONFIG_PATH: "test/__fixtures__/tsconfig.json",
    ...env,
  });
  await until(
    () => /listening on http:\/\/\S+/.test(output.stdout) || child.exitCode !== null,
    "the service to listen",
    60_000,
  );
  const url = /listening on (http:\/\/\S+)/.exec(output.stdout)?.[1];
  if (!url) throw new Error(`the service did not start: ${output.stderr}`);
  return { child, url, output, exited };
}

describe("a service killed right after the inbox write", () => {
  it("runs the delivery exactly once after a restart, and not again on the provider's retry", async () => {
    const dir = mkdtempSync(join(tmpdir(), "autoflow-webhook-crash-"));
    const effects = join(dir, "effects.log");
    const env = {
      NODE_ENV: "test",
      PORT: "0",
      AUTOFLOW_VAULT_KEY: generateVaultKey(),
      AUTOFLOW_JWT_SECRET: `jwt-${generateVaultKey()}`,
      AUTOFLOW_STATE_DIR: dir,
      AUTOFLOW_SQLITE_PATH: join(dir, "autoflow.db"),
      AUTOFLOW_TEST_WEBHOOK_SECRETS: SECRET,
      EFFECTS_FILE: effects,
    };
    const lines = () => (existsSync(effects) ? readFileSync(effects, "utf8").trim().split("\n") : []);
    const runsOf = (number: number) => lines().filter((line) => line.startsWith(`${number} `));
    const opened = (number: number) => ({ kind: "opened", repo: "octo/hello", number });

    const doomed = await startProcess({ ...env, EXIT_AFTER_INBOX_WRITE: "1" });
    // The process exits inside the request, after the write and before any answer: the provider sees the
    // connection drop (no status at all), exactly as with a SIGKILL at that moment, and will retry.
    await expect(deliver(doomed.url, opened(1), "delivery-1", { secret: SECRET })).rejects.toThrow();
    expect(await doomed.exited).toBe(137);
    expect(lines()).toEqual([]);
    const inbox = new SqliteTriggerStore({ path: env.AUTOFLOW_SQLITE_PATH });
    expect((await inbox.pending()).map((entry) => entry.deliveryId)).toEqual(["delivery-1"]);
    await inbox.close();

    const restarted = await startProcess(env);
    await until(() => runsOf(1).length > 0, "the re-dispatched run");
    // The provider's retry of the delivery the crashed process stored: acknowledged, not run again.
    expect(await deliver(restarted.url, opened(1), "delivery-1", { secret: SECRET })).toEqual({
      status: 200,
      json: { ok: true, duplicate: true },
    });
    // Dispatch is in order, so once a later delivery has run, a second run of the first would have too.
    expect((await deliver(restarted.url, opened(2), "delivery-2", { secret: SECRET })).status).toBe(200);
    await until(() => runsOf(2).length > 0, "the later delivery's run");
    expect(runsOf(1)).toHaveLength(1);
    expect(runsOf(2)).toHaveLength(1);

    restarted.child.kill("SIGTERM");
    expect(await restarted.exited).toBe(0);
    expect(restarted.output.stderr).not.toContain(SECRET);
  }, 120_000);
});

import { consent, createTestClock } from "@autoflow/core/testing";
import { SlackEmulator } from "@autoflow/emulators";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadServerConfig } from "../src/config";
import { createProviderLifecycles, PROVIDER_IDS } from "../src/providers";
import { PostgresConnectionStore } from "../src/stores/postgres-connection-store";
import { generateVaultKey } from "../src/vault/vault";
import {
  createTestSchema,
  TEST_DATABASE_URL,
  type TestSchema,
  warnIfNoPostgres,
} from "./postgres-test-schema";

warnIfNoPostgres("cross-process token refresh");

describe.skipIf(!TEST_DATABASE_URL)("token refresh across two processes on PostgreSQL", () => {
  // Rotating tokens: they expire after 12 hours and every refresh token is single use.
  const emulator = new SlackEmulator({ tokenRotation: true });
  let schema: TestSchema;
  beforeAll(async () => {
    await emulator.start();
    schema = await createTestSchema();
  });
  afterAll(async () => {
    await schema?.drop();
    await emulator.stop();
  });

  it("refreshes once for 20 concurrent callers in two processes, and both see the new token", async () => {
    const config = loadServerConfig(
      {
        AUTOFLOW_VAULT_KEY: generateVaultKey(),
        AUTOFLOW_JWT_SECRET: "x".repeat(32),
        AUTOFLOW_SLACK_CLIENT_ID: emulator.clientId,
        AUTOFLOW_SLACK_CLIENT_SECRET: emulator.clientSecret,
        AUTOFLOW_SLACK_API_URL: emulator.apiUrl,
        AUTOFLOW_SLACK_WEB_URL: emulator.url,
      },
      PROVIDER_IDS,
    );
    // Two processes: each its own pool, store, lifecycle and clock; they share only the database.
    const processes = await Promise.all(
      [schema.pool, schema.newPool()].map(async (pool) => {
        const store = await PostgresConnectionStore.open({ pool, vault: config.vault });
        const clock = createTestClock(Date.now());
        const slack = createProviderLifecycles(store, config.providers, { clock }).slack;
        if (!slack) throw new Error("slack is not registered");
        return { slack, clock };
      }),
    );
    const [first, second] = processes;
    if (!first || !second) throw new Error("two processes expected");

    const started = first.slack.beginOAuth("user-1");
    await first.slack.completeOAuth({ ...(await consent(started.authUrl)), userId: "user-1" });
    const original = await second.slack.authFor("user-1");

    for (const p of processes) p.clock.advance(24 * 3600_000);
    const before = emulator.refreshRequestCount;
    const tokens = await Promise.all(
      processes.flatMap((p) => Array.from({ length: 10 }, () => p.slack.authFor("user-1"))),
    );
    expect(emulator.refreshRequestCount - before).toBe(1);
    const distinct = new Set(tokens.map((t) => t.accessToken));
    expect(distinct.size).toBe(1);
    expect(tokens[0]?.accessToken).not.toBe(original.accessToken);
    expect(tokens).toHaveLength(20);
    expect((await second.slack.testConnection("user-1")).ok).toBe("true");
  });
});

import { existsSync, readFileSync } from "node:fs";
import { consent } from "@autoflow/core/testing";
import { PROVIDERS } from "@autoflow/providers";
import { afterAll, describe, expect, it } from "vitest";
import { STORE_KINDS, type TestServer } from "./http-server";
import { TEST_DATABASE_URL, warnIfNoPostgres } from "./postgres-test-schema";
import { PROVIDER_HARNESSES } from "./provider-harnesses";
import { useProviderServer } from "./provider-server";
import { removeTempDirs } from "./sqlite-temp";

warnIfNoPostgres("plaintext grep");
afterAll(removeTempDirs);

/** Everything the database holds, as bytes: the SQLite file and its WAL, or every PostgreSQL row as text. */
async function databaseBytes(t: TestServer): Promise<Buffer> {
  if (t.sqlitePath) {
    const files = [t.sqlitePath, `${t.sqlitePath}-wal`, `${t.sqlitePath}-shm`].filter((f) => existsSync(f));
    expect(files.length).toBeGreaterThanOrEqual(2);
    return Buffer.concat(files.map((f) => readFileSync(f)));
  }
  const pool = t.schema?.pool;
  if (!pool) throw new Error("no database");
  const rows: string[] = [];
  for (const table of ["autoflow_connections", "autoflow_oauth_states", "autoflow_runs", "autoflow_tasks"]) {
    const result = await pool.query<{ row: string }>(`SELECT row_to_json(t)::text AS row FROM ${table} t`);
    rows.push(...result.rows.map((r) => r.row));
  }
  expect(rows.join("\n")).toContain("av1.");
  return Buffer.from(rows.join("\n"));
}

describe.each(STORE_KINDS)("no plaintext token anywhere, on %s", (kind) => {
  describe.skipIf(kind === "postgres" && !TEST_DATABASE_URL).each(PROVIDERS.map((p) => p.id))(
    "%s",
    (provider) => {
      const makeHarness = PROVIDER_HARNESSES[provider];
      if (!makeHarness) return;
      const base = `/api/integrations/${provider}`;
      const server = useProviderServer(kind, makeHarness);

      it("keeps tokens out of the database, the logs and every response; responses show only tokenMasked", async () => {
        const secrets: string[] = [];
        const apiKey = server.harness.mintToken();
        secrets.push(apiKey);
        const byKey = await server.t.call("POST", `${base}/connections`, { body: { accessToken: apiKey } });
        expect(byKey.status).toBe(201);

        const start = await server.t.call("POST", `${base}/oauth/start`);
        const { authUrl, codeVerifier } = start.json as { authUrl: string; codeVerifier?: string };
        const { code, state } = await consent(authUrl);
        const byOAuth = await server.t.call(
          "GET",
          `${base}/oauth/callback?${new URLSearchParams({ code, state })}`,
          {
            user: null,
          },
        );
        expect(byOAuth.status).toBe(201);
        const oauthId = (byOAuth.json as { id: string }).id;
        const stored = await server.t.server.stores.connections.getConnection(oauthId);
        if (!stored) throw new Error("OAuth connection not stored");
        secrets.push(stored.credential.accessToken);
        if (stored.credential.refreshToken) secrets.push(stored.credential.refreshToken);

        // Exercise every route once more, including refusals, so their responses and log lines are captured.
        const revoked = server.harness.mintToken();
        secrets.push(revoked);
        await server.harness.revokeToken(revoked);
        expect(
          (await server.t.call("POST", `${base}/connections`, { user: "u2", body: { accessToken: revoked } }))
            .status,
        ).toBe(400);
        await server.t.call("GET", `${base}/connections`);
        await server.t.call("POST", `${base}/connections/${oauthId}/test`);
        await server.t.call("GET", `${base}/health`);
        await server.t.call("DELETE", `${base}/connections/${(byKey.json as { id: string }).id}`);

        const database = await databaseBytes(server.t);
        const logs = server.t.logs.join("\n");
        const responses = server.t.responses.join("\n");
        expect(server.t.logs.length).toBeGreaterThan(5);
        for (const secret of secrets) {
          expect(secret.length).toBeGreaterThan(12);
          expect(database.includes(secret), "database").toBe(false);
          expect(logs.includes(secret), "logs").toBe(false);
          expect(responses.includes(secret), "responses").toBe(false);
        }
        // The PKCE verifier is handed to the frontend once, by design (spec 003), but is never stored in clear.
        if (codeVerifier) expect(database.includes(codeVerifier)).toBe(false);
        expect(responses).toContain((byKey.json as { tokenMasked: string }).tokenMasked);
        expect(logs).not.toContain(server.t.jwtSecret);
        expect(logs).not.toContain(code);
      });
    },
  );
});

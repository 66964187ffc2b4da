import { consent } from "@autoflow/core/testing";
import { PROVIDERS } from "@autoflow/providers";
import { afterAll, describe, expect, it } from "vitest";
import { STORE_KINDS } from "./http-server";
import { TEST_DATABASE_URL, warnIfNoPostgres } from "./postgres-test-schema";
import { PROVIDER_HARNESSES } from "./provider-harnesses";
import { useProviderServer } from "./provider-server";
import { removeTempDirs } from "./sqlite-temp";

warnIfNoPostgres("HTTP API");
afterAll(removeTempDirs);

const UNKNOWN_ID = "00000000-0000-4000-8000-000000000000";

it("every registered provider has an emulator harness, so the HTTP contract covers it", () => {
  expect(PROVIDERS.map((p) => p.id).filter((id) => !PROVIDER_HARNESSES[id])).toEqual([]);
});

describe.each(STORE_KINDS)("HTTP API on %s", (kind) => {
  describe.skipIf(kind === "postgres" && !TEST_DATABASE_URL).each(PROVIDERS.map((p) => p.id))(
    "%s",
    (provider) => {
      const makeHarness = PROVIDER_HARNESSES[provider];
      if (!makeHarness) return;
      const base = `/api/integrations/${provider}`;
      const server = useProviderServer(kind, makeHarness);

      /** The OAuth flow as a browser and a frontend drive it: start, consent at the emulator, callback. */
      async function connectWithOAuth(user: string) {
        const start = await server.t.call("POST", `${base}/oauth/start`, { user });
        expect(start.status).toBe(200);
        const started = start.json as { authUrl: string; state: string; expiresInSeconds: number };
        const { code, state } = await consent(started.authUrl);
        expect(state).toBe(started.state);
        const query = new URLSearchParams({ code, state });
        const callback = await server.t.call("GET", `${base}/oauth/callback?${query}`, { user: null });
        return { started, code, state, callback };
      }

      it("runs the whole lifecycle: OAuth start, consent, callback, list, test, health, delete", async () => {
        const { started, callback } = await connectWithOAuth("user-a");
        expect(started.expiresInSeconds).toBeGreaterThan(0);
        expect(callback.status).toBe(201);
        const connection = callback.json as { id: string; userId: string; tokenMasked: string };
        expect(connection).toMatchObject({
          userId: "user-a",
          authMethod: "oauth2",
          ...server.harness.expectedMetadata,
        });
        expect(connection.tokenMasked).toMatch(/…|\*\*\*\*/);

        const list = await server.t.call("GET", `${base}/connections`);
        expect(list.status).toBe(200);
        expect(list.json).toEqual([connection]);

        const test = await server.t.call("POST", `${base}/connections/${connection.id}/test`);
        expect(test.status).toBe(200);
        expect(test.json).toMatchObject({ ok: "true", connectionId: connection.id });

        const health = await server.t.call("GET", `${base}/health`);
        expect(health.status).toBe(200);
        expect(health.json).toMatchObject({
          status: "ok",
          authMethod: "oauth2",
          ...server.harness.expectedMetadata,
          details: { auth: true, apiReachable: true, rateLimited: false },
        });
        expect(Number.isNaN(Date.parse((health.json as { checkedAt: string }).checkedAt))).toBe(false);

        const removed = await server.t.call("DELETE", `${base}/connections/${connection.id}`);
        expect(removed.status).toBe(204);
        expect((await server.t.call("GET", `${base}/connections`)).json).toEqual([]);
        expect((await server.t.call("DELETE", `${base}/connections/${connection.id}`)).status).toBe(404);
      });

      it("answers the existing connection (200) when the same account consents again by OAuth, with the new token", async () => {
        const user = "user-consents-twice";
        const first = await connectWithOAuth(user);
        expect(first.callback.status).toBe(201);
        const connection = first.callback.json as { id: string; createdAt: string; tokenMasked: string };
        const again = await connectWithOAuth(user);
        expect(again.callback.status).toBe(200);
        expect(again.callback.json).toMatchObject({ id: connection.id, createdAt: connection.createdAt });
        const listed = (await server.t.call("GET", `${base}/connections`, { user })).json as { id: string }[];
        expect(listed.map((c) => c.id)).toEqual([connection.id]);
        // The connection now holds the second consent's token: it works, and so does the frontend's complete.
        const test = await server.t.call("POST", `${base}/connections/${connection.id}/test`, { user });
        expect(test.status).toBe(200);
        const start = await server.t.call("POST", `${base}/oauth/start`, { user });
        const completed = await server.t.call("POST", `${base}/oauth/complete`, {
          user,
          body: await consent((start.json as { authUrl: string }).authUrl),
        });
        expect(completed.status).toBe(200);
        expect((completed.json as { id: string }).id).toBe(connection.id);
        // Another user's consent for the same account is theirs.
        expect((await connectWithOAuth("user-consents-elsewhere")).callback.status).toBe(201);
      });

      it("answers the existing connection (200) when the same token for the same account is connected again", async () => {
        const user = "user-twice";
        const accessToken = server.harness.mintToken();
        const first = await server.t.call("POST", `${base}/connections`, { user, body: { accessToken } });
        expect(first.status).toBe(201);
        const again = await server.t.call("POST", `${base}/connections`, {
          user,
          body: { apiKey: accessToken },
        });
        expect(again.status).toBe(200);
        expect(again.json).toEqual(first.json);
        expect((await server.t.call("GET", `${base}/connections`, { user })).json).toEqual([first.json]);
        // Another token is another connection; another user's same token is theirs.
        const other = await server.t.call("POST", `${base}/connections`, {
          user,
          body: { accessToken: server.harness.mintToken() },
        });
        expect(other.status).toBe(201);
        const elsewhere = await server.t.call("POST", `${base}/connections`, {
          user: "user-twice-2",
          body: { accessToken },
        });
        expect(elsewhere.status).toBe(201);
        expect((elsewhere.json as { id: string }).id).not.toBe((first.json as { id: string }).id);
      });

      // Only for providers whose pasted credential is more than a token (the harness says so without starting).
      const hasPastedCredential = makeHarness().pastedCredential !== undefined;
      if (hasPastedCredential)
        it("connects the provider's own pasted credential (a token with its email and site), with health", async () => {
          const credential = server.harness.pastedCredential?.();
          if (!credential) throw new Error("the harness has no pasted credential");
          const user = "user-pasted";
          const connected = await server.t.call("POST", `${base}/connections`, { user, body: credential });
          expect(connected.status, connected.text).toBe(201);
          expect(connected.json).toMatchObject({ userId: user, ...server.harness.expectedMetadata });
          // The email and site are kept with the token, never shown.
          expect(connected.text).not.toContain(credential.apiKey);
          if (credential.email) expect(connected.text).not.toContain(credential.email);
          const health = await server.t.call("GET", `${base}/health`, { user });
          expect(health.json).toMatchObject({ status: "ok", ...server.harness.expectedMetadata });
          const test = await server.t.call(
            "POST",
            `${base}/connections/${(connected.json as { id: string }).id}/test`,
            {
              user,
            },
          );
          expect(test.json).toMatchObject({ ok: "true" });
        });

      it("connects an API key / personal token, and refuses an invalid one with 400 and nothing stored", async () => {
        const user = "user-api-key";
        const connected = await server.t.call("POST", `${base}/connections`, {
          user,
          body: { accessToken: server.harness.mintToken() },
        });
        expect(connected.status).toBe(201);
        expect(connected.json).toMatchObject({ userId: user, ...server.harness.expectedMetadata });
        expect((await server.t.call("GET", `${base}/connections`, { user })).json).toEqual([connected.json]);

        const viaApiKey = await server.t.call("POST", `${base}/connections`, {
          user: "user-api-key-2",
          body: { apiKey: server.harness.mintToken() },
        });
        expect(viaApiKey.status).toBe(201);

        const refused = await server.t.call("POST", `${base}/connections`, {
          user: "user-bad-key",
          body: { accessToken: "not-a-real-token-0000" },
        });
        expect(refused.status).toBe(400);
        expect(refused.json).toMatchObject({ error: { type: "auth" } });
        expect((await server.t.call("GET", `${base}/connections`, { user: "user-bad-key" })).json).toEqual(
          [],
        );
      });

      it.each([
        ["an empty body", { rawBody: "" }, /body/],
        ["a body that is not JSON", { rawBody: "{not json" }, /body/],
        ["an extra field", { body: { accessToken: "xoxb-0000000000-abcdef", admin: true } }, /admin/],
        ["neither apiKey nor accessToken", { body: {} }, /apiKey/],
        ["a non-string token", { body: { accessToken: 42 } }, /accessToken/],
        ["a JSON array", { body: [] }, /body/],
      ])("answers POST connections with %s with 400 naming the field", async (_name, request, field) => {
        const response = await server.t.call("POST", `${base}/connections`, request);
        expect(response.status).toBe(400);
        expect(response.json).toMatchObject({ error: { code: "invalid_request" } });
        expect((response.json as { error: { message: string } }).error.message).toMatch(field);
      });

      it("answers bad ids, bad callbacks and bad OAuth completions with 400, never 500", async () => {
        for (const [method, path] of [
          ["POST", `${base}/connections/not-a-uuid/test`],
          ["DELETE", `${base}/connections/not-a-uuid`],
        ] as const) {
          const response = await server.t.call(method, path);
          expect(response.status, path).toBe(400);
          expect((response.json as { error: { message: string } }).error.message).toMatch(/^id:/);
        }
        const noCode = await server.t.call("GET", `${base}/oauth/callback?state=abc`, { user: null });
        expect(noCode.status).toBe(400);
        expect((noCode.json as { error: { message: string } }).error.message).toMatch(/code/);
        const forged = await server.t.call("GET", `${base}/oauth/callback?code=x&state=forged`, {
          user: null,
        });
        expect(forged.status).toBe(400);
        expect(forged.json).toMatchObject({ error: { code: "unknown_state" } });
        const badComplete = await server.t.call("POST", `${base}/oauth/complete`, { body: { code: "x" } });
        expect(badComplete.status).toBe(400);
        expect((badComplete.json as { error: { message: string } }).error.message).toMatch(/state/);
        const missing = await server.t.call("POST", `${base}/connections/${UNKNOWN_ID}/test`);
        expect(missing.status).toBe(404);
      });

      it("answers an unknown provider with 404 and a body over 64 KiB with 413", async () => {
        const unknown = await server.t.call("GET", "/api/integrations/no-such-provider/connections");
        expect(unknown.status).toBe(404);
        expect(unknown.json).toMatchObject({ error: { code: "unknown_provider" } });
        const large = await server.t.call("POST", `${base}/connections`, {
          body: { accessToken: "x".repeat(70 * 1024) },
        });
        expect(large.status).toBe(413);
      });

      it("refuses a replayed OAuth state with 400 state_reused", async () => {
        const { code, state, callback } = await connectWithOAuth("user-replay");
        expect(callback.status).toBe(201);
        const replay = await server.t.call(
          "GET",
          `${base}/oauth/callback?${new URLSearchParams({ code, state })}`,
          {
            user: null,
          },
        );
        expect(replay.status).toBe(400);
        expect(replay.json).toMatchObject({ error: { code: "state_reused" } });
        expect(
          (await server.t.call("GET", `${base}/connections`, { user: "user-replay" })).json,
        ).toHaveLength(1);
      });

      it("refuses another user's OAuth state on POST oauth/complete with 403", async () => {
        const start = await server.t.call("POST", `${base}/oauth/start`, { user: "user-victim" });
        const { code, state } = await consent((start.json as { authUrl: string }).authUrl);
        const stolen = await server.t.call("POST", `${base}/oauth/complete`, {
          user: "user-attacker",
          body: { code, state },
        });
        expect(stolen.status).toBe(403);
        expect(stolen.json).toMatchObject({ error: { code: "state_user_mismatch" } });
        expect((await server.t.call("GET", `${base}/connections`, { user: "user-attacker" })).json).toEqual(
          [],
        );
        expect((await server.t.call("GET", `${base}/connections`, { user: "user-victim" })).json).toEqual([]);
      });

      it("never lets user B list, test or delete user A's connection", async () => {
        const a = await server.t.call("POST", `${base}/connections`, {
          user: "user-owner",
          body: { accessToken: server.harness.mintToken() },
        });
        const { id } = a.json as { id: string };
        expect((await server.t.call("GET", `${base}/connections`, { user: "user-other" })).json).toEqual([]);
        const test = await server.t.call("POST", `${base}/connections/${id}/test`, { user: "user-other" });
        expect(test.status).toBe(404);
        const remove = await server.t.call("DELETE", `${base}/connections/${id}`, { user: "user-other" });
        expect(remove.status).toBe(404);
        expect((await server.t.call("GET", `${base}/connections`, { user: "user-owner" })).json).toEqual([
          a.json,
        ]);
        expect(
          (await server.t.call("POST", `${base}/connections/${id}/test`, { user: "user-owner" })).status,
        ).toBe(200);
      });

      it("reports health degraded with rateLimited when the provider rate-limits", async () => {
        const user = "user-rate-limited";
        await server.t.call("POST", `${base}/connections`, {
          user,
          body: { accessToken: server.harness.mintToken() },
        });
        server.harness.rateLimit();
        try {
          const health = await server.t.call("GET", `${base}/health`, { user });
          expect(health.status).toBe(200);
          expect(health.json).toMatchObject({
            status: "degraded",
            details: { auth: true, apiReachable: true, rateLimited: true, errorType: "rate-limit" },
          });
        } finally {
          await server.harness.clearFaults();
        }
      });

      it("reports health down with errorType auth when the token was revoked at the provider", async () => {
        const user = "user-revoked";
        const token = server.harness.mintToken();
        await server.t.call("POST", `${base}/connections`, { user, body: { accessToken: token } });
        await server.harness.revokeToken(token);
        const health = await server.t.call("GET", `${base}/health`, { user });
        expect(health.status).toBe(200);
        expect(health.json).toMatchObject({ status: "down", details: { auth: false, errorType: "auth" } });
        const test = await server.t.call(
          "POST",
          `${base}/connections/${(await firstId(user)) ?? UNKNOWN_ID}/test`,
          {
            user,
          },
        );
        expect(test.status).toBe(400);
        expect(test.json).toMatchObject({ error: { type: "auth" } });
      });

      async function firstId(user: string): Promise<string | undefined> {
        const list = (await server.t.call("GET", `${base}/connections`, { user })).json as { id: string }[];
        return list[0]?.id;
      }
    },
  );
});

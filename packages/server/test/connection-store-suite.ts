import type { ConnectionStore, OAuthStateRecord, StoredConnection } from "@autoflow/core";
import { afterEach, beforeEach, describe, expect, it } from "vitest";

/** A store under test; durable stores also close. */
export type ClosableConnectionStore = ConnectionStore & { close?(): Promise<void> };

const T0 = Date.parse("2025-01-15T12:00:00.000Z");

function at(offsetMs: number): string {
  return new Date(T0 + offsetMs).toISOString();
}

function connection(id: string, overrides: Partial<StoredConnection> = {}): StoredConnection {
  return {
    id,
    userId: "user-1",
    provider: "slack",
    authMethod: "oauth2",
    credential: { accessToken: `xoxb-${id}` },
    metadata: { teamId: "T1" },
    createdAt: at(0),
    ...overrides,
  };
}

const fullConnection: StoredConnection = {
  id: "conn-full",
  userId: "user-1",
  provider: "slack",
  authMethod: "oauth2",
  credential: {
    accessToken: "xoxb-full-access",
    refreshToken: "xoxe-full-refresh",
    expiresAt: at(3_600_000),
    scopes: ["chat:write", "channels:read"],
  },
  metadata: { teamId: "T1", teamName: "Ünïcødé 👋", scopes: ["chat:write"], nested: { a: [1, null] } },
  createdAt: at(0),
  revokedAt: at(60_000),
  tokenRefreshStatus: "healthy",
};

function state(id: string, overrides: Partial<OAuthStateRecord> = {}): OAuthStateRecord {
  return { state: id, userId: "user-1", provider: "slack", expiresAt: at(600_000), ...overrides };
}

/**
 * The contract every `ConnectionStore` must meet, as a vitest suite. The factory returns a fresh, empty
 * store; each test closes the store it was given when it has a `close`.
 */
export function describeConnectionStore(
  name: string,
  createStore: () => Promise<ClosableConnectionStore> | ClosableConnectionStore,
): void {
  describe(`ConnectionStore contract: ${name}`, () => {
    let store: ClosableConnectionStore;

    beforeEach(async () => {
      store = await createStore();
    });

    afterEach(async () => {
      await store.close?.();
    });

    describe("connections", () => {
      it("returns undefined for an unknown connection", async () => {
        expect(await store.getConnection("no-such-connection")).toBeUndefined();
      });

      it("round-trips a connection with every optional field", async () => {
        await store.saveConnection(fullConnection);
        expect(await store.getConnection(fullConnection.id)).toStrictEqual(fullConnection);
      });

      it("round-trips a connection with no optional fields, adding no undefined keys", async () => {
        const minimal = connection("conn-min");
        await store.saveConnection(minimal);
        const loaded = await store.getConnection(minimal.id);
        expect(loaded).toStrictEqual(minimal);
        expect(Object.keys(loaded ?? {}).sort()).toEqual(Object.keys(minimal).sort());
        expect(Object.keys(loaded?.credential ?? {})).toEqual(["accessToken"]);
      });

      it("lists a user's connections to a provider oldest first, whatever the insert order", async () => {
        for (const offset of [3, 1, 4, 0, 2]) {
          await store.saveConnection(connection(`conn-${offset}`, { createdAt: at(offset * 1_000) }));
        }
        const listed = await store.listConnections("user-1", "slack");
        expect(listed.map((c) => c.id)).toEqual(["conn-0", "conn-1", "conn-2", "conn-3", "conn-4"]);
        expect(listed[2]).toStrictEqual(connection("conn-2", { createdAt: at(2_000) }));
      });

      it("keeps users and providers apart", async () => {
        await store.saveConnection(connection("mine"));
        await store.saveConnection(connection("theirs", { userId: "user-2" }));
        await store.saveConnection(
          connection("github", { provider: "github", authMethod: "personal_token" }),
        );
        expect((await store.listConnections("user-1", "slack")).map((c) => c.id)).toEqual(["mine"]);
        expect((await store.listConnections("user-2", "slack")).map((c) => c.id)).toEqual(["theirs"]);
        expect((await store.listConnections("user-1", "github")).map((c) => c.id)).toEqual(["github"]);
        expect(await store.listConnections("user-2", "github")).toEqual([]);
        expect(await store.listConnections("user-3", "slack")).toEqual([]);
      });

      it("replaces a connection on save: revocation, refreshed credential, refresh status", async () => {
        const original = connection("conn-1", {
          credential: { accessToken: "old-access", refreshToken: "old-refresh", expiresAt: at(1_000) },
        });
        await store.saveConnection(original);
        const revoked = { ...original, revokedAt: at(5_000) };
        await store.saveConnection(revoked);
        expect(await store.getConnection("conn-1")).toStrictEqual(revoked);

        const refreshed: StoredConnection = {
          ...original,
          credential: { accessToken: "new-access", refreshToken: "new-refresh", expiresAt: at(3_601_000) },
          tokenRefreshStatus: "failed",
        };
        await store.saveConnection(refreshed);
        expect(await store.getConnection("conn-1")).toStrictEqual(refreshed);
        // Revoked connections stay listed: the lifecycle filters them.
        expect(await store.listConnections("user-1", "slack")).toStrictEqual([refreshed]);
      });

      it("does not let callers mutate stored records", async () => {
        const saved = structuredClone(fullConnection);
        await store.saveConnection(saved);
        saved.credential.accessToken = "mutated";
        (saved.metadata as { teamId: string }).teamId = "mutated";
        const loaded = await store.getConnection(saved.id);
        if (!loaded) throw new Error("connection was not stored");
        loaded.credential.scopes?.push("mutated");
        loaded.userId = "mutated";
        const [listed] = await store.listConnections("user-1", "slack");
        if (!listed) throw new Error("connection was not listed");
        listed.revokedAt = "mutated";
        expect(await store.getConnection(saved.id)).toStrictEqual(fullConnection);
      });
    });

    describe("OAuth states", () => {
      it("returns undefined for an unknown state", async () => {
        expect(await store.consumeOAuthState("no-such-state", at(1_000))).toBeUndefined();
      });

      it("consumes a state once: the second consumer sees when it was used", async () => {
        const record = state("state-1", { codeVerifier: "pkce-verifier-secret" });
        await store.saveOAuthState(record);
        const first = await store.consumeOAuthState("state-1", at(1_000));
        expect(first).toStrictEqual(record);
        expect(first).not.toHaveProperty("usedAt");
        const second = await store.consumeOAuthState("state-1", at(2_000));
        expect(second).toStrictEqual({ ...record, usedAt: at(1_000) });
        // Later consumers keep seeing the first use, not their own.
        expect(await store.consumeOAuthState("state-1", at(3_000))).toStrictEqual({
          ...record,
          usedAt: at(1_000),
        });
      });

      it("does not consume a state for another user than the one who started it", async () => {
        const record = state("state-owned");
        await store.saveOAuthState(record);
        const forged = await store.consumeOAuthState("state-owned", at(1_000), "someone-else");
        expect(forged).toStrictEqual(record);
        const rightful = await store.consumeOAuthState("state-owned", at(2_000), record.userId);
        expect(rightful).toStrictEqual(record);
        expect(await store.consumeOAuthState("state-owned", at(3_000), record.userId)).toStrictEqual({
          ...record,
          usedAt: at(2_000),
        });
      });

      it("does not consume a state for another provider, nor an expired one", async () => {
        const record = state("state-misrouted");
        await store.saveOAuthState(record);
        expect(
          await store.consumeOAuthState("state-misrouted", at(1_000), undefined, "github"),
        ).toStrictEqual(record);
        expect(
          await store.consumeOAuthState("state-misrouted", at(2_000), record.userId, "slack"),
        ).toStrictEqual(record);
        expect((await store.consumeOAuthState("state-misrouted", at(3_000)))?.usedAt).toBe(at(2_000));

        const expired = state("state-expired", { expiresAt: at(500) });
        await store.saveOAuthState(expired);
        expect(await store.consumeOAuthState("state-expired", at(500))).toStrictEqual(expired);
        expect(await store.consumeOAuthState("state-expired", at(600))).toStrictEqual(expired);
      });

      it("round-trips a state without a code verifier, adding no undefined keys", async () => {
        const record = state("state-plain");
        await store.saveOAuthState(record);
        const first = await store.consumeOAuthState("state-plain", at(1_000));
        expect(first).toStrictEqual(record);
        expect(Object.keys(first ?? {}).sort()).toEqual(Object.keys(record).sort());
      });

      it("consumes only the named state", async () => {
        await store.saveOAuthState(state("state-a"));
        await store.saveOAuthState(state("state-b", { userId: "user-2", provider: "github" }));
        await store.consumeOAuthState("state-a", at(1_000));
        expect(await store.consumeOAuthState("state-b", at(2_000))).toStrictEqual(
          state("state-b", { userId: "user-2", provider: "github" }),
        );
      });

      it("returns expired states as stored: expiry is the caller's check", async () => {
        const expired = state("state-old", { expiresAt: at(-1) });
        await store.saveOAuthState(expired);
        expect(await store.consumeOAuthState("state-old", at(0))).toStrictEqual(expired);
      });

      it("lets exactly one of 10 concurrent consumers see the state unused", async () => {
        await store.saveOAuthState(state("state-race", { codeVerifier: "race-verifier" }));
        const results = await Promise.all(
          Array.from({ length: 10 }, (_, i) => store.consumeOAuthState("state-race", at(1_000 + i))),
        );
        const unused = results.filter((r) => r !== undefined && r.usedAt === undefined);
        expect(unused).toHaveLength(1);
        const winnerUsedAt = results.find((r) => r?.usedAt !== undefined)?.usedAt;
        const winnerIndex = results.indexOf(unused[0]);
        expect(winnerUsedAt).toBe(at(1_000 + winnerIndex));
        for (const result of results) {
          expect(result).toMatchObject({ state: "state-race", codeVerifier: "race-verifier" });
          if (result !== unused[0]) expect(result?.usedAt).toBe(winnerUsedAt);
        }
      });
    });
  });
}

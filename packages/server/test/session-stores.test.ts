import { DatabaseSync } from "node:sqlite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PostgresSessionStore } from "../src/stores/postgres-session-store";
import { type SessionStore, secretHash } from "../src/stores/session-store";
import { SqliteSessionStore } from "../src/stores/sqlite-session-store";
import { TEST_DATABASE_URL, useMigratedTestSchema, warnIfNoPostgres } from "./postgres-test-schema";
import { removeTempDirs, tempSqlitePath } from "./sqlite-temp";

// The session store on each real database, as two processes see it: two stores over one SQLite file, two pools
// over one PostgreSQL schema. Every time is passed in; nothing here reads the wall clock.

warnIfNoPostgres("session store");
afterAll(removeTempDirs);

const T0 = new Date(Date.UTC(2026, 0, 1));
const at = (seconds: number) => new Date(T0.getTime() + seconds * 1000);
const HOUR = 3600;
/** A session created at T0 that expires by itself after `hours`. */
const sessionRecord = (id: string, userId: string, hours: number) => ({
  id,
  userId,
  createdAt: at(0),
  expiresAt: at(hours * HOUR),
});

/** Two stores sharing one database (two processes), and every row of a table as the database holds it. */
interface TwoProcesses {
  first: SessionStore;
  second: SessionStore;
  rows(table: string): Promise<Record<string, unknown>[]>;
}

function sessionStoreSuite(kind: string, open: () => Promise<TwoProcesses>) {
  describe(`the ${kind} session store`, () => {
    let stores: TwoProcesses;
    beforeAll(async () => {
      stores = await open();
    });
    afterAll(async () => {
      await stores?.first.close();
      await stores?.second.close();
    });

    it("spends a sign-in token once, whichever process sees it first or again", async () => {
      const { first, second } = stores;
      expect(await first.spendSignInToken("token-a", at(600))).toBe(true);
      expect(await second.spendSignInToken("token-a", at(600))).toBe(false);
      expect(await first.spendSignInToken("token-a", at(600))).toBe(false);
      expect(await second.spendSignInToken("token-b", at(600))).toBe(true);
    });

    it("lets exactly one of many concurrent spends of the same token win, across both processes", async () => {
      const { first, second } = stores;
      const spends = await Promise.all(
        Array.from({ length: 20 }, (_, i) => (i % 2 ? first : second).spendSignInToken("raced", at(600))),
      );
      expect(spends.filter(Boolean)).toHaveLength(1);
    });

    it("answers a session active until it is revoked (for both processes) or expires, by the time given", async () => {
      const { first, second } = stores;
      await first.createSession(sessionRecord("sid-live", "user-1", 12));
      await first.createSession(sessionRecord("sid-out", "user-1", 12));
      expect(await second.isSessionActive("sid-live", at(60))).toBe(true);
      expect(await second.isSessionActive("sid-live", at(12 * HOUR - 1))).toBe(true);
      expect(await second.isSessionActive("sid-live", at(12 * HOUR))).toBe(false);
      expect(await second.isSessionActive("sid-unknown", at(60))).toBe(false);

      expect(await second.isSessionActive("sid-out", at(60))).toBe(true);
      await second.revokeSession("sid-out", at(120));
      expect(await first.isSessionActive("sid-out", at(121))).toBe(false);
      // Revoking again, or an unknown session, changes nothing.
      await first.revokeSession("sid-out", at(130));
      await first.revokeSession("sid-unknown", at(130));
      expect(await first.isSessionActive("sid-live", at(130))).toBe(true);
    });

    it("keeps only SHA-256 hashes of sign-in tokens and session ids", async () => {
      const tokens = await stores.rows("autoflow_sign_in_tokens");
      const sessions = await stores.rows("autoflow_browser_sessions");
      const stored = JSON.stringify([tokens, sessions]);
      for (const secret of ["token-a", "token-b", "raced", "sid-live", "sid-out"]) {
        expect(stored).not.toContain(`"${secret}"`);
      }
      expect(tokens.map((row) => row.token_hash).sort()).toEqual(
        ["token-a", "token-b", "raced"].map(secretHash).sort(),
      );
      expect(sessions.map((row) => row.id_hash).sort()).toEqual(
        ["sid-live", "sid-out"].map(secretHash).sort(),
      );
    });

    it("prunes what expired by the time given, and nothing else", async () => {
      const { first, second } = stores;
      await first.createSession(sessionRecord("sid-later", "user-2", 24));
      await first.spendSignInToken("token-later", at(24 * HOUR));
      // Tokens (600 s) and the first two sessions (12 h) are gone; what lives to 24 h stays.
      expect(await second.pruneExpired(at(12 * HOUR))).toBe(3 + 2);
      expect(await first.pruneExpired(at(12 * HOUR))).toBe(0);
      expect(await first.isSessionActive("sid-later", at(12 * HOUR))).toBe(true);
      expect(await first.spendSignInToken("token-later", at(24 * HOUR))).toBe(false);
      expect((await stores.rows("autoflow_sign_in_tokens")).map((row) => row.token_hash)).toEqual([
        secretHash("token-later"),
      ]);
    });
  });
}

sessionStoreSuite("SQLite", async () => {
  const path = tempSqlitePath();
  return {
    first: new SqliteSessionStore({ path }),
    second: new SqliteSessionStore({ path }),
    async rows(table) {
      const db = new DatabaseSync(path, { readOnly: true });
      try {
        return db.prepare(`SELECT * FROM ${table}`).all() as Record<string, unknown>[];
      } finally {
        db.close();
      }
    },
  };
});

describe.skipIf(!TEST_DATABASE_URL)("on PostgreSQL", () => {
  const schema = useMigratedTestSchema();
  sessionStoreSuite("PostgreSQL", async () => ({
    first: await PostgresSessionStore.open({ pool: schema.pool, skipMigrations: true }),
    // A second pool: its own connections, as another process of the service would have.
    second: await PostgresSessionStore.open({ pool: schema.newPool() }),
    async rows(table) {
      return (await schema.pool.query<Record<string, unknown>>(`SELECT * FROM ${table}`)).rows;
    },
  }));
});

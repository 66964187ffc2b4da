import { createTestClock, type TestClock } from "@autoflow/core/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSignInToken, SESSION_COOKIE, SESSION_SECONDS } from "../src/http/browser-session";
import { createLogger } from "../src/logger";
import { type RunningServer, startServer } from "../src/server";
import { STORE_KINDS, startTestServer, type TestServer } from "./http-server";
import { TEST_DATABASE_URL, warnIfNoPostgres } from "./postgres-test-schema";
import { removeTempDirs } from "./sqlite-temp";

// Browser sessions are server-side as well as signed: sign-out ends a session for every process, an expired one
// is refused on the service's clock, and a sign-in link works once across service instances on one database.

warnIfNoPostgres("browser session revocation");
afterAll(removeTempDirs);

const USER = "user-1";

/** Opens a fresh sign-in link on `url`; answers its status and, when it signed in, the cookie header. */
async function openSignInLink(url: string, token: string): Promise<{ status: number; cookie: string }> {
  const response = await fetch(`${url}/auth/sign-in?token=${token}`, { redirect: "manual" });
  await response.body?.cancel();
  return { status: response.status, cookie: (response.headers.get("set-cookie") ?? "").split(";")[0] ?? "" };
}

/** Signs `USER` in on `url`; answers the cookie header and the session's CSRF token. */
async function signIn(url: string, jwtSecret: string): Promise<{ cookie: string; csrfToken: string }> {
  const { status, cookie } = await openSignInLink(url, await createSignInToken(jwtSecret, { userId: USER }));
  expect(status).toBe(303);
  const session = await fetch(`${url}/api/session`, { headers: { cookie } });
  expect(session.status).toBe(200);
  const body = (await session.json()) as Record<string, unknown>;
  // The page learns who it is and the CSRF token, nothing about the server-side session.
  expect(Object.keys(body).sort()).toEqual(["csrfToken", "userId"]);
  return { cookie, csrfToken: String(body.csrfToken) };
}

async function signOut(url: string, session: { cookie: string; csrfToken: string }): Promise<void> {
  const out = await fetch(`${url}/auth/sign-out`, {
    method: "POST",
    headers: { cookie: session.cookie, origin: url, "x-csrf-token": session.csrfToken },
  });
  expect(out.status).toBe(204);
  expect(out.headers.get("set-cookie")).toMatch(new RegExp(`^${SESSION_COOKIE}=;`));
}

/** The statuses a cookie gets on a read, on `GET /api/session` and on a CSRF-checked write. */
async function cookieStatuses(
  url: string,
  session: { cookie: string; csrfToken: string },
): Promise<number[]> {
  const headers = { cookie: session.cookie };
  const write = await fetch(`${url}/api/workflows`, {
    method: "POST",
    headers: {
      ...headers,
      origin: url,
      "x-csrf-token": session.csrfToken,
      "content-type": "application/json",
    },
    body: "{}",
  });
  return [
    (await fetch(`${url}/api/providers`, { headers })).status,
    (await fetch(`${url}/api/session`, { headers })).status,
    write.status,
  ];
}

describe.each(STORE_KINDS)("browser sessions on %s", (kind) => {
  const skip = kind === "postgres" && !TEST_DATABASE_URL;
  let t: TestServer;
  let clock: TestClock;
  beforeAll(async () => {
    if (skip) return;
    // Starts where the sign-in tokens' `iat` is (they are signed on the wall clock); only `advance` moves it after.
    clock = createTestClock(Date.now());
    t = await startTestServer(kind, {}, { AUTOFLOW_WORKER_CONCURRENCY: "0" }, { clock, dashboard: false });
  });
  afterAll(async () => {
    await t?.close();
  });

  it.skipIf(skip)("end on sign-out: the old cookie, replayed, is a 401 like no cookie at all", async () => {
    const session = await signIn(t.url, t.jwtSecret);
    // Signed in, past the checks: the empty workflow is a 400.
    expect(await cookieStatuses(t.url, session)).toEqual([200, 200, 400]);
    await signOut(t.url, session);
    expect(await cookieStatuses(t.url, session)).toEqual([401, 401, 401]);
    // Signing out again with the dead cookie only clears it.
    await signOut(t.url, session);
    // Another session of the same user is untouched.
    const other = await signIn(t.url, t.jwtSecret);
    expect(await cookieStatuses(t.url, other)).toEqual([200, 200, 400]);
  });

  it.skipIf(skip)("expire on the service's clock, not the wall clock", async () => {
    const session = await signIn(t.url, t.jwtSecret);
    clock.advance((SESSION_SECONDS - 1) * 1000);
    expect((await fetch(`${t.url}/api/providers`, { headers: { cookie: session.cookie } })).status).toBe(200);
    clock.advance(1000);
    expect(await cookieStatuses(t.url, session)).toEqual([401, 401, 401]);
  });
});

describe.skipIf(!TEST_DATABASE_URL)("two service instances on one PostgreSQL database", () => {
  let a: TestServer;
  let b: RunningServer;
  beforeAll(async () => {
    // API only: neither instance needs to run workflows here.
    a = await startTestServer("postgres", {}, { AUTOFLOW_WORKER_CONCURRENCY: "0" }, { dashboard: false });
    const schema = a.schema;
    if (!schema) throw new Error("a PostgreSQL test server has a schema");
    // The same configuration (JWT secret, vault key, database), its own pool, listener and memory.
    b = await startServer(a.config, {
      logger: createLogger({ sink: () => {} }),
      hostname: "127.0.0.1",
      dashboard: false,
      postgres: { options: schema.searchPathOption },
      queue: { schema: schema.queueSchema, superviseIntervalSeconds: 1 },
    });
  });
  afterAll(async () => {
    await b?.close();
    await a?.close();
  });

  it("refuse a sign-in link on the second instance once the first took it", async () => {
    const token = await createSignInToken(a.jwtSecret, { userId: USER });
    expect((await openSignInLink(a.url, token)).status).toBe(303);
    const again = await openSignInLink(b.url, token);
    expect(again.status).toBe(401);
    expect(again.cookie).toBe("");
  });

  it("let exactly one instance take a link opened on both at once", async () => {
    const token = await createSignInToken(a.jwtSecret, { userId: USER });
    const answers = await Promise.all(
      Array.from({ length: 10 }, (_, i) => openSignInLink(i % 2 ? a.url : b.url, token)),
    );
    expect(answers.map((answer) => answer.status).sort()).toEqual([303, ...Array(9).fill(401)]);
  });

  it("end a session on every instance when it signs out on one", async () => {
    const session = await signIn(a.url, a.jwtSecret);
    expect(await cookieStatuses(b.url, session)).toEqual([200, 200, 400]);
    await signOut(b.url, session);
    expect(await cookieStatuses(a.url, session)).toEqual([401, 401, 401]);
    expect(await cookieStatuses(b.url, session)).toEqual([401, 401, 401]);
  });
});

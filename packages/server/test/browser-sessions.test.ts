import { defineJob, IntegrationError, type Job, JobRunner, type RunResult } from "@autoflow/core";
import { SqliteTaskStore } from "@autoflow/core/sqlite";
import { createTestClock } from "@autoflow/core/testing";
import { SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDevToken } from "../src/dev-token";
import { createSignInToken, SESSION_COOKIE } from "../src/http/browser-session";
import { DASHBOARD_CSP } from "../src/http/dashboard-routes";
import { startTestServer, type TestServer } from "./http-server";

// The dashboard's server side over real HTTP: sign-in links, the session cookie standing for its user on the
// API, CSRF and Origin checks, the built app under its CSP, live run views, and code jobs' runs per owner.

const OWNER = "owner-1";
const OTHER = "other-2";
/** Five seconds after the test clock's start. */
const RETRY_AT = Date.UTC(2026, 0, 1, 0, 0, 5);

const report = defineJob({
  id: "nightly-report",
  run: async (_payload, io) => {
    let calls = 0;
    const rows = await io.runTask(
      "fetch-rows",
      async () => {
        calls += 1;
        // A refusal before anything happened: retried at the time the provider named.
        if (calls === 1)
          throw new IntegrationError({
            provider: "reports",
            type: "rate-limit",
            message: "ratelimited",
            retryAt: new Date(RETRY_AT),
          });
        return { rows: 3 };
      },
      {
        name: "Fetch rows",
        icon: "database",
        properties: [{ label: "Table", text: "orders" }],
        retry: { limit: 2 },
      },
    );
    return rows;
  },
});

const waitsADay = defineJob({
  id: "waits-a-day",
  run: async (_payload, io) => {
    await io.wait("a-day", 24 * 60 * 60);
  },
});

let t: TestServer;

/** Runs `job` in another process's runner (a worker) on the service's own store, as `autoflow runs` sees it. */
async function runBesideTheService(job: Job, runId: string): Promise<RunResult<unknown>> {
  const store = new SqliteTaskStore({ path: t.sqlitePath ?? "" });
  try {
    return await new JobRunner({ store, clock: createTestClock(), logger: false, telemetry: false }).run(
      job,
      {
        runId,
      },
    );
  } finally {
    store.close();
  }
}

/** Signs `userId` in through a sign-in link; answers the cookie header and the session's CSRF token. */
async function signIn(userId: string): Promise<{ cookie: string; csrfToken: string }> {
  const token = await createSignInToken(t.jwtSecret, { userId });
  const response = await fetch(`${t.url}/auth/sign-in?token=${token}`, { redirect: "manual" });
  expect(response.status).toBe(303);
  const setCookie = response.headers.get("set-cookie") ?? "";
  const cookie = setCookie.split(";")[0] ?? "";
  const session = (await (await fetch(`${t.url}/api/session`, { headers: { cookie } })).json()) as {
    userId: string;
    csrfToken: string;
  };
  expect(session.userId).toBe(userId);
  return { cookie, csrfToken: session.csrfToken };
}

beforeAll(async () => {
  t = await startTestServer("sqlite", {}, {}, { jobs: [report, waitsADay], jobsUserId: OWNER });
});
afterAll(async () => {
  await t?.close();
});

describe("sign-in links", () => {
  it("set an HttpOnly, SameSite=Lax session cookie and redirect to a path on this service only", async () => {
    const token = await createSignInToken(t.jwtSecret, { userId: OWNER });
    const response = await fetch(`${t.url}/auth/sign-in?token=${token}&next=/runs`, { redirect: "manual" });
    expect(response.status).toBe(303);
    expect(response.headers.get("location")).toBe("/runs");
    expect(response.headers.get("referrer-policy")).toBe("no-referrer");
    const cookie = response.headers.get("set-cookie") ?? "";
    expect(cookie).toMatch(new RegExp(`^${SESSION_COOKIE}=`));
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    // Served over plain http here: a Secure cookie would never come back.
    expect(cookie).not.toMatch(/Secure/i);

    for (const next of ["//evil.example/x", "https://evil.example/", "/\\evil.example"]) {
      const again = await createSignInToken(t.jwtSecret, { userId: OWNER });
      const answer = await fetch(`${t.url}/auth/sign-in?token=${again}&next=${encodeURIComponent(next)}`, {
        redirect: "manual",
      });
      expect(answer.headers.get("location")).toBe("/");
    }
  });

  it("work once, and refuse long-lived API tokens, forged and missing tokens with a 401 page", async () => {
    const token = await createSignInToken(t.jwtSecret, { userId: OWNER });
    expect((await fetch(`${t.url}/auth/sign-in?token=${token}`, { redirect: "manual" })).status).toBe(303);
    const reused = await fetch(`${t.url}/auth/sign-in?token=${token}`, { redirect: "manual" });
    expect(reused.status).toBe(401);
    expect(await reused.text()).toContain("This sign-in link is not valid");
    expect(reused.headers.get("set-cookie")).toBeNull();

    const apiToken = await createDevToken(t.jwtSecret, { userId: OWNER, expiresInSeconds: 3600 });
    expect((await fetch(`${t.url}/auth/sign-in?token=${apiToken}`, { redirect: "manual" })).status).toBe(401);
    // A short-lived token the API accepts (an identity provider's) signs in as well.
    const shortLived = await createDevToken(t.jwtSecret, { userId: OWNER, expiresInSeconds: 300 });
    expect((await fetch(`${t.url}/auth/sign-in?token=${shortLived}`, { redirect: "manual" })).status).toBe(
      303,
    );
    const forged = await createSignInToken("another-secret-of-at-least-32-chars!!", { userId: OWNER });
    expect((await fetch(`${t.url}/auth/sign-in?token=${forged}`, { redirect: "manual" })).status).toBe(401);
    expect((await fetch(`${t.url}/auth/sign-in`, { redirect: "manual" })).status).toBe(401);
  });
});

describe("the session cookie on the API", () => {
  it("stands for its user on reads; /api/session gives the CSRF token; no cookie is a 401", async () => {
    const { cookie, csrfToken } = await signIn(OWNER);
    expect(csrfToken.length).toBeGreaterThanOrEqual(32);
    const providers = await fetch(`${t.url}/api/providers`, { headers: { cookie } });
    expect(providers.status).toBe(200);
    const { providers: list } = (await providers.json()) as {
      providers: { id: string; name: string; oauth: boolean; apiKey: boolean; connectionFields: string[] }[];
    };
    expect(list.length).toBeGreaterThan(1);
    for (const provider of list) {
      expect(provider.name.length).toBeGreaterThan(0);
      expect(typeof provider.apiKey).toBe("boolean");
    }
    // No OAuth client is configured here; connection fields come from the provider's adapter.
    expect(list.every((provider) => !provider.oauth)).toBe(true);
    expect(list.find((provider) => provider.id === "jira")?.connectionFields).toEqual(["email", "siteUrl"]);

    expect((await fetch(`${t.url}/api/session`)).status).toBe(401);
    expect((await fetch(`${t.url}/api/providers`)).status).toBe(401);
    const forgedCookie = await new SignJWT({ purpose: "dashboard-session", csrf: "x".repeat(32) })
      .setProtectedHeader({ alg: "HS256" })
      .setSubject(OWNER)
      .setIssuedAt()
      .setExpirationTime("1h")
      .sign(new TextEncoder().encode("not-the-service-key-not-the-service-key"));
    expect(
      (await fetch(`${t.url}/api/providers`, { headers: { cookie: `${SESSION_COOKIE}=${forgedCookie}` } }))
        .status,
    ).toBe(401);
  });

  it("needs the CSRF token and a same-origin Origin on every state-changing request", async () => {
    const { cookie, csrfToken } = await signIn(OWNER);
    const post = (headers: Record<string, string>) =>
      fetch(`${t.url}/api/workflows`, {
        method: "POST",
        headers: { cookie, "content-type": "application/json", ...headers },
        body: JSON.stringify({}),
      });
    const noToken = await post({ origin: t.url });
    expect(noToken.status).toBe(403);
    expect(((await noToken.json()) as { error: { code: string } }).error.code).toBe("csrf_failed");
    expect((await post({ origin: t.url, "x-csrf-token": "wrong" })).status).toBe(403);
    expect((await post({ origin: "https://evil.example", "x-csrf-token": csrfToken })).status).toBe(403);
    expect((await post({ "x-csrf-token": csrfToken })).status).toBe(403);
    // Past the checks, the body is validated as for any caller.
    const accepted = await post({ origin: t.url, "x-csrf-token": csrfToken });
    expect(accepted.status).toBe(400);
    expect(((await accepted.json()) as { error: { code: string } }).error.code).toBe("invalid_request");
  });

  it("gives way to a bearer token, which needs no CSRF token; a wrong bearer token is a 401 even with a cookie", async () => {
    const { cookie } = await signIn(OWNER);
    const other = await t.token(OTHER);
    const listed = await fetch(`${t.url}/api/workflows`, {
      headers: { cookie, authorization: `Bearer ${other}` },
    });
    expect(listed.status).toBe(200);
    const wrong = await fetch(`${t.url}/api/workflows`, {
      headers: { cookie, authorization: "Bearer nope" },
    });
    expect(wrong.status).toBe(401);
  });

  it("ends on sign-out (CSRF-checked), which clears the cookie", async () => {
    const { cookie, csrfToken } = await signIn(OWNER);
    expect(
      (await fetch(`${t.url}/auth/sign-out`, { method: "POST", headers: { cookie, origin: t.url } })).status,
    ).toBe(403);
    const out = await fetch(`${t.url}/auth/sign-out`, {
      method: "POST",
      headers: { cookie, origin: t.url, "x-csrf-token": csrfToken },
    });
    expect(out.status).toBe(204);
    expect(out.headers.get("set-cookie")).toMatch(new RegExp(`^${SESSION_COOKIE}=;.*Max-Age=0`, "i"));
  });
});

describe("the built dashboard", () => {
  it("answers its pages with the app shell under a strict CSP, hashed assets cached, other paths a JSON 404", async () => {
    for (const path of [
      "/",
      "/connections",
      "/triggers",
      "/runs",
      "/runs/run_1",
      "/job-runs/r1",
      "/workflows",
      "/workflows/new",
    ]) {
      const page = await fetch(`${t.url}${path}`);
      expect(page.status, path).toBe(200);
      expect(page.headers.get("content-security-policy")).toBe(DASHBOARD_CSP);
      expect(page.headers.get("x-frame-options")).toBe("DENY");
      expect(page.headers.get("cache-control")).toBe("no-cache");
      const html = await page.text();
      expect(html).toMatch(/<script type="module"[^>]* src="\/assets\/[^"]+\.js"/);
      // Nothing inline: the CSP would block it.
      expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    }
    const shell = await (await fetch(t.url)).text();
    const asset = /src="(\/assets\/[^"]+\.js)"/.exec(shell)?.[1] ?? "";
    const script = await fetch(`${t.url}${asset}`);
    expect(script.status).toBe(200);
    expect(script.headers.get("content-type")).toMatch(/javascript/);
    expect(script.headers.get("cache-control")).toContain("immutable");
    expect((await fetch(`${t.url}/assets/missing.js`)).status).toBe(404);
    const unknown = await fetch(`${t.url}/wp-admin`);
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toEqual({ error: { code: "not_found", message: "Not found" } });
  });
});

describe("code jobs' runs", () => {
  it("are the jobs owner's only: listed with their tasks' attempts, live, and unknown to anyone else", async () => {
    const result = await runBesideTheService(report, "report-1");
    expect(result, JSON.stringify(result)).toMatchObject({ status: "completed" });

    const { cookie } = await signIn(OWNER);
    const list = (await (await fetch(`${t.url}/api/job-runs`, { headers: { cookie } })).json()) as {
      runs: { id: string; jobId: string; status: string }[];
    };
    expect(list.runs.map((run) => [run.id, run.jobId, run.status])).toEqual([
      ["report-1", "nightly-report", "completed"],
    ]);
    const view = (await (await fetch(`${t.url}/api/job-runs/report-1`, { headers: { cookie } })).json()) as {
      status: string;
      output: unknown;
      tasks: {
        name: string;
        icon?: string;
        status: string;
        attempts: number;
        properties?: unknown;
        attemptErrors?: { attempt: number; type: string; message: string; retryAt?: string }[];
        output?: unknown;
        durationMs?: number;
      }[];
    };
    expect(view.status).toBe("completed");
    expect(view.output).toEqual({ rows: 3 });
    const [task] = view.tasks;
    expect(task).toMatchObject({
      name: "Fetch rows",
      icon: "database",
      status: "completed",
      attempts: 2,
      properties: [{ label: "Table", text: "orders" }],
      output: { rows: 3 },
    });
    expect(task?.attemptErrors).toEqual([
      expect.objectContaining({
        attempt: 1,
        type: "rate-limit",
        message: "ratelimited",
        retryAt: new Date(RETRY_AT).toISOString(),
      }),
    ]);
    expect(task?.durationMs).toBeGreaterThanOrEqual(0);

    // The finished run's live view: one `run` event with the view, then `end`.
    const events = await fetch(`${t.url}/api/job-runs/report-1/events`, { headers: { cookie } });
    expect(events.headers.get("content-type")).toMatch(/text\/event-stream/);
    const text = await events.text();
    expect(text).toMatch(/^event: run\ndata: \{"id":"report-1"/);
    expect(text).toContain('event: end\ndata: {"status":"completed"}');

    const cancel = await fetch(`${t.url}/api/job-runs/report-1/cancel`, {
      method: "POST",
      headers: { authorization: `Bearer ${await t.token(OWNER)}` },
    });
    expect(cancel.status).toBe(409);

    const stranger = { authorization: `Bearer ${await t.token(OTHER)}` };
    expect(await (await fetch(`${t.url}/api/job-runs`, { headers: stranger })).json()).toEqual({ runs: [] });
    for (const path of ["/api/job-runs/report-1", "/api/job-runs/report-1/events"]) {
      expect((await fetch(`${t.url}${path}`, { headers: stranger })).status).toBe(404);
    }
    expect(
      (await fetch(`${t.url}/api/job-runs/report-1/cancel`, { method: "POST", headers: stranger })).status,
    ).toBe(404);
    const badQuery = await fetch(`${t.url}/api/job-runs?before=report-1`, { headers: { cookie } });
    expect(badQuery.status).toBe(400);
  });
});

describe("cancelling a code job's run", () => {
  it("ends a suspended run cancelled at once, from the owner's session (with its CSRF token) only", async () => {
    expect((await runBesideTheService(waitsADay, "waiting-1")).status).toBe("suspended");

    const stranger = { authorization: `Bearer ${await t.token(OTHER)}` };
    expect(
      (await fetch(`${t.url}/api/job-runs/waiting-1/cancel`, { method: "POST", headers: stranger })).status,
    ).toBe(404);
    const { cookie, csrfToken } = await signIn(OWNER);
    const cancelled = await fetch(`${t.url}/api/job-runs/waiting-1/cancel`, {
      method: "POST",
      headers: { cookie, origin: t.url, "x-csrf-token": csrfToken },
    });
    expect(cancelled.status).toBe(200);
    expect(await cancelled.json()).toEqual({ runId: "waiting-1", status: "cancelled" });
    const view = (await (await fetch(`${t.url}/api/job-runs/waiting-1`, { headers: { cookie } })).json()) as {
      status: string;
    };
    expect(view.status).toBe("cancelled");
    const list = (await (
      await fetch(`${t.url}/api/job-runs?jobId=waits-a-day`, { headers: { cookie } })
    ).json()) as {
      runs: { id: string; status: string }[];
    };
    expect(list.runs).toEqual([expect.objectContaining({ id: "waiting-1", status: "cancelled" })]);
  });
});

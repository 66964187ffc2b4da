import { createHash, randomBytes } from "node:crypto";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { GithubEmulator } from "../src/index";

const emulator = new GithubEmulator();
let token: string;

beforeAll(async () => {
  await emulator.start();
  token = emulator.mintToken();
});
afterAll(() => emulator.stop());
afterEach(() => emulator.clearFaults());

type Answer = { status: number; headers: Headers; body: unknown };

async function call(
  method: string,
  path: string,
  body?: unknown,
  auth: string | null = `token ${token}`,
): Promise<Answer> {
  const response = await fetch(`${emulator.url}${path}`, {
    method,
    headers: {
      accept: "application/vnd.github+json",
      ...(auth && { authorization: auth }),
      ...(body !== undefined && { "content-type": "application/json" }),
    },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  const json = response.headers.get("content-type")?.includes("json") ? JSON.parse(text) : text;
  return { status: response.status, headers: response.headers, body: json };
}

const mainSha = () => emulator.state.repo("octo-org", "hello")?.refs.get("refs/heads/main") as string;

describe("GitHub emulator: auth and headers", () => {
  it("answers GET /user with the token's account, scopes and decrementing rate-limit headers", async () => {
    const first = await call("GET", "/user");
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ login: "octocat", type: "User" });
    expect(first.headers.get("x-oauth-scopes")).toBe("repo, admin:repo_hook, read:user, user:email");
    expect(first.headers.get("x-github-request-id")).toBeTruthy();
    expect(first.headers.get("x-ratelimit-resource")).toBe("core");
    const second = await call("GET", "/user");
    expect(Number(second.headers.get("x-ratelimit-remaining"))).toBe(
      Number(first.headers.get("x-ratelimit-remaining")) - 1,
    );
    expect(Number(second.headers.get("x-ratelimit-reset"))).toBeGreaterThan(Date.now() / 1000);
  });

  it("accepts Bearer as well as token, and answers 401 Bad credentials otherwise", async () => {
    expect((await call("GET", "/user", undefined, `Bearer ${token}`)).status).toBe(200);
    const bad = await call("GET", "/user", undefined, "token ghp_nope");
    expect(bad.status).toBe(401);
    expect(bad.body).toMatchObject({ message: "Bad credentials", status: "401" });
    expect(bad.body).toHaveProperty("documentation_url");
    expect((await call("GET", "/user", undefined, null)).status).toBe(401);
  });

  it("answers 403 for a token without the scope, and 404 JSON for unknown routes and repos", async () => {
    const readOnly = emulator.mintToken({ scopes: ["read:user"] });
    const denied = await call("POST", "/repos/octo-org/hello/issues", { title: "x" }, `token ${readOnly}`);
    expect(denied.status).toBe(403);
    expect(denied.body).toMatchObject({ message: "Resource not accessible by personal access token" });
    expect((await call("GET", "/no/such/route")).body).toMatchObject({ message: "Not Found" });
    expect((await call("GET", "/repos/octo-org/nope")).status).toBe(404);
  });

  it("serves the same API under /api/v3 with URLs pointing there (GitHub Enterprise Server)", async () => {
    const repo = await call("GET", "/api/v3/repos/octo-org/hello");
    expect(repo.status).toBe(200);
    expect(repo.body).toMatchObject({
      full_name: "octo-org/hello",
      url: `${emulator.enterpriseApiUrl}/repos/octo-org/hello`,
    });
  });
});

describe("GitHub emulator: state", () => {
  it("creates an issue that reads back, updates it, and lists it with state and label filters", async () => {
    const created = await call("POST", "/repos/octo-org/hello/issues", {
      title: "Emulated bug",
      body: "steps",
      labels: ["bug"],
      assignees: ["octocat"],
      milestone: 1,
    });
    expect(created.status).toBe(201);
    const number = (created.body as { number: number }).number;
    expect(created.body).toMatchObject({
      title: "Emulated bug",
      state: "open",
      labels: [{ name: "bug" }],
      assignees: [{ login: "octocat" }],
      milestone: { number: 1 },
      html_url: `${emulator.url}/octo-org/hello/issues/${number}`,
    });
    expect((await call("GET", `/repos/octo-org/hello/issues/${number}`)).body).toMatchObject({
      title: "Emulated bug",
    });

    const closed = await call("PATCH", `/repos/octo-org/hello/issues/${number}`, { state: "closed" });
    expect(closed.body).toMatchObject({ state: "closed", state_reason: "completed" });
    const open = (await call("GET", "/repos/octo-org/hello/issues?labels=bug")).body as { number: number }[];
    expect(open.map((i) => i.number)).not.toContain(number);
    const all = (await call("GET", "/repos/octo-org/hello/issues?state=all&labels=bug")).body as {
      number: number;
    }[];
    expect(all.map((i) => i.number)).toContain(number);
  });

  it("answers 422 Validation Failed with GitHub's errors array", async () => {
    const missing = await call("POST", "/repos/octo-org/hello/issues", { body: "no title" });
    expect(missing.status).toBe(422);
    expect(missing.body).toMatchObject({
      message: "Validation Failed",
      errors: [{ resource: "Issue", field: "title", code: "missing_field" }],
    });
    const badMilestone = await call("POST", "/repos/octo-org/hello/issues", { title: "x", milestone: 99 });
    expect(badMilestone.body).toMatchObject({ errors: [{ field: "milestone", code: "invalid" }] });
  });

  it("paginates with per_page/page and a link header", async () => {
    for (let i = 0; i < 5; i++)
      await call("POST", "/repos/octo-org/hello/issues", { title: `page ${i}`, labels: ["paged"] });
    const first = await call("GET", "/repos/octo-org/hello/issues?labels=paged&per_page=2");
    expect(first.body).toHaveLength(2);
    expect(first.headers.get("link")).toMatch(/page=2>; rel="next".*page=3>; rel="last"/);
    const last = await call("GET", "/repos/octo-org/hello/issues?labels=paged&per_page=2&page=3");
    expect(last.body).toHaveLength(1);
    expect(last.headers.get("link")).toMatch(/rel="prev"/);
    expect(last.headers.get("link")).not.toMatch(/rel="next"/);
  });

  it("adds comments, labels and reactions to an issue", async () => {
    const { number } = (await call("POST", "/repos/octo-org/hello/issues", { title: "discuss" })).body as {
      number: number;
    };
    const comment = await call("POST", `/repos/octo-org/hello/issues/${number}/comments`, { body: "first!" });
    expect(comment).toMatchObject({ status: 201, body: { body: "first!", user: { login: "octocat" } } });
    const labels = await call("POST", `/repos/octo-org/hello/issues/${number}/labels`, {
      labels: ["bug", "triage"],
    });
    expect((labels.body as { name: string }[]).map((l) => l.name)).toEqual(["bug", "triage"]);
    const reaction = await call("POST", `/repos/octo-org/hello/issues/${number}/reactions`, {
      content: "rocket",
    });
    expect(reaction.status).toBe(201);
    expect(
      (await call("POST", `/repos/octo-org/hello/issues/${number}/reactions`, { content: "rocket" })).status,
    ).toBe(200);
    expect(
      (await call("POST", `/repos/octo-org/hello/issues/${number}/reactions`, { content: "nope" })).status,
    ).toBe(422);
    expect((await call("GET", `/repos/octo-org/hello/issues/${number}/reactions`)).body).toHaveLength(1);
    expect((await call("GET", `/repos/octo-org/hello/issues/${number}`)).body).toMatchObject({
      comments: 1,
      reactions: { rocket: 1, total_count: 1 },
    });
  });

  it("opens a pull request from existing branches, merges it once, and moves the base branch", async () => {
    const bad = await call("POST", "/repos/octo-org/hello/pulls", { title: "x", head: "nope", base: "main" });
    expect(bad.body).toMatchObject({ errors: [{ field: "head", code: "invalid" }] });
    const before = mainSha();
    const created = await call("POST", "/repos/octo-org/hello/pulls", {
      title: "Feature",
      head: "feature",
      base: "main",
    });
    expect(created.status).toBe(201);
    const { number } = created.body as { number: number };
    const merged = await call("PUT", `/repos/octo-org/hello/pulls/${number}/merge`, {
      merge_method: "merge",
    });
    expect(merged.body).toMatchObject({ merged: true, message: "Pull Request successfully merged" });
    expect(mainSha()).not.toBe(before);
    expect((await call("GET", `/repos/octo-org/hello/pulls/${number}`)).body).toMatchObject({
      merged: true,
      state: "closed",
    });
    expect((await call("PUT", `/repos/octo-org/hello/pulls/${number}/merge`, {})).status).toBe(405);
  });

  it("reads, creates and fast-forwards git refs", async () => {
    const main = await call("GET", "/repos/octo-org/hello/git/ref/heads%2Fmain");
    expect(main.body).toMatchObject({ ref: "refs/heads/main", object: { type: "commit", sha: mainSha() } });
    expect((await call("GET", "/repos/octo-org/hello/git/ref/heads/main")).status).toBe(200);
    const root = [...(emulator.state.repo("octo-org", "hello")?.commits.entries() ?? [])].find(
      ([, p]) => p.length === 0,
    )?.[0];
    const created = await call("POST", "/repos/octo-org/hello/git/refs", {
      ref: "refs/heads/release",
      sha: root,
    });
    expect(created.status).toBe(201);
    expect(
      (await call("POST", "/repos/octo-org/hello/git/refs", { ref: "refs/heads/release", sha: root })).status,
    ).toBe(422);
    const moved = await call("PATCH", "/repos/octo-org/hello/git/refs/heads%2Frelease", { sha: mainSha() });
    expect(moved.body).toMatchObject({ object: { sha: mainSha() } });
    const back = await call("PATCH", "/repos/octo-org/hello/git/refs/heads%2Frelease", { sha: root });
    expect(back.body).toMatchObject({ message: "Update is not a fast forward" });
  });

  it("stores webhooks without echoing the secret", async () => {
    const hook = await call("POST", "/repos/octo-org/hello/hooks", {
      config: { url: "https://example.com/hook", content_type: "json", secret: "s3cret" },
      events: ["issues"],
    });
    expect(hook).toMatchObject({ status: 201, body: { events: ["issues"], config: { secret: "********" } } });
    expect(emulator.state.repo("octo-org", "hello")?.hooks.at(-1)?.config.secret).toBe("s3cret");
    expect((await call("POST", "/repos/octo-org/hello/hooks", { config: {} })).status).toBe(422);
  });

  it("lists the user's repositories, including the organization's", async () => {
    const repos = (await call("GET", "/user/repos")).body as { full_name: string }[];
    expect(repos.map((r) => r.full_name)).toEqual(["octo-org/hello", "octocat/Hello-World"]);
  });
});

describe("GitHub emulator: faults", () => {
  it("answers the primary rate limit with 403, remaining 0 and the reset", async () => {
    const { resetEpochSeconds } = emulator.primaryRateLimit({ resetInSeconds: 60 });
    const limited = await call("GET", "/user");
    expect(limited.status).toBe(403);
    expect(limited.headers.get("x-ratelimit-remaining")).toBe("0");
    expect(limited.headers.get("x-ratelimit-reset")).toBe(String(resetEpochSeconds));
    expect(limited.body).toMatchObject({ message: expect.stringMatching(/^API rate limit exceeded/) });
  });

  it("enforces a window limit the way GitHub's secondary limit answers", async () => {
    emulator.rateLimit(2, 60_000);
    expect((await call("GET", "/user")).status).toBe(200);
    expect((await call("GET", "/user")).status).toBe(200);
    const limited = await call("GET", "/user");
    expect(limited.status).toBe(403);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(limited.body).toMatchObject({ message: expect.stringMatching(/secondary rate limit/) });
  });

  it.each([
    ["unauthorized", 401],
    ["forbidden", 403],
    ["not-found", 404],
    ["invalid-input", 422],
    ["rate-limited", 429],
    ["server-error", 500],
    ["bad-gateway", 502],
    ["unavailable", 503],
  ] as const)("injects %s as HTTP %i until cleared", async (fault, status) => {
    await emulator.injectFault(fault);
    expect((await call("GET", "/user")).status).toBe(status);
    expect((await call("GET", "/user")).status).toBe(status);
    await emulator.clearFaults();
    expect((await call("GET", "/user")).status).toBe(200);
  });

  it("refuses connections and accepts them again", async () => {
    await emulator.injectFault("connection-refused");
    await expect(call("GET", "/user")).rejects.toThrow();
    await emulator.clearFaults();
    expect((await call("GET", "/user")).status).toBe(200);
  });
});

describe("GitHub emulator: OAuth", () => {
  const { clientId, clientSecret } = emulator.oauthApp;
  const redirectUri = "http://127.0.0.1/callback";

  async function authorize(extra: Record<string, string> = {}) {
    const url = new URL(`${emulator.url}/login/oauth/authorize`);
    for (const [k, v] of Object.entries({
      client_id: clientId,
      redirect_uri: redirectUri,
      scope: "repo user",
      state: "st",
      ...extra,
    }))
      url.searchParams.set(k, v);
    const response = await fetch(url, { redirect: "manual" });
    expect(response.status).toBe(302);
    const location = new URL(response.headers.get("location") ?? "");
    expect(location.searchParams.get("state")).toBe("st");
    return location.searchParams.get("code") ?? "";
  }

  const exchange = (params: Record<string, string>, accept = "application/json") =>
    fetch(`${emulator.url}/login/oauth/access_token`, {
      method: "POST",
      headers: { accept, "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams(params),
    });

  it("exchanges a code for a token (JSON when asked, else form-encoded) that works against the API", async () => {
    const code = await authorize();
    const json = await exchange({
      client_id: clientId,
      client_secret: clientSecret,
      code,
      redirect_uri: redirectUri,
    });
    const body = (await json.json()) as { access_token: string; scope: string; token_type: string };
    expect(body).toMatchObject({ token_type: "bearer", scope: "repo,user" });
    expect((await call("GET", "/user", undefined, `Bearer ${body.access_token}`)).status).toBe(200);

    const formCode = await authorize();
    const form = await exchange({ client_id: clientId, client_secret: clientSecret, code: formCode }, "*/*");
    expect(form.headers.get("content-type")).toMatch(/x-www-form-urlencoded/);
    expect(new URLSearchParams(await form.text()).get("access_token")).toMatch(/^gho_/);
  });

  it("answers a bad code with HTTP 200 and bad_verification_code", async () => {
    const response = await exchange({ client_id: clientId, client_secret: clientSecret, code: "nope" });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ error: "bad_verification_code" });
  });

  it("verifies a PKCE S256 challenge", async () => {
    const verifier = randomBytes(32).toString("base64url");
    const challenge = createHash("sha256").update(verifier).digest("base64url");
    const code = await authorize({ code_challenge: challenge, code_challenge_method: "S256" });
    const wrong = await exchange({
      client_id: clientId,
      client_secret: clientSecret,
      code,
      code_verifier: "x".repeat(43),
    });
    expect(await wrong.json()).toMatchObject({ error: "bad_verification_code" });
    const again = await authorize({ code_challenge: challenge, code_challenge_method: "S256" });
    const right = await exchange({
      client_id: clientId,
      client_secret: clientSecret,
      code: again,
      code_verifier: verifier,
    });
    expect(await right.json()).toHaveProperty("access_token");
  });

  it("checks and revokes the app's own tokens with basic auth, and refuses others", async () => {
    const appToken = emulator.mintToken({ clientId });
    const basic = `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString("base64")}`;
    const checked = await call("POST", `/applications/${clientId}/token`, { access_token: appToken }, basic);
    expect(checked.body).toMatchObject({ token: appToken, user: { login: "octocat" } });
    expect(
      (await call("DELETE", `/applications/${clientId}/token`, { access_token: token }, basic)).status,
    ).toBe(404);
    const wrongSecret = `Basic ${Buffer.from(`${clientId}:nope`).toString("base64")}`;
    expect(
      (await call("DELETE", `/applications/${clientId}/token`, { access_token: appToken }, wrongSecret))
        .status,
    ).toBe(404);
    expect(
      (await call("DELETE", `/api/v3/applications/${clientId}/token`, { access_token: appToken }, basic))
        .status,
    ).toBe(204);
    expect((await call("GET", "/user", undefined, `token ${appToken}`)).status).toBe(401);
  });
});

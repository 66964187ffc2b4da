import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { IntegrationError } from "../errors";
import { createTestClock } from "../testing/test-clock";
import { OAuthFixtureServer } from "./__fixtures__/oauth-server";
import { createOAuth2, type OAuth2Options } from "./oauth2";

const server = new OAuthFixtureServer();
beforeAll(() => server.start());
afterAll(() => server.stop());
afterEach(() => {
  server.requests.length = 0;
});

const client = { clientId: "client-1", clientSecret: "secret-1", redirectUri: "http://127.0.0.1/cb" };
const start = Date.UTC(2026, 0, 1);

function oauth(overrides: Partial<OAuth2Options> = {}) {
  const clock = createTestClock(start);
  return {
    clock,
    oauth: createOAuth2({
      provider: "acme",
      authorizeUrl: "https://acme.example/oauth/authorize",
      tokenUrl: `${server.url}/token`,
      defaultScopes: ["read"],
      clock,
      ...overrides,
    }),
  };
}

const tokenAnswer = {
  access_token: "at-1",
  token_type: "bot",
  expires_in: 3600,
  refresh_token: "rt-1",
  scope: "read write",
};

async function failure(promise: Promise<unknown>): Promise<IntegrationError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(IntegrationError.isInstance(error), String(error)).toBe(true);
  return error as IntegrationError;
}

describe("createOAuth2: the authorize URL", () => {
  it("carries client_id, redirect_uri, the joined scopes, state and an S256 challenge", () => {
    const { oauth: flow } = oauth({ extraAuthorizeParams: { access_type: "offline" } });
    const url = new URL(
      flow.authorizeUrl({ client, state: "st-1", scopes: ["read", "write"], codeChallenge: "ch-1" }),
    );
    expect(url.origin + url.pathname).toBe("https://acme.example/oauth/authorize");
    expect(Object.fromEntries(url.searchParams)).toEqual({
      response_type: "code",
      client_id: "client-1",
      redirect_uri: "http://127.0.0.1/cb",
      scope: "read write",
      state: "st-1",
      code_challenge: "ch-1",
      code_challenge_method: "S256",
      access_type: "offline",
    });
    expect(flow.pkce).toBe(true);
    expect(flow.defaultScopes).toEqual(["read"]);
  });

  it("joins scopes with the provider's separator, and leaves out an empty scope and an absent challenge", () => {
    const { oauth: commaSeparated } = oauth({ scopeSeparator: "," });
    const joined = new URL(
      commaSeparated.authorizeUrl({ client, state: "s", scopes: ["chat:write", "users:read"] }),
    );
    expect(joined.searchParams.get("scope")).toBe("chat:write,users:read");
    expect(joined.searchParams.has("code_challenge")).toBe(false);
    const empty = new URL(commaSeparated.authorizeUrl({ client, state: "s", scopes: [] }));
    expect(empty.searchParams.has("scope")).toBe(false);
    expect(oauth({ pkce: false }).oauth.pkce).toBe(false);
  });
});

describe("createOAuth2: the code exchange", () => {
  it("posts the code, redirect_uri, verifier and client credentials as a form, asking for JSON", async () => {
    server.route("POST", "/token", () => ({ json: tokenAnswer }));
    const { oauth: flow, clock } = oauth();
    clock.advance(42_000);
    const credential = await flow.exchangeCode({ client, code: "code-1", codeVerifier: "verifier-1" });

    const [request] = server.requestsTo("/token");
    expect(request?.headers.accept).toBe("application/json");
    expect(request?.headers["content-type"]).toBe("application/x-www-form-urlencoded");
    expect(request?.headers.authorization).toBeUndefined();
    expect(request?.form).toEqual({
      grant_type: "authorization_code",
      code: "code-1",
      redirect_uri: "http://127.0.0.1/cb",
      code_verifier: "verifier-1",
      client_id: "client-1",
      client_secret: "secret-1",
    });
    expect(credential).toEqual({
      accessToken: "at-1",
      refreshToken: "rt-1",
      // expires_in counted from the injected clock, not the wall clock.
      expiresAt: new Date(start + 42_000 + 3600_000).toISOString(),
      scopes: ["read", "write"],
    });
  });

  it("authenticates with HTTP Basic (form-encoded id and secret) and keeps the secret out of the body", async () => {
    server.route("POST", "/token", () => ({ json: { access_token: "at-2" } }));
    const { oauth: flow } = oauth({ clientAuthentication: "client_secret_basic" });
    const odd = { ...client, clientId: "id:1", clientSecret: "s3cr t/+" };
    const credential = await flow.exchangeCode({ client: odd, code: "code-2" });

    const [request] = server.requestsTo("/token");
    const basic = /^Basic (.+)$/.exec(request?.headers.authorization ?? "")?.[1] ?? "";
    expect(Buffer.from(basic, "base64").toString("utf8")).toBe("id%3A1:s3cr+t%2F%2B");
    expect(request?.form).toEqual({
      grant_type: "authorization_code",
      code: "code-2",
      redirect_uri: "http://127.0.0.1/cb",
    });
    // No expires_in and no scope: a token that does not expire, scopes unknown.
    expect(credential).toEqual({ accessToken: "at-2" });
  });

  it("splits granted scopes on the separator and reads a form-encoded answer", async () => {
    server.route("POST", "/token", () => ({
      headers: { "content-type": "application/x-www-form-urlencoded; charset=utf-8" },
      text: "access_token=gho_1&token_type=bearer&scope=repo%2Cread%3Auser",
    }));
    const credential = await oauth({ scopeSeparator: "," }).oauth.exchangeCode({ client, code: "c" });
    expect(credential).toEqual({ accessToken: "gho_1", scopes: ["repo", "read:user"] });
  });

  it("reads a non-standard answer with parseTokenResponse, and a parser failure is schema", async () => {
    server.route("POST", "/token", () => ({
      json: { ok: true, authed_user: { access_token: "xoxp-1", scope: "chat:write" } },
    }));
    const { oauth: flow, clock } = oauth({
      parseTokenResponse: (json, status, { now }) => {
        expect(status).toBe(200);
        expect(now).toBe(clock.now());
        const user = json.authed_user as { access_token: string; scope: string };
        return { accessToken: user.access_token, scopes: user.scope.split(",") };
      },
    });
    expect(await flow.exchangeCode({ client, code: "c" })).toEqual({
      accessToken: "xoxp-1",
      scopes: ["chat:write"],
    });

    const standard = oauth().oauth;
    const error = await failure(standard.exchangeCode({ client, code: "c" }));
    expect(error).toMatchObject({ type: "schema", code: "invalid_token_response", provider: "acme" });
  });
});

describe("createOAuth2: failed answers", () => {
  const cases: [string, { status?: number; json: unknown; headers?: Record<string, string> }, object][] = [
    [
      'an HTTP 200 { error: "bad_verification_code" }',
      {
        json: {
          error: "bad_verification_code",
          error_description: "The code passed is incorrect or expired.",
        },
      },
      { type: "auth", code: "bad_verification_code", status: 200 },
    ],
    [
      "an HTTP 200 { ok: false }",
      { json: { ok: false, error: "invalid_code" } },
      { type: "auth", code: "invalid_code", status: 200 },
    ],
    [
      "invalid_grant",
      { status: 400, json: { error: "invalid_grant" } },
      { type: "auth", code: "invalid_grant" },
    ],
    [
      "invalid_client",
      { status: 401, json: { error: "invalid_client" } },
      { type: "auth", code: "invalid_client", status: 401 },
    ],
    [
      "a malformed request",
      { status: 400, json: { error: "invalid_request" } },
      { type: "schema", code: "invalid_request" },
    ],
    [
      "temporarily_unavailable",
      { status: 400, json: { error: "temporarily_unavailable" } },
      { type: "upstream", code: "temporarily_unavailable" },
    ],
    ["a 503 without a body", { status: 503, json: {} }, { type: "upstream", status: 503 }],
    [
      "a 429 with Retry-After",
      { status: 429, json: {}, headers: { "retry-after": "30" } },
      { type: "rate-limit", retryAt: new Date(start + 30_000) },
    ],
  ];

  it.each(cases)("classifies %s", async (_name, answer, expected) => {
    server.route("POST", "/token", () => answer);
    const error = await failure(oauth().oauth.exchangeCode({ client, code: "c" }));
    expect(error).toMatchObject({ provider: "acme", ...expected });
  });

  it("reads a code with errorCodeType when the provider's token endpoint answers in its API's codes", async () => {
    server.route("POST", "/token", (request) => ({
      status: request.form.code === "down" ? 503 : 200,
      json: { ok: false, error: request.form.code === "down" ? "internal_error" : "channel_not_found" },
    }));
    const { oauth: flow } = oauth({
      errorCodeType: (code) => (code === "internal_error" ? "upstream" : "schema"),
    });
    expect(await failure(flow.exchangeCode({ client, code: "c" }))).toMatchObject({
      type: "schema",
      code: "channel_not_found",
      status: 200,
      message: "acme OAuth error: channel_not_found",
    });
    // A 429 or 5xx keeps the standard reading by status.
    expect(await failure(flow.exchangeCode({ client, code: "down" }))).toMatchObject({
      type: "upstream",
      status: 503,
    });
  });

  it("lets the provider classify with toError, falling back to the standard classification", async () => {
    server.route("POST", "/token", (request) => ({
      json: { ok: false, error: request.form.code === "limited" ? "ratelimited" : "invalid_code" },
    }));
    const seen: unknown[] = [];
    const { oauth: flow } = oauth({
      toError: (answer) => {
        seen.push(answer.body);
        return answer.error === "ratelimited"
          ? new IntegrationError({
              type: "rate-limit",
              provider: "acme",
              message: "slow",
              code: answer.error,
            })
          : undefined;
      },
    });
    expect(await failure(flow.exchangeCode({ client, code: "limited" }))).toMatchObject({
      type: "rate-limit",
      code: "ratelimited",
    });
    expect(await failure(flow.exchangeCode({ client, code: "other" }))).toMatchObject({
      type: "auth",
      code: "invalid_code",
    });
    expect(seen).toEqual([
      { ok: false, error: "ratelimited" },
      { ok: false, error: "invalid_code" },
    ]);
  });

  it("reports a refused connection and a timeout as network errors", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const refused = oauth({ tokenUrl: `http://127.0.0.1:${port}/token` }).oauth;
    expect(await failure(refused.exchangeCode({ client, code: "c" }))).toMatchObject({
      type: "network",
      code: "ECONNREFUSED",
    });

    server.route("POST", "/token", () => new Promise(() => {}));
    const slow = oauth({ timeoutMs: 50 }).oauth;
    expect(await failure(slow.exchangeCode({ client, code: "c" }))).toMatchObject({
      type: "network",
      code: "TimeoutError",
    });
  });

  it("refuses a token answer over 1 MiB as final (schema, response_too_large), by its own fetch or a custom one", async () => {
    const huge = { ...tokenAnswer, padding: "x".repeat(1024 * 1024) };
    server.route("POST", "/token", () => ({ json: huge }));
    for (const flow of [oauth().oauth, oauth({ fetch: (input, init) => fetch(input, init) }).oauth]) {
      expect(await failure(flow.exchangeCode({ client, code: "c" }))).toMatchObject({
        type: "schema",
        reason: "response_too_large",
        retryable: false,
      });
    }
    server.route("POST", "/token", () => ({ json: tokenAnswer }));
    expect((await oauth().oauth.exchangeCode({ client, code: "c" })).accessToken).toBe("at-1");
  });

  it("never puts the client secret or a token in the error message", async () => {
    server.route("POST", "/token", () => ({
      status: 400,
      json: { error: "invalid_grant", error_description: "refresh_token=rt-secret-value is spent" },
    }));
    const error = await failure(oauth().oauth.refresh({ client, refreshToken: "rt-secret-value" }));
    expect(error.message).not.toContain("rt-secret-value");
    expect(error.message).not.toContain("secret-1");
  });
});

describe("createOAuth2: refresh", () => {
  it("posts grant_type=refresh_token and returns the rotated refresh token the answer carries", async () => {
    server.route("POST", "/token", () => ({
      json: { access_token: "at-new", refresh_token: "rt-new", expires_in: "3599" },
    }));
    const { oauth: flow } = oauth();
    const credential = await flow.refresh({ client, refreshToken: "rt-old" });
    expect(server.requestsTo("/token")[0]?.form).toEqual({
      grant_type: "refresh_token",
      refresh_token: "rt-old",
      client_id: "client-1",
      client_secret: "secret-1",
    });
    expect(credential).toEqual({
      accessToken: "at-new",
      refreshToken: "rt-new",
      expiresAt: new Date(start + 3599_000).toISOString(),
    });
  });

  it("keeps the refresh token it sent when the provider does not rotate (Google)", async () => {
    server.route("POST", "/token", () => ({ json: { access_token: "ya29.new", expires_in: 3599 } }));
    const credential = await oauth().oauth.refresh({ client, refreshToken: "rt-kept" });
    expect(credential).toMatchObject({ accessToken: "ya29.new", refreshToken: "rt-kept" });
  });
});

describe("createOAuth2: RFC 7009 revocation", () => {
  it("posts the token and its type hint with the client credentials", async () => {
    server.route("POST", "/revoke", () => ({ json: {} }));
    const { oauth: flow } = oauth({
      revocationUrl: `${server.url}/revoke`,
      clientAuthentication: "client_secret_basic",
    });
    await flow.revoke?.({ client, token: "rt-1", tokenTypeHint: "refresh_token" });
    const [request] = server.requestsTo("/revoke");
    expect(request?.form).toEqual({ token: "rt-1", token_type_hint: "refresh_token" });
    expect(request?.headers.authorization).toBe(
      `Basic ${Buffer.from("client-1:secret-1").toString("base64")}`,
    );
  });

  it("is absent without a revocation endpoint, and a refusal is an IntegrationError", async () => {
    expect(oauth().oauth.revoke).toBeUndefined();
    server.route("POST", "/revoke", () => ({ status: 400, json: { error: "unsupported_token_type" } }));
    const { oauth: flow } = oauth({ revocationUrl: `${server.url}/revoke` });
    expect(await failure(flow.revoke?.({ client, token: "t" }) ?? Promise.resolve())).toMatchObject({
      type: "schema",
      code: "unsupported_token_type",
    });
  });
});

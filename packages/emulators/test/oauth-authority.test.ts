import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { isOAuthFailure, OAuthAuthority } from "../src/shared/oauth-authority";

function authority(ttl?: number) {
  let now = 1_000_000;
  const oauth = new OAuthAuthority<{ team: string }>({
    accessTokenPrefix: "xoxb-",
    refreshTokenPrefix: "xoxe-",
    ...(ttl !== undefined && { accessTokenTtlSeconds: ttl }),
    now: () => now,
  });
  oauth.registerClient("client", "secret");
  return { oauth, advance: (ms: number) => (now += ms) };
}

const authorize = (oauth: OAuthAuthority<{ team: string }>, challenge?: string) => {
  const result = oauth.authorize({
    clientId: "client",
    redirectUri: "http://127.0.0.1/cb",
    scopes: ["chat:write"],
    subject: { team: "T1" },
    ...(challenge && { codeChallenge: challenge, codeChallengeMethod: "S256" }),
  });
  if (isOAuthFailure(result)) throw new Error(result.description);
  return result.code;
};

describe("OAuthAuthority", () => {
  it("exchanges a code once for a token that lookups find", () => {
    const { oauth } = authority();
    const code = authorize(oauth);
    const token = oauth.exchangeCode({
      code,
      clientId: "client",
      clientSecret: "secret",
      redirectUri: "http://127.0.0.1/cb",
    });
    if (isOAuthFailure(token)) throw new Error(token.description);
    expect(token.accessToken).toMatch(/^xoxb-/);
    expect(oauth.lookup(token.accessToken)?.subject).toEqual({ team: "T1" });
    expect(oauth.exchangeCode({ code, clientId: "client", clientSecret: "secret" })).toMatchObject({
      error: "invalid_grant",
    });
  });

  it("rejects a wrong client secret, an unknown client and a redirect_uri mismatch", () => {
    const { oauth } = authority();
    expect(
      oauth.exchangeCode({ code: authorize(oauth), clientId: "client", clientSecret: "nope" }),
    ).toMatchObject({
      error: "invalid_client",
    });
    expect(
      oauth.authorize({ clientId: "x", redirectUri: "u", scopes: [], subject: { team: "T" } }),
    ).toMatchObject({
      error: "invalid_client",
    });
    expect(
      oauth.exchangeCode({
        code: authorize(oauth),
        clientId: "client",
        clientSecret: "secret",
        redirectUri: "http://evil",
      }),
    ).toMatchObject({ error: "invalid_grant" });
  });

  it("verifies PKCE S256", () => {
    const { oauth } = authority();
    const verifier = "v".repeat(43);
    const challenge = createHash("sha256").update(verifier).digest("base64url");
    expect(
      oauth.exchangeCode({ code: authorize(oauth, challenge), clientId: "client", codeVerifier: "wrong" }),
    ).toMatchObject({
      error: "invalid_grant",
    });
    const ok = oauth.exchangeCode({
      code: authorize(oauth, challenge),
      clientId: "client",
      codeVerifier: verifier,
    });
    expect(isOAuthFailure(ok)).toBe(false);
  });

  it("expires codes after ten minutes and tokens after their TTL", () => {
    const { oauth, advance } = authority(60);
    const code = authorize(oauth);
    advance(10 * 60_000 + 1);
    expect(oauth.exchangeCode({ code, clientId: "client", clientSecret: "secret" })).toMatchObject({
      error: "invalid_grant",
    });
    const token = oauth.issue({ scopes: [], subject: { team: "T1" } });
    expect(oauth.lookup(token.accessToken)).toBeDefined();
    advance(60_000);
    expect(oauth.lookup(token.accessToken)).toBeUndefined();
  });

  it("rotates refresh tokens: the old access and refresh tokens stop working", () => {
    const { oauth } = authority(3600);
    const first = oauth.issue({ scopes: ["a"], subject: { team: "T1" } });
    const second = oauth.refresh({
      refreshToken: first.refreshToken ?? "",
      clientId: "client",
      clientSecret: "secret",
    });
    if (isOAuthFailure(second)) throw new Error(second.description);
    expect(second.accessToken).not.toBe(first.accessToken);
    expect(oauth.lookup(first.accessToken)).toBeUndefined();
    expect(oauth.refresh({ refreshToken: first.refreshToken ?? "", clientId: "client" })).toMatchObject({
      error: "invalid_grant",
    });
  });

  it("revokes tokens and, on demand, every refresh token of a subject", () => {
    const { oauth } = authority(3600);
    const token = oauth.issue({ scopes: [], subject: { team: "T1" } });
    expect(oauth.revoke(token.accessToken)).toBe(true);
    expect(oauth.lookup(token.accessToken)).toBeUndefined();
    expect(oauth.revoke(token.accessToken)).toBe(false);

    const other = oauth.issue({ scopes: [], subject: { team: "T2" } });
    oauth.revokeRefreshTokens((info) => info.subject.team === "T2");
    expect(oauth.refresh({ refreshToken: other.refreshToken ?? "", clientId: "client" })).toMatchObject({
      error: "invalid_grant",
    });
  });
});

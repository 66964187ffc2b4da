import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { exportJWK, exportSPKI, generateKeyPair, SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "./http-server";
import { PROVIDER_HARNESSES, type ProviderHarness } from "./provider-harnesses";
import { removeTempDirs } from "./sqlite-temp";

// User authentication does not depend on the store or the provider: SQLite and one provider suffice.
const PATH = "/api/integrations/slack/connections";
const encode = (text: string) => new TextEncoder().encode(text);
const base64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
type PrivateKey = Awaited<ReturnType<typeof generateKeyPair>>["privateKey"];
const inOneHour = () => Math.floor(Date.now() / 1000) + 3600;

let harness: ProviderHarness;
beforeAll(async () => {
  const make = PROVIDER_HARNESSES.slack;
  if (!make) throw new Error("no slack harness");
  harness = make();
  await harness.start();
});
afterAll(async () => {
  await harness.stop();
  removeTempDirs();
});

describe("user JWTs with AUTOFLOW_JWT_SECRET (HS256)", () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer("sqlite", harness.env());
  });
  afterAll(() => t.close());

  const status = async (authorization: string | undefined) =>
    (await t.call("GET", PATH, authorization === undefined ? { user: null } : { authorization })).status;

  it("accepts a valid token", async () => {
    expect(await status(`Bearer ${await t.token("user-a")}`)).toBe(200);
  });

  it("refuses a token signed with another secret", async () => {
    const forged = await new SignJWT({})
      .setProtectedHeader({ alg: "HS256" })
      .setSubject("user-a")
      .setExpirationTime("1h")
      .sign(encode("an-attackers-secret-that-is-long-enough-0000"));
    expect(await status(`Bearer ${forged}`)).toBe(401);
  });

  it("refuses an expired token", async () => {
    const expired = await new SignJWT({})
      .setProtectedHeader({ alg: "HS256" })
      .setSubject("user-a")
      .setIssuedAt(Math.floor(Date.now() / 1000) - 7200)
      .setExpirationTime(Math.floor(Date.now() / 1000) - 3600)
      .sign(encode(t.jwtSecret));
    expect(await status(`Bearer ${expired}`)).toBe(401);
  });

  it("refuses a token without exp or sub", async () => {
    const noExp = await new SignJWT({})
      .setProtectedHeader({ alg: "HS256" })
      .setSubject("u")
      .sign(encode(t.jwtSecret));
    const noSub = await new SignJWT({})
      .setProtectedHeader({ alg: "HS256" })
      .setExpirationTime("1h")
      .sign(encode(t.jwtSecret));
    expect(await status(`Bearer ${noExp}`)).toBe(401);
    expect(await status(`Bearer ${noSub}`)).toBe(401);
  });

  it("refuses a token with no iat: its age could not be bounded", async () => {
    const noIat = await new SignJWT({})
      .setProtectedHeader({ alg: "HS256" })
      .setSubject("user-a")
      .setExpirationTime("1h")
      .sign(encode(t.jwtSecret));
    expect(await status(`Bearer ${noIat}`)).toBe(401);
  });

  it("refuses a token issued more than 24 h ago, even one valid for 74 years", async () => {
    const now = Math.floor(Date.now() / 1000);
    const issuedAt = (secondsAgo: number) =>
      new SignJWT({})
        .setProtectedHeader({ alg: "HS256" })
        .setSubject("user-a")
        .setIssuedAt(now - secondsAgo)
        .setExpirationTime(now + 74 * 365 * 24 * 3600)
        .sign(encode(t.jwtSecret));
    // Hours either side of the 24 h default, so a slow machine cannot move a token across it.
    expect(await status(`Bearer ${await issuedAt(25 * 3600)}`)).toBe(401);
    expect(await status(`Bearer ${await issuedAt(20 * 3600)}`)).toBe(200);
  });

  it("refuses alg: none", async () => {
    const unsigned = `${base64url({ alg: "none", typ: "JWT" })}.${base64url({ sub: "user-a", exp: inOneHour() })}.`;
    expect(await status(`Bearer ${unsigned}`)).toBe(401);
  });

  it("refuses missing, garbage and non-Bearer Authorization headers with 401 and no detail", async () => {
    for (const header of [
      undefined,
      "",
      "Bearer",
      "Bearer garbage",
      "Bearer a.b.c",
      "Basic dXNlcjpwYXNz",
      "token x",
    ]) {
      const response = await t.call(
        "GET",
        PATH,
        header === undefined ? { user: null } : { authorization: header },
      );
      expect(response.status, String(header)).toBe(401);
      expect(response.json).toMatchObject({ error: { code: "unauthenticated" } });
    }
  });
});

describe("user JWTs with AUTOFLOW_JWKS_URL (RS256)", () => {
  let jwks: Server;
  let t: TestServer;
  let privateKey: PrivateKey;
  let publicPem: string;
  let publicJwk: Record<string, unknown>;
  const issuer = "https://auth.example.test/";
  const audience = "autoflow";

  beforeAll(async () => {
    const pair = await generateKeyPair("RS256", { extractable: true });
    privateKey = pair.privateKey;
    publicPem = await exportSPKI(pair.publicKey);
    publicJwk = { ...(await exportJWK(pair.publicKey)), kid: "test-key", alg: "RS256", use: "sig" };
    jwks = createServer((_request, response) => {
      response.writeHead(200, { "content-type": "application/json" });
      response.end(JSON.stringify({ keys: [publicJwk] }));
    });
    await new Promise<void>((resolve) => jwks.listen(0, "127.0.0.1", resolve));
    const { port } = jwks.address() as AddressInfo;
    t = await startTestServer("sqlite", harness.env(), {
      AUTOFLOW_JWKS_URL: `http://127.0.0.1:${port}/.well-known/jwks.json`,
      AUTOFLOW_JWT_ISSUER: issuer,
      AUTOFLOW_JWT_AUDIENCE: audience,
    });
  });
  afterAll(async () => {
    await t.close();
    await new Promise((resolve) => jwks.close(resolve));
  });

  const rs256 = (claims: { iss?: string; aud?: string } = {}, key: PrivateKey = privateKey) =>
    new SignJWT({})
      .setProtectedHeader({ alg: "RS256", kid: "test-key" })
      .setSubject("user-jwks")
      .setIssuer(claims.iss ?? issuer)
      .setAudience(claims.aud ?? audience)
      .setIssuedAt()
      .setExpirationTime("1h")
      .sign(key);
  const status = async (token: string) =>
    (await t.call("GET", PATH, { authorization: `Bearer ${token}` })).status;

  it("accepts a token signed by the JWKS key", async () => {
    expect(await status(await rs256())).toBe(200);
  });

  it("refuses the wrong issuer, the wrong audience and another key pair", async () => {
    const other = await generateKeyPair("RS256");
    expect(await status(await rs256({ iss: "https://evil.example.test/" }))).toBe(401);
    expect(await status(await rs256({ aud: "someone-else" }))).toBe(401);
    expect(await status(await rs256({}, other.privateKey))).toBe(401);
  });

  it("refuses HS256 tokens, signed with the JWKS's public key material or any secret", async () => {
    const hs256 = (secret: Uint8Array) =>
      new SignJWT({})
        .setProtectedHeader({ alg: "HS256", kid: "test-key" })
        .setSubject("user-jwks")
        .setIssuer(issuer)
        .setAudience(audience)
        .setExpirationTime("1h")
        .sign(secret);
    expect(await status(await hs256(encode(publicPem)))).toBe(401);
    expect(await status(await hs256(encode(JSON.stringify(publicJwk))))).toBe(401);
    expect(await status(await hs256(Buffer.from(String(publicJwk.n), "base64url")))).toBe(401);
    expect(await status(await hs256(encode(t.jwtSecret)))).toBe(401);
  });

  it("refuses alg: none", async () => {
    const claims = { sub: "user-jwks", iss: issuer, aud: audience, exp: inOneHour() };
    expect(await status(`${base64url({ alg: "none", kid: "test-key" })}.${base64url(claims)}.`)).toBe(401);
  });
});

import {
  createLocalJWKSet,
  createRemoteJWKSet,
  exportJWK,
  generateKeyPair,
  type JWTPayload,
  SignJWT,
} from "jose";
import { beforeAll, describe, expect, it, vi } from "vitest";
import type { Json } from "../../json";
import { handleWebhook } from "../webhook-handler";
import { MemoryWebhookInbox } from "../webhook-inbox";
import { type VerifiedWebhook, WebhookRejection, type WebhookVerifier } from "../webhook-verifier";
import { createOidcJwtVerifier, type OidcJwtVerifierOptions } from "./oidc-jwt-verifier";

// A fixed "now" far from the wall clock: a verifier that read the clock would find every token expired.
const NOW = 1_500_000_000_000;
const NOW_S = NOW / 1000;
const AUDIENCE = "https://autoflow.example/webhooks/gmail";
const GOOGLE = "https://accounts.google.com";
const PUSHER = "gmail-push@autoflow-project.iam.gserviceaccount.com";

// A Pub/Sub push body, as Gmail's users.watch delivers it.
const PUSH = JSON.stringify({
  message: {
    data: "eyJoaXN0b3J5SWQiOjEyMzR9",
    messageId: "136969346945",
    publishTime: "2017-07-14T02:40:00Z",
  },
  subscription: "projects/autoflow-project/subscriptions/gmail-push",
});

const toDelivery = (json: Json): VerifiedWebhook => {
  const { message } = json as { message: { messageId: string } };
  return {
    kind: "delivery",
    delivery: { provider: "gmail", deliveryId: message.messageId, event: "push", payload: json },
  };
};

type Keys = Awaited<ReturnType<typeof generateKeyPair>>;
let signer: Keys;
let stranger: Keys;
let jwks: ReturnType<typeof createLocalJWKSet>;

beforeAll(async () => {
  signer = await generateKeyPair("RS256", { extractable: true });
  stranger = await generateKeyPair("RS256", { extractable: true });
  jwks = createLocalJWKSet({ keys: [{ ...(await exportJWK(signer.publicKey)), kid: "k1", alg: "RS256" }] });
});

const claims: JWTPayload = { iss: GOOGLE, aud: AUDIENCE, email: PUSHER, email_verified: true, sub: "1234" };

function token(overrides: JWTPayload = {}, { key = signer, iat = NOW_S, ttl = 3600 } = {}) {
  return new SignJWT({ ...claims, ...overrides })
    .setProtectedHeader({ alg: "RS256", kid: "k1", typ: "JWT" })
    .setIssuedAt(iat)
    .setExpirationTime(iat + ttl)
    .sign(key.privateKey);
}

const verifierWith = (options: Partial<OidcJwtVerifierOptions> = {}) =>
  createOidcJwtVerifier({
    provider: "gmail",
    audience: AUDIENCE,
    jwks,
    expectedEmail: PUSHER,
    toDelivery,
    ...options,
  });

const request = (authorization: string | undefined, body = PUSH) => ({
  headers: new Headers(authorization === undefined ? {} : { authorization }),
  body: new TextEncoder().encode(body),
});

async function rejection(verifier: WebhookVerifier, req: ReturnType<typeof request>, now = NOW) {
  try {
    await verifier.verify(req, now);
  } catch (error) {
    if (WebhookRejection.isInstance(error)) return error.code;
    throw error;
  }
  throw new Error("accepted");
}

const base64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");

describe("createOidcJwtVerifier", () => {
  it("accepts a push whose bearer token Google signed for our audience and service account", async () => {
    const seen = vi.fn(toDelivery);
    const verifier = verifierWith({ toDelivery: seen });
    expect(await verifier.verify(request(`Bearer ${await token()}`), NOW)).toEqual(
      toDelivery(JSON.parse(PUSH)),
    );
    expect(seen).toHaveBeenCalledWith(JSON.parse(PUSH), expect.any(Headers));
    expect(verifier.provider).toBe("gmail");
  });

  it.each([
    ["another audience", { aud: "https://someone-else.example/push" }],
    ["another issuer", { iss: "https://evil.example" }],
    ["another service account", { email: "intruder@evil.iam.gserviceaccount.com" }],
    ["an unverified email", { email_verified: false }],
  ])("refuses a token for %s as bad_signature", async (_name, overrides) => {
    expect(await rejection(verifierWith(), request(`Bearer ${await token(overrides)}`))).toBe(
      "bad_signature",
    );
  });

  it("refuses a token signed by a key that is not in the JWKS", async () => {
    expect(await rejection(verifierWith(), request(`Bearer ${await token({}, { key: stranger })}`))).toBe(
      "bad_signature",
    );
  });

  it("refuses an unsigned token (alg: none) however right its claims", async () => {
    const payload = { ...claims, iat: NOW_S, exp: NOW_S + 3600 };
    for (const alg of ["none", "HS256"]) {
      const unsigned = `${base64url({ alg, kid: "k1", typ: "JWT" })}.${base64url(payload)}.`;
      expect(await rejection(verifierWith(), request(`Bearer ${unsigned}`))).toBe("bad_signature");
    }
  });

  it("refuses an expired token as stale, measured at `now`, within the clock tolerance", async () => {
    const hourOld = await token({}, { iat: NOW_S - 3600 - 30 });
    expect(await rejection(verifierWith(), request(`Bearer ${hourOld}`))).toBe("stale_timestamp");
    const lenient = verifierWith({ clockToleranceSeconds: 60 });
    expect((await lenient.verify(request(`Bearer ${hourOld}`), NOW)).kind).toBe("delivery");
    // The same token was fine when it was fresh.
    expect((await verifierWith().verify(request(`Bearer ${hourOld}`), NOW - 3600_000)).kind).toBe("delivery");
  });

  it.each([
    ["no Authorization header", undefined, "missing_signature"],
    ["Basic credentials", "Basic dXNlcjpwYXNz", "malformed_signature"],
    ["a bearer that is not a JWT", "Bearer not-a-jwt", "malformed_signature"],
  ])("refuses %s", async (_name, authorization, code) => {
    expect(await rejection(verifierWith(), request(authorization))).toBe(code);
  });

  it("accepts any configured issuer, and no email check unless one is expected", async () => {
    const both = verifierWith({ issuer: [GOOGLE, "accounts.google.com"], expectedEmail: undefined });
    const bare = await token({ iss: "accounts.google.com", email: "anyone@example.com" });
    expect((await both.verify(request(`Bearer ${bare}`), NOW)).kind).toBe("delivery");
    expect(await rejection(verifierWith(), request(`Bearer ${bare}`))).toBe("bad_signature");
  });

  it("checks the token before parsing: a non-JSON body is 401 with a bad token, 400 with a good one", async () => {
    const seen = vi.fn(toDelivery);
    const verifier = verifierWith({ toDelivery: seen });
    const intake = async (bearer: string) => {
      const { headers, body } = request(`Bearer ${bearer}`, "not json");
      return handleWebhook({ verifier, inbox: new MemoryWebhookInbox(), now: () => NOW }, headers, body);
    };
    expect(await intake(await token({ aud: "other" }))).toEqual({
      status: 401,
      body: { ok: false, error: "bad_signature" },
    });
    expect(await intake(await token())).toEqual({ status: 400, body: { ok: false, error: "not_json" } });
    expect(seen).not.toHaveBeenCalled();
  });

  it("lets a key-fetch failure through as an error (a 500 the provider retries), not as a rejection", async () => {
    const unreachable = verifierWith({
      jwks: async () => {
        throw new Error("connect ECONNREFUSED www.googleapis.com");
      },
    });
    await expect(unreachable.verify(request(`Bearer ${await token()}`), NOW)).rejects.toThrow(/ECONNREFUSED/);
  });

  it("takes Google's remote key set as the production JWKS", () => {
    const google = createRemoteJWKSet(new URL("https://www.googleapis.com/oauth2/v3/certs"));
    expect(verifierWith({ jwks: google }).provider).toBe("gmail");
  });
});

import { SignJWT } from "jose";
import { describe, expect, it } from "vitest";
import { createUserVerifier, UnauthenticatedError } from "../src/http/user-auth";

// The verifier's clock is injected: every time below is fixed, none is read from the wall clock.
const SECRET = "user-token-policy-secret-0123456789abcdef";
const ISSUED = Date.UTC(2026, 0, 1) / 1000;
const HOUR = 3600;

const token = (claims: { iat?: number; exp?: number; aud?: string; iss?: string; sub?: string } = {}) => {
  let jwt = new SignJWT({}).setProtectedHeader({ alg: "HS256" }).setSubject(claims.sub ?? "user-a");
  if (claims.iat !== undefined) jwt = jwt.setIssuedAt(claims.iat);
  if (claims.aud !== undefined) jwt = jwt.setAudience(claims.aud);
  if (claims.iss !== undefined) jwt = jwt.setIssuer(claims.iss);
  return jwt
    .setExpirationTime(claims.exp ?? ISSUED + 74 * 365 * 24 * HOUR)
    .sign(new TextEncoder().encode(SECRET));
};

const outcome = async (verify: ReturnType<typeof createUserVerifier>, jwt: string) => {
  try {
    return (await verify(`Bearer ${jwt}`)).userId;
  } catch (error) {
    if (UnauthenticatedError.isInstance(error)) return "refused";
    throw error;
  }
};

describe("the user token policy", () => {
  const at = (secondsAfterIssue: number) => () => new Date((ISSUED + secondsAfterIssue) * 1000);

  it("accepts a 74-year token for 24 h after its iat by default, and refuses it from then on", async () => {
    const jwt = await token({ iat: ISSUED });
    expect(await outcome(createUserVerifier({ jwtSecret: SECRET, now: at(24 * HOUR - 60) }), jwt)).toBe(
      "user-a",
    );
    expect(await outcome(createUserVerifier({ jwtSecret: SECRET, now: at(24 * HOUR + 60) }), jwt)).toBe(
      "refused",
    );
  });

  it("takes a configured maximum age", async () => {
    const jwt = await token({ iat: ISSUED });
    const verifier = (now: () => Date) =>
      createUserVerifier({ jwtSecret: SECRET, maxTokenAgeSeconds: 600, now });
    expect(await outcome(verifier(at(540)), jwt)).toBe("user-a");
    expect(await outcome(verifier(at(660)), jwt)).toBe("refused");
  });

  it("refuses a subject with a control character (NUL) or over 255 characters: it is every row's owner id", async () => {
    const verify = createUserVerifier({ jwtSecret: SECRET, now: at(0) });
    expect(await outcome(verify, await token({ iat: ISSUED, sub: "user\u0000a" }))).toBe("refused");
    expect(await outcome(verify, await token({ iat: ISSUED, sub: "user\na" }))).toBe("refused");
    expect(await outcome(verify, await token({ iat: ISSUED, sub: "u".repeat(256) }))).toBe("refused");
    expect(await outcome(verify, await token({ iat: ISSUED, sub: "u".repeat(255) }))).toBe("u".repeat(255));
    expect(await outcome(verify, await token({ iat: ISSUED, sub: "auth0|ünïcode user" }))).toBe(
      "auth0|ünïcode user",
    );
  });

  it("refuses a token without iat, and one issued in the future", async () => {
    const verify = createUserVerifier({ jwtSecret: SECRET, now: at(0) });
    expect(await outcome(verify, await token())).toBe("refused");
    expect(await outcome(verify, await token({ iat: ISSUED + HOUR }))).toBe("refused");
  });

  it("refuses a token the same issuer minted for another audience", async () => {
    const verify = createUserVerifier({
      jwtSecret: SECRET,
      issuer: "https://id.example.test/",
      audience: "autoflow",
      now: at(60),
    });
    const forUs = await token({ iat: ISSUED, iss: "https://id.example.test/", aud: "autoflow" });
    const forOther = await token({ iat: ISSUED, iss: "https://id.example.test/", aud: "payroll" });
    expect(await outcome(verify, forUs)).toBe("user-a");
    expect(await outcome(verify, forOther)).toBe("refused");
  });
});

import { describe, expect, it } from "vitest";
import { maskToken } from "./mask-token";
import { registerSecretShapes } from "./provider-kit/secret-shapes";
import { isSecretKeyName, redactSecrets } from "./redact-secrets";

// Core names no provider: the vendor shapes it masks are registered, here by a fictional provider "acme" whose
// classic tokens are `acme_<random>`, whose live keys carry a long prefix (`acme_live_`) and whose session tokens
// start `ac99.` (a prefix the generic word rule does not see). Registration is process-wide and once per id.
registerSecretShapes("acme", {
  tokenShapes: [/\bacme_[A-Za-z0-9]{8,}/g, /\bacme_live_[A-Za-z0-9_]{8,}/g, /\bac99\.[A-Za-z0-9._-]{8,}/g],
  tokenPrefixes: ["acme_live_", "ac99."],
});

describe("redactSecrets with known secrets", () => {
  it("masks every occurrence of a known secret", () => {
    const secret = "s3cr3t-value-1234";
    const text = `sent ${secret} and again ${secret}`;
    const result = redactSecrets(text, [secret]);
    expect(result).not.toContain(secret);
    expect(result).toBe(`sent ${maskToken(secret)} and again ${maskToken(secret)}`);
  });

  it("replaces the longest secret first, so a secret inside another does not leave its tail behind", () => {
    const short = "abcdef123456";
    const long = `${short}-and-more-9876`;
    const result = redactSecrets(`token ${long}`, [short, long]);
    expect(result).toBe(`token ${maskToken(long)}`);
    expect(result).not.toContain("and-more");
  });

  it("ignores known secrets shorter than six characters", () => {
    expect(redactSecrets("the cat sat", ["cat"])).toBe("the cat sat");
  });

  it("keeps the masked form of a known secret rather than re-redacting it", () => {
    const secret = "acme-1111111111-2222222222-abcdEFGHijkl";
    expect(redactSecrets(`Authorization: Bearer ${secret}`, [secret])).toBe(
      `Authorization: Bearer ${maskToken(secret)}`,
    );
  });
});

describe("redactSecrets with unknown credentials", () => {
  it.each([
    ["Authorization: Bearer abc.def-123", "Authorization: Bearer [REDACTED]"],
    ['{"authorization":"Bearer abcdef0123"}', '{"authorization":"Bearer [REDACTED]"}'],
    ["headers: { authorization: 'token acm_shortish' }", "headers: { authorization: 'token [REDACTED]' }"],
    ["Authorization: Basic dXNlcjpwYXNz", "Authorization: Basic [REDACTED]"],
    ["proxy-authorization=opaque12345", "proxy-authorization=[REDACTED]"],
    ["retrying with Bearer 9f8e7d6c5b4a", "retrying with Bearer [REDACTED]"],
    ["sent Basic dXNlcjpwYXNzd29yZA== upstream", "sent Basic [REDACTED] upstream"],
  ])("scrubs the Authorization value in %j", (text, expected) => {
    expect(redactSecrets(text)).toBe(expected);
  });

  it.each([
    ["Bearer token required", "a word after Bearer"],
    ["Basic authentication is disabled", "a word after Basic that is not base64 of user:pass"],
    ["tokens_used=42", "a param that only starts like a secret one"],
    ['{"tokenMasked":"acme-…abcd"}', "an already masked value"],
    ["the token expired", "prose"],
  ])("leaves %j alone (%s)", (text) => {
    expect(redactSecrets(text)).toBe(text);
  });

  it.each([
    ["registered classic", "acme_16C7e42F292c6912E7710c838347Ae178B4a"],
    ["registered classic, digits first", "acme_0123456789abcdefABCDEF"],
    ["registered with a long prefix", "acme_live_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz"],
    ["registered with a dotted prefix", "ac99.a0AfH6SMBx-example_token.with-dots0123"],
    [
      "jwt",
      "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U",
    ],
  ])("masks a %s token found in free text", (_kind, token) => {
    const result = redactSecrets(`request failed for ${token} (see logs)`);
    expect(result).toBe(`request failed for ${maskToken(token)} (see logs)`);
    expect(result).not.toContain(token.slice(-12, -4));
  });

  it("leaves a vendor-looking token alone when no provider registered its shape", () => {
    const text = "request failed for zzz_16C7e42F292c6912E7710c838347Ae178B4a (see logs)";
    expect(redactSecrets(text)).toBe(text);
  });

  it.each([
    [
      "https://api.example.com/x?access_token=abc123&limit=5",
      "https://api.example.com/x?access_token=[REDACTED]&limit=5",
    ],
    [
      "POST body: grant_type=refresh_token&refresh_token=r-123&client_secret=cs",
      "POST body: grant_type=refresh_token&refresh_token=[REDACTED]&client_secret=[REDACTED]",
    ],
    [
      "?apikey=k1&api_key=k2&token=t3&password=p4&code_verifier=v5",
      "?apikey=[REDACTED]&api_key=[REDACTED]&token=[REDACTED]&password=[REDACTED]&code_verifier=[REDACTED]",
    ],
    ['{"client_secret":"x"}', '{"client_secret":"[REDACTED]"}'],
    ['{"access_token": "a\\"b", "ok": true}', '{"access_token": "[REDACTED]", "ok": true}'],
    ["{ password: 'hunter2', user: 'bob' }", "{ password: '[REDACTED]', user: 'bob' }"],
    ['{"error":"{\\"refresh_token\\":\\"r-9\\"}"}', '{"error":"{\\"refresh_token\\":\\"[REDACTED]\\"}"}'],
  ])("scrubs the params in %j", (text, expected) => {
    expect(redactSecrets(text)).toBe(expected);
  });

  it("is idempotent", () => {
    const text =
      "GET /x?token=abc Authorization: Bearer acme-1234567890-abcdefghijkl and acme_abcdefghijklmnop";
    const once = redactSecrets(text, ["abcdefghijklmnop"]);
    expect(redactSecrets(once)).toBe(once);
    expect(once).not.toContain("abcdefghij");
  });
});

describe("isSecretKeyName", () => {
  it.each([
    "token",
    "accessToken",
    "access_token",
    "refresh_token",
    "Authorization",
    "password",
    "secret",
    "clientSecret",
    "client_secret",
    "apiKey",
    "api_key",
    "X-Api-Key",
    "privateKey",
    "webhookSecret",
    "signingSecret",
    "cookie",
    "Set-Cookie",
    "botToken",
    "dbPassword",
    "personalAccessToken",
    "acmeAppPrivateKey",
  ])("treats %s as a secret", (name) => {
    expect(isSecretKeyName(name)).toBe(true);
  });

  it.each([
    "tokenMasked",
    "tokenRefreshStatus",
    "tokens_used",
    "pageToken",
    "nextPageToken",
    "secretName",
    "userId",
    "scopes",
    "authMethod",
  ])("does not treat %s as a secret", (name) => {
    expect(isSecretKeyName(name)).toBe(false);
  });

  it("answers the same for a name judged before, and after more distinct names than it remembers", () => {
    expect([isSecretKeyName("clientSecret"), isSecretKeyName("clientSecret")]).toEqual([true, true]);
    for (let i = 0; i < 5_000; i++) isSecretKeyName(`field${i}`);
    expect([
      isSecretKeyName("clientSecret"),
      isSecretKeyName("channel"),
      isSecretKeyName("x-api-key"),
    ]).toEqual([true, false, true]);
  });
});

import { describe, expect, it } from "vitest";
import { toJson } from "../json";
import { registerSecretShapes } from "../provider-kit/secret-shapes";
import { Scrubber } from "./scrubber";

// A fictional provider's token shape (`zeta_<random>`), registered as a provider package registers its own.
registerSecretShapes("zeta-scrubber-test", { tokenShapes: [/\bzeta_[A-Za-z0-9]{8,}/g] });

// Every secret key name `isSecretKeyName` knows, and every suffix it takes, written the ways APIs write keys.
const SECRET_KEY_NAMES = [
  "token",
  "accessToken",
  "refresh_token",
  "id-token",
  "botToken",
  "user token",
  "APP_TOKEN",
  "authToken",
  "sessionToken",
  "bearer.token",
  "Authorization",
  "proxy-authorization",
  "password",
  "Pass_Word",
  "pass\tword",
  "passwd",
  "secret",
  "api_key",
  "X-Api-Key",
  "private key",
  "code_verifier",
  "code\nverifier",
  "cookie",
  "Set-Cookie",
  "clientSecret",
  "webhook_secret",
  "dbPassword",
  "stripeApiKey",
  "acme.access-token",
  "legacy_refreshToken",
  "acmeAppPrivateKey",
  "to\u000bken",
];

/** Values `copy` must scrub exactly as `json` scrubs their JSON copy, and values it must leave alone. */
const CASES: Record<string, unknown> = {
  ...Object.fromEntries(SECRET_KEY_NAMES.map((name) => [`key ${JSON.stringify(name)}`, { [name]: "value" }])),
  "a Bearer value in a message": { message: "sent with Bearer abcdefghijklmnop1234" },
  "Basic credentials": { header: `Basic ${btoa("user:pw")}` },
  "a JWT": { id: "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl" },
  "a registered provider's token shape": { note: "copied zeta_abcdefghij12 by mistake" },
  "an access_token query parameter": { url: "https://x.test/cb?access_token=abc123456" },
  "a known secret inside a string": { text: "the run's credential run-secret-1234 leaked" },
  "nested arrays and objects": { list: [{ deep: [{ apiKey: "k" }] }, "fine"] },
  "a clean answer": { ok: true, channel: "C01GENERAL", ts: "1700000000.000100", blocks: [] },
  "a clean page token (a cursor, not a secret)": { nextPageToken: "cursor-2", items: [1, 2] },
  "a string": "plain text",
  "a number": 42,
  null: null,
  "an object with undefined and a Date": { gone: undefined, at: new Date(Date.UTC(2026, 0, 1)) },
};

describe("Scrubber.copy", () => {
  const scrubber = new Scrubber();
  scrubber.add("run-secret-1234");

  it.each(Object.entries(CASES))("scrubs %s as json() scrubs its JSON copy", (_name, value) => {
    expect(scrubber.copy(value)).toEqual(scrubber.json(toJson(value) as never));
  });

  it("finds a known secret that JSON writes escaped (a quote, a backslash)", () => {
    const escaped = new Scrubber();
    escaped.add('quoted "se\\cret"');
    const value = { text: 'it said quoted "se\\cret" here' };
    expect(escaped.copy(value)).toEqual(escaped.json(toJson(value) as never));
    expect(JSON.stringify(escaped.copy(value))).not.toContain("se\\\\cret");
  });

  it("changes what holds a secret and copies what does not", () => {
    for (const name of SECRET_KEY_NAMES)
      expect(scrubber.copy({ [name]: "value" })).toEqual({ [name]: "[REDACTED]" });
    const clean = CASES["a clean answer"];
    const copied = scrubber.copy(clean);
    expect(copied).toEqual(clean);
    // A copy, as a replay returns it: changing it changes nothing the caller holds.
    expect(copied).not.toBe(clean);
    expect(scrubber.copy(undefined)).toBeUndefined();
    expect(scrubber.copy(() => 1)).toBeUndefined();
  });

  it("applies redact paths even where nothing looks like a secret", () => {
    const value = { user: { name: "Ada", email: "ada@example.test" } };
    expect(scrubber.copy(value, ["user.email"])).toEqual({ user: { name: "Ada", email: "[REDACTED]" } });
  });
});

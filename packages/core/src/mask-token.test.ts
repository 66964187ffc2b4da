import { describe, expect, it } from "vitest";
import { maskToken } from "./mask-token";
import { registerSecretShapes } from "./provider-kit/secret-shapes";

// Core names no provider: the vendor shapes it masks are registered, here by a fictional provider "acme" whose
// classic tokens are `acme_<random>`, whose live keys carry a long prefix (`acme_live_`) and whose session tokens
// start `ac99.` (a prefix the generic word rule does not see). Registration is process-wide and once per id.
registerSecretShapes("acme", {
  tokenShapes: [/\bacme_[A-Za-z0-9]{8,}/g, /\bacme_live_[A-Za-z0-9_]{8,}/g, /\bac99\.[A-Za-z0-9._-]{8,}/g],
  tokenPrefixes: ["acme_live_", "ac99."],
});

describe("maskToken", () => {
  it.each([
    ["acme-1234567890-abcd", "acme-…abcd"],
    ["acm_16C7e42F292c6912E7710c838347Ae178B4a", "acm_…8B4a"],
    ["ak_live_4eC39HqLyjWDarjtT1zdp7dc", "ak_live_…p7dc"],
    ["rk_test_51Habcdefghijklmnop", "rk_test_…mnop"],
    ["acsec_abcdefghijklmnopqrst", "acsec_…qrst"],
    ["acme-1-My0xLTEyMzQ1Njc4OTA", "acme-…4OTA"],
  ])("keeps the generic vendor prefix: masks %s as %s", (token, masked) => {
    expect(maskToken(token)).toBe(masked);
  });

  it.each([
    // Longer than the generic rule's 8-character window.
    ["acme_live_11ABCDEFG0123456789_abcdefghijklmnop", "acme_live_…mnop"],
    // Not ending in "-" or "_".
    ["ac99.a0AfH6SMBxyz0123456789", "ac99.…6789"],
  ])("keeps a registered vendor prefix: masks %s as %s", (token, masked) => {
    expect(maskToken(token)).toBe(masked);
  });

  it("an unregistered prefix of that kind is not kept", () => {
    expect(maskToken("zz99.a0AfH6SMBxyz0123456789")).toBe("…6789");
    expect(maskToken("zzzz_live_11ABCDEFG0123456789_abcdefghijklmnop")).toBe("zzzz_…mnop");
  });

  it("reveals only the last four characters of a token without a vendor prefix", () => {
    expect(maskToken("0123456789abcdefXYZW")).toBe("…XYZW");
  });

  it.each([
    ["short", "****"],
    ["abcdefghijk", "****"],
    ["acme-12345", "acme-****"],
    // A prefix plus fewer than 12 secret characters: the tail would be a third of the secret.
    ["acm_12345678", "acm_****"],
    ["acme_live_1234", "acme_live_****"],
    ["", "****"],
  ])("reveals nothing but the prefix of the short token %j", (token, masked) => {
    expect(maskToken(token)).toBe(masked);
  });

  it("does not mistake the head of a random token for a vendor prefix", () => {
    // Capitals and digits before the separator mark it as random data, not a vendor marker.
    expect(maskToken("aB3_xYz9kLmNoPqRsTuV")).toBe("…sTuV");
    expect(maskToken("Abc-defghijklmnopqr")).toBe("…opqr");
  });

  it.each([
    "acme-1234567890-abcdefghijklmnopqrstuvwx",
    "ak_live_4eC39HqLyjWDarjtT1zdp7dc",
    "acme_live_11ABCDEFG0123456789_abcdefghijklmnop",
    "0123456789abcdefghijklmnopqrstuvwxyz",
  ])("never shows more than four secret characters of %s", (token) => {
    const masked = maskToken(token);
    const [prefix = "", shown = ""] = masked.split("…");
    expect(token.startsWith(prefix)).toBe(true);
    expect(shown.length).toBeLessThanOrEqual(4);
    expect(masked).not.toContain(token.slice(prefix.length, prefix.length + 5));
  });
});

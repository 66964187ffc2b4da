import { describe, expect, it } from "vitest";
import { maskToken } from "./mask-token";

describe("maskToken", () => {
  it.each([
    ["xoxb-1234567890-abcd", "xoxb-…abcd"],
    ["ghp_16C7e42F292c6912E7710c838347Ae178B4a", "ghp_…8B4a"],
    ["sk_live_4eC39HqLyjWDarjtT1zdp7dc", "sk_live_…p7dc"],
    ["rk_test_51Habcdefghijklmnop", "rk_test_…mnop"],
    ["whsec_abcdefghijklmnopqrst", "whsec_…qrst"],
    ["github_pat_11ABCDEFG0123456789_abcdefghijklmnop", "github_pat_…mnop"],
    ["ya29.a0AfH6SMBxyz0123456789", "ya29.…6789"],
    ["xoxe-1-My0xLTEyMzQ1Njc4OTA", "xoxe-…4OTA"],
  ])("masks %s as %s", (token, masked) => {
    expect(maskToken(token)).toBe(masked);
  });

  it("reveals only the last four characters of a token without a vendor prefix", () => {
    expect(maskToken("0123456789abcdefXYZW")).toBe("…XYZW");
  });

  it.each([
    ["short", "****"],
    ["abcdefghijk", "****"],
    ["xoxb-12345", "xoxb-****"],
    // A prefix plus fewer than 12 secret characters: the tail would be a third of the secret.
    ["ghp_12345678", "ghp_****"],
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
    "xoxb-1234567890-abcdefghijklmnopqrstuvwx",
    "sk_live_4eC39HqLyjWDarjtT1zdp7dc",
    "0123456789abcdefghijklmnopqrstuvwxyz",
  ])("never shows more than four secret characters of %s", (token) => {
    const masked = maskToken(token);
    const [prefix = "", shown = ""] = masked.split("…");
    expect(token.startsWith(prefix)).toBe(true);
    expect(shown.length).toBeLessThanOrEqual(4);
    expect(masked).not.toContain(token.slice(prefix.length, prefix.length + 5));
  });
});

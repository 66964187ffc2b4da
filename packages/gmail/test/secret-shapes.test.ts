import { maskToken, redactSecrets } from "@autoflow/core";
import { describe, expect, it } from "vitest";
import { Gmail } from "../src/index";
import { gmailProvider } from "../src/provider";

// Gmail's token shapes live in its provider definition; constructing `Gmail` registers them with core.
new Gmail({ id: "shapes", token: "ya29.registeredByConstruction0000" });

describe("Gmail's token shapes", () => {
  it("are the manifest's, so the service registers the same shapes at start", () => {
    expect(gmailProvider.secrets).toBe(new Gmail({ id: "s", token: "ya29.x" }).definition.secrets);
  });

  it("masks a Google access token (ya29.) in free text, keeping the prefix and the last four characters", () => {
    const token = "ya29.a0AfH6SMBx-Abc_DefGhIjKlMnOpQrStUvWxYz0123456789";
    const redacted = redactSecrets(`request failed for ${token} (see logs)`);
    expect(redacted).toBe(`request failed for ${maskToken(token)} (see logs)`);
    expect(redacted).not.toContain(token.slice(8, -4));
    expect(maskToken(token)).toMatch(/^ya29\.…[A-Za-z0-9_-]{4}$/);
  });

  it("masks a Google refresh token (1//) in free text, keeping the prefix and the last four characters", () => {
    const token = `1//0gLwX3Ab-cD_${"eFgHiJkLmNoPqRsTuVwXyZ0123456789".repeat(3)}`;
    // Free text, not a `refresh_token` field (whose value is redacted whole, whatever its shape); the provider
    // suite (test/provider.test.ts) checks the shape has a head the redaction's pre-check reads.
    const redacted = redactSecrets(`refresh with ${token} failed for ada@example.com`);
    expect(redacted).toBe(`refresh with ${maskToken(token)} failed for ada@example.com`);
    expect(redacted).not.toContain(token.slice(6, -4));
    expect(maskToken(token)).toMatch(/^1\/\/…[A-Za-z0-9_-]{4}$/);
  });

  it("leave a date or a path with slashes alone", () => {
    const text = "sent 2026/1//12 to /users/me//messages at 1//";
    expect(redactSecrets(text)).toBe(text);
  });
});

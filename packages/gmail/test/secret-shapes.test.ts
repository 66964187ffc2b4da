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
});

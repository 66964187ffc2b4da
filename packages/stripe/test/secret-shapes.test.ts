import { maskToken, redactSecrets } from "@autoflow/core";
import { describe, expect, it } from "vitest";
import { Stripe } from "../src/index";
import { stripeProvider } from "../src/provider";

// Stripe's key shapes live in its provider definition; constructing `Stripe` registers them with core.
new Stripe({ id: "shapes", token: "sk_test_registeredByConstruction0000" });

// Key-shaped strings that are not any key the runtime was told about.
const KEYS = [
  ["secret test", "sk_test_51NzAbCdEfGhIjKlMnOpQrStUvWxYz0123456789"],
  ["secret live", "sk_live_51NzAbCdEfGhIjKlMnOpQrStUvWxYz0123456789"],
  ["restricted test", "rk_test_51NzAbCdEfGhIjKlMnOpQrStUvWxYz0123456789"],
  ["restricted live", "rk_live_51NzAbCdEfGhIjKlMnOpQrStUvWxYz0123456789"],
  ["webhook secret", "whsec_AbCdEfGhIjKlMnOpQrStUvWxYz012345"],
] as const;

describe("Stripe's key shapes", () => {
  it("are the manifest's, so the service registers the same shapes at start", () => {
    expect(stripeProvider.secrets).toBe(new Stripe({ id: "s", token: "sk_test_x" }).definition.secrets);
  });

  it.each(KEYS)(
    "masks a %s key in free text, keeping the prefix and the last four characters",
    (_kind, key) => {
      const redacted = redactSecrets(`request failed for ${key} (see logs)`);
      expect(redacted).toBe(`request failed for ${maskToken(key)} (see logs)`);
      expect(redacted).not.toContain(key.slice(8, -4));
      expect(maskToken(key)).toMatch(/^(?:sk_live_|sk_test_|rk_live_|rk_test_|whsec_)…[A-Za-z0-9]{4}$/);
    },
  );

  it("leaves publishable keys (pk_), which are meant to be public, alone", () => {
    const publishable = "pk_test_51NzAbCdEfGhIjKlMnOpQrStUvWxYz0123456789";
    expect(redactSecrets(`checkout with ${publishable}`)).toBe(`checkout with ${publishable}`);
  });
});

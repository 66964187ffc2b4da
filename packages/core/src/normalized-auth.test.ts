import { describe, expect, it } from "vitest";
import { IntegrationError } from "./errors";
import {
  AuthTypeMismatchError,
  assertNormalizedAuth,
  credentialOf,
  toConnectionAuth,
} from "./normalized-auth";

const secret = "xoxb-very-secret-value-123";

describe("assertNormalizedAuth", () => {
  it.each([
    [{ provider: "acme", type: "oauth2", access_token: secret }, ["oauth2", "bearer_token"]],
    [{ provider: "acme", type: "bearer_token", token: secret }, ["oauth2", "bearer_token"]],
    [{ provider: "acme", type: "api_key", api_key: secret }, ["api_key"]],
  ] as const)("accepts %o for %o", (auth, accepted) => {
    const checked = assertNormalizedAuth(auth, accepted, "acme");
    expect(credentialOf(checked)).toBe(secret);
  });

  it("refuses a credential of another auth type with a typed error that names both types", () => {
    const error = (() => {
      try {
        assertNormalizedAuth({ provider: "acme", type: "oauth2", access_token: secret }, ["api_key"], "acme");
      } catch (e) {
        return e;
      }
    })();
    expect(AuthTypeMismatchError.isInstance(error)).toBe(true);
    expect(IntegrationError.isInstance(error) && error.type).toBe("auth");
    expect((error as AuthTypeMismatchError).message).toMatch(/"oauth2".*"api_key"/);
    expect((error as Error).message).not.toContain(secret);
  });

  it.each([
    ["not an object", "xoxb-token-as-string", /not an object/],
    ["a missing secret field", { provider: "acme", type: "oauth2", token: secret }, /has no access_token/],
    ["an empty secret", { provider: "acme", type: "bearer_token", token: "" }, /has no token/],
    [
      "another provider's credential",
      { provider: "forge", type: "bearer_token", token: secret },
      /belongs to "forge"/,
    ],
    [
      "additional fields that are not strings",
      { provider: "acme", type: "oauth2", access_token: secret, additional_fields: { cloudId: 7 } },
      /additional_fields is not an object of strings/,
    ],
  ])("refuses %s without echoing the secret", (_name, value, message) => {
    expect(() => assertNormalizedAuth(value, ["oauth2", "bearer_token"], "acme")).toThrow(message);
    try {
      assertNormalizedAuth(value, ["oauth2", "bearer_token"], "acme");
    } catch (e) {
      expect((e as Error).message).not.toContain(secret);
    }
  });

  it("converts to the ConnectionAuth that cloneForRun takes", () => {
    expect(toConnectionAuth({ provider: "acme", type: "oauth2", access_token: secret })).toEqual({
      type: "oauth2",
      accessToken: secret,
    });
    expect(toConnectionAuth({ provider: "acme", type: "api_key", api_key: secret })).toEqual({
      type: "apiKey",
      accessToken: secret,
    });
    const additional_fields = { email: "ada@example.com", siteUrl: "https://acme.atlassian.net" };
    expect(
      toConnectionAuth({ provider: "acme", type: "api_key", api_key: secret, additional_fields }),
    ).toEqual({
      type: "apiKey",
      accessToken: secret,
      additionalFields: additional_fields,
    });
  });
});

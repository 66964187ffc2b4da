import { describe, expect, it, vi } from "vitest";
import {
  INTEGRATION_ERROR_TYPES,
  IntegrationError,
  type IntegrationErrorType,
  isRetryable,
  isRetryableErrorType,
} from "./errors";
import { registerSecretShapes } from "./provider-kit/secret-shapes";

const retryableByType: [IntegrationErrorType, boolean][] = [
  ["auth", false],
  ["rate-limit", true],
  ["schema", false],
  ["network", true],
  ["upstream", true],
];

describe.each(retryableByType)("an IntegrationError of type %s", (type, retryable) => {
  it(`is ${retryable ? "" : "not "}retryable`, () => {
    expect(isRetryableErrorType(type)).toBe(retryable);
    expect(new IntegrationError({ type, provider: "acme", message: "x" }).retryable).toBe(retryable);
  });
});

it("covers every type of the taxonomy", () => {
  expect(retryableByType.map(([type]) => type).sort()).toEqual([...INTEGRATION_ERROR_TYPES].sort());
});

describe("IntegrationError.isInstance", () => {
  it("recognises an error from a second copy of the module", async () => {
    vi.resetModules();
    const copy = await import("./errors");
    expect(copy.IntegrationError).not.toBe(IntegrationError);
    const foreign = new copy.IntegrationError({ type: "network", provider: "acme", message: "x" });
    expect(foreign instanceof IntegrationError).toBe(false);
    expect(IntegrationError.isInstance(foreign)).toBe(true);
    expect(
      copy.IntegrationError.isInstance(new IntegrationError({ type: "auth", provider: "a", message: "x" })),
    ).toBe(true);
  });

  it("recognises any object carrying the shared marker", () => {
    const marked = { [Symbol.for("autoflow.error.IntegrationError")]: true };
    expect(IntegrationError.isInstance(marked)).toBe(true);
  });

  it.each([
    ["a plain Error", new Error("x")],
    ["an error-shaped object", { type: "auth", provider: "acme", message: "x" }],
    ["null", null],
    ["a string", "IntegrationError"],
  ])("rejects %s", (_label, value) => {
    expect(IntegrationError.isInstance(value)).toBe(false);
  });

  it("keeps the marker out of enumeration and JSON", () => {
    const error = new IntegrationError({ type: "auth", provider: "acme", message: "x" });
    expect(
      Object.getOwnPropertySymbols(error).every((s) => !Object.prototype.propertyIsEnumerable.call(error, s)),
    ).toBe(true);
    expect(JSON.stringify(error)).not.toContain("autoflow");
  });
});

describe("IntegrationError serialisation", () => {
  it("round-trips through toJSON and fromJSON", () => {
    const original = new IntegrationError({
      type: "rate-limit",
      provider: "forge",
      message: "API rate limit exceeded",
      status: 403,
      retryAt: new Date(Date.UTC(2026, 3, 28, 14, 10, 0)),
      code: "secondary_rate_limit",
    });
    const json = JSON.parse(JSON.stringify(original));
    expect(json).toEqual({
      name: "IntegrationError",
      type: "rate-limit",
      provider: "forge",
      message: "API rate limit exceeded",
      status: 403,
      retryAt: "2026-04-28T14:10:00.000Z",
      code: "secondary_rate_limit",
      retryable: true,
    });
    const copy = IntegrationError.fromJSON(json);
    expect(IntegrationError.isInstance(copy)).toBe(true);
    expect(copy.toJSON()).toEqual(original.toJSON());
    expect(copy.retryAt).toEqual(original.retryAt);
  });

  it("keeps the provider's details (a card's decline code) through toJSON and fromJSON", () => {
    const declined = new IntegrationError({
      type: "schema",
      provider: "acme",
      message: "Your card was declined.",
      code: "card_declined",
      details: { declineCode: "insufficient_funds" },
    });
    const json = JSON.parse(JSON.stringify(declined));
    expect(json.details).toEqual({ declineCode: "insufficient_funds" });
    expect(IntegrationError.fromJSON(json).details).toEqual({ declineCode: "insufficient_funds" });
  });

  it("leaves optional fields out of the JSON when absent", () => {
    const json = new IntegrationError({ type: "schema", provider: "linear", message: "bad input" }).toJSON();
    expect(Object.keys(json).sort()).toEqual(["message", "name", "provider", "retryable", "type"]);
  });
});

describe("IntegrationError construction", () => {
  it("scrubs a token out of its message", () => {
    registerSecretShapes("acme-errors", { tokenShapes: [/\bacmeb-[A-Za-z0-9-]{8,}/g] });
    const token = "acmeb-1234567890-1234567890123-AbCdEfGhIjKlMnOp";
    const error = new IntegrationError({
      type: "auth",
      provider: "acme-errors",
      message: `invalid_auth for ${token}`,
    });
    expect(error.message).not.toContain(token);
    expect(error.message).toBe("invalid_auth for acmeb-…MnOp");
    expect(JSON.stringify(error)).not.toContain(token);
  });

  it("keeps its cause", () => {
    const cause = new Error("socket hang up");
    const error = new IntegrationError({ type: "network", provider: "acme", message: "x", cause });
    expect(error.cause).toBe(cause);
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe("IntegrationError");
  });
});

describe("IntegrationError.reason", () => {
  it("a final reason makes a retryable type final, and survives the task log", () => {
    const unknown = new IntegrationError({
      type: "network",
      provider: "p",
      message: "reset after the body was sent",
      reason: "outcome_unknown",
    });
    expect(unknown.retryable).toBe(false);
    const replayed = IntegrationError.fromJSON(JSON.parse(JSON.stringify(unknown)));
    expect(replayed.reason).toBe("outcome_unknown");
    expect(replayed.retryable).toBe(false);
    expect(replayed.type).toBe("network");
  });

  it("a reason that is not final leaves the type's decision alone", () => {
    const expired = new IntegrationError({
      type: "auth",
      provider: "p",
      message: "x",
      reason: "token_expired",
    });
    expect(expired.retryable).toBe(false);
    const timeout = new IntegrationError({ type: "network", provider: "p", message: "x", reason: "timeout" });
    expect(timeout.retryable).toBe(true);
    expect(isRetryable("upstream", "cursor_expired")).toBe(false);
    expect(isRetryable("upstream")).toBe(true);
  });
});

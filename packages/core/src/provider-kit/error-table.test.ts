import { describe, expect, it } from "vitest";
import { IntegrationError } from "../errors";
import { createErrorMapper } from "./error-table";

const NOW = Date.parse("2026-01-01T00:00:00Z");

class FakeSdkError extends Error {
  constructor(
    readonly body: { status?: number; code?: string; wait?: number; headers?: Record<string, string> },
  ) {
    super(`fake ${body.code ?? body.status}`);
  }
}

const toError = createErrorMapper({
  provider: "fake",
  name: "Fake",
  read: (error) =>
    error instanceof FakeSdkError
      ? {
          ...(error.body.status !== undefined && { status: error.body.status }),
          ...(error.body.code !== undefined && { code: error.body.code }),
          ...(error.body.wait !== undefined && { retryAfterSeconds: error.body.wait }),
          ...(error.body.headers !== undefined && { headers: error.body.headers }),
          ...(error.body.code === "slow_down" && {
            type: "rate-limit" as const,
            fallbackRetryAfterMs: 60_000,
          }),
          ...(error.body.code === "maybe_sent" && { reason: "outcome_unknown" }),
        }
      : undefined,
  codes: { auth: ["bad_token"], upstream: ["try_later"] },
});

describe("createErrorMapper", () => {
  it("a listed code decides the type, even against the status", () => {
    expect(toError(new FakeSdkError({ code: "bad_token", status: 200 }), NOW)).toMatchObject({
      type: "auth",
      code: "bad_token",
      provider: "fake",
      status: 200,
    });
  });

  it("typeOfCode reads one code from the table, unknown codes as unknownCodeType", () => {
    expect(toError.typeOfCode("bad_token")).toBe("auth");
    expect(toError.typeOfCode("try_later")).toBe("upstream");
    expect(toError.typeOfCode("whatever")).toBe("schema");
    const lenient = createErrorMapper({
      provider: "fake",
      read: () => undefined,
      unknownCodeType: "upstream",
    });
    expect(lenient.typeOfCode("whatever")).toBe("upstream");
  });

  it("without a listed code the status decides; without either an unknown code is schema", () => {
    expect(toError(new FakeSdkError({ code: "whatever", status: 503 }), NOW).type).toBe("upstream");
    expect(toError(new FakeSdkError({ code: "whatever" }), NOW).type).toBe("schema");
    expect(toError(new FakeSdkError({ status: 404 }), NOW)).toMatchObject({
      type: "schema",
      message: "Fake responded 404",
    });
  });

  it("retryAt comes from the body's wait, then the headers, then the fallback, only when retryable", () => {
    expect(toError(new FakeSdkError({ code: "try_later", wait: 7 }), NOW).retryAt?.getTime()).toBe(
      NOW + 7_000,
    );
    const headers = { "retry-after": "3" };
    expect(toError(new FakeSdkError({ status: 429, headers }), NOW).retryAt?.getTime()).toBe(NOW + 3_000);
    expect(toError(new FakeSdkError({ code: "slow_down" }), NOW).retryAt?.getTime()).toBe(NOW + 60_000);
    expect(toError(new FakeSdkError({ code: "bad_token", wait: 7 }), NOW).retryAt).toBeUndefined();
  });

  it("a final reason is kept and makes a retryable type final, with no retryAt", () => {
    const error = toError(new FakeSdkError({ code: "try_later", wait: 5 }), NOW);
    expect(error.retryable).toBe(true);
    const unknown = toError(new FakeSdkError({ code: "maybe_sent", status: 502, wait: 5 }), NOW);
    expect(unknown).toMatchObject({ type: "upstream", reason: "outcome_unknown", retryable: false });
    expect(unknown.retryAt).toBeUndefined();
  });

  it("anything else: transport failures are network with their code, other errors upstream, the original is the cause", () => {
    const refused = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:1"), { code: "ECONNREFUSED" });
    expect(toError(new TypeError("fetch failed", { cause: refused }), NOW)).toMatchObject({
      type: "network",
      code: "ECONNREFUSED",
    });
    const odd = new Error("odd");
    expect(toError(odd, NOW)).toMatchObject({ type: "upstream", message: "odd", cause: odd });
    const translated = new IntegrationError({ type: "auth", provider: "fake", message: "x" });
    expect(toError(translated)).toBe(translated);
  });
});

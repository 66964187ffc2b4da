import { describe, expect, it } from "vitest";
import { IntegrationError } from "../errors";
import { createErrorMapper } from "./error-table";
import { ResponseTooLargeError } from "./response-limit";

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

  it("keeps the facts' details on the error", () => {
    const details = { declineCode: "insufficient_funds" };
    const mapper = createErrorMapper({
      provider: "fake",
      read: () => ({ status: 402, code: "card_declined", details }),
    });
    expect(mapper(new Error("declined"), NOW)).toMatchObject({
      type: "schema",
      code: "card_declined",
      details,
    });
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

/** An SDK that wraps transport failures in `original` and keeps its HTTP answer under `answer`. */
class WrappingSdkError extends Error {
  constructor(
    message: string,
    readonly original?: unknown,
    readonly answer?: { code: number; headers?: Record<string, string>; body?: unknown },
  ) {
    super(message);
  }
}

const isWrapping = (error: unknown): error is WrappingSdkError => error instanceof WrappingSdkError;

const toWrappedError = createErrorMapper({
  provider: "fake",
  name: "Fake",
  httpError: { status: "answer.code", headers: "answer.headers", code: "answer.body.errors.0.code" },
  wrappedBy: ["original", "cause"],
  read: (error, http) =>
    isWrapping(error) ? (http ?? { type: "network", code: "sdk_request_error" }) : undefined,
  codes: { auth: ["bad_token"] },
});

describe("createErrorMapper: where the SDK keeps things", () => {
  it("httpError reads the status, the headers' Retry-After and the body's code at the declared paths", () => {
    const limited = new WrappingSdkError("limited", undefined, {
      code: 429,
      headers: { "retry-after": "4" },
    });
    expect(toWrappedError(limited, NOW)).toMatchObject({
      type: "rate-limit",
      status: 429,
      message: "Fake responded 429",
    });
    expect(toWrappedError(limited, NOW).retryAt?.getTime()).toBe(NOW + 4_000);
    const body = { errors: [{ code: "bad_token" }] };
    expect(toWrappedError(new WrappingSdkError("no", undefined, { code: 422, body }), NOW)).toMatchObject({
      type: "auth",
      code: "bad_token",
      status: 422,
    });
    // A body code that is not a string is no code; the status decides.
    const odd = new WrappingSdkError("odd", undefined, { code: 422, body: { errors: [{ code: 7 }] } });
    expect(toWrappedError(odd, NOW)).toMatchObject({ type: "schema", status: 422 });
    expect(toWrappedError(odd, NOW).code).toBeUndefined();
  });

  it("without a table `read`, the httpError reading is the facts; an error without a status is generic", () => {
    const plain = createErrorMapper({
      provider: "fake",
      httpError: { status: "answer.code", message: "message" },
    });
    expect(plain(new WrappingSdkError("gone", undefined, { code: 503 }), NOW)).toMatchObject({
      type: "upstream",
      status: 503,
      message: "gone",
    });
    expect(plain(new WrappingSdkError("no answer"), NOW)).toMatchObject({
      type: "upstream",
      message: "no answer",
    });
  });

  it("httpError's statusText joins the kit's message when the answer has no message of its own", () => {
    const withText = createErrorMapper({
      provider: "fake",
      name: "Fake",
      httpError: { status: "answer.code", statusText: "answer.text", message: "answer.message" },
    });
    const unavailable = (answer: object) =>
      Object.assign(new Error(""), { answer: { code: 503, ...answer } });
    expect(withText(unavailable({ text: "Service Unavailable" }), NOW).message).toBe(
      "Fake responded 503 Service Unavailable",
    );
    expect(
      withText(unavailable({ text: "Service Unavailable", message: "down for upkeep" }), NOW).message,
    ).toBe("down for upkeep");
    expect(withText(unavailable({ text: "" }), NOW).message).toBe("Fake responded 503");
  });

  it("wrappedBy finds the transport code through the SDK's own wrapper and then `cause`", () => {
    const reset = Object.assign(new Error("read ECONNRESET"), { code: "ECONNRESET" });
    const wrapped = new WrappingSdkError("request failed", new Error("fetch failed", { cause: reset }));
    expect(toWrappedError(wrapped, NOW)).toMatchObject({
      type: "network",
      code: "ECONNRESET",
      reason: "outcome_unknown",
      retryable: false,
    });
    const refused = Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" });
    expect(toWrappedError(new WrappingSdkError("request failed", refused), NOW)).toMatchObject({
      type: "network",
      code: "ECONNREFUSED",
      retryable: true,
    });
    // The default (`cause` only) does not look inside `original`: the SDK's own code stays.
    const causeOnly = createErrorMapper({
      provider: "fake",
      read: (error) => (isWrapping(error) ? { type: "network", code: "sdk_request_error" } : undefined),
    });
    expect(causeOnly(new WrappingSdkError("request failed", refused), NOW).code).toBe("sdk_request_error");
    expect(toWrappedError(new WrappingSdkError("request failed"), NOW).code).toBe("sdk_request_error");
  });

  it("a DNS failure's host is found through wrappedBy too", () => {
    const dns = Object.assign(new Error("lookup failed"), { code: "ENOTFOUND", hostname: "api.fake.test" });
    expect(toWrappedError(new WrappingSdkError("request failed", dns), NOW)).toMatchObject({
      type: "network",
      code: "ENOTFOUND",
      message: "request failed: could not resolve api.fake.test (ENOTFOUND)",
    });
  });

  it("an answer the kit's fetch refused as too large is final, whatever status the SDK wrapped it in", () => {
    const refusal = new ResponseTooLargeError("https://api.fake.test/v1/export", 200, 1024);
    // As Octokit does: a fetch failure becomes an HTTP-looking 500, which alone would be retried.
    const wrapped = new WrappingSdkError("request failed", refusal, { code: 500 });
    const translated = toWrappedError(wrapped, NOW);
    expect(translated).toMatchObject({
      type: "schema",
      reason: "response_too_large",
      code: "response_too_large",
      retryable: false,
      provider: "fake",
      cause: wrapped,
    });
    expect(translated.message).toBe(
      "The answer from https://api.fake.test/v1/export (status 200) is larger than 1024 bytes, the integration's maxResponseBytes",
    );
    // Found by name and code, so a refusal from another copy of core (CommonJS beside ESM) counts too.
    const lookalike = Object.assign(new Error(refusal.message), {
      name: "ResponseTooLargeError",
      code: "response_too_large",
    });
    expect(toWrappedError(new WrappingSdkError("failed", lookalike), NOW).reason).toBe("response_too_large");
    // Without an SDK table, core's generic translation finds it in `cause` as well.
    expect(toError(new Error("fetch failed", { cause: refusal }), NOW)).toMatchObject({
      type: "schema",
      reason: "response_too_large",
    });
  });
});

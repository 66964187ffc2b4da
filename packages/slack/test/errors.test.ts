import { onProviderError } from "@autoflow/core";
import {
  WebAPIFileUploadInvalidArgumentsError,
  WebAPIHTTPError,
  WebAPIPlatformError,
  WebAPIRateLimitedError,
  WebAPIRequestError,
} from "@slack/web-api";
import { describe, expect, it } from "vitest";
import { toSlackError } from "../src/index";

const NOW = Date.parse("2026-01-01T00:00:00Z");

describe("toSlackError", () => {
  it.each([
    ["invalid_auth", "auth"],
    ["not_authed", "auth"],
    ["token_revoked", "auth"],
    ["token_expired", "auth"],
    ["account_inactive", "auth"],
    ["missing_scope", "auth"],
    ["no_permission", "auth"],
    ["channel_not_found", "schema"],
    ["invalid_arguments", "schema"],
    ["user_not_found", "schema"],
    ["message_not_found", "schema"],
    ["not_in_channel", "schema"],
    ["invalid_blocks", "schema"],
    ["some_future_code", "schema"],
    ["ratelimited", "rate-limit"],
    ["internal_error", "upstream"],
    ["fatal_error", "upstream"],
    ["service_unavailable", "upstream"],
    ["request_timeout", "upstream"],
  ] as const)("platform error %s is %s, keeping the code", (code, type) => {
    expect(toSlackError.typeOfCode(code)).toBe(type);
    const error = toSlackError(new WebAPIPlatformError({ ok: false, error: code }), NOW);
    expect(error).toMatchObject({ type, code, provider: "slack" });
  });

  it("names the missing scope", () => {
    const error = toSlackError(
      new WebAPIPlatformError({ ok: false, error: "missing_scope", needed: "chat:write" } as never),
    );
    expect(error.message).toContain("chat:write");
  });

  it("WebAPIRateLimitedError carries retryAt from retryAfter", () => {
    const error = toSlackError(new WebAPIRateLimitedError(42), NOW);
    expect(error).toMatchObject({ type: "rate-limit", status: 429, code: "ratelimited" });
    expect(error.retryAt?.getTime()).toBe(NOW + 42_000);
    expect(onProviderError(toSlackError(new WebAPIRateLimitedError(42)))).toMatchObject({
      retryAt: expect.any(Date),
    });
  });

  it("a platform `ratelimited` with a Retry-After also carries retryAt", () => {
    const error = toSlackError(
      new WebAPIPlatformError({ ok: false, error: "ratelimited", response_metadata: { retryAfter: 7 } }),
      NOW,
    );
    expect(error.retryAt?.getTime()).toBe(NOW + 7_000);
  });

  it.each([
    [500, "upstream"],
    [502, "upstream"],
    [503, "upstream"],
    [404, "schema"],
    [401, "auth"],
  ] as const)("HTTP %i is %s", (status, type) => {
    expect(toSlackError(new WebAPIHTTPError(status, "x", {}, "<html>"), NOW)).toMatchObject({ type, status });
  });

  it("a 503 with Retry-After is retried then", () => {
    const error = toSlackError(new WebAPIHTTPError(503, "Service Unavailable", { "retry-after": "5" }), NOW);
    expect(error.retryAt?.getTime()).toBe(NOW + 5_000);
  });

  it("request errors are network, with the transport code", () => {
    const refused = new TypeError("fetch failed", {
      cause: Object.assign(new Error("connect"), { code: "ECONNREFUSED" }),
    });
    expect(toSlackError(new WebAPIRequestError(refused))).toMatchObject({
      type: "network",
      code: "ECONNREFUSED",
    });
    const timeout = new DOMException("The operation was aborted due to timeout", "TimeoutError");
    expect(toSlackError(new WebAPIRequestError(timeout))).toMatchObject({
      type: "network",
      code: "TimeoutError",
    });
  });

  it("file upload argument errors are schema; unknown throwables go through core's classifier", () => {
    expect(toSlackError(new WebAPIFileUploadInvalidArgumentsError("no file"))).toMatchObject({
      type: "schema",
    });
    expect(toSlackError(new Error("boom"))).toMatchObject({ type: "upstream" });
  });

  it("never puts a token in the message", () => {
    const token = "xoxb-1234567890-secretsecret";
    const error = toSlackError(new Error(`failed with Authorization: Bearer ${token}`));
    expect(error.message).not.toContain(token);
  });

  it("the kit's onError leaves non-timed errors to the taxonomy", () => {
    expect(
      onProviderError(toSlackError(new WebAPIPlatformError({ ok: false, error: "channel_not_found" }))),
    ).toBeUndefined();
  });
});

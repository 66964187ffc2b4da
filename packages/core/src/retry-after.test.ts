import { describe, expect, it } from "vitest";
import { getHeader } from "./http-headers";
import { isRateLimited, parseRateLimitReset, parseRetryAfter, retryAtFromHeaders } from "./retry-after";

const now = Date.UTC(2026, 3, 28, 14, 5, 12);
const at = (msFromNow: number) => new Date(now + msFromNow);

describe("getHeader", () => {
  it.each([
    ["a Headers instance", new Headers({ "Retry-After": "30" })],
    ["a record, any case", { "RETRY-after": "30" }],
    ["a repeated header", { "retry-after": ["30", "60"] }],
    ["a number", { "retry-after": 30 }],
  ])("reads %s", (_kind, headers) => {
    expect(getHeader(headers, "Retry-After")).toBe("30");
  });

  it.each([
    ["no headers", undefined],
    ["a missing header", { other: "1" }],
    ["a null value", { "retry-after": null }],
    ["an empty array", { "retry-after": [] }],
  ])("gives undefined for %s", (_kind, headers) => {
    expect(getHeader(headers, "retry-after")).toBeUndefined();
  });
});

describe("parseRetryAfter", () => {
  it.each([
    ["30", at(30_000)],
    [" 0 ", at(0)],
    ["1.5", at(1_500)],
    ["Tue, 28 Apr 2026 14:06:12 GMT", at(60_000)],
    ["Tuesday, 28-Apr-26 14:06:12 GMT", at(60_000)],
    // asctime has no zone but means GMT, whatever the machine's time zone.
    ["Tue Apr 28 14:06:12 2026", at(60_000)],
    ["Wed, 21 Oct 2015 07:28:00 GMT", at(0)],
  ])("reads %j", (value, expected) => {
    expect(parseRetryAfter(value, now)).toEqual(expected);
  });

  it.each([undefined, "", "-5", "soon", "1e3", "99999999999999999999"])("rejects %j", (value) => {
    expect(parseRetryAfter(value, now)).toBeUndefined();
  });
});

describe("parseRateLimitReset", () => {
  it.each([
    ["epoch seconds", String(now / 1000 + 120), at(120_000)],
    ["epoch milliseconds", String(now + 2_500), at(2_500)],
    ["seconds until reset", "45", at(45_000)],
    ["an epoch already past", String(now / 1000 - 60), at(0)],
  ])("reads %s", (_kind, value, expected) => {
    expect(parseRateLimitReset(value, now)).toEqual(expected);
  });

  it.each([undefined, "", "-1", "tomorrow"])("rejects %j", (value) => {
    expect(parseRateLimitReset(value, now)).toBeUndefined();
  });
});

describe("retryAtFromHeaders", () => {
  const reset = String(now / 1000 + 300);
  it.each([
    [
      "retry-after wins over a reset",
      { "retry-after": "10", "x-ratelimit-remaining": "0", "x-ratelimit-reset": reset },
      at(10_000),
    ],
    ["a spent x-ratelimit budget", { "x-ratelimit-remaining": "0", "x-ratelimit-reset": reset }, at(300_000)],
    ["a reset without a remaining count", { "x-ratelimit-reset": reset }, at(300_000)],
    ["the IETF draft's delta seconds", { "ratelimit-remaining": "0", "ratelimit-reset": "7" }, at(7_000)],
    ["x-rate-limit-reset", new Headers({ "x-rate-limit-reset": reset }), at(300_000)],
    [
      "a reset while requests remain",
      { "x-ratelimit-remaining": "4999", "x-ratelimit-reset": reset },
      undefined,
    ],
    ["no hint at all", { "content-type": "application/json" }, undefined],
    ["no headers", undefined, undefined],
  ])("handles %s", (_kind, headers, expected) => {
    expect(retryAtFromHeaders(headers, now)).toEqual(expected);
  });
});

describe("isRateLimited", () => {
  it.each([
    [429, undefined, true],
    [403, undefined, false],
    [403, { "x-ratelimit-remaining": "0" }, true],
    [403, { "x-ratelimit-remaining": "12" }, false],
    [403, { "retry-after": "60" }, true],
    [404, { "retry-after": "60" }, false],
    [503, { "retry-after": "60" }, false],
  ])("status %i with %j is %s", (status, headers, expected) => {
    expect(isRateLimited(status, headers)).toBe(expected);
  });
});

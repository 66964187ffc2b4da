import { IntegrationError } from "@autoflow/core";
import {
  ApiError,
  AuthError,
  ForbiddenError,
  NotFoundError,
  RateLimitError,
  ScopeError,
  ServerError,
} from "jira.js/core";
import { describe, expect, it } from "vitest";
import { JIRA_RATE_LIMIT_FLOOR_MS, jiraErrorMessage, toJiraError } from "../src/index";

const NOW = Date.parse("2026-12-06T12:00:00Z");

/** A jira.js error as the transport throws it: the answer's headers kept on it. */
function answered<E extends ApiError>(error: E, headers: Record<string, string> = {}): E {
  return Object.assign(error, { headers: new Headers(headers) });
}

const body = { errorMessages: ["Issue does not exist or you do not have permission to see it."], errors: {} };

describe("toJiraError", () => {
  it("a 429 with Retry-After is rate-limit, retryAt after that many seconds", () => {
    const error = toJiraError(
      answered(new RateLimitError("429", "Too Many Requests", {}), { "retry-after": "7" }),
      NOW,
    );
    expect(error.type).toBe("rate-limit");
    expect(error.retryAt?.getTime()).toBe(NOW + 7_000);
    expect(error.retryable).toBe(true);
  });

  it("a 429 with Retry-After: 0 and no reset leaves the wait to the backoff (no retryAt below the floor)", () => {
    const error = toJiraError(
      answered(new RateLimitError("429", "Too Many Requests", {}), { "retry-after": "0" }),
      NOW,
    );
    expect(error.type).toBe("rate-limit");
    expect(error.retryAt).toBeUndefined();
  });

  it("a 429 waits for X-RateLimit-Reset (an ISO instant) when it is later than Retry-After", () => {
    const reset = new Date(NOW + 42_000).toISOString();
    const error = toJiraError(
      answered(new RateLimitError("429", "Too Many Requests", {}), {
        "retry-after": "1",
        "x-ratelimit-reset": reset,
      }),
      NOW,
    );
    expect(error.retryAt?.toISOString()).toBe(reset);
  });

  it("a reset already past and a Retry-After under the floor name no wait", () => {
    const reset = new Date(NOW - 5_000).toISOString();
    const waitMs = JIRA_RATE_LIMIT_FLOOR_MS / 2;
    const error = toJiraError(
      answered(new RateLimitError("429", "Too Many Requests", {}), {
        "retry-after": String(waitMs / 1000),
        "x-ratelimit-reset": reset,
      }),
      NOW,
    );
    expect(error.retryAt).toBeUndefined();
  });

  it("a 503 with Retry-After is upstream with retryAt", () => {
    const error = toJiraError(
      answered(new ServerError("503", 503, "Service Unavailable", {}), { "retry-after": "30" }),
      NOW,
    );
    expect(error).toMatchObject({ type: "upstream", status: 503 });
    expect(error.retryAt?.getTime()).toBe(NOW + 30_000);
  });

  it("a 500 is upstream", () => {
    expect(toJiraError(answered(new ServerError("500", 500, "Internal", {})), NOW).type).toBe("upstream");
  });

  it("401, a scope mismatch and 403 are auth", () => {
    expect(toJiraError(answered(new AuthError("401", "Unauthorized", {})), NOW).type).toBe("auth");
    const scope = toJiraError(
      answered(new ScopeError("401", "Unauthorized", { message: "scope does not match" })),
    );
    expect(scope).toMatchObject({ type: "auth", code: "scope_mismatch" });
    expect(toJiraError(answered(new ForbiddenError("403", "Forbidden", {})), NOW).type).toBe("auth");
  });

  it.each([
    [
      400,
      () =>
        new ApiError("400", 400, "Bad Request", {
          errorMessages: [],
          errors: { summary: "You must specify a summary of the issue." },
        }),
    ],
    [404, () => new NotFoundError("404", "Not Found", body)],
    [409, () => new ApiError("409", 409, "Conflict", { errorMessages: ["Conflict"], errors: {} })],
  ])("a %i is schema, with Jira's errorMessages and errors in the message", (status, make) => {
    const error = toJiraError(answered(make()), NOW);
    expect(error).toMatchObject({ type: "schema", status, retryable: false });
    expect(error.message).toContain(jiraErrorMessage(make().body) ?? "");
  });

  it("the message joins errorMessages and field errors", () => {
    expect(jiraErrorMessage({ errorMessages: ["A", "B"], errors: { summary: "required" } })).toBe(
      "A; B; summary: required",
    );
    expect(jiraErrorMessage({})).toBeUndefined();
  });

  it("a transport failure is network; an IntegrationError passes through", () => {
    const reset = Object.assign(new TypeError("fetch failed"), {
      cause: Object.assign(new Error("socket"), { code: "ECONNRESET" }),
    });
    expect(toJiraError(reset, NOW)).toMatchObject({
      type: "network",
      code: "ECONNRESET",
      reason: "outcome_unknown",
    });
    const same = new IntegrationError({ type: "schema", provider: "jira", message: "x" });
    expect(toJiraError(same)).toBe(same);
  });

  it("the token endpoint's codes: invalid_grant is auth", () => {
    expect(toJiraError.typeOfCode("invalid_grant")).toBe("auth");
  });
});

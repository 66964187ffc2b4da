import { once } from "node:events";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import {
  classifyHttpStatus,
  errorFromResponse,
  isOutcomeUnknownTransportCode,
  toIntegrationError,
  transportErrorCode,
} from "./classify";
import { IntegrationError, type IntegrationErrorType } from "./errors";
import type { HeadersLike } from "./http-headers";

const now = Date.UTC(2026, 3, 28, 14, 5, 12);
const at = (msFromNow: number) => new Date(now + msFromNow);
const resetIn5Minutes = String(now / 1000 + 300);

type StatusCase = [
  label: string,
  status: number,
  headers: HeadersLike | undefined,
  type: IntegrationErrorType,
  retryAt: Date | undefined,
];

const statusMatrix: StatusCase[] = [
  ["401", 401, undefined, "auth", undefined],
  [
    "403 plain",
    403,
    { "x-ratelimit-remaining": "4999", "x-ratelimit-reset": resetIn5Minutes },
    "auth",
    undefined,
  ],
  [
    "403 with a spent x-ratelimit budget",
    403,
    { "x-ratelimit-remaining": "0", "x-ratelimit-reset": resetIn5Minutes },
    "rate-limit",
    at(300_000),
  ],
  ["403 with retry-after (secondary limit)", 403, { "retry-after": "60" }, "rate-limit", at(60_000)],
  ["404", 404, undefined, "schema", undefined],
  ["408", 408, undefined, "upstream", undefined],
  ["409", 409, undefined, "schema", undefined],
  ["422", 422, undefined, "schema", undefined],
  ["429 with Retry-After seconds", 429, { "Retry-After": "30" }, "rate-limit", at(30_000)],
  [
    "429 with a Retry-After HTTP-date",
    429,
    new Headers({ "retry-after": "Tue, 28 Apr 2026 14:07:12 GMT" }),
    "rate-limit",
    at(120_000),
  ],
  ["429 without a hint", 429, undefined, "rate-limit", undefined],
  ["500", 500, undefined, "upstream", undefined],
  ["501", 501, { "retry-after": "60" }, "schema", undefined],
  ["502", 502, undefined, "upstream", undefined],
  ["503 with Retry-After", 503, { "retry-after": "120" }, "upstream", at(120_000)],
  ["505", 505, undefined, "schema", undefined],
  ["302 passed as an error", 302, undefined, "upstream", undefined],
];

describe.each(statusMatrix)("HTTP %s", (_label, status, headers, type, retryAt) => {
  it(`classifies as ${type}`, () => {
    expect(classifyHttpStatus(status, headers)).toBe(type);
  });

  it("builds an error with the type, status, retryAt and a default message", () => {
    const error = errorFromResponse({ provider: "acme", status, ...(headers && { headers }), now });
    expect(error.type).toBe(type);
    expect(error.status).toBe(status);
    expect(error.retryAt).toEqual(retryAt);
    expect(error.message).toBe(`acme responded ${status}`);
    expect(error.retryable).toBe(type !== "auth" && type !== "schema");
  });

  it("is reached from an SDK error carrying the status and response headers", () => {
    const sdkError = Object.assign(new Error(`Request failed with ${status}`), {
      status,
      response: { status, headers: headers ?? {} },
    });
    const error = toIntegrationError(sdkError, "forge", now);
    expect(error.type).toBe(type);
    expect(error.status).toBe(status);
    expect(error.retryAt).toEqual(retryAt);
    expect(error.message).toBe(`Request failed with ${status}`);
    expect(error.cause).toBe(sdkError);
  });
});

describe("errorFromResponse", () => {
  it("keeps the provider's message, code and cause, scrubbing secrets from the message", () => {
    const cause = new Error("body");
    const error = errorFromResponse({
      provider: "acme",
      status: 404,
      message: "channel_not_found for Bearer abcdefghij0123456789",
      code: "channel_not_found",
      cause,
    });
    expect(error.message).toBe("channel_not_found for Bearer [REDACTED]");
    expect(error.code).toBe("channel_not_found");
    expect(error.cause).toBe(cause);
  });
});

const servers: http.Server[] = [];

afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    server.close();
  }
});

async function listen(handler: http.RequestListener): Promise<string> {
  const server = http.createServer(handler);
  servers.push(server);
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
}

async function closedPortUrl(): Promise<string> {
  const server = http.createServer();
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;
  server.close();
  await once(server, "close");
  return `http://127.0.0.1:${port}/`;
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected the promise to reject");
}

type TransportCase = [label: string, produce: () => Promise<unknown>, code: string];

const transportCases: TransportCase[] = [
  ["a refused connection (fetch)", async () => rejection(fetch(await closedPortUrl())), "ECONNREFUSED"],
  [
    "a refused connection (node:http)",
    async () => {
      const url = await closedPortUrl();
      return rejection(new Promise((_, reject) => http.get(url, reject).on("error", reject)));
    },
    "ECONNREFUSED",
  ],
  [
    "a socket destroyed before the headers (fetch)",
    async () => rejection(fetch(await listen((request) => request.socket.destroy()))),
    "UND_ERR_SOCKET",
  ],
  [
    "a socket destroyed mid-body (fetch)",
    async () => {
      const url = await listen((_request, response) => {
        response.writeHead(200, { "content-length": "1000" });
        response.write("partial", () => response.socket?.destroy());
      });
      const response = await fetch(url);
      return rejection(response.text());
    },
    "UND_ERR_SOCKET",
  ],
  [
    "a socket destroyed before the headers (node:http)",
    async () => {
      const url = await listen((request) => request.socket.destroy());
      return rejection(new Promise((_, reject) => http.get(url, reject).on("error", reject)));
    },
    "ECONNRESET",
  ],
  [
    "a server that never answers (AbortSignal.timeout)",
    async () => rejection(fetch(await listen(() => {}), { signal: AbortSignal.timeout(50) })),
    "TimeoutError",
  ],
  [
    "an aborted request",
    async () => {
      const controller = new AbortController();
      const pending = fetch(await listen(() => {}), { signal: controller.signal });
      setTimeout(() => controller.abort(), 20);
      return rejection(pending);
    },
    "AbortError",
  ],
];

describe.each(transportCases)("transport failure: %s", (_label, produce, code) => {
  it(`is found as ${code}`, async () => {
    const error = await produce();
    expect(transportErrorCode(error)).toBe(code);
  });

  // Refused: the request never left, a repeat is safe. Anything later may have reached the provider.
  const sent = code !== "ECONNREFUSED";
  it(`becomes a network error that keeps its cause, ${sent ? "outcome unknown and not retryable" : "retryable"}`, async () => {
    const error = await produce();
    const integrationError = toIntegrationError(error, "acme");
    expect(integrationError.type).toBe("network");
    expect(integrationError.code).toBe(code);
    expect(integrationError.reason).toBe(sent ? "outcome_unknown" : undefined);
    expect(integrationError.retryable).toBe(!sent);
    expect(integrationError.cause).toBe(error);
  });
});

describe("isOutcomeUnknownTransportCode", () => {
  it.each(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "ENETUNREACH", "UND_ERR_CONNECT_TIMEOUT"])(
    "%s: the request certainly was not sent",
    (code) => {
      expect(isOutcomeUnknownTransportCode(code)).toBe(false);
      const error = toIntegrationError(Object.assign(new Error(code), { code }), "acme");
      expect([error.type, error.reason, error.retryable]).toEqual(["network", undefined, true]);
    },
  );

  it.each([
    "ECONNRESET",
    "ETIMEDOUT",
    "EPIPE",
    "UND_ERR_SOCKET",
    "UND_ERR_HEADERS_TIMEOUT",
    "TimeoutError",
    "EWHATEVER",
  ])("%s: the request may have been sent", (code) => expect(isOutcomeUnknownTransportCode(code)).toBe(true));
});

describe("transportErrorCode", () => {
  it.each([
    ["a plain error", new Error("boom")],
    ["an HTTP error", Object.assign(new Error("Not Found"), { status: 404 })],
    ["a non-transport code", Object.assign(new Error("bad"), { code: "ERR_INVALID_ARG_TYPE" })],
    ["a string", "ECONNREFUSED"],
    ["undefined", undefined],
  ])("finds nothing in %s", (_label, error) => {
    expect(transportErrorCode(error)).toBeUndefined();
  });

  it("follows causes at most five deep", () => {
    const nested = (depth: number): unknown => {
      let error: unknown = Object.assign(new Error("connect"), { code: "ENOTFOUND" });
      for (let i = 0; i < depth; i++) error = new Error(`wrapper ${i}`, { cause: error });
      return error;
    };
    expect(transportErrorCode(nested(5))).toBe("ENOTFOUND");
    expect(transportErrorCode(nested(6))).toBeUndefined();
  });

  it("survives a cause cycle", () => {
    const a = new Error("a");
    const b = new Error("b", { cause: a });
    Object.assign(a, { cause: b });
    expect(transportErrorCode(a)).toBeUndefined();
  });

  it("looks inside an AggregateError from happy-eyeballs connects", () => {
    const error = new TypeError("fetch failed", {
      cause: new AggregateError([Object.assign(new Error("connect"), { code: "EHOSTUNREACH" })]),
    });
    expect(transportErrorCode(error)).toBe("EHOSTUNREACH");
  });
});

describe("toIntegrationError", () => {
  it("returns an IntegrationError unchanged", () => {
    const original = new IntegrationError({ type: "schema", provider: "acme", message: "bad" });
    expect(toIntegrationError(original, "forge")).toBe(original);
  });

  it("treats Octokit's status-500 RequestError for a refused connection as network", async () => {
    const fetchError = await rejection(fetch(await closedPortUrl()));
    // What @octokit/request throws when fetch itself fails: a 500 with no response.
    const requestError = Object.assign(new Error("fetch failed", { cause: fetchError }), {
      name: "HttpError",
      status: 500,
    });
    const error = toIntegrationError(requestError, "forge");
    expect(error.type).toBe("network");
    expect(error.code).toBe("ECONNREFUSED");
    expect(error.cause).toBe(requestError);
  });

  it("trusts a real response over a transport-looking cause", () => {
    const sdkError = Object.assign(new Error("Bad Gateway"), {
      status: 502,
      response: { status: 502, headers: {} },
      cause: Object.assign(new Error("upstream reset"), { code: "ECONNRESET" }),
    });
    const error = toIntegrationError(sdkError, "forge");
    expect(error.type).toBe("upstream");
    expect(error.status).toBe(502);
  });

  it.each([
    ["a statusCode field", { message: "No such customer", statusCode: 404 }, 404, "schema"],
    [
      "axios's response.status",
      { message: "Unauthorized", response: { status: 401, headers: {} } },
      401,
      "auth",
    ],
    [
      "headers on the error itself",
      { message: "slow down", status: 429, headers: { "retry-after": "5" } },
      429,
      "rate-limit",
    ],
  ])("reads %s", (_label, sdkError, status, type) => {
    const error = toIntegrationError(sdkError, "acme", now);
    expect(error.status).toBe(status);
    expect(error.type).toBe(type);
  });

  it("takes retryAt from headers on the error itself", () => {
    const error = toIntegrationError(
      { message: "slow down", status: 429, headers: { "retry-after": "5" } },
      "x",
      now,
    );
    expect(error.retryAt).toEqual(at(5_000));
  });

  it.each([
    ["an Error", new Error("Unexpected token < in JSON"), "Unexpected token < in JSON"],
    ["a string", "something broke", "something broke"],
    ["a plain object", { reason: "weird" }, 'linear failed: {"reason":"weird"}'],
    ["null", null, "linear failed: null"],
  ])("turns %s into upstream with its message", (_label, thrown, message) => {
    const error = toIntegrationError(thrown, "linear");
    expect(error.type).toBe("upstream");
    expect(error.provider).toBe("linear");
    expect(error.message).toBe(message);
    expect(error.cause).toBe(thrown);
  });

  it("scrubs secrets from an unknown error's message", () => {
    const error = toIntegrationError(new Error("GET /me?access_token=abc123 failed"), "gmail");
    expect(error.message).toBe("GET /me?access_token=[REDACTED] failed");
  });
});

describe("transportErrorCode by message", () => {
  it.each([
    ["node:http's socket hang up", new Error("socket hang up")],
    ["undici's other side closed", new Error("other side closed")],
    ["undici's terminated body", new TypeError("terminated", { cause: new Error("closed") })],
  ])("reads %s as ECONNRESET", (_label, error) => {
    expect(transportErrorCode(error)).toBe("ECONNRESET");
  });

  it("does not read a longer message that merely contains 'terminated'", () => {
    expect(transportErrorCode(new Error("subscription terminated by admin"))).toBeUndefined();
  });
});

import type { LookupAddress } from "node:dns";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { EgressLookup } from "../src/egress/index";
import type { Vault } from "../src/testing/index";
import { runSteps } from "./helpers";

// The egress policy of `http.request`, against real loopback servers and a resolver that lies.
type Seen = { url: string; host: string | undefined; authorization: string | undefined };
const seen: Seen[] = [];
let script: ((req: IncomingMessage, res: ServerResponse) => void)[] = [];
let server: Server;
let port: number;

beforeAll(async () => {
  server = createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      seen.push({ url: req.url ?? "", host: req.headers.host, authorization: req.headers.authorization });
      const answer = script.shift();
      if (answer) return answer(req, res);
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ ok: true }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
beforeEach(() => {
  seen.length = 0;
  script = [];
});

/** A resolver where every `*.example.test` name is this machine: a public-looking name that resolves inside. */
const lyingLookup: EgressLookup = (hostname, _options, callback) => {
  if (hostname.endsWith(".example.test"))
    return callback(null, [{ address: "127.0.0.1", family: 4 } as LookupAddress]);
  callback(Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: "ENOTFOUND" }), []);
};

const TOKEN = "sk_test_egressSecret1234567890";
const vault: Vault = { "cred-api": { provider: "acme", type: "api_key", api_key: TOKEN } };
const http = (egress: object = {}) => ({
  http: {
    timeoutMs: 2_000,
    retry: { limit: 3, minTimeoutInMs: 10, maxTimeoutInMs: 50 },
    lookup: lyingLookup,
    egress,
  },
});

async function call(url: string, egress?: object, credential = false) {
  const { result, tasks } = await runSteps(
    [
      {
        id: "call",
        action: "http.request",
        inputs: { url },
        ...(credential && { credentialId: "cred-api" }),
      },
    ],
    { vault, providers: http(egress) },
  );
  const request = tasks.find((task) => task.id === "call/request");
  return { result, attempts: request?.attempts };
}

describe("http.request's egress policy", () => {
  it.each([
    ["loopback", () => `http://127.0.0.1:${port}/`],
    ["loopback as a decimal number", () => `http://2130706433:${port}/`],
    ["IPv6 loopback", () => `http://[::1]:${port}/`],
    ["IPv4-mapped IPv6 loopback", () => `http://[::ffff:127.0.0.1]:${port}/`],
    ["cloud metadata (link-local)", () => "http://169.254.169.254/latest/meta-data/"],
    ["a private network", () => "http://10.0.0.8/"],
    ["CGNAT", () => "http://100.64.0.1/"],
    ["unspecified", () => `http://0.0.0.0:${port}/`],
  ])("refuses %s before connecting, as a permanent schema error", async (_name, url) => {
    const { result, attempts } = await call(url());
    expect(result).toMatchObject({
      status: "failed",
      error: { type: "schema", reason: "egress_denied", retryable: false },
    });
    expect(attempts).toBe(1);
    expect(seen).toHaveLength(0);
  });

  it("refuses a public-looking name that resolves inside, at connect time (DNS rebinding included)", async () => {
    const { result } = await call(`http://api.example.test:${port}/`);
    expect(result).toMatchObject({ status: "failed", error: { reason: "egress_denied" } });
    if (result.status === "failed")
      expect(result.error.message).toMatch(/api\.example\.test: 127\.0\.0\.1 is a loopback address/);
    expect(seen).toHaveLength(0);
  });

  it("lets the operator allow a name or a range, and denies a listed one even when public", async () => {
    expect(
      (await call(`http://api.example.test:${port}/a`, { allow: ["api.example.test"] })).result.status,
    ).toBe("completed");
    expect((await call(`http://127.0.0.1:${port}/b`, { allow: ["127.0.0.0/8"] })).result.status).toBe(
      "completed",
    );
    expect(seen.map((s) => s.url)).toEqual(["/a", "/b"]);
    const denied = await call("http://93.184.216.34/", { deny: ["93.184.216.0/24"] });
    expect(denied.result).toMatchObject({ status: "failed", error: { reason: "egress_denied" } });
  });

  it("checks every redirect hop: an allowed host cannot send the request inside", async () => {
    script.push((_req, res) => res.writeHead(302, { location: `http://127.0.0.1:${port}/secret` }).end());
    const { result } = await call(`http://api.example.test:${port}/start`, { allow: ["api.example.test"] });
    expect(result).toMatchObject({ status: "failed", error: { reason: "egress_denied" } });
    expect(seen.map((s) => s.url)).toEqual(["/start"]);
  });

  it("follows allowed redirects, and drops the credential when one leaves the origin", async () => {
    script.push((_req, res) => res.writeHead(307, { location: "/same-origin" }).end());
    script.push((_req, res) =>
      res.writeHead(302, { location: `http://other.example.test:${port}/elsewhere` }).end(),
    );
    const allow = { allow: ["api.example.test", "other.example.test"] };
    const { result } = await call(`http://api.example.test:${port}/start`, allow, true);
    expect(result.status).toBe("completed");
    expect(seen.map((s) => [s.url, s.authorization !== undefined])).toEqual([
      ["/start", true],
      ["/same-origin", true],
      ["/elsewhere", false],
    ]);
  });

  it("stops after the redirect limit", async () => {
    for (let i = 0; i < 3; i++)
      script.push((_req, res) => res.writeHead(302, { location: `/hop-${i}` }).end());
    const { result } = await call(`http://api.example.test:${port}/`, {
      allow: ["api.example.test"],
      maxRedirects: 2,
    });
    expect(result).toMatchObject({ status: "failed", error: { reason: "egress_denied" } });
    if (result.status === "failed") expect(result.error.message).toMatch(/more than 2 redirects/);
  });

  it("reads at most the size cap: a larger answer is refused once, not retried, and not logged", async () => {
    const big = "x".repeat(64 * 1024);
    script.push((_req, res) => {
      res.writeHead(200, { "content-type": "text/plain" });
      res.end(big);
    });
    const { result, attempts } = await call(`http://api.example.test:${port}/big`, {
      allow: ["api.example.test"],
      maxResponseBytes: 16 * 1024,
    });
    expect(result).toMatchObject({
      status: "failed",
      error: { type: "schema", reason: "response_too_large" },
    });
    expect(attempts).toBe(1);
    expect(JSON.stringify(result)).not.toContain(big.slice(0, 100));
  });
});

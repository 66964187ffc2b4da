import type { LookupAddress } from "node:dns";
import { describe, expect, it } from "vitest";
import type { EgressLookup } from "../src/egress/index";
import type { Vault } from "../src/testing/index";
import { runSteps } from "./helpers";
import { useScriptedServer } from "./scripted-server";

// The egress policy of `http.request`, against real loopback servers and a resolver that lies.
const server = useScriptedServer();

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
    ["loopback", () => `http://127.0.0.1:${server.port}/`],
    ["loopback as a decimal number", () => `http://2130706433:${server.port}/`],
    ["IPv6 loopback", () => `http://[::1]:${server.port}/`],
    ["IPv4-mapped IPv6 loopback", () => `http://[::ffff:127.0.0.1]:${server.port}/`],
    ["cloud metadata (link-local)", () => "http://169.254.169.254/latest/meta-data/"],
    ["a private network", () => "http://10.0.0.8/"],
    ["CGNAT", () => "http://100.64.0.1/"],
    ["unspecified", () => `http://0.0.0.0:${server.port}/`],
  ])("refuses %s before connecting, as a permanent schema error", async (_name, url) => {
    const { result, attempts } = await call(url());
    expect(result).toMatchObject({
      status: "failed",
      error: { type: "schema", reason: "egress_denied", retryable: false },
    });
    expect(attempts).toBe(1);
    expect(server.seen).toHaveLength(0);
  });

  it("refuses a public-looking name that resolves inside, at connect time (DNS rebinding included)", async () => {
    const { result } = await call(`http://api.example.test:${server.port}/`);
    expect(result).toMatchObject({ status: "failed", error: { reason: "egress_denied" } });
    if (result.status === "failed")
      expect(result.error.message).toMatch(/api\.example\.test: 127\.0\.0\.1 is a loopback address/);
    expect(server.seen).toHaveLength(0);
  });

  it("lets the operator allow a name or a range, and denies a listed one even when public", async () => {
    expect(
      (await call(`http://api.example.test:${server.port}/a`, { allow: ["api.example.test"] })).result.status,
    ).toBe("completed");
    expect((await call(`http://127.0.0.1:${server.port}/b`, { allow: ["127.0.0.0/8"] })).result.status).toBe(
      "completed",
    );
    expect(server.seen.map((s) => s.url)).toEqual(["/a", "/b"]);
    const denied = await call("http://93.184.216.34/", { deny: ["93.184.216.0/24"] });
    expect(denied.result).toMatchObject({ status: "failed", error: { reason: "egress_denied" } });
  });

  it("checks every redirect hop: an allowed host cannot send the request inside", async () => {
    server.script.push((_req, res) =>
      res.writeHead(302, { location: `http://127.0.0.1:${server.port}/secret` }).end(),
    );
    const { result } = await call(`http://api.example.test:${server.port}/start`, {
      allow: ["api.example.test"],
    });
    expect(result).toMatchObject({ status: "failed", error: { reason: "egress_denied" } });
    expect(server.seen.map((s) => s.url)).toEqual(["/start"]);
  });

  it("follows allowed redirects, and drops the credential when one leaves the origin", async () => {
    server.script.push((_req, res) => res.writeHead(307, { location: "/same-origin" }).end());
    server.script.push((_req, res) =>
      res.writeHead(302, { location: `http://other.example.test:${server.port}/elsewhere` }).end(),
    );
    const allow = { allow: ["api.example.test", "other.example.test"] };
    const { result } = await call(`http://api.example.test:${server.port}/start`, allow, true);
    expect(result.status).toBe("completed");
    expect(server.seen.map((s) => [s.url, s.headers.authorization !== undefined])).toEqual([
      ["/start", true],
      ["/same-origin", true],
      ["/elsewhere", false],
    ]);
  });

  it("stops after the redirect limit", async () => {
    for (let i = 0; i < 3; i++)
      server.script.push((_req, res) => res.writeHead(302, { location: `/hop-${i}` }).end());
    const { result } = await call(`http://api.example.test:${server.port}/`, {
      allow: ["api.example.test"],
      maxRedirects: 2,
    });
    expect(result).toMatchObject({ status: "failed", error: { reason: "egress_denied" } });
    if (result.status === "failed") expect(result.error.message).toMatch(/more than 2 redirects/);
  });

  it("reads at most the size cap: a larger answer is refused once, not retried, and not logged", async () => {
    const big = "x".repeat(64 * 1024);
    server.script.push((_req, res) => {
      res.writeHead(200, { "content-type": "text/plain" });
      res.end(big);
    });
    const { result, attempts } = await call(`http://api.example.test:${server.port}/big`, {
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

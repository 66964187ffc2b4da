import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { EmulatorServer } from "../src/shared/emulator-server";

let server: EmulatorServer;
let url: string;

beforeEach(async () => {
  server = new EmulatorServer({
    name: "test",
    rateLimitResponse: ({ retryAfterSeconds }) => ({
      status: 429,
      headers: { "retry-after": String(retryAfterSeconds) },
      body: { error: "slow down" },
    }),
  });
  server.route("POST", "/items/:id", (req) => ({
    status: 201,
    body: { id: req.params.id, got: req.body, bearer: req.bearer },
  }));
  server.route("GET", "/items/:id", (req) => ({ body: { id: req.params.id, q: req.query.get("q") } }));
  server.route("GET", "/boom", () => {
    throw new Error("handler failed");
  });
  url = await server.start();
});
afterEach(() => server.stop());

describe("EmulatorServer", () => {
  it("routes with params, parses JSON and form bodies, and logs every request", async () => {
    const json = await fetch(`${url}/items/a%2Fb`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: "Bearer tok-1" },
      body: JSON.stringify({ n: 1 }),
    });
    expect(json.status).toBe(201);
    expect(await json.json()).toEqual({ id: "a/b", got: { n: 1 }, bearer: "tok-1" });

    const form = await fetch(`${url}/items/2`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "channel=C1&text=hi",
    });
    expect(((await form.json()) as { got: unknown }).got).toEqual({ channel: "C1", text: "hi" });

    expect(await (await fetch(`${url}/items/3?q=x`)).json()).toEqual({ id: "3", q: "x" });
    expect(server.requests.map((r) => [r.method, r.path, r.outcome])).toEqual([
      ["POST", "/items/a%2Fb", 201],
      ["POST", "/items/2", 201],
      ["GET", "/items/3", 200],
    ]);
    expect(server.requests[0]?.headers.authorization).toBe("Bearer tok-1");
  });

  it("answers 404 for unknown paths, 405 for a wrong method, and 500 when a handler throws", async () => {
    expect((await fetch(`${url}/nope`)).status).toBe(404);
    expect((await fetch(`${url}/items/1`, { method: "DELETE" })).status).toBe(405);
    const boom = await fetch(`${url}/boom`);
    expect(boom.status).toBe(500);
    expect(((await boom.json()) as { message: string }).message).toContain("handler failed");
  });

  it("fails exactly the next N matching requests with the given answer", async () => {
    server.faults.failNext(2, { status: 503, body: { message: "down" } }, { method: "GET" });
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await fetch(`${url}/items/${i}`)).status);
    expect(statuses).toEqual([503, 503, 200]);
    expect((await fetch(`${url}/items/9`, { method: "POST" })).status).toBe(201);
  });

  it("matches faults by path pattern", async () => {
    server.faults.failNext(1, { status: 500 }, { path: /^\/items\/7$/ });
    expect((await fetch(`${url}/items/1`)).status).toBe(200);
    expect((await fetch(`${url}/items/7`)).status).toBe(500);
  });

  it("resets a connection mid-body", async () => {
    server.faults.resetNext(1);
    const response = await fetch(`${url}/items/1`);
    expect(response.status).toBe(200);
    await expect(response.text()).rejects.toThrow();
    expect(server.requests.at(-1)?.outcome).toBe("reset");
    expect((await fetch(`${url}/items/1`)).status).toBe(200);
  });

  it("hangs a request until the client times out", async () => {
    server.faults.hangNext(1);
    await expect(fetch(`${url}/items/1`, { signal: AbortSignal.timeout(100) })).rejects.toThrow();
    expect((await fetch(`${url}/items/1`)).status).toBe(200);
  });

  it("drops a connection before any answer", async () => {
    server.faults.dropNext(1);
    await expect(fetch(`${url}/items/1`)).rejects.toThrow(/fetch failed/);
  });

  it("adds latency", async () => {
    server.faults.latency(80);
    const started = performance.now();
    await fetch(`${url}/items/1`);
    expect(performance.now() - started).toBeGreaterThanOrEqual(75);
  });

  it("enforces a rate limit per window, answering as the provider does", async () => {
    server.faults.rateLimit({ limit: 3, windowMs: 60_000 });
    const answers = [];
    for (let i = 0; i < 5; i++) {
      const response = await fetch(`${url}/items/${i}`);
      answers.push([response.status, response.headers.get("retry-after")]);
    }
    expect(answers.slice(0, 3)).toEqual([
      [200, null],
      [200, null],
      [200, null],
    ]);
    expect(answers[3]?.[0]).toBe(429);
    expect(Number(answers[3]?.[1])).toBeGreaterThan(50);
    expect(Number(answers[3]?.[1])).toBeLessThanOrEqual(60);
  });

  it("refuses connections on demand and accepts them again on the same port", async () => {
    await server.refuseConnections();
    const error = await fetch(`${url}/items/1`).catch((e: Error) => e);
    expect((error as Error & { cause?: { code?: string } }).cause?.code).toBe("ECONNREFUSED");
    await server.acceptConnections();
    expect(server.url).toBe(url);
    expect((await fetch(`${url}/items/1`)).status).toBe(200);
  });

  it("clears every fault at once", async () => {
    server.faults.failNext(5, { status: 500 }).latency(1_000).rateLimit({ limit: 0, windowMs: 60_000 });
    server.faults.clear();
    expect((await fetch(`${url}/items/1`)).status).toBe(200);
  });
});

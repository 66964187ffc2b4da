import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Vault } from "../src/testing/index";
import { httpRegistry, runSteps } from "./helpers";

// http.request against a small local server: real sockets, scripted answers.
type Seen = { method: string; url: string; headers: IncomingMessage["headers"]; body: string };
const seen: Seen[] = [];
let script: ((req: Seen, res: ServerResponse) => void)[] = [];
let server: Server;
let base: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk) => {
      body += chunk;
    });
    req.on("end", () => {
      const request = { method: req.method ?? "", url: req.url ?? "", headers: req.headers, body };
      seen.push(request);
      const answer =
        script.shift() ??
        ((r: Seen, out: ServerResponse) => {
          out.writeHead(200, { "content-type": "application/json" });
          out.end(
            JSON.stringify({
              echo: r.body === "" ? null : JSON.parse(r.body),
              auth: r.headers.authorization,
            }),
          );
        });
      answer(request, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
beforeEach(() => {
  seen.length = 0;
  script = [];
});

const TOKEN = "sk_test_httpStepSecret123456";
const vault: Vault = { "cred-api": { provider: "acme", type: "api_key", api_key: TOKEN } };
// The test server is on loopback, which the egress policy refuses unless an operator allows it.
const providers = {
  http: {
    timeoutMs: 2_000,
    retry: { limit: 3, minTimeoutInMs: 10, maxTimeoutInMs: 50 },
    egress: { allow: ["127.0.0.1/32"] },
  },
};

describe("http.request", () => {
  it("publishes its form: the url required, the method's default, two examples", () => {
    const [metadata] = httpRegistry.list();
    expect(metadata?.inputSchema).toMatchObject({
      required: ["url"],
      properties: { method: { default: "GET" }, url: { type: "string", format: "uri" } },
      examples: [{ url: "https://api.example.com/v1/status" }, expect.objectContaining({ method: "POST" })],
    });
  });

  it("sends a JSON body with the credential as a Bearer header and returns status, headers and parsed body", async () => {
    const { result, tasks } = await runSteps(
      [
        {
          id: "call",
          action: "http.request",
          inputs: { method: "POST", url: `${base}/things`, body: { name: "widget" } },
          credentialId: "cred-api",
        },
      ],
      { vault, providers },
    );
    expect(result.status).toBe("completed");
    const output = result.status === "completed" ? result.output.steps[0]?.output : undefined;
    expect(output).toMatchObject({
      status: 200,
      headers: { "content-type": "application/json" },
      body: { echo: { name: "widget" } },
    });
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ method: "POST", url: "/things", body: '{"name":"widget"}' });
    expect(seen[0]?.headers).toMatchObject({
      authorization: `Bearer ${TOKEN}`,
      "content-type": "application/json",
    });
    expect(tasks.map((t) => [t.id, t.icon, t.status])).toEqual([
      ["call", "http", "completed"],
      ["call/request", "http", "completed"],
    ]);
    // The server echoed the credential; the task log holds it nowhere.
    expect(JSON.stringify(tasks)).not.toContain(TOKEN);
    expect(JSON.stringify(result)).not.toContain(TOKEN);
  });

  it("runs without a credential, and redacts secret headers the step sets itself from the task log", async () => {
    const { result, tasks } = await runSteps(
      [
        {
          id: "call",
          action: "http.request",
          inputs: {
            url: `${base}/status`,
            headers: { "Private-Token": "glpat-abcdefghijklmnop", "X-Request-Id": "r-1" },
          },
        },
      ],
      { vault, providers },
    );
    expect(result.status).toBe("completed");
    expect(seen[0]?.headers).toMatchObject({
      "private-token": "glpat-abcdefghijklmnop",
      "x-request-id": "r-1",
    });
    expect(seen[0]?.headers.authorization).toBeUndefined();
    const request = tasks.find((t) => t.id === "call/request");
    expect(request?.params).toMatchObject({
      method: "GET",
      headers: { "private-token": "[REDACTED]", "x-request-id": "r-1" },
    });
    expect(JSON.stringify(tasks)).not.toContain("glpat-abcdefghijklmnop");
  });

  it("retries a 500 as upstream and completes on the next attempt", async () => {
    script = [
      (_r, res) => {
        res.writeHead(500, { "content-type": "application/json" });
        res.end('{"error":"boom"}');
      },
    ];
    const { result, tasks } = await runSteps(
      [{ id: "call", action: "http.request", inputs: { url: `${base}/flaky` }, credentialId: "cred-api" }],
      { vault, providers },
    );
    expect(result.status).toBe("completed");
    expect(seen).toHaveLength(2);
    expect(tasks.find((t) => t.id === "call/request")).toMatchObject({ status: "completed", attempts: 2 });
  });

  it("fails a 404 as schema after one attempt, naming the status", async () => {
    script = [
      (_r, res) => {
        res.writeHead(404, { "content-type": "text/plain" });
        res.end("no such thing");
      },
    ];
    const { result, tasks } = await runSteps(
      [{ id: "call", action: "http.request", inputs: { url: `${base}/missing` }, credentialId: "cred-api" }],
      { vault, providers },
    );
    expect(result.status).toBe("failed");
    if (result.status !== "failed") return;
    expect(result.error).toMatchObject({ type: "schema", provider: "http", status: 404 });
    expect(result.error.message).toContain("responded 404: no such thing");
    expect(seen).toHaveLength(1);
    expect(tasks.find((t) => t.id === "call/request")).toMatchObject({ status: "failed", attempts: 1 });
  });

  it("an error answer that echoes the credential fails without the credential in the log", async () => {
    script = [
      (r, res) => {
        res.writeHead(400, { "content-type": "application/json" });
        res.end(JSON.stringify({ error: "bad request", received: r.headers.authorization }));
      },
    ];
    const { result, tasks, store, runId } = await runSteps(
      [{ id: "call", action: "http.request", inputs: { url: `${base}/bad` }, credentialId: "cred-api" }],
      { vault, providers },
    );
    expect(result).toMatchObject({ status: "failed", error: { type: "schema", status: 400 } });
    expect(JSON.stringify({ tasks, run: await store.loadRun(runId), result })).not.toContain(TOKEN);
  });

  it("sends an api_key under a custom header when authHeader names one", async () => {
    await runSteps(
      [
        {
          id: "call",
          action: "http.request",
          inputs: { url: `${base}/keyed`, authHeader: "X-Api-Key" },
          credentialId: "cred-api",
        },
      ],
      { vault, providers },
    );
    expect(seen[0]?.headers["x-api-key"]).toBe(TOKEN);
    expect(seen[0]?.headers.authorization).toBeUndefined();
  });
});

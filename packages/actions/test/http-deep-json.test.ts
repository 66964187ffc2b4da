import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runSteps } from "./helpers";

// A server anyone can point a step at may answer JSON nested deeply enough to overflow the stack of
// everything that walks it after parsing (the task log, the run view): the step must still finish.
const DEPTH = 30_000;
const deepJson = `{"data":${"[".repeat(DEPTH)}${"]".repeat(DEPTH)}}`;
let server: Server;
let base: string;

beforeAll(async () => {
  server = createServer((_request, response) => {
    response.writeHead(200, { "content-type": "application/json" });
    response.end(deepJson);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe("http.request and a deeply nested JSON answer", () => {
  it("completes with the body as text instead of failing on a stack overflow", async () => {
    const { result } = await runSteps(
      [{ id: "call", action: "http.request", inputs: { url: `${base}/deep` } }],
      {
        vault: {},
        providers: { http: { timeoutMs: 2_000, egress: { allow: ["127.0.0.1/32"] } } },
      },
    );
    expect(result.status).toBe("completed");
    const output = result.status === "completed" ? result.output.steps[0]?.output : undefined;
    expect(output).toMatchObject({ status: 200, body: deepJson });
  });
});

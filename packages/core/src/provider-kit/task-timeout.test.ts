import type { ServerResponse } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defineJob } from "../runtime/job";
import { MemoryTaskStore } from "../runtime/memory-task-store";
import { JobRunner } from "../runtime/runner";
import { createTestClock } from "../testing/test-clock";
import { Acme, startAcmeServer } from "./__fixtures__/acme-sdk";

// The fake API holds the answer to the write (the request arrived, so the provider may have acted): a task
// timeout then is an unknown outcome, and the kit's undeclared write is not repeated.
let api: Awaited<ReturnType<typeof startAcmeServer>>;
const held: ServerResponse[] = [];
beforeAll(async () => {
  api = await startAcmeServer();
});
afterAll(async () => {
  for (const response of held) response.end();
  await api.stop();
});

describe("a provider task's timeoutMs", () => {
  it("after the request was sent: network, code timeout, outcome_unknown, not repeated", async () => {
    api.next((_request, response) => {
      held.push(response);
      return true;
    });
    const acme = new Acme({ id: "acme", token: "acme_tok_timeout1", baseUrl: api.url });
    const job = defineJob({
      id: "held",
      integrations: { acme },
      run: async (_p, io) =>
        // Long enough for the request to reach the fake API on a loaded machine: the answer never comes anyway.
        io.acme.runTask("hold", (client) => client.widgets.create({ name: "x" }), { timeoutMs: 2_000 }),
    });
    const store = new MemoryTaskStore();
    const runner = new JobRunner({ store, clock: createTestClock(), logger: false });
    const result = await runner.run(job);
    expect(result).toMatchObject({
      status: "failed",
      error: {
        type: "network",
        code: "timeout",
        reason: "outcome_unknown",
        provider: "acme",
        retryable: false,
      },
    });
    if (result.status !== "failed") return;
    expect(result.error.message).toMatch(/may have happened/);
    expect(api.requests.filter((r) => r.method === "POST")).toHaveLength(1);
  });
});

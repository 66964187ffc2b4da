import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defineJob } from "../runtime/job";
import { MemoryTaskStore } from "../runtime/memory-task-store";
import { type AuthResolver, JobRunner } from "../runtime/runner";
import type { TaskStore } from "../runtime/task-store";
import { Acme, startAcmeServer } from "./__fixtures__/acme-sdk";

// A provider task's record → resource mappings, through the kit: scoped by provider and connection, shared by
// every run of the store, and refused (not silently skipped) on a store that keeps none.

let api: Awaited<ReturnType<typeof startAcmeServer>>;
beforeAll(async () => {
  api = await startAcmeServer();
});
afterAll(() => api.stop());

let runs = 0;
async function claimIn(store: TaskStore, acme: Acme, externalId: string, resolveAuth?: AuthResolver) {
  const job = defineJob({
    id: "mappings",
    integrations: { acme },
    run: async (_payload, io) =>
      io.acme.runTask(
        "sync",
        async (_client, _task, _io, run) => {
          const widgets = run.mappings("widgets");
          const claim = await widgets.claim(externalId);
          if (claim.status === "claimed") await widgets.record(externalId, `widget-of-${externalId}-${runs}`);
          return claim;
        },
        { name: "Sync", idempotency: "idempotent" },
      ),
  });
  const runner = new JobRunner({ store, logger: false, ...(resolveAuth && { resolveAuth }) });
  const result = await runner.run(job, { runId: `mappings-${++runs}` });
  return { ...result, output: result.status === "completed" ? result.output : undefined };
}

const local = (token: string) => new Acme({ id: "acme", token, baseUrl: api.url });
const hosted = () => new Acme({ id: "acme", baseUrl: api.url });

describe("connection mappings", () => {
  it("are shared by the runs of one connection, and another connection's are its own", async () => {
    const store = new MemoryTaskStore();
    const first = await claimIn(store, local("acme_tok_mapone000"), "ext-1");
    expect(first).toMatchObject({ status: "completed", output: { status: "claimed", fresh: true } });
    const again = await claimIn(store, local("acme_tok_mapone000"), "ext-1");
    expect(again.output).toEqual({ status: "mapped", resourceId: `widget-of-ext-1-${runs - 1}` });
    // Another token is another connection: it does not see the first's mapping.
    const other = await claimIn(store, local("acme_tok_maptwo000"), "ext-1");
    expect(other.output).toEqual({ status: "claimed", fresh: true });
  });

  it("follow a service connection through token refreshes (scoped by its id, not its token)", async () => {
    const store = new MemoryTaskStore();
    let issued = 0;
    const connection =
      (connectionId: string): AuthResolver =>
      () => ({ type: "oauth2", accessToken: `acme_tok_rotated${++issued}0`, connectionId });
    await claimIn(store, hosted(), "ext-2", connection("c1"));
    const refreshed = await claimIn(store, hosted(), "ext-2", connection("c1"));
    expect(refreshed.output).toMatchObject({ status: "mapped" });
    // Another user's connection to the same account is another scope: nothing of c1's reaches it.
    const otherUser = await claimIn(store, hosted(), "ext-2", connection("c2"));
    expect(otherUser.output).toEqual({ status: "claimed", fresh: true });
  });

  it("fail the task, saying why, on a task store that keeps none; and refuse an over-long external id", async () => {
    const memory = new MemoryTaskStore();
    const bare: TaskStore = {
      loadRun: (id) => memory.loadRun(id),
      saveRun: (run) => memory.saveRun(run),
      saveTask: (task) => memory.saveTask(task),
      listRuns: (options) => memory.listRuns(options),
      requestCancel: (id, at) => memory.requestCancel(id, at),
      isCancelRequested: (id) => memory.isCancelRequested(id),
      listDueRuns: (now, limit) => memory.listDueRuns(now, limit),
      close: () => memory.close(),
    };
    const refused = await claimIn(bare, local("acme_tok_mapbare00"), "ext-3");
    expect(refused).toMatchObject({
      status: "failed",
      error: { type: "schema", message: expect.stringMatching(/task store has none/) },
    });
    const tooLong = await claimIn(new MemoryTaskStore(), local("acme_tok_mapbare00"), "x".repeat(256));
    expect(tooLong).toMatchObject({
      status: "failed",
      error: { type: "schema", message: expect.stringMatching(/externalId must be 1 to 255 characters/) },
    });
  });
});

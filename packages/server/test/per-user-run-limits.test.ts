import { createActionRegistry, defineAction } from "@autoflow/actions";
import { IntegrationError, JobRunner } from "@autoflow/core";
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { InProcessRunQueue } from "../src/queue/in-process-run-queue";
import { openStores, type Stores } from "../src/stores/open-stores";
import { generateVaultKey, Vault } from "../src/vault/vault";
import { createWorkflowService, type WorkflowService } from "../src/workflow-service";
import {
  createTestSchema,
  TEST_DATABASE_URL,
  type TestSchema,
  warnIfNoPostgres,
} from "./postgres-test-schema";
import { removeTempDirs, tempSqlitePath } from "./sqlite-temp";
import { until } from "./until";

warnIfNoPostgres("per-user run limit");
afterAll(removeTempDirs);

/**
 * A step that waits until the test lets it finish, so a run stays in flight for as long as the test wants; it
 * counts, per tenant, how many are executing at once.
 */
function heldSteps() {
  const release = new Map<string, () => void>();
  const executing = new Map<string, number>();
  const mostAtOnce = new Map<string, number>();
  const started: string[] = [];
  const action = defineAction({
    key: "test.hold",
    name: "Hold",
    provider: "test",
    authType: "api_key",
    credential: { optional: true },
    inputSchema: z.object({ label: z.string() }),
    examples: [{ label: "first" }],
    run: async ({ inputs, tenantId }) => {
      started.push(inputs.label);
      const now = (executing.get(tenantId) ?? 0) + 1;
      executing.set(tenantId, now);
      mostAtOnce.set(tenantId, Math.max(mostAtOnce.get(tenantId) ?? 0, now));
      await new Promise<void>((resolve) => release.set(inputs.label, resolve));
      executing.set(tenantId, (executing.get(tenantId) ?? 1) - 1);
      return { label: inputs.label };
    },
  });
  return {
    registry: createActionRegistry([action]),
    started,
    mostAtOnce,
    waitingFor: () => [...release.keys()],
    release(label: string) {
      const resolve = release.get(label);
      if (!resolve) throw new Error(`${label} is not executing`);
      release.delete(label);
      resolve();
    },
  };
}

describe.each(["sqlite", "postgres"] as const)("per-user runs in flight on %s", (kind) => {
  describe.skipIf(kind === "postgres" && !TEST_DATABASE_URL)("", () => {
    let stores: Stores;
    let schema: TestSchema | undefined;
    let service: WorkflowService;
    let steps: ReturnType<typeof heldSteps>;
    let tick = Date.parse("2030-01-01T00:00:00Z");

    beforeEach(async () => {
      const vault = Vault.fromEnv({ AUTOFLOW_VAULT_KEY: generateVaultKey() });
      schema = kind === "postgres" ? await createTestSchema() : undefined;
      stores = await openStores({
        vault,
        ...(schema && TEST_DATABASE_URL
          ? { databaseUrl: TEST_DATABASE_URL, postgres: { options: schema.searchPathOption } }
          : { sqlitePath: tempSqlitePath() }),
      });
      steps = heldSteps();
      service = createWorkflowService({
        workflows: stores.workflows,
        tasks: stores.tasks,
        runner: new JobRunner({ store: stores.tasks }),
        // More workers than the user may use: the per-user limit, not the queue, is what holds runs back.
        queue: new InProcessRunQueue({ concurrency: 8 }),
        lifecycles: {},
        registry: steps.registry,
        limits: { maxRunsInFlightPerUser: 2 },
        // Deferred runs go oldest first by their stored time, which has millisecond precision: a clock that ticks
        // on every reading gives each run its own moment however fast the test starts them.
        clock: { now: () => (tick += 1), sleep: async () => {} },
      });
      await service.work();
    });
    afterEach(async () => {
      // Runs still starting reach the held step after close begins: keep letting them finish until it is done.
      let closed = false;
      const closing = service.close().then(() => {
        closed = true;
      });
      while (!closed) {
        for (const label of steps.waitingFor()) steps.release(label);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      await closing;
      await stores.close();
      await schema?.drop();
    });

    const holdWorkflow = (userId: string) =>
      service.create(userId, {
        steps: [{ id: "hold", action: "test.hold", inputs: { label: "{{trigger.label}}" } }],
      });

    it("refuses a user's start past the limit as a rate-limit error, while another user still starts", async () => {
      const workflow = await holdWorkflow("user-a");
      await service.start("user-a", workflow.id, { label: "a1" });
      await service.start("user-a", workflow.id, { label: "a2" });
      const refused = await service.start("user-a", workflow.id, { label: "a3" }).catch((error) => error);
      expect(IntegrationError.isInstance(refused)).toBe(true);
      expect(refused).toMatchObject({ type: "rate-limit", code: "too_many_runs_in_flight" });
      expect(String(refused.message)).toMatch(/2 of your workflow runs are queued, running or waiting/);

      const other = await holdWorkflow("user-b");
      await expect(service.start("user-b", other.id, { label: "b1" })).resolves.toMatchObject({
        runId: expect.any(String),
      });

      // A finished run frees its place.
      await until(() => steps.waitingFor().includes("a1"), "a1 to execute");
      steps.release("a1");
      await until(async () => (await stores.workflows.countRunsInFlight("user-a")) === 1, "a1 to finish");
      await expect(service.start("user-a", workflow.id, { label: "a4" })).resolves.toBeDefined();
    });

    it("stores a webhook's runs past the limit as deferred, never drops one, and starts them oldest first as places free", async () => {
      const workflow = await holdWorkflow("user-a");
      const labels = ["t1", "t2", "t3", "t4", "t5"];
      const runIds: string[] = [];
      for (const label of labels) {
        const started = await service.start("user-a", workflow.id, { label }, { source: "trigger" });
        runIds.push(started?.runId ?? "");
      }
      const statuses = async () =>
        Promise.all(runIds.map(async (runId) => (await stores.workflows.getRunRecord(runId))?.status));
      expect((await statuses()).slice(2)).toEqual(["deferred", "deferred", "deferred"]);
      expect(await stores.workflows.countRunsInFlight("user-a")).toBe(2);
      const view = await service.getRun("user-a", runIds[4] ?? "");
      expect(view?.status).toBe("deferred");

      await until(() => steps.waitingFor().length === 2, "two runs executing");
      for (let done = 0; done < labels.length; done++) {
        const oldest = steps.waitingFor()[0] ?? "";
        steps.release(oldest);
        const left = labels.length - done - 1;
        await until(() => steps.waitingFor().length === Math.min(2, left), `${Math.min(2, left)} executing`);
      }
      await until(
        async () => (await statuses()).every((status) => status === "completed"),
        "every deferred run to complete",
      );
      expect(steps.started).toEqual(labels);
      expect(steps.mostAtOnce.get("user-a")).toBe(2);
    });
  });
});

import type { Workflow } from "@autoflow/actions";
import { afterAll, describe, expect, it } from "vitest";
import { PostgresWorkflowStore } from "../src/stores/postgres-workflow-store";
import { SqliteWorkflowStore } from "../src/stores/sqlite-workflow-store";
import { createTriggeredWorkflowCache } from "../src/stores/triggered-workflow-cache";
import type { WorkflowRecord, WorkflowStore } from "../src/stores/workflow-store";
import { TEST_DATABASE_URL, useMigratedTestSchema, warnIfNoPostgres } from "./postgres-test-schema";
import { removeTempDirs, tempSqlitePath } from "./sqlite-temp";

afterAll(removeTempDirs);
warnIfNoPostgres("triggered-workflow cache");

const AT = "2025-01-15T12:00:00.000Z";

function workflow(id: string, triggerKey?: string): WorkflowRecord {
  const definition: Workflow = {
    id,
    ...(triggerKey && { trigger: { key: triggerKey } }),
    steps: [{ id: "log", action: "core.log", inputs: { message: "hi" } }],
  };
  return { id, userId: "user-1", definition, createdAt: AT, updatedAt: AT };
}

const ids = (records: readonly WorkflowRecord[]) => records.map((record) => record.id);

/**
 * The cache over one store instance sees what ANOTHER instance on the same database (a second process) writes,
 * once revalidated; between revalidations it does not ask the store again.
 */
function describeCache(name: string, open: () => Promise<{ one: WorkflowStore; another: WorkflowStore }>) {
  describe(`triggered-workflow cache: ${name}`, () => {
    it("is revalidated by the workflows version, whichever instance wrote the workflow", async () => {
      const { one, another } = await open();
      let listed = 0;
      const counting: WorkflowStore = Object.assign(Object.create(one) as WorkflowStore, {
        listTriggeredWorkflows: (provider: string) => {
          listed++;
          return one.listTriggeredWorkflows(provider);
        },
      });
      const cache = createTriggeredWorkflowCache(counting);
      try {
        await cache.revalidate();
        expect(await cache.list("github")).toEqual([]);
        expect(await cache.list("github")).toEqual([]);
        expect(listed).toBe(1);

        // Created through another instance after the cache was filled: found after the next revalidation.
        await another.saveWorkflow(workflow("wf-created", "github.issueOpened"));
        await another.saveWorkflow(workflow("wf-untriggered"));
        await cache.revalidate();
        expect(ids(await cache.list("github"))).toEqual(["wf-created"]);
        expect(listed).toBe(2);

        // Nothing written: the cached list stands.
        await cache.revalidate();
        expect(ids(await cache.list("github"))).toEqual(["wf-created"]);
        expect(listed).toBe(2);

        // Changed to another provider's trigger, then removed, by the other instance.
        await another.updateWorkflow({
          ...workflow("wf-created", "slack.messagePosted"),
          updatedAt: "2025-01-15T12:01:00.000Z",
        });
        await cache.revalidate();
        expect(await cache.list("github")).toEqual([]);
        expect(ids(await cache.list("slack"))).toEqual(["wf-created"]);
        await another.deleteWorkflow("user-1", "wf-created");
        await cache.revalidate();
        expect(await cache.list("slack")).toEqual([]);
      } finally {
        await one.close();
        await another.close();
      }
    });

    it("reads the store every time until it was revalidated once", async () => {
      const { one, another } = await open();
      const cache = createTriggeredWorkflowCache(one);
      try {
        expect(await cache.list("github")).toEqual([]);
        await another.saveWorkflow(workflow("wf-early", "github.issueOpened"));
        expect(ids(await cache.list("github"))).toEqual(["wf-early"]);
      } finally {
        await one.close();
        await another.close();
      }
    });
  });
}

describeCache("SQLite, two stores on one file", async () => {
  const path = tempSqlitePath();
  return { one: new SqliteWorkflowStore({ path }), another: new SqliteWorkflowStore({ path }) };
});

describe.skipIf(!TEST_DATABASE_URL)("PostgreSQL", () => {
  const schema = useMigratedTestSchema();
  describeCache("PostgreSQL, two stores on separate pools", async () => {
    await schema.pool.query("TRUNCATE autoflow_workflows");
    return {
      one: await PostgresWorkflowStore.open({ pool: schema.newPool(), skipMigrations: true }),
      another: await PostgresWorkflowStore.open({ pool: schema.newPool(), skipMigrations: true }),
    };
  });
});

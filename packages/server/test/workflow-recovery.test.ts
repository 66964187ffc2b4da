import { SlackEmulator } from "@autoflow/emulators";
import { afterAll, describe, expect, it } from "vitest";
import { startServer } from "../src/server";
import { openStores } from "../src/stores/open-stores";
import { WORKFLOW_JOB_ID } from "../src/workflow-service";
import { startTestServer } from "./http-server";
import { removeTempDirs } from "./sqlite-temp";
import { until } from "./until";

afterAll(removeTempDirs);

describe("the embedded (SQLite) service after a stop mid-run", () => {
  it("resumes at start the runs its run index shows queued or running, each once", async () => {
    const slack = new SlackEmulator();
    await slack.start();
    const t = await startTestServer("sqlite", { AUTOFLOW_SLACK_API_URL: slack.apiUrl });
    const connected = await t.call("POST", "/api/integrations/slack/connections", {
      body: { accessToken: slack.mintToken() },
    });
    expect(connected.status).toBe(201);
    const created = await t.call("POST", "/api/workflows", {
      body: {
        steps: [
          {
            id: "say",
            action: "slack.sendMessage",
            inputs: { channel: "C01GENERAL", text: "{{trigger.text}}" },
            credentialId: "slack",
          },
        ],
      },
    });
    const workflow = created.json as { id: string; steps: unknown[] };
    await t.server.close();

    // What a process killed between storing two runs and executing them leaves: one queued, one taken.
    const stores = await openStores({ vault: t.config.vault, sqlitePath: t.config.sqlitePath });
    const at = new Date().toISOString();
    for (const [runId, status, text] of [
      ["run_left_queued", "queued", "left queued"],
      ["run_left_running", "running", "left running"],
    ] as const) {
      await stores.tasks.saveRun({
        id: runId,
        jobId: WORKFLOW_JOB_ID,
        status: "running",
        payload: {
          tenantId: "user-a",
          workflowId: workflow.id,
          steps: workflow.steps,
          trigger: { text },
        } as never,
        createdAt: at,
        updatedAt: at,
      });
      await stores.workflows.addRun({
        runId,
        userId: "user-a",
        workflowId: workflow.id,
        status,
        source: "api",
        createdAt: at,
        updatedAt: at,
      });
    }
    await stores.close();

    const restarted = await startServer(t.config, { hostname: "127.0.0.1", logger: silent });
    try {
      const reopened = restarted.stores.workflows;
      await until(async () => {
        const runs = await reopened.listRuns("user-a", { workflowId: workflow.id });
        return runs.length === 2 && runs.every((run) => run.status === "completed");
      }, "both left-over runs to complete");
      const texts = slack.history("C01GENERAL").map((m) => m.text);
      expect(texts.filter((text) => text === "left queued")).toHaveLength(1);
      expect(texts.filter((text) => text === "left running")).toHaveLength(1);
    } finally {
      await restarted.close();
      await slack.stop();
    }
  });
});

const silent = { info() {}, warn() {}, error() {} };

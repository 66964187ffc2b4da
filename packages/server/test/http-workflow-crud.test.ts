import { SlackEmulator } from "@autoflow/emulators";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunSummary } from "../src/run-view";
import { STORE_KINDS, startTestServer, type TestServer } from "./http-server";
import { TEST_DATABASE_URL, warnIfNoPostgres } from "./postgres-test-schema";
import { removeTempDirs } from "./sqlite-temp";
import { until } from "./until";

warnIfNoPostgres("workflow CRUD HTTP");
afterAll(removeTempDirs);

interface WorkflowJson {
  id: string;
  name?: string;
  steps: { id: string; inputs?: { text?: string } }[];
  trigger?: { key: string; inputs?: unknown };
  createdAt: string;
  updatedAt: string;
}

describe.each(STORE_KINDS)("workflow and run management over HTTP on %s", (kind) => {
  describe.skipIf(kind === "postgres" && !TEST_DATABASE_URL)("", () => {
    const slack = new SlackEmulator();
    let t: TestServer;

    beforeAll(async () => {
      await slack.start();
      t = await startTestServer(kind, { AUTOFLOW_SLACK_API_URL: slack.apiUrl });
      for (const user of ["user-a", "user-b"]) {
        const connected = await t.call("POST", "/api/integrations/slack/connections", {
          user,
          body: { accessToken: slack.mintToken() },
        });
        expect(connected.status).toBe(201);
      }
    });
    afterAll(async () => {
      await t?.close();
      await slack.stop();
    });

    const post = (text: string) => ({
      name: "Say",
      steps: [
        {
          id: "say",
          action: "slack.sendMessage",
          inputs: { channel: "C01GENERAL", text },
          credentialId: "slack",
        },
      ],
    });

    async function finished(runId: string, user = "user-a") {
      await until(async () => {
        const got = await t.call("GET", `/api/runs/${runId}`, { user });
        const status = (got.json as { status: string }).status;
        return status === "completed" || status === "failed";
      }, `run ${runId} to finish`);
    }

    it("lists, reads, replaces and deletes a user's workflows, never another user's", async () => {
      const first = (await t.call("POST", "/api/workflows", { body: post("one") })).json as WorkflowJson;
      const second = (await t.call("POST", "/api/workflows", { body: post("two") })).json as WorkflowJson;
      await t.call("POST", "/api/workflows", { body: post("theirs"), user: "user-b" });

      const listed = await t.call("GET", "/api/workflows");
      expect(listed.status).toBe(200);
      const ids = (listed.json as { workflows: WorkflowJson[] }).workflows.map((w) => w.id);
      expect(ids).toEqual(expect.arrayContaining([first.id, second.id]));
      expect((listed.json as { workflows: WorkflowJson[] }).workflows.every((w) => w.name === "Say")).toBe(
        true,
      );
      const theirs = (await t.call("GET", "/api/workflows", { user: "user-b" })).json as {
        workflows: WorkflowJson[];
      };
      expect(theirs.workflows.map((w) => w.id)).not.toContain(first.id);

      const read = await t.call("GET", `/api/workflows/${first.id}`);
      expect(read.json).toMatchObject({ id: first.id, steps: [{ id: "say", inputs: { text: "one" } }] });
      expect((await t.call("GET", `/api/workflows/${first.id}`, { user: "user-b" })).status).toBe(404);

      const replaced = await t.call("PUT", `/api/workflows/${first.id}`, {
        body: { ...post("uno"), name: "Renamed" },
      });
      expect(replaced.status).toBe(200);
      const updated = replaced.json as WorkflowJson;
      expect(updated).toMatchObject({ id: first.id, name: "Renamed", createdAt: first.createdAt });
      expect(updated.steps[0]?.inputs?.text).toBe("uno");
      expect(updated.updatedAt >= first.updatedAt).toBe(true);
      expect((await t.call("GET", `/api/workflows/${first.id}`)).json).toMatchObject({ name: "Renamed" });

      // Another user's PUT and DELETE are 404s and change nothing.
      expect(
        (await t.call("PUT", `/api/workflows/${first.id}`, { body: post("x"), user: "user-b" })).status,
      ).toBe(404);
      expect((await t.call("DELETE", `/api/workflows/${first.id}`, { user: "user-b" })).status).toBe(404);
      expect((await t.call("GET", `/api/workflows/${first.id}`)).json).toMatchObject({ name: "Renamed" });

      // A bad replacement is a 400 naming the problem, and the stored definition stays.
      const bad = await t.call("PUT", `/api/workflows/${first.id}`, {
        body: { steps: [{ id: "say", action: "slack.nope", inputs: {} }] },
      });
      expect(bad.status).toBe(400);
      expect((bad.json as { error: { message: string } }).error.message).toContain("steps.0.action");
      expect((await t.call("GET", `/api/workflows/${first.id}`)).json).toMatchObject({ name: "Renamed" });

      expect((await t.call("DELETE", `/api/workflows/${second.id}`)).status).toBe(204);
      expect((await t.call("GET", `/api/workflows/${second.id}`)).status).toBe(404);
      expect((await t.call("DELETE", `/api/workflows/${second.id}`)).status).toBe(404);
      expect((await t.call("POST", `/api/workflows/${second.id}/runs`)).status).toBe(404);
    });

    it("a run keeps the steps it started with; runs of a deleted workflow stay readable", async () => {
      const workflow = (await t.call("POST", "/api/workflows", { body: post("before edit") }))
        .json as WorkflowJson;
      const { runId } = (await t.call("POST", `/api/workflows/${workflow.id}/runs`)).json as {
        runId: string;
      };
      await finished(runId);
      await t.call("PUT", `/api/workflows/${workflow.id}`, { body: post("after edit") });
      const { runId: second } = (await t.call("POST", `/api/workflows/${workflow.id}/runs`)).json as {
        runId: string;
      };
      await finished(second);
      const texts = slack.history("C01GENERAL").map((m) => m.text);
      expect(texts).toContain("before edit");
      expect(texts).toContain("after edit");

      expect((await t.call("DELETE", `/api/workflows/${workflow.id}`)).status).toBe(204);
      const view = await t.call("GET", `/api/runs/${runId}`);
      expect(view.status).toBe(200);
      expect(view.json).toMatchObject({
        id: runId,
        workflowId: workflow.id,
        status: "completed",
        source: "api",
      });
    });

    it("lists the user's runs newest first, filtered by workflow and status, a page at a time", async () => {
      const workflow = (await t.call("POST", "/api/workflows", { body: post("listed") }))
        .json as WorkflowJson;
      const failing = (await t.call("POST", "/api/workflows", { body: post("{{trigger.missing}}") }))
        .json as WorkflowJson;
      const started: string[] = [];
      for (let i = 0; i < 3; i++) {
        const { runId } = (await t.call("POST", `/api/workflows/${workflow.id}/runs`)).json as {
          runId: string;
        };
        await finished(runId);
        started.push(runId);
      }
      const { runId: failed } = (await t.call("POST", `/api/workflows/${failing.id}/runs`)).json as {
        runId: string;
      };
      await finished(failed);

      const mine = (await t.call("GET", `/api/runs?workflowId=${workflow.id}`)).json as {
        runs: RunSummary[];
      };
      expect(mine.runs.map((r) => r.id)).toEqual([...started].reverse());
      expect(mine.runs.every((r) => r.status === "completed" && r.source === "api")).toBe(true);

      const page = (await t.call("GET", `/api/runs?workflowId=${workflow.id}&limit=2`)).json as {
        runs: RunSummary[];
      };
      expect(page.runs).toHaveLength(2);
      const last = page.runs.at(-1);
      const next = (
        await t.call(
          "GET",
          `/api/runs?workflowId=${workflow.id}&limit=2&before=${encodeURIComponent(last?.createdAt ?? "")}`,
        )
      ).json as { runs: RunSummary[] };
      // Runs created in the same millisecond would share a page boundary; these were started one after another.
      expect(next.runs.map((r) => r.id)).toEqual([started[0]]);

      const failures = (await t.call("GET", "/api/runs?status=failed")).json as { runs: RunSummary[] };
      expect(failures.runs.map((r) => r.id)).toContain(failed);
      expect(failures.runs.map((r) => r.id)).not.toContain(started[0]);

      const others = (await t.call("GET", "/api/runs", { user: "user-b" })).json as { runs: RunSummary[] };
      expect(others.runs.map((r) => r.id)).not.toContain(started[0]);

      const invalid = await t.call("GET", "/api/runs?status=exploded&limit=0");
      expect(invalid.status).toBe(400);
      const message = (invalid.json as { error: { message: string } }).error.message;
      expect(message).toContain("status");
      expect(message).toContain("limit");
    });
  });
});

import type { ChildProcess } from "node:child_process";
import { SlackEmulator } from "@autoflow/emulators";
import { afterAll, describe, expect, it } from "vitest";
import { killScripts, spawnScript } from "./child-process";
import { startTestServer, type TestServer } from "./http-server";
import { TEST_DATABASE_URL, warnIfNoPostgres } from "./postgres-test-schema";
import { until } from "./until";

warnIfNoPostgres("scale-out (pg-boss)");

const CHANNEL = "C01GENERAL";
const RUNS = 100;
/** Worker A dies right after its fifth run's first step is recorded done. */
const CRASH_ON = 5;

interface Worker {
  name: string;
  child: ChildProcess;
  output: { stdout: string; stderr: string };
  exited: Promise<number | null>;
}

const workers: Worker[] = [];
afterAll(killScripts);

/** Starts `startWorker` in a process of its own, configured like the service, and waits until it takes runs. */
async function startWorkerProcess(t: TestServer, name: string, env: Record<string, string>): Promise<Worker> {
  const { child, output, exited } = spawnScript("test/__fixtures__/workflow-worker.ts", {
    TSX_TSCONFIG_PATH: "test/__fixtures__/tsconfig.json",
    NODE_ENV: "test",
    DATABASE_URL: TEST_DATABASE_URL ?? "",
    PG_OPTIONS: t.schema?.searchPathOption ?? "",
    QUEUE_SCHEMA: t.schema?.queueSchema ?? "",
    // The same vault key as the service, or the worker could not decrypt the connection.
    AUTOFLOW_VAULT_KEY: t.env.AUTOFLOW_VAULT_KEY ?? "",
    AUTOFLOW_JWT_SECRET: t.jwtSecret,
    AUTOFLOW_SLACK_API_URL: t.env.AUTOFLOW_SLACK_API_URL ?? "",
    AUTOFLOW_WORKER_HEARTBEAT_SECONDS: "10",
    WORKER_NAME: name,
    ...env,
  });
  const worker = { name, child, output, exited };
  workers.push(worker);
  await until(
    () => output.stdout.includes(`${name} ready`) || child.exitCode !== null,
    `${name} to start`,
    60_000,
  );
  if (child.exitCode !== null) throw new Error(`${name} did not start: ${output.stderr}`);
  return worker;
}

/** The run ids whose task `taskId` this worker completed (executed, not replayed). */
const completedBy = (worker: Worker, taskId: string): string[] =>
  [...worker.output.stdout.matchAll(new RegExp(`^${worker.name} completed (\\S+) ${taskId}$`, "gm"))].map(
    (match) => match[1] ?? "",
  );

describe.skipIf(!TEST_DATABASE_URL)("two worker processes on PostgreSQL (pg-boss)", () => {
  it("executes 100 runs exactly once between them, and a killed worker's run resumes on the other", async () => {
    const slack = new SlackEmulator();
    await slack.start();
    // API only: this process queues runs, the two workers execute them.
    const t = await startTestServer(
      "postgres",
      { AUTOFLOW_SLACK_API_URL: slack.apiUrl },
      { AUTOFLOW_WORKER_CONCURRENCY: "0" },
    );
    try {
      const connected = await t.call("POST", "/api/integrations/slack/connections", {
        body: { accessToken: slack.mintToken() },
      });
      expect(connected.status).toBe(201);
      const created = await t.call("POST", "/api/workflows", {
        body: {
          name: "post and acknowledge",
          steps: [
            {
              id: "post",
              action: "slack.sendMessage",
              inputs: { channel: CHANNEL, text: "run {{trigger.n}}" },
              credentialId: "slack",
            },
            {
              id: "ack",
              action: "slack.addReaction",
              inputs: {
                channel: CHANNEL,
                timestamp: { $ref: "steps.post.output.ts" },
                name: "white_check_mark",
              },
              credentialId: "slack",
            },
          ],
        },
      });
      expect(created.status).toBe(201);
      const workflowId = (created.json as { id: string }).id;

      // One run at a time in A, so the kill interrupts exactly one run, at a known point.
      const a = await startWorkerProcess(t, "A", {
        AUTOFLOW_WORKER_CONCURRENCY: "1",
        CRASH_AFTER_STEP: "post",
        CRASH_ON: String(CRASH_ON),
      });
      const b = await startWorkerProcess(t, "B", { AUTOFLOW_WORKER_CONCURRENCY: "4" });

      const runIds: string[] = [];
      for (let n = 0; n < RUNS; n++) {
        const started = await t.call("POST", `/api/workflows/${workflowId}/runs`, { body: { n } });
        expect(started.status).toBe(202);
        runIds.push((started.json as { runId: string }).runId);
      }

      expect(await a.exited).toBe(null); // killed by its signal, not exited
      const crashed = /^A crashing in (\S+)$/m.exec(a.output.stdout)?.[1];
      expect(crashed).toBeDefined();

      await until(
        async () => {
          const listed = await t.call("GET", `/api/runs?workflowId=${workflowId}&status=completed&limit=200`);
          return (listed.json as { runs: unknown[] }).runs.length === RUNS;
        },
        "every run to complete",
        180_000,
      );

      // Exactly once, as the provider saw it: one message per run, each acknowledged once.
      const messages = slack.history(CHANNEL).filter((m) => m.text?.startsWith("run "));
      expect(messages).toHaveLength(RUNS);
      expect(new Set(messages.map((m) => m.text)).size).toBe(RUNS);
      for (const message of messages) {
        expect(message.reactions?.map((r) => [r.name, r.count])).toEqual([["white_check_mark", 1]]);
      }

      // Both workers did work, and each step of each run was executed by one of them only.
      const posted = [...completedBy(a, "post"), ...completedBy(b, "post")];
      const acked = [...completedBy(a, "ack"), ...completedBy(b, "ack")];
      expect(completedBy(a, "post").length).toBe(CRASH_ON);
      expect(completedBy(b, "post").length).toBe(RUNS - CRASH_ON);
      expect(posted.sort()).toEqual([...runIds].sort());
      expect(acked.sort()).toEqual([...runIds].sort());

      // The killed run: its first step done by A, replayed (not re-sent) by B, which finished it.
      expect(completedBy(a, "post")).toContain(crashed);
      expect(completedBy(b, "post")).not.toContain(crashed);
      expect(completedBy(b, "ack")).toContain(crashed);
      expect(b.output.stdout).toMatch(new RegExp(`^B started ${crashed}`, "m"));
      const view = await t.call("GET", `/api/runs/${crashed}`);
      expect(view.json).toMatchObject({
        status: "completed",
        steps: [
          { id: "post", status: "completed" },
          { id: "ack", status: "completed" },
        ],
      });
    } finally {
      for (const worker of workers) if (worker.child.exitCode === null) worker.child.kill("SIGTERM");
      await Promise.all(workers.map((w) => w.exited));
      await t.close();
      await slack.stop();
    }
  }, 300_000);
});

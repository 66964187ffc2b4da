import { execFile } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { defineJob, IntegrationError, JobRunner } from "@autoflow/core";
import { SqliteTaskStore } from "@autoflow/core/sqlite";
import { createTestClock } from "@autoflow/core/testing";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { COMMANDS } from "../src/cli/run-autoflow";
import { loadServerConfig } from "../src/config";
import { PROVIDER_IDS } from "../src/providers";
import { startServer } from "../src/server";
import { killScripts, spawnScript } from "./child-process";
import { until } from "./until";

// `autoflow` from its sources, in a process of its own: what the built bin (dist/autoflow.js) runs.
const BIN = "src/cli/autoflow.ts";
const packageDir = join(import.meta.dirname, "..");

afterEach(killScripts);

async function autoflow(args: string[], env: Record<string, string> = {}) {
  try {
    const { stdout, stderr } = await promisify(execFile)(
      process.execPath,
      ["--import", "tsx", BIN, ...args],
      {
        cwd: packageDir,
        env: { PATH: process.env.PATH ?? "", ...env },
      },
    );
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

const stateDir = () => mkdtempSync(join(tmpdir(), "autoflow-cli-"));

describe("autoflow --help", () => {
  it("lists every command, exit 0", async () => {
    const { code, stdout } = await autoflow(["--help"]);
    expect(code).toBe(0);
    for (const command of COMMANDS) expect(stdout).toContain(`  ${command.name}`);
  });

  it.each(COMMANDS.map((command) => command.name))("answers `autoflow %s --help`, exit 0", async (name) => {
    const { code, stdout } = await autoflow([name, "--help"]);
    expect(code).toBe(0);
    // `emulators --help` is @autoflow/emulators' own text (installed here as a dev dependency).
    expect(stdout).toMatch(name === "emulators" ? /^Usage: autoflow-emulators/ : `Usage: autoflow ${name}`);
  });

  it.each([
    [["nope"], /unknown command "nope"/],
    [["token", "--user", "u", "--ttl", "soon"], /--ttl must be a whole number/],
    [["token"], /--user <id> is required/],
    [["runs", "--limt", "3"], /Unknown option '--limt'/],
    [["runs", "list", "--status", "done"], /--status must be one of running, suspended, completed, failed/],
    [["runs", "show"], /needs a run id/],
    [["serve", "--port", "1"], /Unknown option '--port'/],
  ])("refuses %j with exit 2 and a message naming it", async (args, message) => {
    const { code, stderr } = await autoflow(args);
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
  });
});

describe("autoflow token", () => {
  it("prints a token the service started from the same environment accepts, for that user", async () => {
    const dir = stateDir();
    const { code, stdout } = await autoflow(["token", "--user", "alice", "--ttl", "600"], {
      AUTOFLOW_STATE_DIR: dir,
    });
    expect(code).toBe(0);
    const token = stdout.trim();
    expect(token).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    const claims = JSON.parse(Buffer.from(token.split(".")[1] ?? "", "base64url").toString());
    expect(claims.sub).toBe("alice");
    expect(claims.exp - claims.iat).toBe(600);

    const server = await startServer(loadServerConfig({ AUTOFLOW_STATE_DIR: dir, PORT: "0" }, PROVIDER_IDS), {
      logger: { info() {}, warn() {}, error() {} },
    });
    try {
      const answer = await fetch(`${server.url}/api/integrations/slack/connections`, {
        headers: { authorization: `Bearer ${token}` },
      });
      expect(answer.status).toBe(200);
      const forged = await fetch(`${server.url}/api/integrations/slack/connections`, {
        headers: { authorization: `Bearer ${token.slice(0, -2)}xx` },
      });
      expect(forged.status).toBe(401);
    } finally {
      await server.close();
    }
  });

  it("--sign-in prints a single-use dashboard sign-in link the service exchanges for a session", async () => {
    const dir = stateDir();
    const server = await startServer(loadServerConfig({ AUTOFLOW_STATE_DIR: dir, PORT: "0" }, PROVIDER_IDS), {
      logger: { info() {}, warn() {}, error() {} },
    });
    try {
      const port = new URL(server.url).port;
      const { code, stdout } = await autoflow(["token", "--user", "alice", "--sign-in"], {
        AUTOFLOW_STATE_DIR: dir,
        AUTOFLOW_PUBLIC_URL: `http://127.0.0.1:${port}`,
      });
      expect(code).toBe(0);
      const link = stdout.trim();
      expect(link).toMatch(
        new RegExp(`^http://127\\.0\\.0\\.1:${port}/auth/sign-in\\?token=[\\w-]+\\.[\\w-]+\\.[\\w-]+$`),
      );
      const signedIn = await fetch(link, { redirect: "manual" });
      expect(signedIn.status).toBe(303);
      const cookie = (signedIn.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
      const session = await fetch(`${server.url}/api/session`, { headers: { cookie } });
      expect(((await session.json()) as { userId: string }).userId).toBe("alice");
      expect((await fetch(link, { redirect: "manual" })).status).toBe(401);
    } finally {
      await server.close();
    }
  });
});

describe("autoflow runs", () => {
  const dir = stateDir();
  const env = { AUTOFLOW_SQLITE_PATH: join(dir, "runs.db") };

  beforeAll(async () => {
    const store = new SqliteTaskStore({ path: env.AUTOFLOW_SQLITE_PATH });
    const runner = new JobRunner({ store, clock: createTestClock(), logger: false });
    const notify = defineJob({
      id: "notify",
      run: async (_payload, io) => {
        await io.runTask("lookup", async () => 1, { name: "Look up channel" });
        await io.runTask(
          "post",
          async () => {
            throw new IntegrationError({ type: "schema", provider: "acme", message: "channel_not_found" });
          },
          { name: "Post message" },
        );
      },
    });
    const digest = defineJob({
      id: "digest",
      run: async (_payload, io) => io.runTask("collect", async () => ({ count: 2 }), { name: "Collect" }),
    });
    await runner.run(notify, { runId: "run-failed" });
    await runner.run(digest, { runId: "run-done" });
    await store.close();
  });

  it("lists the runs with status, task count and what a failed one failed at", async () => {
    const { code, stdout } = await autoflow(["runs"], env);
    expect(code).toBe(0);
    const lines = stdout.trim().split("\n");
    expect(lines[0]).toMatch(/^RUN\s+JOB\s+STATUS\s+TASKS\s+STARTED\s+DURATION\s+ERROR$/);
    expect(stdout).toMatch(/run-failed\s+notify\s+✖ failed\s+2\s+\S+\s+0 ms\s+schema at post/);
    expect(stdout).toMatch(/run-done\s+digest\s+✔ completed\s+1/);
  });

  it("filters by status and limit, and gives JSON", async () => {
    const { stdout } = await autoflow(["runs", "list", "--status", "failed", "--limit", "5", "--json"], env);
    const { runs } = JSON.parse(stdout);
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({
      id: "run-failed",
      jobId: "notify",
      status: "failed",
      taskCount: 2,
      errorType: "schema",
      failedTask: { id: "post", name: "Post message" },
    });
  });

  it("shows one run's tasks with status, attempts, error type and duration", async () => {
    const { code, stdout } = await autoflow(["runs", "show", "run-failed"], env);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^Run run-failed \(notify\): ✖ failed/);
    expect(stdout).toMatch(/failed at post \(Post message\): schema: .*channel_not_found/);
    expect(stdout).toMatch(/lookup\s+Look up channel\s+✔ completed\s+1\s+0 ms/);
    expect(stdout).toMatch(/post\s+Post message\s+✖ failed\s+1\s+schema\s+0 ms/);

    const json = JSON.parse((await autoflow(["runs", "show", "run-failed", "--json"], env)).stdout);
    expect(json.run).toMatchObject({ id: "run-failed", status: "failed" });
    expect(json.tasks.map((t: { id: string; attempts: number }) => [t.id, t.attempts])).toEqual([
      ["lookup", 1],
      ["post", 1],
    ]);
  });

  it("says so when the run or the database is not there (exit 1)", async () => {
    const missing = await autoflow(["runs", "show", "run-nope"], env);
    expect(missing).toMatchObject({ code: 1, stderr: expect.stringMatching(/no run run-nope/) });
    const nowhere = await autoflow(["runs"], { AUTOFLOW_SQLITE_PATH: join(dir, "absent.db") });
    expect(nowhere).toMatchObject({ code: 1, stderr: expect.stringMatching(/no database at .*absent\.db/) });
  });
});

describe("autoflow serve", () => {
  it("stops cleanly on Ctrl-C (SIGINT) with exit 0", async () => {
    const { child, output, exited } = spawnScript(BIN, { PORT: "0", AUTOFLOW_STATE_DIR: stateDir() }, [
      "serve",
    ]);
    await until(() => /export AUTOFLOW_TOKEN=\S+/.test(output.stdout), "the dev token");
    child.kill("SIGINT");
    expect(await exited).toBe(0);
    expect(output.stdout).toContain("Stopped (SIGINT).");
  });
});

import { describe, expect, it } from "vitest";
import { IntegrationError } from "../errors";
import type { IOLogger } from "../io";
import { createTestClock } from "../testing/test-clock";
import { consoleReporter } from "./console-reporter";
import type { RunEvent } from "./events";
import { defineJob } from "./job";
import { MemoryTaskStore } from "./memory-task-store";
import { JobRunner } from "./runner";

function captureLogger() {
  const lines: { level: string; message: string; data?: unknown }[] = [];
  const at =
    (level: string) =>
    (message: string, data?: Record<string, unknown>): void => {
      lines.push({ level, message, ...(data !== undefined && { data }) });
    };
  const logger: IOLogger = { debug: at("debug"), info: at("info"), warn: at("warn"), error: at("error") };
  return { logger, lines };
}

const failingJob = defineJob({
  id: "notify",
  run: async (_payload, io) => {
    await io.runTask("ok", async () => 1);
    await io.runTask(
      "post",
      async () => {
        throw new IntegrationError({
          type: "schema",
          provider: "acme",
          message: "channel_not_found",
          cause: new Error("the SDK's error"),
        });
      },
      { name: "Post Message", icon: "acme" },
    );
  },
});

describe("a failed run is never silent", () => {
  it("reports a failed run in one line through the logger, naming run, job, task and error", async () => {
    const { logger, lines } = captureLogger();
    const runner = new JobRunner({ logger, clock: createTestClock() });
    await runner.run(failingJob, { runId: "run-1" });
    expect(lines).toEqual([
      {
        level: "error",
        message: '✖ run run-1 (notify) failed at task "post" (Post Message): schema: channel_not_found',
      },
    ]);
  });

  it("adds the stack and its cause only when asked", async () => {
    const { logger, lines } = captureLogger();
    await new JobRunner({ logger, logStacks: true }).run(failingJob, { runId: "run-1" });
    const [line] = lines;
    expect(line?.message.split("\n")[0]).toBe(
      '✖ run run-1 (notify) failed at task "post" (Post Message): schema: channel_not_found',
    );
    expect(line?.message).toContain("Caused by: Error: the SDK's error");
  });

  it("reports nothing with logger: false, and through the console by default", async () => {
    const { logger, lines } = captureLogger();
    const original = console.error;
    console.error = (message: string) => logger.error(message);
    try {
      await new JobRunner().run(failingJob, { runId: "run-1" });
      await new JobRunner({ logger: false }).run(failingJob, { runId: "run-2" });
    } finally {
      console.error = original;
    }
    expect(lines.map((line) => line.message)).toEqual([
      '✖ run run-1 (notify) failed at task "post" (Post Message): schema: channel_not_found',
    ]);
  });

  it("tells a failure once when a consoleReporter prints it, unless a logger is asked for too", async () => {
    const { logger, lines } = captureLogger();
    const writes: string[] = [];
    const stream = { write: (text: string) => writes.push(text) };
    const original = console.error;
    console.error = (message: string) => logger.error(message);
    try {
      await new JobRunner({ onEvent: consoleReporter({ stream }) }).run(failingJob, { runId: "run-1" });
      expect(lines).toEqual([]);
      const output = writes.join("");
      expect(output.match(/channel_not_found/g)).toHaveLength(1);
      expect(output).toContain('✖ run run-1 (notify) failed at "post" (schema)');
      // Quiet, the reporter prints nothing: the runner's own line is the one that remains.
      await new JobRunner({ onEvent: consoleReporter({ stream, mode: "quiet" }) }).run(failingJob, {
        runId: "run-2",
      });
      // Asked for explicitly, the logger gets its line beside the reporter's.
      await new JobRunner({ logger: console, onEvent: consoleReporter({ stream }) }).run(failingJob, {
        runId: "run-3",
      });
    } finally {
      console.error = original;
    }
    expect(lines.map((line) => line.message.split(":")[0])).toEqual([
      '✖ run run-2 (notify) failed at task "post" (Post Message)',
      '✖ run run-3 (notify) failed at task "post" (Post Message)',
    ]);
  });

  it("names the failing task on the result, the run.failed event and the stored run, also on a replay", async () => {
    const events: RunEvent[] = [];
    const store = new MemoryTaskStore();
    const clock = createTestClock();
    const runner = new JobRunner({ store, clock, logger: false, onEvent: (event) => events.push(event) });
    const task = { id: "post", key: "post", name: "Post Message", provider: "acme" };
    const result = await runner.run(failingJob, { runId: "run-1" });
    expect(result).toMatchObject({ status: "failed", task, error: { taskKey: "post", type: "schema" } });
    expect(events.at(-1)).toMatchObject({ type: "run.failed", runId: "run-1", jobId: "notify", task });
    expect((await store.loadRun("run-1"))?.run.failedTask).toEqual(task);
    expect(await runner.run(failingJob, { runId: "run-1" })).toMatchObject({ status: "failed", task });
    expect(await store.listRuns({ limit: 5 })).toEqual([
      expect.objectContaining({
        id: "run-1",
        status: "failed",
        taskCount: 2,
        failedTask: task,
        errorType: "schema",
      }),
    ]);
  });

  it("names the task when the job catches a task's error and throws it on", async () => {
    const job = defineJob({
      id: "rethrow",
      run: async (_payload, io) => {
        try {
          await io.runTask("inner", async () => {
            throw new IntegrationError({ type: "auth", provider: "acme", message: "invalid_auth" });
          });
        } catch (error) {
          io.logger.warn("giving up");
          throw error;
        }
      },
    });
    const result = await new JobRunner({ logger: false }).run(job);
    expect(result).toMatchObject({ status: "failed", task: { id: "inner", key: "inner", name: "inner" } });
  });

  it("names no task when the job fails outside one", async () => {
    const { logger, lines } = captureLogger();
    const job = defineJob({
      id: "plain",
      run: async () => {
        throw new Error("bad input");
      },
    });
    const result = await new JobRunner({ logger }).run(job, { runId: "r" });
    expect(result.status).toBe("failed");
    expect(result).not.toHaveProperty("task");
    expect(lines[0]?.message).toBe("✖ run r (plain) failed: upstream: bad input");
  });
});

describe("io.logger", () => {
  const job = defineJob({
    id: "logs",
    run: async (_payload, io) => {
      io.logger.info("starting", { items: 3 });
      io.logger.warn("token tok_secret_123456 is old");
    },
  });

  it("prints through the runner's logger when no onEvent listener takes its lines (secrets scrubbed)", async () => {
    const { logger, lines } = captureLogger();
    await new JobRunner({ logger, secrets: ["tok_secret_123456"] }).run(job);
    expect(lines).toEqual([
      { level: "info", message: "starting", data: { items: 3 } },
      { level: "warn", message: expect.not.stringContaining("tok_secret_123456") },
    ]);
  });

  it("goes to the onEvent listener, and only there, when there is one", async () => {
    const { logger, lines } = captureLogger();
    const events: RunEvent[] = [];
    await new JobRunner({ logger, onEvent: (event) => events.push(event) }).run(job);
    expect(lines).toEqual([]);
    expect(events.filter((event) => event.type === "log").map((event) => event.message)).toEqual([
      "starting",
      expect.stringContaining("is old"),
    ]);
  });
});

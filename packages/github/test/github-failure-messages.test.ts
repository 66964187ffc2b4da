import { IntegrationError, type IOLogger } from "@autoflow/core";
import { createTestClock } from "@autoflow/core/testing";
import { GithubEmulator } from "@autoflow/emulators";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REPO, runWithGithub } from "./__fixtures__/harness";

// A failure says what failed: provider, SDK method, task key, taxonomy type with the status, and the resource
// (from the task's display properties), in the error's message, its fields, the task log and the run's line.
const emulator = new GithubEmulator();
beforeAll(() => emulator.start());
afterAll(() => emulator.stop());

function captureLogger() {
  const errors: string[] = [];
  const ignore = () => {};
  const logger: IOLogger = { debug: ignore, info: ignore, warn: ignore, error: (line) => errors.push(line) };
  return { logger, errors };
}

describe("GitHub failures name what failed", () => {
  it("a hand-written task: message, fields, task log, replay and the run's line", async () => {
    const { logger, errors } = captureLogger();
    const { result, store, runId } = await runWithGithub(
      emulator,
      (github) => github.issues.createComment("link-back", { ...REPO, issue_number: 999, body: "see Slack" }),
      { runner: { logger } },
    );
    const message =
      '[github] issues.createComment "link-back" failed (schema, 404 Not Found): octo-org/hello#999';
    if (result.status !== "failed") throw new Error(`expected a failed run, got ${result.status}`);
    expect(IntegrationError.isInstance(result.error)).toBe(true);
    expect(result.error.message).toBe(message);
    expect(result.error).toMatchObject({
      type: "schema",
      status: 404,
      provider: "github",
      method: "issues.createComment",
      taskKey: "link-back",
    });
    expect(result.task).toEqual({
      id: "link-back",
      key: "link-back",
      name: "Create Issue Comment",
      provider: "github",
    });
    const jobId = (await store.loadRun(runId))?.run.jobId;
    expect(errors).toEqual([`✖ run ${runId} (${jobId}) failed: ${message}`]);

    // The task log keeps the fields, so a replay throws what the first execution threw.
    const [task] = (await store.loadRun(runId))?.tasks ?? [];
    expect(task?.error).toMatchObject({
      message,
      method: "issues.createComment",
      taskKey: "link-back",
      status: 404,
    });
    expect((await store.loadRun(runId))?.run.error).toMatchObject({
      message,
      method: "issues.createComment",
    });
  });

  it("another task, and GitHub's own words when they say more than the status", async () => {
    const { result } = await runWithGithub(emulator, async (github) => {
      await github.issues.get("issue", { ...REPO, issue_number: 999 });
    });
    expect(result).toMatchObject({
      status: "failed",
      error: {
        message: '[github] issues.get "issue" failed (schema, 404 Not Found): octo-org/hello#999',
        method: "issues.get",
        taskKey: "issue",
      },
      task: { key: "issue", name: "Get Issue", provider: "github" },
    });

    const invalid = await runWithGithub(emulator, (github) =>
      github.issues.listMilestones("milestones", { ...REPO, per_page: "many" as never }),
    );
    expect(invalid.result).toMatchObject({
      status: "failed",
      error: { status: 422, method: "issues.listMilestones" },
    });
    const text = invalid.result.status === "failed" ? invalid.result.error.message : "";
    expect(text).toMatch(
      /^\[github\] issues\.listMilestones "milestones" failed \(schema, 422 Unprocessable Entity/,
    );
    expect(text).toContain("per_page");
    expect(text).not.toContain("\n");
  });

  it("a host that does not resolve (ENOTFOUND) is named", async () => {
    // `.invalid` never resolves (RFC 2606): the resolver answers NXDOMAIN without asking the network.
    const { result } = await runWithGithub(
      emulator,
      (github) => github.issues.get("issue", { ...REPO, issue_number: 1 }),
      {
        github: { baseUrl: "http://api.github.invalid" },
        runner: { clock: createTestClock(), logger: false },
      },
    );
    expect(result).toMatchObject({ status: "failed", error: { type: "network", code: "ENOTFOUND" } });
    const text = result.status === "failed" ? result.error.message : "";
    expect(text).toContain("api.github.invalid");
    expect(text).toMatch(
      /^\[github\] issues\.get "issue" failed \(network, ENOTFOUND api\.github\.invalid\)/,
    );
  });
});

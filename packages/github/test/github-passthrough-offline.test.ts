import { GithubEmulator } from "@autoflow/emulators";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { outputOf, REPO, runWithGithub } from "./__fixtures__/harness";

// Passthrough methods the emulator has no stateful route for: it answers them from GitHub's own description
// (`x-emulator-fallback: spec`), so a job calling any described operation runs offline.
const emulator = new GithubEmulator();
beforeAll(() => emulator.start());
afterAll(() => emulator.stop());

describe("GitHub passthrough methods without a stateful route, offline", () => {
  it("runs a job calling five of them, each answer of the described shape", async () => {
    const { result, store, runId } = await runWithGithub(emulator, async (github) => ({
      lock: await github.issues.lock("lock", { ...REPO, issue_number: 1, lock_reason: "resolved" }),
      runs: await github.actions.listWorkflowRunsForRepo("runs", { ...REPO, status: "completed" }),
      branches: await github.repos.listBranches("branches", { ...REPO, per_page: 50 }),
      tags: await github.repos.listTags("tags", REPO),
      milestones: await github.issues.listMilestones("milestones", { ...REPO, state: "open" }),
    }));
    const output = outputOf(result);
    expect(output.runs.total_count).toEqual(expect.any(Number));
    expect(output.runs.workflow_runs[0]).toMatchObject({
      id: expect.any(Number),
      head_sha: expect.any(String),
      repository: { full_name: expect.any(String) },
    });
    expect(output.branches[0]).toMatchObject({
      name: expect.any(String),
      commit: { sha: expect.any(String) },
    });
    expect(output.milestones[0]).toMatchObject({ number: expect.any(Number), title: expect.any(String) });
    expect(output.tags[0]).toMatchObject({ name: expect.any(String), zipball_url: expect.any(String) });

    const tasks = (await store.loadRun(runId))?.tasks ?? [];
    expect(tasks.map((t) => [t.name, t.status])).toEqual([
      ["issues.lock", "completed"],
      ["actions.listWorkflowRunsForRepo", "completed"],
      ["repos.listBranches", "completed"],
      ["repos.listTags", "completed"],
      ["issues.listMilestones", "completed"],
    ]);
    const answered = emulator.requests.filter((r) => r.responseHeaders?.["x-emulator-fallback"] === "spec");
    expect(answered.map((r) => [r.operation, r.outcome])).toEqual([
      ["PUT /repos/{owner}/{repo}/issues/{issue_number}/lock", 204],
      ["GET /repos/{owner}/{repo}/actions/runs", 200],
      ["GET /repos/{owner}/{repo}/branches", 200],
      ["GET /repos/{owner}/{repo}/tags", 200],
      ["GET /repos/{owner}/{repo}/milestones", 200],
    ]);
    expect(emulator.requestViolations).toEqual([]);
  });

  it("a parameter of the wrong type is GitHub's 422 naming it: a schema error, not retried", async () => {
    const { result, store, runId } = await runWithGithub(emulator, (github) =>
      github.issues.listMilestones("milestones", { ...REPO, per_page: "ten" as unknown as number }),
    );
    expect(result).toMatchObject({ status: "failed", error: { type: "schema" } });
    expect(JSON.stringify(result)).toContain("per_page");
    expect((await store.loadRun(runId))?.tasks[0]?.attempts).toBe(1);
    expect(emulator.requestViolations.at(-1)).toMatchObject({
      operation: "GET /repos/{owner}/{repo}/milestones",
      in: "query",
      field: "per_page",
    });
  });
});

import { actionsHarness } from "@autoflow/actions/testing";
import type { RunEvent } from "@autoflow/core";
import { createTestClock, expectDoneOnce, reconcileResults } from "@autoflow/core/testing";
import { GithubEmulator } from "@autoflow/emulators";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Github } from "../src/index";
import { githubProvider } from "../src/provider";
import { openPullRequest, REPO, runWithGithub } from "./__fixtures__/harness";

// Effectively once: for every hand-written GitHub write, the answer is lost after GitHub handled the request
// (the connection reset before any byte of it, or held past the client's deadline), and the side effect exists
// exactly once and the task completes; reconciled where it declares `reconcile`. Through the real Octokit
// against the emulator over loopback.
const emulator = new GithubEmulator();
beforeAll(() => emulator.start());
afterEach(() => emulator.clearFaults());
afterAll(() => emulator.stop());

let unique = 0;
const fresh = (prefix: string) => `${prefix}-${++unique}`;
const hello = () => {
  const repo = emulator.state.repo("octo-org", "hello");
  if (!repo) throw new Error("the emulator has no octo-org/hello");
  return repo;
};
const mainSha = () => hello().refs.get("refs/heads/main") ?? "";
const issueNumber = () => hello().issues.find((i) => !i.pull)?.number ?? 1;

/** One declared write: what it needs, how it is called, and how many of its side effects GitHub now holds. */
interface WriteCase {
  task: string;
  /** The request whose answer is lost. */
  method: "POST" | "PATCH" | "PUT";
  path: (setup: Setup) => string;
  reconciled: boolean;
  prepare: () => Promise<Setup> | Setup;
  call: (github: Github, setup: Setup) => Promise<unknown>;
  /** How many times the side effect happened (1 is right). */
  count: (setup: Setup) => number;
}
type Setup = Record<string, string>;

const repoPath = "/repos/octo-org/hello";
const writes: WriteCase[] = [
  {
    task: "issues.create",
    method: "POST",
    path: () => `${repoPath}/issues`,
    reconciled: true,
    prepare: () => ({ title: fresh("Lost answer") }),
    call: (github, { title }) =>
      github.issues.create("create", { ...REPO, title: title ?? "", body: "Details" }),
    count: ({ title }) => hello().issues.filter((i) => i.title === title).length,
  },
  {
    task: "issues.createComment",
    method: "POST",
    path: () => `${repoPath}/issues/${issueNumber()}/comments`,
    reconciled: true,
    prepare: () => ({ body: fresh("On it") }),
    call: (github, { body }) =>
      github.issues.createComment("comment", { ...REPO, issue_number: issueNumber(), body: body ?? "" }),
    count: ({ body }) =>
      hello()
        .issues.flatMap((i) => i.comments)
        .filter((c) => c.body.startsWith(`${body}\n\n<!--`)).length,
  },
  {
    task: "pulls.create",
    method: "POST",
    path: () => `${repoPath}/pulls`,
    reconciled: true,
    prepare: () => {
      const branch = fresh("feature");
      emulator.createBranch("octo-org/hello", branch);
      return { branch };
    },
    call: (github, { branch }) =>
      github.pulls.create("open", { ...REPO, title: "Feature", head: branch ?? "", base: "main" }),
    count: ({ branch }) => hello().pulls.filter((p) => p.head.ref === branch).length,
  },
  {
    task: "pulls.merge",
    method: "PUT",
    path: ({ number }) => `${repoPath}/pulls/${number}/merge`,
    reconciled: true,
    prepare: async () => ({ number: String(await openPullRequest(emulator, fresh("To merge"))) }),
    call: (github, { number }) => github.pulls.merge("merge", { ...REPO, pull_number: Number(number) }),
    count: ({ number }) => (hello().pulls.find((p) => p.number === Number(number))?.merged ? 1 : 0),
  },
  {
    task: "repos.createWebhook",
    method: "POST",
    path: () => `${repoPath}/hooks`,
    reconciled: true,
    prepare: () => ({ url: `https://hooks.example.test/${fresh("hook")}` }),
    call: (github, { url }) =>
      github.repos.createWebhook("hook", { ...REPO, config: { url: url ?? "", content_type: "json" } }),
    count: ({ url }) => hello().hooks.filter((h) => h.config.url === url).length,
  },
  {
    task: "git.createRef (Reference already exists on the repeat)",
    method: "POST",
    path: () => `${repoPath}/git/refs`,
    reconciled: false,
    prepare: () => ({ ref: `refs/heads/${fresh("branch")}`, sha: mainSha() }),
    call: (github, { ref, sha }) => github.git.createRef("ref", { ...REPO, ref: ref ?? "", sha: sha ?? "" }),
    count: ({ ref, sha }) => (hello().refs.get(ref ?? "") === sha ? 1 : 0),
  },
  {
    task: "git.updateRef",
    method: "PATCH",
    // Octokit sends the ref as one encoded path segment.
    path: ({ branch }) => `${repoPath}/git/refs/heads%2F${branch}`,
    reconciled: false,
    prepare: () => {
      const branch = fresh("moving");
      emulator.createBranch("octo-org/hello", branch);
      return { branch, to: mainSha() };
    },
    call: (github, { branch, to }) =>
      github.git.updateRef("move", { ...REPO, ref: `heads/${branch}`, sha: to ?? "", force: true }),
    count: ({ branch, to }) => (hello().refs.get(`refs/heads/${branch}`) === to ? 1 : 0),
  },
  {
    task: "issues.update",
    method: "PATCH",
    path: () => `${repoPath}/issues/${issueNumber()}`,
    reconciled: false,
    prepare: () => ({ title: fresh("Renamed") }),
    call: (github, { title }) =>
      github.issues.update("rename", { ...REPO, issue_number: issueNumber(), title }),
    count: ({ title }) => hello().issues.filter((i) => i.title === title).length,
  },
  {
    task: "issues.addLabels",
    method: "POST",
    path: () => `${repoPath}/issues/${issueNumber()}/labels`,
    reconciled: false,
    prepare: () => ({ label: fresh("triage") }),
    call: (github, { label }) =>
      github.issues.addLabels("label", { ...REPO, issue_number: issueNumber(), labels: [label ?? ""] }),
    count: ({ label }) =>
      hello()
        .issues.find((i) => i.number === issueNumber())
        ?.labels.filter((l) => l === label).length ?? 0,
  },
  {
    task: "reactions.createForIssue",
    method: "POST",
    path: ({ number }) => `${repoPath}/issues/${number}/reactions`,
    reconciled: false,
    prepare: async () => ({ number: String(await openPullRequest(emulator, fresh("React"))) }),
    call: (github, { number }) =>
      github.reactions.createForIssue("react", { ...REPO, issue_number: Number(number), content: "rocket" }),
    count: ({ number }) =>
      hello()
        .issues.find((i) => i.number === Number(number))
        ?.reactions.filter((r) => r.content === "rocket").length ?? 0,
  },
];

async function run(write: WriteCase, setup: Setup, timeoutMs = 5_000) {
  const events: RunEvent[] = [];
  const requests = () =>
    emulator.requests.filter((r) => r.method === write.method && r.path === write.path(setup)).length;
  const before = requests();
  const outcome = await runWithGithub(emulator, (github) => write.call(github, setup), {
    github: { timeoutMs },
    runner: {
      clock: createTestClock(Date.now()),
      maxInProcessWaitMs: Number.POSITIVE_INFINITY,
      onEvent: (event) => events.push(event),
    },
  });
  const tasks = (await outcome.store.loadRun(outcome.runId))?.tasks ?? [];
  return { result: outcome.result, tasks, events, sent: requests() - before };
}

describe.each(writes)("$task", (write) => {
  it.each(["reset", "hang"] as const)(
    "its answer lost (%s) after GitHub handled it: done once, the task completes",
    async (after) => {
      const setup = await write.prepare();
      emulator.server.faults.loseAnswerNext(1, { method: write.method, path: write.path(setup) }, after);
      // Held past a short deadline where the answer hangs; elsewhere a loaded machine must not time out.
      const outcome = await run(write, setup, after === "hang" ? 300 : 5_000);
      expectDoneOnce(outcome, {
        reconciled: write.reconciled,
        sideEffects: write.count(setup),
        calls: outcome.sent,
      });
    },
  );
});

describe.each(writes.filter((w) => w.reconciled))("$task, reset before GitHub handled it", (write) => {
  it("is certainly not found, so it is repeated exactly once, and done once", async () => {
    const setup = await write.prepare();
    // A reset after the request was sent, before the route ran: the outcome is unknown, nothing happened.
    emulator.server.faults.resetNext(1, { method: write.method, path: write.path(setup) });
    const { result, tasks, events, sent } = await run(write, setup);
    expect(result.status, JSON.stringify(result)).toBe("completed");
    expect(write.count(setup)).toBe(1);
    expect(reconcileResults(events)).toEqual(["not-found"]);
    expect(tasks.at(-1)).toMatchObject({ status: "completed", attempts: 2 });
    expect(sent).toBe(2);
  });
});

describe("the marker", () => {
  it("is a hidden HTML comment at the end of the body; the task answers the body as the job wrote it", async () => {
    const title = fresh("Marked");
    const { result } = await runWithGithub(emulator, (github) =>
      github.issues.create("create", { ...REPO, title, body: "Visible text" }),
    );
    expect(result).toMatchObject({ status: "completed", output: { body: "Visible text" } });
    const stored = hello().issues.find((i) => i.title === title);
    expect(stored?.body).toMatch(/^Visible text\n\n<!-- autoflow-task:[0-9a-f]{32} -->$/);
  });
});

describe("pulls.create's 422 'A pull request already exists'", () => {
  it("completes with the pull request when it carries the task's marker (a list that lagged said not found)", async () => {
    const branch = fresh("lagging");
    emulator.createBranch("octo-org/hello", branch);
    emulator.server.faults.loseAnswerNext(1, { method: "POST", path: `${repoPath}/pulls` });
    // The reconciler's list answers empty, as a list that has not caught up would: the call is repeated.
    emulator.server.faults.failNext(
      1,
      { status: 200, body: [] },
      { method: "GET", path: `${repoPath}/pulls` },
    );
    const { result, tasks } = await run({ ...writes[2], path: () => `${repoPath}/pulls` } as WriteCase, {
      branch,
    });
    expect(result).toMatchObject({ status: "completed", output: { head: { ref: branch }, body: null } });
    expect(hello().pulls.filter((p) => p.head.ref === branch)).toHaveLength(1);
    expect(tasks[0]).toMatchObject({ attempts: 2, status: "completed" });
  });

  it("fails as the 422 it is when the open pull request is someone else's", async () => {
    const branch = fresh("taken");
    emulator.createBranch("octo-org/hello", branch);
    const { result } = await runWithGithub(emulator, async (github) => {
      await github.runTask("theirs", async (client) =>
        client.rest.pulls.create({ ...REPO, title: "Theirs", head: branch, base: "main" }),
      );
      return github.pulls.create("ours", { ...REPO, title: "Ours", head: branch, base: "main" });
    });
    expect(result).toMatchObject({ status: "failed", error: { type: "schema", status: 422 } });
  });
});

describe("git.createRef's 422 'Reference already exists'", () => {
  it("fails as a conflict when the reference points at another sha", async () => {
    const branch = fresh("elsewhere");
    emulator.createBranch("octo-org/hello", branch);
    const { result } = await runWithGithub(emulator, (github) =>
      github.git.createRef("ref", { ...REPO, ref: `refs/heads/${branch}`, sha: mainSha() }),
    );
    expect(result).toMatchObject({ status: "failed", error: { status: 422 } });
  });
});

describe("a write that declares no safe repeat", () => {
  it("an undeclared passthrough write (repos.deleteWebhook): fails with outcome_unknown, not repeated", async () => {
    const url = `https://hooks.example.test/${fresh("gone")}`;
    const created = await runWithGithub(emulator, (github) =>
      github.repos.createWebhook("hook", { ...REPO, config: { url } }),
    );
    const id = created.result.status === "completed" ? created.result.output.id : 0;
    const path = `${repoPath}/hooks/${id}`;
    emulator.server.faults.loseAnswerNext(1, { method: "DELETE", path });
    const { result, store, runId } = await runWithGithub(
      emulator,
      (github) => github.repos.deleteWebhook("unhook", { ...REPO, hook_id: id }),
      { runner: { clock: createTestClock(Date.now()), maxInProcessWaitMs: Number.POSITIVE_INFINITY } },
    );
    expect(result).toMatchObject({ status: "failed", error: { reason: "outcome_unknown" } });
    if (result.status === "failed") expect(result.error.message).toMatch(/Check whether it happened/);
    expect((await store.loadRun(runId))?.tasks[0]?.attempts).toBe(1);
    expect(emulator.requests.filter((r) => r.method === "DELETE" && r.path === path)).toHaveLength(1);
    expect(hello().hooks.some((h) => h.id === id)).toBe(false);
  });
});

describe("a workflow step runs the action's task, with the same guarantee", () => {
  const { run: runSteps } = actionsHarness(githubProvider.actions, () => ({
    vault: {
      "cred-github": {
        provider: "github",
        type: "bearer_token",
        token: emulator.mintToken({ login: "octocat" }),
      },
    },
    providers: { github: { ...githubProvider.clientOptions({ apiUrl: emulator.url }), timeoutMs: 2_000 } },
  }));

  it("github.createIssue whose answer is lost: created once, the step completes, its call reconciled", async () => {
    const title = fresh("From a step");
    emulator.server.faults.loseAnswerNext(1, { method: "POST", path: `${repoPath}/issues` });
    const { result, tasks } = await runSteps([
      { id: "issue", action: "github.createIssue", inputs: { ...REPO, title }, credentialId: "cred-github" },
    ]);
    expect(result.status).toBe("completed");
    const created = hello().issues.filter((i) => i.title === title);
    expect(created).toHaveLength(1);
    const output = result.status === "completed" ? result.output.steps[0]?.output : undefined;
    expect(output).toMatchObject({ number: created[0]?.number, title });
    expect(tasks.find((t) => t.id === "issue/issues.create")).toMatchObject({
      status: "completed",
      reconciled: true,
      attempts: 1,
    });
  });
});

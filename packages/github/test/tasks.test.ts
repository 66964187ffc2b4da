import { defineJob, JobRunner, MemoryTaskStore } from "@autoflow/core";
import { GithubEmulator } from "@autoflow/emulators";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Github } from "../src/index";
import { openPullRequest, outputOf, REPO, runWithGithub } from "./__fixtures__/harness";

// Every named task through the real runtime, the real Octokit and the emulator's state.
const emulator = new GithubEmulator();
beforeAll(() => emulator.start());
afterAll(() => emulator.stop());

const hello = () => {
  const repo = emulator.state.repo("octo-org", "hello");
  if (!repo) throw new Error("seed repository missing");
  return repo;
};

describe("issues", () => {
  it("creates an issue with body, labels, assignees and milestone that reads back, with display properties", async () => {
    const { result, store, runId } = await runWithGithub(emulator, async (github) => {
      const created = await github.issues.create("create", {
        ...REPO,
        title: "Crash on start",
        body: "Stack trace attached",
        labels: ["bug", "p1"],
        assignees: ["octocat"],
        milestone: 1,
      });
      const read = await github.issues.get("get", { ...REPO, issue_number: created.number });
      return { created, read };
    });
    const { created, read } = outputOf(result);
    // The task answers the body as the job wrote it; GitHub keeps it with the task's marker, a hidden comment.
    expect(created.body).toBe("Stack trace attached");
    expect(read).toMatchObject({
      number: created.number,
      title: "Crash on start",
      body: expect.stringMatching(/^Stack trace attached\n\n<!-- autoflow-task:[0-9a-f]{32} -->$/),
    });
    expect(read.labels.map((l) => (typeof l === "string" ? l : l.name))).toEqual(["bug", "p1"]);
    expect(read.assignees?.map((a) => a.login)).toEqual(["octocat"]);
    expect(read.milestone?.number).toBe(1);
    expect(hello().issues.find((i) => i.number === created.number)?.title).toBe("Crash on start");

    const tasks = (await store.loadRun(runId))?.tasks ?? [];
    expect(tasks.map((t) => [t.id, t.name, t.icon, t.status])).toEqual([
      ["create", "Create Issue", "github", "completed"],
      ["get", "Get Issue", "github", "completed"],
    ]);
    expect(tasks[0]?.properties).toEqual([
      { label: "Repo", text: "octo-org/hello", url: `${emulator.url}/octo-org/hello` },
      { label: "Title", text: "Crash on start" },
      { label: "Labels", text: "bug, p1" },
      { label: "Assignees", text: "octocat" },
      { label: "Milestone", text: "1" },
    ]);
    expect(tasks[1]?.properties).toContainEqual({
      label: "Issue",
      text: `#${created.number}`,
      url: `${emulator.url}/octo-org/hello/issues/${created.number}`,
    });
    expect(tasks[0]?.output).toMatchObject({ number: created.number, html_url: created.html_url });
  });

  it("updates, comments on and labels an issue, and lists it with filters", async () => {
    const { result } = await runWithGithub(emulator, async (github) => {
      const { number } = await github.issues.create("create", { ...REPO, title: "To triage" });
      await github.issues.createComment("comment", {
        ...REPO,
        issue_number: number,
        body: "Looking into it",
      });
      const labels = await github.issues.addLabels("labels", {
        ...REPO,
        issue_number: number,
        labels: ["needs-triage"],
      });
      const open = await github.issues.listForRepo("open", { ...REPO, labels: "needs-triage" });
      const closed = await github.issues.update("close", { ...REPO, issue_number: number, state: "closed" });
      const after = await github.issues.listForRepo("after", { ...REPO, labels: "needs-triage" });
      const all = await github.issues.listForRepo("all", { ...REPO, labels: "needs-triage", state: "all" });
      const mine = await github.issues.list("mine");
      return { number, labels, open, closed, after, all, mine };
    });
    const out = outputOf(result);
    expect(out.labels.map((l) => l.name)).toEqual(["needs-triage"]);
    expect(out.open.map((i) => i.number)).toEqual([out.number]);
    expect(out.closed).toMatchObject({ state: "closed", comments: 1 });
    expect(out.after).toEqual([]);
    expect(out.all.map((i) => i.number)).toEqual([out.number]);
    // GET /issues: issues assigned to octocat, like the seeded #1.
    expect(out.mine.map((i) => i.number)).toContain(1);
    const stored = hello().issues.find((i) => i.number === out.number);
    expect(stored?.comments.map((c) => c.body)).toEqual([
      expect.stringMatching(/^Looking into it\n\n<!-- autoflow-task:[0-9a-f]{32} -->$/),
    ]);
    expect(stored?.labels).toEqual(["needs-triage"]);
  });

  it("pages through a repository's issues with per_page and page", async () => {
    const { result } = await runWithGithub(emulator, async (github) => {
      for (let i = 0; i < 3; i++)
        await github.issues.create(["seed", i], { ...REPO, title: `paged ${i}`, labels: ["paged"] });
      const first = await github.issues.listForRepo("page-1", {
        ...REPO,
        labels: "paged",
        per_page: 2,
        page: 1,
      });
      const second = await github.issues.listForRepo("page-2", {
        ...REPO,
        labels: "paged",
        per_page: 2,
        page: 2,
      });
      return [first.map((i) => i.title), second.map((i) => i.title)];
    });
    expect(outputOf(result)).toEqual([["paged 2", "paged 1"], ["paged 0"]]);
  });
});

describe("issues.listForRepoAll (a bounded page walk)", () => {
  const seed = (label: string, count: number) =>
    runWithGithub(emulator, async (github) => {
      for (let i = 0; i < count; i++)
        await github.issues.create(["seed", i], { ...REPO, title: `${label} ${i}`, labels: [label] });
    });
  const pagesAsked = (label: string) =>
    emulator.requests
      .filter(
        (r) => r.method === "GET" && r.path === "/repos/octo-org/hello/issues" && r.query.labels === label,
      )
      .map((r) => [r.query.per_page, r.query.page ?? "1"]);

  it("follows GitHub's link header to `limit` items as one task, asking for no page past the last one it needs", async () => {
    await seed("walked", 5);
    const { result, store, runId } = await runWithGithub(emulator, (github) =>
      github.issues.listForRepoAll("walk", { ...REPO, labels: "walked", per_page: 2 }, { limit: 3 }),
    );
    expect(outputOf(result).map((i) => i.title)).toEqual(["walked 4", "walked 3", "walked 2"]);
    expect(pagesAsked("walked")).toEqual([
      ["2", "1"],
      ["2", "2"],
    ]);
    const tasks = (await store.loadRun(runId))?.tasks ?? [];
    expect(tasks.map((t) => [t.id, t.name, t.status])).toEqual([
      ["walk", "List All Repository Issues", "completed"],
    ]);
    expect(tasks[0]?.properties).toEqual([
      { label: "Repo", text: "octo-org/hello", url: `${emulator.url}/octo-org/hello` },
      { label: "Labels", text: "walked" },
      { label: "Limit", text: "3" },
    ]);
  });

  it("stops at the last page when there are fewer items than `limit`; pages are `limit` long by default", async () => {
    await seed("few", 3);
    const { result } = await runWithGithub(emulator, (github) =>
      github.issues.listForRepoAll("walk", { ...REPO, labels: "few" }, { limit: 50 }),
    );
    expect(outputOf(result).map((i) => i.title)).toEqual(["few 2", "few 1", "few 0"]);
    expect(pagesAsked("few")).toEqual([["50", "1"]]);
  });

  it("refuses a limit it cannot honour before any request", async () => {
    const before = emulator.requests.length;
    const { result } = await runWithGithub(emulator, (github) =>
      github.issues.listForRepoAll("walk", REPO, { limit: 0 }),
    );
    expect(result.status).toBe("failed");
    expect(emulator.requests.length).toBe(before);
  });
});

describe("pulls", () => {
  it("opens a pull request from a branch, reads and lists it, and merges it into main", async () => {
    emulator.createBranch("octo-org/hello", "topic");
    const mainBefore = hello().refs.get("refs/heads/main");
    const { result, store, runId } = await runWithGithub(emulator, async (github) => {
      const pr = await github.pulls.create("open", {
        ...REPO,
        title: "Add topic",
        head: "topic",
        base: "main",
        body: "Please",
      });
      const read = await github.pulls.get("get", { ...REPO, pull_number: pr.number });
      const listed = await github.pulls.list("list", { ...REPO, base: "main" });
      const merged = await github.pulls.merge("merge", {
        ...REPO,
        pull_number: pr.number,
        merge_method: "squash",
      });
      const after = await github.pulls.get("after", { ...REPO, pull_number: pr.number });
      return { pr, read, listed, merged, after };
    });
    const out = outputOf(result);
    expect(out.read).toMatchObject({
      title: "Add topic",
      state: "open",
      merged: false,
      head: { ref: "topic" },
    });
    expect(out.listed.map((p) => p.number)).toContain(out.pr.number);
    expect(out.merged).toMatchObject({ merged: true });
    expect(out.after).toMatchObject({ state: "closed", merged: true, merge_commit_sha: out.merged.sha });
    expect(hello().refs.get("refs/heads/main")).toBe(out.merged.sha);
    expect(hello().refs.get("refs/heads/main")).not.toBe(mainBefore);
    const merge = (await store.loadRun(runId))?.tasks.find((t) => t.id === "merge");
    expect(merge?.properties).toContainEqual({
      label: "Pull Request",
      text: `#${out.pr.number}`,
      url: `${emulator.url}/octo-org/hello/pull/${out.pr.number}`,
    });
  });

  it("fails fast with a schema error when the head branch does not exist", async () => {
    const { result } = await runWithGithub(emulator, (github) =>
      github.pulls.create("open", { ...REPO, title: "Nope", head: "no-such-branch", base: "main" }),
    );
    expect(result.status).toBe("failed");
    if (result.status !== "failed") return;
    expect(result.error).toMatchObject({ type: "schema", status: 422, code: "invalid", retryable: false });
  });

  it("refuses to merge a pull request twice", async () => {
    const number = await openPullRequest(emulator);
    const { result } = await runWithGithub(emulator, async (github) => {
      await github.pulls.merge("first", { ...REPO, pull_number: number });
      return github.pulls.merge("second", { ...REPO, pull_number: number });
    });
    expect(result.status).toBe("failed");
    if (result.status === "failed") expect(result.error).toMatchObject({ type: "schema", status: 405 });
  });
});

describe("repos", () => {
  it("gets a repository, lists the user's, and creates a webhook whose secret stays out of the task log", async () => {
    const secret = "whsec-do-not-log-123456";
    const { result, store, runId } = await runWithGithub(emulator, async (github) => {
      const repo = await github.repos.get("get", REPO);
      const mine = await github.repos.listForAuthenticatedUser("mine", { per_page: 10 });
      const hook = await github.repos.createWebhook("hook", {
        ...REPO,
        config: { url: "https://example.com/github", content_type: "json", secret },
        events: ["issues", "pull_request"],
      });
      return { repo, mine, hook };
    });
    const out = outputOf(result);
    expect(out.repo).toMatchObject({ full_name: "octo-org/hello", default_branch: "main" });
    expect(out.mine.map((r) => r.full_name)).toEqual(["octo-org/hello", "octocat/Hello-World"]);
    expect(out.hook).toMatchObject({ active: true, events: ["issues", "pull_request"] });
    expect(hello().hooks.find((h) => h.id === out.hook.id)?.config).toMatchObject({
      url: "https://example.com/github",
      secret,
    });
    expect(JSON.stringify(await store.loadRun(runId))).not.toContain(secret);
  });
});

describe("reactions", () => {
  it("reacts to an issue once per content and lists the reactions", async () => {
    const { result } = await runWithGithub(emulator, async (github) => {
      const { number } = await github.issues.create("issue", { ...REPO, title: "React to me" });
      const rocket = await github.reactions.createForIssue("rocket", {
        ...REPO,
        issue_number: number,
        content: "rocket",
      });
      const again = await github.reactions.createForIssue("again", {
        ...REPO,
        issue_number: number,
        content: "rocket",
      });
      await github.reactions.createForIssue("eyes", { ...REPO, issue_number: number, content: "eyes" });
      const rockets = await github.reactions.listForIssue("rockets", {
        ...REPO,
        issue_number: number,
        content: "rocket",
      });
      const all = await github.reactions.listForIssue("all", { ...REPO, issue_number: number });
      return { number, rocket, again, rockets, all };
    });
    const out = outputOf(result);
    expect(out.again.id).toBe(out.rocket.id);
    expect(out.rockets.map((r) => r.content)).toEqual(["rocket"]);
    expect(out.all.map((r) => r.content).sort()).toEqual(["eyes", "rocket"]);
    expect(hello().issues.find((i) => i.number === out.number)?.reactions).toHaveLength(2);
  });
});

describe("git refs", () => {
  it("reads main, branches from it, and fast-forwards the branch", async () => {
    const feature = hello().refs.get("refs/heads/feature") as string;
    const { result } = await runWithGithub(emulator, async (github) => {
      const main = await github.git.getRef("main", { ...REPO, ref: "heads/main" });
      const base = hello().commits.get(feature)?.[0] as string;
      const created = await github.git.createRef("branch", {
        ...REPO,
        ref: "refs/heads/release-1",
        sha: base,
      });
      const moved = await github.git.updateRef("move", { ...REPO, ref: "heads/release-1", sha: feature });
      return { main, created, moved };
    });
    const out = outputOf(result);
    expect(out.main).toMatchObject({ ref: "refs/heads/main", object: { type: "commit" } });
    expect(out.created.ref).toBe("refs/heads/release-1");
    expect(out.moved.object.sha).toBe(feature);
    expect(hello().refs.get("refs/heads/release-1")).toBe(feature);
  });
});

describe("passthrough", () => {
  it("runs an SDK method without a hand-written task as a logged, typed task", async () => {
    const { result, store, runId } = await runWithGithub(emulator, async (github) => {
      const workflows = await github.actions.listRepoWorkflows("workflows", REPO);
      const comments = await github.issues.listComments("comments", { ...REPO, issue_number: 1 });
      const me = await github.users.getAuthenticated("me");
      return {
        total: workflows.total_count,
        names: workflows.workflows.map((w) => w.name),
        comments,
        login: me.login,
      };
    });
    expect(outputOf(result)).toMatchObject({ total: 1, names: ["CI"], login: "octocat" });
    const tasks = (await store.loadRun(runId))?.tasks ?? [];
    expect(tasks.map((t) => [t.id, t.name, t.icon, t.status])).toEqual([
      ["workflows", "actions.listRepoWorkflows", "github", "completed"],
      ["comments", "issues.listComments", "github", "completed"],
      ["me", "users.getAuthenticated", "github", "completed"],
    ]);
    expect(tasks[0]?.params).toEqual(REPO);
    expect(tasks[1]?.properties).toContainEqual({
      label: "Issue",
      text: "#1",
      url: `${emulator.url}/octo-org/hello/issues/1`,
    });
    expect(emulator.requests.some((r) => r.path === "/repos/octo-org/hello/actions/workflows")).toBe(true);
  });

  it("replays a completed passthrough task from the log without calling GitHub again", async () => {
    const store = new MemoryTaskStore();
    const github = new Github({ id: "github", token: emulator.mintToken(), baseUrl: emulator.url });
    const job = defineJob({
      id: "replay",
      integrations: { github },
      run: async (_p, io) => (await io.github.users.getAuthenticated("me")).login,
    });
    const runner = new JobRunner({ store });
    await runner.run(job, { runId: "replay-run" });
    const before = emulator.requests.length;
    expect(await runner.run(job, { runId: "replay-run" })).toMatchObject({
      status: "completed",
      output: "octocat",
    });
    expect(emulator.requests.length).toBe(before);
  });

  it("runs any Octokit call through the generic runTask", async () => {
    const { result, store, runId } = await runWithGithub(emulator, (github) =>
      github.runTask("raw", async (client) => (await client.rest.repos.get(REPO)).data.full_name, {
        name: "Raw request",
      }),
    );
    expect(outputOf(result)).toBe("octo-org/hello");
    expect((await store.loadRun(runId))?.tasks[0]).toMatchObject({ name: "Raw request", icon: "github" });
  });
});

describe("GitHub Enterprise Server", () => {
  it("sends every request under the baseUrl's /api/v3 and links tasks to the GHES web host", async () => {
    const { result, store, runId } = await runWithGithub(
      emulator,
      async (github) => {
        const issue = await github.issues.create("create", { ...REPO, title: "On GHES" });
        const read = await github.issues.get("get", { ...REPO, issue_number: issue.number });
        return read;
      },
      { github: { baseUrl: emulator.enterpriseApiUrl } },
    );
    const issue = outputOf(result);
    expect(issue.url).toBe(`${emulator.enterpriseApiUrl}/repos/octo-org/hello/issues/${issue.number}`);
    const paths = emulator.requests.slice(-2).map((r) => `${r.method} ${r.path}`);
    expect(paths).toEqual([
      "POST /api/v3/repos/octo-org/hello/issues",
      `GET /api/v3/repos/octo-org/hello/issues/${issue.number}`,
    ]);
    const get = (await store.loadRun(runId))?.tasks.find((t) => t.id === "get");
    expect(get?.properties).toContainEqual({
      label: "Issue",
      text: `#${issue.number}`,
      url: `${emulator.url}/octo-org/hello/issues/${issue.number}`,
    });
  });
});

describe("auth", () => {
  it("uses the run's connection auth when constructed without a token (HOSTED)", async () => {
    const token = emulator.mintToken({ login: "hubot" });
    const github = new Github({ id: "github", baseUrl: emulator.url });
    const job = defineJob({
      id: "hosted",
      integrations: { github },
      run: async (_p, io) => (await io.github.users.getAuthenticated("me")).login,
    });
    const runner = new JobRunner({ resolveAuth: () => ({ type: "oauth2", accessToken: token }) });
    expect(await runner.run(job)).toMatchObject({ status: "completed", output: "hubot" });
  });

  it("keeps the token out of errors and the task log", async () => {
    const token = emulator.mintToken();
    await emulator.injectFault("unauthorized");
    try {
      const { result, store, runId } = await runWithGithub(
        emulator,
        (github) => github.repos.get("get", REPO),
        { token },
      );
      expect(result.status).toBe("failed");
      const serialized = JSON.stringify({ result, log: await store.loadRun(runId) });
      expect(serialized).toContain("Bad credentials");
      expect(serialized).not.toContain(token);
    } finally {
      await emulator.clearFaults();
    }
  });
});

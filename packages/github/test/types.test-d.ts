import {
  defineJob,
  type IntegrationTaskKey,
  JobRunner,
  type StrictParams,
  type TaskOutput,
} from "@autoflow/core";
import type { Octokit } from "octokit";
import { describe, expectTypeOf, it } from "vitest";
import { Github, type GithubData, type GithubParams } from "../src/index";

// Type-level behaviour, checked by `vitest --typecheck`; nothing here runs.
const github = new Github({ id: "types", token: "ghp_types_only_0000000000" });

describe("hand-written tasks", () => {
  it("take the SDK's full params and resolve to the task output of its data", () => {
    expectTypeOf(github.issues.create).parameter(1).toEqualTypeOf<GithubParams<"issues", "create">>();
    // The SDK's params without Octokit's catch-all index signature: every named field, nothing else.
    expectTypeOf(github.issues.create)
      .parameter(1)
      .toEqualTypeOf<StrictParams<NonNullable<Parameters<Octokit["rest"]["issues"]["create"]>[0]>>>();
    expectTypeOf(github.issues.create).returns.resolves.toEqualTypeOf<
      TaskOutput<GithubData<"issues", "create">>
    >();
    expectTypeOf(github.issues.get).returns.resolves.toHaveProperty("html_url").toEqualTypeOf<string>();
    expectTypeOf(github.pulls.merge).returns.resolves.toHaveProperty("merged").toEqualTypeOf<boolean>();
    expectTypeOf(github.git.getRef).returns.resolves.toHaveProperty("object");
    expectTypeOf(github.reactions.createForIssue).returns.resolves.toHaveProperty("content");
    expectTypeOf(github.repos.createWebhook).returns.resolves.toHaveProperty("id").toEqualTypeOf<number>();
    expectTypeOf(github.issues.listForRepoAll).returns.resolves.toEqualTypeOf<
      TaskOutput<GithubData<"issues", "listForRepo">>
    >();
    expectTypeOf(github.issues.listForRepoAll).parameter(2).toEqualTypeOf<{ limit: number }>();
  });

  it("rejects misspelt methods and wrong params", () => {
    const wrong = () => {
      // @ts-expect-error no such method in octokit.rest.issues
      github.issues.creat("k", { owner: "o", repo: "r", title: "t" });
      // @ts-expect-error owner is required
      github.issues.create("k", { repo: "r", title: "t" });
      // @ts-expect-error labels is an array
      github.issues.create("k", { owner: "o", repo: "r", title: "t", labels: "bug" });
      // @ts-expect-error pull_number is a number
      github.pulls.merge("k", { owner: "o", repo: "r", pull_number: "1" });
      // @ts-expect-error the task key comes first
      github.repos.get({ owner: "o", repo: "r" });
      // @ts-expect-error a page walk needs its limit
      github.issues.listForRepoAll("k", { owner: "o", repo: "r" });
    };
    expectTypeOf(wrong).toBeFunction();
  });
});

describe("passthrough", () => {
  it("types a namespace without hand-written tasks from the SDK", () => {
    expectTypeOf(github.actions.listRepoWorkflows).parameter(0).toEqualTypeOf<IntegrationTaskKey>();
    expectTypeOf(github.actions.listRepoWorkflows).toBeCallableWith("k", { owner: "o", repo: "r" });
    expectTypeOf(github.actions.listRepoWorkflows).returns.resolves.toEqualTypeOf<
      TaskOutput<GithubData<"actions", "listRepoWorkflows">>
    >();
    expectTypeOf(github.actions.listRepoWorkflows)
      .returns.resolves.toHaveProperty("total_count")
      .toEqualTypeOf<number>();
    // A method whose params are all optional may be called with the key alone.
    expectTypeOf(github.users.getAuthenticated).toBeCallableWith("me");
  });

  it("keeps a hand-written namespace's other methods as passthrough tasks", () => {
    expectTypeOf(github.issues.lock).toBeCallableWith("k", { owner: "o", repo: "r", issue_number: 1 });
    expectTypeOf(github.issues.lock).returns.resolves.toEqualTypeOf<
      TaskOutput<GithubData<"issues", "lock">>
    >();
  });

  it("rejects misspelt passthrough methods and namespaces, and wrong params", () => {
    const wrong = () => {
      // @ts-expect-error no such method in octokit.rest.actions
      github.actions.listRepoWorkflowz("k", { owner: "o", repo: "r" });
      // @ts-expect-error no such namespace in octokit.rest
      github.actionz.listRepoWorkflows("k", { owner: "o", repo: "r" });
      // @ts-expect-error issue_number is a number
      github.issues.lock("k", { owner: "o", repo: "r", issue_number: "1" });
      // @ts-expect-error lock_reason is one of GitHub's four reasons
      github.issues.lock("k", { owner: "o", repo: "r", issue_number: 1, lock_reason: "boring" });
      // @ts-expect-error owner and repo are required, though Octokit declares every method's params optional
      github.actions.listRepoWorkflows("k");
      // @ts-expect-error a misspelt key: Octokit's params accept any key, the tasks' do not
      github.actions.listRepoWorkflows("k", { owner: "o", repo: "r", per_pag: 10 });
      // @ts-expect-error the same for hand-written tasks
      github.issues.create("k", { owner: "o", repo: "r", title: "t", lables: ["bug"] });
    };
    expectTypeOf(wrong).toBeFunction();
  });
});

describe("task outputs", () => {
  it("are idempotent, so a job returning task outputs keeps their types", () => {
    type Issue = GithubData<"issues", "create">;
    expectTypeOf<TaskOutput<TaskOutput<Issue>>>().toEqualTypeOf<TaskOutput<Issue>>();
    expectTypeOf<TaskOutput<TaskOutput<Issue>>>().toHaveProperty("html_url").toEqualTypeOf<string>();
    // A Jsonify'd answer (repos.get has non-JSON fields in its SDK type) survives a second round trip too.
    type Repo = GithubData<"repos", "get">;
    expectTypeOf<TaskOutput<TaskOutput<Repo>>>().toEqualTypeOf<TaskOutput<Repo>>();

    const job = defineJob({
      id: "typed",
      integrations: { github },
      run: async (_payload, io) => {
        const issue = await io.github.issues.create("create", { owner: "o", repo: "r", title: "t" });
        const repo = await io.github.repos.get("repo", { owner: "o", repo: "r" });
        return { issue, repo };
      },
    });
    const run = () => new JobRunner().run(job);
    type Output = Extract<Awaited<ReturnType<typeof run>>, { status: "completed" }>["output"];
    expectTypeOf<Output["issue"]["number"]>().toEqualTypeOf<number>();
    expectTypeOf<Output["repo"]["full_name"]>().toEqualTypeOf<string>();
  });

  it("types the generic runTask by its callback, as a task output", () => {
    const raw = () =>
      github.runTask(
        "raw",
        async (client) => (await client.rest.repos.get({ owner: "o", repo: "r" })).data.id,
      );
    expectTypeOf(raw).returns.resolves.toEqualTypeOf<TaskOutput<number>>();
    expectTypeOf(github.runTask<number>).toBeCallableWith(
      "k",
      async (client: Octokit) => client.rest.repos.get.length,
    );
  });
});

import type { IntegrationTaskKey, TaskOutput } from "@autoflow/core";
import type { Octokit } from "octokit";
import { describe, expectTypeOf, it } from "vitest";
import { Github, type GithubData, type GithubParams } from "../src/index";

// Type-level behaviour, checked by `tsc` (typecheck); no task runs, so no request is made.
const github = new Github({ id: "types", token: "ghp_types_only_0000000000" });

describe("types", () => {
  it("issues.create takes the SDK's full params: body, labels, assignees, milestone", () => {
    expectTypeOf(github.issues.create).parameter(1).toEqualTypeOf<GithubParams<"issues", "create">>();
    expectTypeOf<GithubParams<"issues", "create">>().toMatchTypeOf<{
      owner: string;
      repo: string;
      title: string | number;
      body?: string;
      labels?: (string | { name?: string })[];
      assignees?: string[];
      milestone?: string | number | null;
    }>();
    expectTypeOf(github.issues.create)
      .parameter(1)
      .toEqualTypeOf<NonNullable<Parameters<Octokit["rest"]["issues"]["create"]>[0]>>();
    const typed = () =>
      github.issues.create("k", {
        owner: "o",
        repo: "r",
        title: "t",
        body: "b",
        labels: ["bug"],
        assignees: ["a"],
        milestone: 1,
      });
    expectTypeOf(typed).returns.resolves.toEqualTypeOf<GithubData<"issues", "create">>();
  });

  it("rejects wrong params", () => {
    const wrong = () => {
      // @ts-expect-error owner is required
      github.issues.create("k", { repo: "r", title: "t" });
      // @ts-expect-error labels is an array
      github.issues.create("k", { owner: "o", repo: "r", title: "t", labels: "bug" });
      // @ts-expect-error pull_number is a number
      github.pulls.merge("k", { owner: "o", repo: "r", pull_number: "1" });
      // @ts-expect-error the task key comes first
      github.repos.get({ owner: "o", repo: "r" });
      // @ts-expect-error no such method in octokit.rest.actions
      github.actions.listRepoWorkflowz("k", { owner: "o", repo: "r" });
    };
    expectTypeOf(wrong).toBeFunction();
  });

  it("resolves tasks to the SDK's response data", () => {
    expectTypeOf(github.issues.get).returns.resolves.toHaveProperty("html_url").toEqualTypeOf<string>();
    expectTypeOf(github.pulls.merge).returns.resolves.toHaveProperty("merged").toEqualTypeOf<boolean>();
    expectTypeOf(github.git.getRef).returns.resolves.toHaveProperty("object");
    expectTypeOf(github.reactions.createForIssue).returns.resolves.toHaveProperty("content");
    expectTypeOf(github.repos.createWebhook).returns.resolves.toHaveProperty("id").toEqualTypeOf<number>();
  });

  it("types every other octokit.rest method as a passthrough task", () => {
    expectTypeOf(github.actions.listRepoWorkflows).parameter(0).toEqualTypeOf<IntegrationTaskKey>();
    expectTypeOf(github.actions.listRepoWorkflows)
      .parameter(1)
      .toEqualTypeOf<GithubParams<"actions", "listRepoWorkflows">>();
    expectTypeOf(github.actions.listRepoWorkflows)
      .returns.resolves.toHaveProperty("total_count")
      .toEqualTypeOf<number>();
    // A method whose params are all optional may be called with the key alone.
    expectTypeOf(github.users.getAuthenticated).toBeCallableWith("me");
    // Hand-written namespaces keep their other methods as passthrough tasks.
    expectTypeOf(github.issues.lock).parameter(1).toEqualTypeOf<GithubParams<"issues", "lock">>();
  });

  it("keeps the generic runTask typed by its callback, as a task output", () => {
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

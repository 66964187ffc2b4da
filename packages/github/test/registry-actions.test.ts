import {
  type ActionMetadata,
  createStepJob,
  createTriggerRegistry,
  type Step,
  validateWorkflow,
} from "@autoflow/actions";
import { actionsHarness } from "@autoflow/actions/testing";
import { JobRunner, MemoryTaskStore } from "@autoflow/core";
import { GithubEmulator } from "@autoflow/emulators";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { githubAction } from "../src/actions/github-action";
import { githubProvider } from "../src/provider";

// GitHub's registry actions, through the worker and the Github class, against the emulator: a user token in the
// vault, and the options the service derives from AUTOFLOW_GITHUB_API_URL, with a short timeout.
const github = new GithubEmulator();
const providers = () => ({
  github: { ...githubProvider.clientOptions({ apiUrl: github.url }), timeoutMs: 2_000 },
});
const { registry, run: runSteps } = actionsHarness(githubProvider.actions, () => ({
  vault: {
    "cred-github": {
      provider: "github",
      type: "bearer_token",
      token: github.mintToken({ login: "octocat" }),
    },
  },
  providers: providers(),
}));
beforeAll(() => github.start());
afterAll(() => github.stop());

const repo = () => github.state.repo("octo-org", "hello");

describe("github's registry actions as the builder lists them", () => {
  it("github.createIssue and github.createComment: a repository, lists of labels, a whole issue number", () => {
    const [issue, comment] = registry.list();
    expect(issue).toMatchObject({
      key: "github.createIssue",
      name: "Create issue",
      // The provider and credential types every github action declares, as the builder shows them.
      ...githubAction,
      authOptional: false,
      inputSchema: {
        required: ["owner", "repo", "title"],
        properties: { labels: { type: "array", items: { type: "string", minLength: 1 } } },
      },
    } satisfies Partial<ActionMetadata>);
    expect(comment).toMatchObject({
      key: "github.createComment",
      inputSchema: { properties: { issue_number: { type: "integer", exclusiveMinimum: 0 } } },
    });
    const inputs = { owner: "octo-org", repo: "hello", issue_number: 1.5, body: "hi" };
    expect(registry.get("github.createComment").inputSchema.safeParse(inputs).success).toBe(false);
  });
});

describe("validateWorkflow against github's output schemas", () => {
  const triggers = createTriggerRegistry(githubProvider.triggers);
  const createIssue: Step = {
    id: "issue",
    action: "github.createIssue",
    inputs: { owner: "octo-org", repo: "hello", title: "Bug" },
    credentialId: "cred-github",
  };
  const comment = (issue_number: unknown, body: string): Step => ({
    id: "comment",
    action: "github.createComment",
    inputs: { owner: "octo-org", repo: "hello", issue_number, body },
    credentialId: "cred-github",
  });
  const check = (steps: Step[]) => () => validateWorkflow({ id: "wf", steps }, registry, triggers);

  it("accepts an issue's number and URL, and names the fields there are for one it does not have", () => {
    expect(
      check([createIssue, comment({ $ref: "steps.issue.output.number" }, "{{steps.issue.output.url}}")]),
    ).not.toThrow();
    expect(check([createIssue, comment(1, "See {{steps.issue.output.htmlUrl}}")])).toThrow(
      "steps.1.inputs.body: steps.issue.output.htmlUrl is not an output of github.createIssue (it has: id, number, url, title)",
    );
    expect(check([createIssue, comment({ $ref: "steps.issue.output.number.value" }, "x")])).toThrow(
      "steps.1.inputs.issue_number: steps.issue.output.number.value is not an output of github.createIssue (steps.issue.output.number is a plain value with no fields)",
    );
  });
});

describe("github", () => {
  it("github.createIssue creates the issue and github.createComment comments on it", async () => {
    const { result, tasks } = await runSteps([
      {
        id: "issue",
        action: "github.createIssue",
        inputs: {
          owner: "octo-org",
          repo: "hello",
          title: "Registry actions",
          body: "From a step",
          labels: ["bug"],
          assignees: ["octocat"],
        },
        credentialId: "cred-github",
      },
    ]);
    const issueOutput = result.status === "completed" ? result.output.steps[0]?.output : undefined;
    expect(issueOutput).toMatchObject({ number: expect.any(Number), title: "Registry actions" });
    const number = (issueOutput as { number: number }).number;
    const issue = repo()?.issues.find((i) => i.number === number);
    expect(issue).toMatchObject({
      title: "Registry actions",
      body: expect.stringMatching(/^From a step\n\n<!-- autoflow-task:[0-9a-f]{32} -->$/),
      labels: ["bug"],
    });
    expect(issue?.assignees).toEqual(["octocat"]);
    expect(tasks.map((t) => t.id)).toEqual(["issue", "issue/issues.create"]);

    const comment = await runSteps([
      {
        id: "comment",
        action: "github.createComment",
        inputs: { owner: "octo-org", repo: "hello", issue_number: number, body: "Looking into it" },
        credentialId: "cred-github",
      },
    ]);
    expect(comment.result.status).toBe("completed");
    expect(
      repo()
        ?.issues.find((i) => i.number === number)
        ?.comments.map((c) => c.body),
    ).toEqual([expect.stringMatching(/^Looking into it\n\n<!-- autoflow-task:[0-9a-f]{32} -->$/)]);
  });
});

describe("a workflow step whose token the provider refuses", () => {
  it("asks the vault again, refreshed, once, and the step succeeds without logging either token", async () => {
    const stale = github.mintToken({ login: "octocat" });
    github.oauth.revoke(stale);
    const fresh = github.mintToken({ login: "octocat" });
    const requests: { forceRefresh?: boolean }[] = [];
    const job = createStepJob({
      registry,
      providers: providers(),
      resolveCredential: (request) => {
        requests.push({ ...(request.forceRefresh && { forceRefresh: true }) });
        return { provider: "github", type: "oauth2", access_token: request.forceRefresh ? fresh : stale };
      },
    });
    const store = new MemoryTaskStore();
    const steps: Step[] = [
      {
        id: "file",
        action: "github.createIssue",
        credentialId: "cred-github",
        inputs: { owner: "octo-org", repo: "hello", title: "Filed after a refresh" },
      },
    ];
    const result = await new JobRunner({ store }).run(job, {
      runId: "refresh-step",
      payload: { tenantId: "t", steps },
    });
    expect(result.status, JSON.stringify(result)).toBe("completed");
    // The step start, the first attempt (refused with 401), then one forced refresh.
    expect(requests.filter((r) => r.forceRefresh)).toHaveLength(1);
    expect(
      [...(repo()?.issues.values() ?? [])].filter((i) => i.title === "Filed after a refresh"),
    ).toHaveLength(1);
    const log = JSON.stringify((await store.loadRun("refresh-step"))?.tasks);
    expect(log).not.toContain(stale);
    expect(log).not.toContain(fresh);
  });
});

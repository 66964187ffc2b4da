import { createActionRegistry } from "@autoflow/actions";
import { createStepRunner, type Vault } from "@autoflow/actions/testing";
import { GithubEmulator } from "@autoflow/emulators";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { githubProvider } from "../src/provider";

// GitHub's registry actions, through the worker and the Github class, against the emulator.
const github = new GithubEmulator();
let vault: Vault;
// This package's registry actions, as the provider list's registry holds them.
const runSteps = createStepRunner(createActionRegistry(githubProvider.actions));

beforeAll(async () => {
  await github.start();
  vault = {
    "cred-github": {
      provider: "github",
      type: "bearer_token",
      token: github.mintToken({ login: "octocat" }),
    },
  };
});
afterAll(() => github.stop());

// The options the service derives from AUTOFLOW_GITHUB_API_URL, with a short timeout.
const providers = () => ({
  github: { ...githubProvider.clientOptions({ apiUrl: github.url }), timeoutMs: 2_000 },
});
const repo = () => github.state.repo("octo-org", "hello");

describe("github", () => {
  it("github.createIssue creates the issue and github.createComment comments on it", async () => {
    const { result, tasks } = await runSteps(
      [
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
      ],
      { vault, providers: providers() },
    );
    const issueOutput = result.status === "completed" ? result.output.steps[0]?.output : undefined;
    expect(issueOutput).toMatchObject({ number: expect.any(Number), title: "Registry actions" });
    const number = (issueOutput as { number: number }).number;
    const issue = repo()?.issues.find((i) => i.number === number);
    expect(issue).toMatchObject({ title: "Registry actions", body: "From a step", labels: ["bug"] });
    expect(issue?.assignees).toEqual(["octocat"]);
    expect(tasks.map((t) => t.id)).toEqual(["issue", "issue/issues.create"]);

    const comment = await runSteps(
      [
        {
          id: "comment",
          action: "github.createComment",
          inputs: { owner: "octo-org", repo: "hello", issue_number: number, body: "Looking into it" },
          credentialId: "cred-github",
        },
      ],
      { vault, providers: providers() },
    );
    expect(comment.result.status).toBe("completed");
    expect(
      repo()
        ?.issues.find((i) => i.number === number)
        ?.comments.map((c) => c.body),
    ).toEqual(["Looking into it"]);
  });
});

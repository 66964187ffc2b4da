import { type Step, validateWorkflow } from "@autoflow/actions";
import { outputOf, type Vault } from "@autoflow/actions/testing";
import { MemoryTaskStore } from "@autoflow/core";
import { GithubEmulator, SlackEmulator } from "@autoflow/emulators";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { integrationRegistry, triggerRegistry } from "../src/index";
import { providersFor, runSteps } from "./helpers";

const slack = new SlackEmulator();
const github = new GithubEmulator();
let vault: Vault;

beforeAll(async () => {
  await Promise.all([slack.start(), github.start()]);
  vault = {
    slack: { provider: "slack", type: "oauth2", access_token: slack.mintToken() },
    github: { provider: "github", type: "bearer_token", token: github.mintToken({ login: "octocat" }) },
  };
});
afterAll(() => Promise.all([slack.stop(), github.stop()]));

const providers = () => providersFor({ slack: { apiUrl: slack.apiUrl }, github: { apiUrl: github.url } });
const createIssue = (title: string): Step => ({
  id: "issue",
  action: "github.createIssue",
  inputs: { owner: "octo-org", repo: "hello", title },
  credentialId: "github",
});
const notify = (text: string): Step => ({
  id: "notify",
  action: "slack.sendMessage",
  inputs: { channel: "C01GENERAL", text },
  credentialId: "slack",
});
const issuesTitled = (title: string) =>
  github.state.repo("octo-org", "hello")?.issues.filter((issue) => issue.title === title) ?? [];

describe("validateWorkflow", () => {
  it("validateWorkflow names every problem and returns a valid workflow as it is", () => {
    const workflow = { id: "wf", steps: [createIssue("t"), notify("Issue {{steps.issue.output.url}}")] };
    expect(validateWorkflow(workflow, integrationRegistry, triggerRegistry)).toBe(workflow);
    expect(() =>
      validateWorkflow(
        { steps: [notify("{{steps.issue.output.url}}"), { id: "x", action: "nope.nope" }] },
        integrationRegistry,
        triggerRegistry,
      ),
    ).toThrow(/^id: is required; steps\.1\.action: Unknown action "nope\.nope"/);
    expect(() =>
      validateWorkflow(
        { id: "wf", steps: [notify("{{steps.issue.output.url}}")] },
        integrationRegistry,
        triggerRegistry,
      ),
    ).toThrow(
      'steps.0.inputs.text: "steps.issue.output.url" references step "issue", but there is no such step',
    );
    expect(() => validateWorkflow({ id: "wf", steps: [] }, integrationRegistry, triggerRegistry)).toThrow(
      "steps: must have at least one step",
    );
  });
});

describe("references in a step job", () => {
  it("a GitHub issue's URL (template) and number ($ref) reach the next steps", async () => {
    const title = `ref-${Math.random()}`;
    const { result } = await runSteps(
      [
        createIssue(title),
        notify("Issue {{steps.issue.output.url}} opened: {{steps.issue.output.title}}"),
        {
          id: "comment",
          action: "github.createComment",
          inputs: {
            owner: "octo-org",
            repo: "hello",
            issue_number: { $ref: "steps.issue.output.number" },
            body: "Posted to Slack at {{steps.notify.output.ts}}",
          },
          credentialId: "github",
        },
      ],
      { vault, providers: providers() },
    );
    const output = outputOf(result);
    const [issue] = issuesTitled(title);
    expect(issue).toBeDefined();
    const url = output.steps[0]?.output as { url: string; number: number };
    expect(url.url).toContain(`/issues/${issue?.number}`);
    const posted = slack.history("C01GENERAL").find((m) => m.text === `Issue ${url.url} opened: ${title}`);
    expect(posted).toBeDefined();
    // The comment carries the task's hidden marker (an HTML comment GitHub does not render) after the text, so a
    // lost answer is reconciled rather than commented twice.
    expect(issue?.comments?.map((c) => c.body)).toEqual([
      expect.stringMatching(
        new RegExp(`^Posted to Slack at ${posted?.ts}\n\n<!-- autoflow-task:[0-9a-f]+ -->$`),
      ),
    ]);
  });

  it("an unknown or later step is refused before step 1 sends anything", async () => {
    const before = github.requests.length + slack.requests.length;
    const title = `later-${Math.random()}`;
    const { result } = await runSteps(
      [
        {
          ...createIssue(title),
          inputs: { owner: "octo-org", repo: "hello", title: "{{steps.notify.output.ts}}" },
        },
        notify("x"),
      ],
      { vault, providers: providers() },
    );
    expect(result).toMatchObject({ status: "failed", error: { type: "schema", code: "invalid_steps" } });
    if (result.status === "failed") {
      expect(result.error.message).toContain(
        'references step "notify", but step "notify" runs after step "issue"',
      );
    }
    const unknown = await runSteps([createIssue(title), notify("{{steps.isue.output.url}}")], {
      vault,
      providers: providers(),
    });
    expect(unknown.result).toMatchObject({ status: "failed", error: { code: "invalid_steps" } });
    expect(github.requests.length + slack.requests.length).toBe(before);
    expect(issuesTitled(title)).toHaveLength(0);
  });

  it("a path the output does not have fails the run at that step as `schema`, after the steps before it", async () => {
    const title = `missing-${Math.random()}`;
    const sentBefore = slack.history("C01GENERAL").length;
    const { result, tasks } = await runSteps(
      [createIssue(title), notify("{{steps.issue.output.html_url}}")],
      {
        vault,
        providers: providers(),
      },
    );
    expect(result).toMatchObject({ status: "failed", error: { type: "schema", code: "missing_reference" } });
    if (result.status === "failed") {
      expect(result.error.message).toContain(`Step "notify", input text`);
      expect(result.error.message).toContain(`step "issue"'s output has no "html_url"`);
    }
    expect(issuesTitled(title)).toHaveLength(1);
    expect(slack.history("C01GENERAL")).toHaveLength(sentBefore);
    expect(tasks.map((t) => t.id)).not.toContain("notify");
  });

  it("on a resume the reference is filled from the task log: the issue is not created again", async () => {
    const store = new MemoryTaskStore();
    const title = `resume-ref-${Math.random()}`;
    const steps = [createIssue(title), notify("Resumed: {{steps.issue.output.url}}")];
    slack.rateLimit(0, 60_000);
    let first: Awaited<ReturnType<typeof runSteps>>;
    try {
      first = await runSteps(steps, {
        vault,
        providers: providers(),
        store,
        runId: "resume-ref",
        runner: { maxInProcessWaitMs: 50 },
      });
    } finally {
      await slack.clearFaults();
    }
    expect(first.result.status).toBe("suspended");
    expect(issuesTitled(title)).toHaveLength(1);

    const later = { now: () => Date.now() + 120_000, sleep: async () => {} };
    const second = await runSteps(steps, {
      vault,
      providers: providers(),
      store,
      runId: "resume-ref",
      runner: { clock: later },
    });
    const output = outputOf(second.result);
    const url = (output.steps[0]?.output as { url?: string } | undefined)?.url;
    expect(url).toContain("/issues/");
    expect(issuesTitled(title)).toHaveLength(1);
    expect(slack.history("C01GENERAL").filter((m) => m.text === `Resumed: ${url}`)).toHaveLength(1);
  });
});

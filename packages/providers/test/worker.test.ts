import { runStep } from "@autoflow/actions";
import type { Vault } from "@autoflow/actions/testing";
import {
  AuthTypeMismatchError,
  defineJob,
  IntegrationError,
  JobRunner,
  MemoryTaskStore,
  type NormalizedAuth,
} from "@autoflow/core";
import { GithubEmulator, SlackEmulator } from "@autoflow/emulators";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { integrationRegistry } from "../src/index";
import { providersFor, runSteps } from "./helpers";

const slack = new SlackEmulator();
const github = new GithubEmulator();
let slackToken: string;
let githubToken: string;
let vault: Vault;

beforeAll(async () => {
  await Promise.all([slack.start(), github.start()]);
  slackToken = slack.mintToken();
  githubToken = github.mintToken({ login: "octocat" });
  vault = {
    slack: {
      provider: "slack",
      type: "oauth2",
      access_token: slackToken,
      refresh_token: "xoxe-1-refresh-secret",
    },
    github: { provider: "github", type: "bearer_token", token: githubToken },
    "slack-api-key": { provider: "slack", type: "api_key", api_key: "slack-api-key-secret" },
  };
});
afterAll(() => Promise.all([slack.stop(), github.stop()]));

const providers = () => providersFor({ slack: { apiUrl: slack.apiUrl }, github: { apiUrl: github.url } });
const send = (text: string, channel = "C0001") => ({
  id: "notify",
  action: "slack.sendMessage",
  inputs: { channel, text },
  credentialId: "slack",
});

/** Calls `runStep` directly inside a job, returning what it returned or threw. */
async function runStepInJob(step: { action: string; inputs: unknown; credential?: unknown }) {
  let thrown: unknown;
  const job = defineJob({
    id: "run-step",
    run: async (_payload, io) => {
      try {
        return await runStep({
          ...step,
          tenantId: "t1",
          stepId: "s1",
          io,
          registry: integrationRegistry,
          providers: providers(),
        });
      } catch (error) {
        thrown = error;
        return null;
      }
    },
  });
  const store = new MemoryTaskStore();
  const result = await new JobRunner({ store }).run(job, { runId: "direct" });
  return { result, thrown, tasks: (await store.loadRun("direct"))?.tasks ?? [] };
}

describe("credential checks", () => {
  it("an api_key credential for slack.sendMessage is an AuthTypeMismatchError, and nothing is sent", async () => {
    const before = slack.requests.length;
    const { thrown, tasks } = await runStepInJob({
      action: "slack.sendMessage",
      inputs: { channel: "C0001", text: "never" },
      credential: vault["slack-api-key"],
    });
    expect(AuthTypeMismatchError.isInstance(thrown)).toBe(true);
    expect((thrown as Error).message).toBe(
      'The slack credential is "api_key", but this step needs "oauth2" or "bearer_token"',
    );
    expect(slack.requests.length).toBe(before);
    expect(tasks).toEqual([]);
  });

  it("in a step job the mismatch fails the run as an `auth` error naming the step", async () => {
    const before = slack.requests.length;
    const { result, tasks } = await runSteps([{ ...send("never"), credentialId: "slack-api-key" }], {
      vault,
      providers: providers(),
    });
    expect(result).toMatchObject({ status: "failed", error: { type: "auth", code: "auth_type_mismatch" } });
    if (result.status === "failed")
      expect(result.error.message).toMatch(/^Step "notify": The slack credential/);
    expect(slack.requests.length).toBe(before);
    expect(tasks).toEqual([]);
  });

  it("refuses another provider's credential", async () => {
    const before = slack.requests.length + github.requests.length;
    const { thrown } = await runStepInJob({
      action: "slack.sendMessage",
      inputs: { channel: "C0001", text: "never" },
      credential: { provider: "github", type: "bearer_token", token: githubToken },
    });
    expect(IntegrationError.isInstance(thrown)).toBe(true);
    expect(thrown).toMatchObject({ type: "auth", code: "invalid_credential" });
    expect((thrown as Error).message).toBe(
      'slack.sendMessage: The credential belongs to "github", not slack',
    );
    expect((thrown as Error).message).not.toContain(githubToken);
    expect(slack.requests.length + github.requests.length).toBe(before);
  });

  it("a missing credential is an `auth` error saying what to bind", async () => {
    const { thrown } = await runStepInJob({ action: "github.createIssue", inputs: {} });
    expect(thrown).toMatchObject({ type: "auth", code: "missing_credential" });
    expect((thrown as Error).message).toContain("github.createIssue needs a github credential");
  });
});

describe("input validation", () => {
  it("an invalid input is a `schema` IntegrationError naming the field, and nothing is sent", async () => {
    const before = slack.requests.length;
    const { thrown, tasks } = await runStepInJob({
      action: "slack.sendMessage",
      inputs: { channel: "", text: 42 },
      credential: vault.slack,
    });
    expect(IntegrationError.isInstance(thrown)).toBe(true);
    expect(thrown).toMatchObject({
      type: "schema",
      provider: "slack",
      code: "invalid_inputs",
      retryable: false,
    });
    const message = (thrown as Error).message;
    expect(message).toMatch(/^Invalid inputs for slack\.sendMessage: channel: Too small/);
    expect(message).toContain("text: Invalid input: expected string, received number");
    expect(slack.requests.length).toBe(before);
    expect(tasks).toEqual([]);
  });

  it("an unknown action or a duplicate step id fails the plan before any step runs", async () => {
    const before = slack.requests.length;
    const unknown = await runSteps([send("first"), { id: "two", action: "slack.sendMesage", inputs: {} }], {
      vault,
      providers: providers(),
    });
    expect(unknown.result).toMatchObject({
      status: "failed",
      error: { type: "schema", code: "invalid_steps" },
    });
    if (unknown.result.status === "failed") {
      expect(unknown.result.error.message).toContain('steps.1.action: Unknown action "slack.sendMesage"');
    }
    const duplicate = await runSteps([send("first"), send("second")], { vault, providers: providers() });
    expect(duplicate.result).toMatchObject({ status: "failed", error: { type: "schema" } });
    expect(slack.requests.length).toBe(before);
  });
});

describe("durability", () => {
  it("running the same step job twice with the same run id posts the Slack message once", async () => {
    const store = new MemoryTaskStore();
    const text = `once-${Math.random()}`;
    const first = await runSteps([send(text)], { vault, providers: providers(), store, runId: "replay-1" });
    const second = await runSteps([send(text)], { vault, providers: providers(), store, runId: "replay-1" });
    expect(first.result.status).toBe("completed");
    expect(second.result).toEqual(first.result);
    expect(slack.history("C0001").filter((m) => m.text === text)).toHaveLength(1);
  });

  it("a suspended run resumes from the task log: step 1 is replayed, not posted again", async () => {
    const store = new MemoryTaskStore();
    const text = `resume-${Math.random()}`;
    const steps = [
      send(text),
      {
        id: "issue",
        action: "github.createIssue",
        inputs: { owner: "octo-org", repo: "hello", title: text },
        credentialId: "github",
      },
    ];
    // GitHub says "come back in a minute": longer than the runner waits in process, so the run suspends.
    github.server.faults.failNext(
      1,
      { status: 429, headers: { "retry-after": "60" }, body: { message: "secondary rate limit" } },
      { path: /\/issues$/ },
    );
    const first = await runSteps(steps, {
      vault,
      providers: providers(),
      store,
      runId: "resume-1",
      runner: { maxInProcessWaitMs: 50 },
    });
    expect(first.result.status).toBe("suspended");

    // A minute later (another process, a fresh clock): the run resumes from its log.
    const later = { now: () => Date.now() + 120_000, sleep: async () => {} };
    const second = await runSteps(steps, {
      vault,
      providers: providers(),
      store,
      runId: "resume-1",
      runner: { clock: later },
    });
    expect(second.result.status).toBe("completed");
    expect(slack.history("C0001").filter((m) => m.text === text)).toHaveLength(1);
    expect(github.state.repo("octo-org", "hello")?.issues.filter((i) => i.title === text)).toHaveLength(1);
    expect(second.tasks.find((t) => t.id === "issue/issues.create")).toMatchObject({ attempts: 2 });
  });
});

describe("secrets", () => {
  it("the vault credentials are nowhere in the task records, the run record or the events", async () => {
    const store = new MemoryTaskStore();
    const events: unknown[] = [];
    const { result, tasks, runId } = await runSteps(
      [
        send("secrets test"),
        {
          id: "issue",
          action: "github.createIssue",
          inputs: { owner: "octo-org", repo: "hello", title: "Secrets" },
          credentialId: "github",
        },
        {
          id: "boom",
          action: "github.createIssue",
          inputs: { owner: "octo-org", repo: "missing-repo", title: "x" },
          credentialId: "github",
        },
      ],
      { vault, providers: providers(), store, runner: { onEvent: (e) => events.push(e) } },
    );
    expect(result).toMatchObject({ status: "failed", error: { type: "schema", status: 404 } });
    expect(tasks).toHaveLength(6);
    const logged = JSON.stringify({ tasks, run: await store.loadRun(runId), events, result });
    for (const secret of [slackToken, githubToken, "xoxe-1-refresh-secret"]) {
      expect(logged).not.toContain(secret);
    }
  });

  it("a credential pasted into a step's inputs is masked in every task record, nested provider calls included", async () => {
    const { result, tasks } = await runSteps(
      [
        send(`token ${slackToken} leaked into text`),
        {
          id: "issue",
          action: "github.createIssue",
          inputs: { owner: "octo-org", repo: "hello", title: "Pasted", body: `pasted ${githubToken}` },
          credentialId: "github",
        },
      ],
      { vault, providers: providers() },
    );
    expect(result.status).toBe("completed");
    // The step declares its credential to the run (`secrets`), so nested class tasks are scrubbed too.
    const logged = JSON.stringify(tasks);
    expect(tasks.some((t) => t.parentId !== undefined)).toBe(true);
    expect(logged).toContain("leaked into text");
    expect(logged).not.toContain(slackToken);
    expect(logged).not.toContain(githubToken);
  });

  it("runStep returns the step's JSON output and the action sees the narrowed auth and ids", async () => {
    const { result } = await runStepInJob({
      action: "slack.sendMessage",
      inputs: { channel: "C0001", text: "direct" },
      credential: vault.slack as NormalizedAuth,
    });
    expect(result).toMatchObject({
      status: "completed",
      output: { channel: "C0001", ts: expect.any(String) },
    });
  });
});

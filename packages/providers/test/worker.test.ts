import type { Vault } from "@autoflow/actions/testing";
import { MemoryTaskStore, type NormalizedAuth } from "@autoflow/core";
import { GithubEmulator, SlackEmulator } from "@autoflow/emulators";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { providersFor, runStepInJob, runSteps } from "./helpers";

// Step jobs end to end across two real providers and their emulators: what they observe (a message posted once,
// an issue created once, tokens of each shape masked) is each provider's own state. The checks before anything
// is sent name no provider: step-checks.test.ts.
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
  };
});
afterAll(() => Promise.all([slack.stop(), github.stop()]));

const providers = () => providersFor({ slack: { apiUrl: slack.apiUrl }, github: { apiUrl: github.url } });
const send = (text: string, channel = "C01GENERAL") => ({
  id: "notify",
  action: "slack.sendMessage",
  inputs: { channel, text },
  credentialId: "slack",
});

describe("durability", () => {
  it("running the same step job twice with the same run id posts the Slack message once", async () => {
    const store = new MemoryTaskStore();
    const text = `once-${Math.random()}`;
    const first = await runSteps([send(text)], { vault, providers: providers(), store, runId: "replay-1" });
    const second = await runSteps([send(text)], { vault, providers: providers(), store, runId: "replay-1" });
    expect(first.result.status).toBe("completed");
    expect(second.result).toEqual(first.result);
    expect(slack.history("C01GENERAL").filter((m) => m.text === text)).toHaveLength(1);
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
    expect(slack.history("C01GENERAL").filter((m) => m.text === text)).toHaveLength(1);
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
    const { result } = await runStepInJob(
      {
        action: "slack.sendMessage",
        inputs: { channel: "C01GENERAL", text: "direct" },
        credential: vault.slack as NormalizedAuth,
      },
      providers(),
    );
    expect(result).toMatchObject({
      status: "completed",
      output: { channel: "C01GENERAL", ts: expect.any(String) },
    });
  });
});

import { GithubEmulator, SlackEmulator } from "@autoflow/emulators";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { providersFor, runSteps, type Vault } from "./helpers";

// Every Slack and GitHub registry action, through the worker and the provider classes, against the emulators.
const slack = new SlackEmulator();
const github = new GithubEmulator();
let vault: Vault;

beforeAll(async () => {
  await Promise.all([slack.start(), github.start()]);
  vault = {
    "cred-slack": { provider: "slack", type: "oauth2", access_token: slack.mintToken() },
    "cred-github": {
      provider: "github",
      type: "bearer_token",
      token: github.mintToken({ login: "octocat" }),
    },
  };
});
afterAll(() => Promise.all([slack.stop(), github.stop()]));

const providers = () => providersFor(slack, github);
const repo = () => github.state.repo("octo-org", "hello");

describe("slack", () => {
  it("slack.sendMessage posts through chat.postMessage; the message is in the channel's history", async () => {
    const { result, tasks } = await runSteps(
      [
        {
          id: "notify",
          action: "slack.sendMessage",
          inputs: { channel: "C0001", text: "Build 42 is green" },
          credentialId: "cred-slack",
        },
      ],
      { vault, providers: providers() },
    );
    expect(result.status).toBe("completed");
    const output = result.status === "completed" ? result.output.steps[0]?.output : undefined;
    expect(output).toMatchObject({ channel: "C0001", ts: expect.any(String) });
    expect(slack.history("C0001").find((m) => m.text === "Build 42 is green")).toBeDefined();
    // The action's call is the class task, nested under the step's task.
    expect(tasks.map((t) => [t.id, t.name, t.icon, t.status])).toEqual([
      ["notify", "Send message", "slack", "completed"],
      ["notify/chat.postMessage", "Post Message", "slack", "completed"],
    ]);
  });

  it("slack.sendMessage replies in a thread with blocks, and slack.addReaction adds the emoji", async () => {
    const parent = slack.seedMessage("C0001", "Deploy started");
    const { result } = await runSteps(
      [
        {
          id: "reply",
          action: "slack.sendMessage",
          inputs: {
            channel: "C0001",
            text: "Deploy done",
            thread_ts: parent.ts,
            blocks: [{ type: "section", text: { type: "mrkdwn", text: "*Deploy done*" } }],
          },
          credentialId: "cred-slack",
        },
        {
          id: "react",
          action: "slack.addReaction",
          inputs: { channel: "C0001", timestamp: parent.ts, name: ":white_check_mark:" },
          credentialId: "cred-slack",
        },
      ],
      { vault, providers: providers() },
    );
    expect(result.status).toBe("completed");
    const thread = slack.workspace.thread("C0001", parent.ts);
    expect(thread.map((m) => m.text)).toEqual(["Deploy started", "Deploy done"]);
    expect(thread[1]?.blocks).toMatchObject([{ type: "section" }]);
    expect(slack.workspace.findMessage("C0001", parent.ts)?.reactions).toMatchObject([
      { name: "white_check_mark", count: 1 },
    ]);
  });
});

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

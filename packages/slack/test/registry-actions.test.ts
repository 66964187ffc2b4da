import type { ActionMetadata } from "@autoflow/actions";
import { actionsHarness } from "@autoflow/actions/testing";
import { SlackEmulator } from "@autoflow/emulators";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { slackAction } from "../src/actions/slack-action";
import { slackProvider } from "../src/provider";

// Slack's registry actions, through the worker and the Slack class, against the emulator: a bot token in the
// vault, and the options the service derives from AUTOFLOW_SLACK_API_URL, with a short timeout.
const slack = new SlackEmulator();
const { registry, run: runSteps } = actionsHarness(slackProvider.actions, () => ({
  vault: { "cred-slack": { provider: "slack", type: "oauth2", access_token: slack.mintToken() } },
  providers: { slack: { ...slackProvider.clientOptions({ apiUrl: slack.apiUrl }), timeoutMs: 2_000 } },
}));
beforeAll(() => slack.start());
afterAll(() => slack.stop());

describe("slack's registry actions as the builder lists them", () => {
  it("slack.sendMessage: display metadata, and a form with required fields and descriptions", () => {
    const send = registry.list().find((a) => a.key === "slack.sendMessage");
    expect(send).toMatchObject({
      key: "slack.sendMessage",
      name: "Send message",
      // The provider and credential types every slack action declares, as the builder shows them.
      ...slackAction,
      authOptional: false,
      description: expect.any(String),
    } satisfies Partial<ActionMetadata>);
    expect(send?.inputSchema).toMatchObject({
      type: "object",
      required: ["channel", "text"],
      properties: { channel: { type: "string", minLength: 1, description: expect.any(String) } },
    });
    // An empty channel is refused by the form's JSON Schema (minLength) and by the step's zod schema alike.
    expect(registry.get("slack.sendMessage").inputSchema.safeParse({ channel: "", text: "hi" }).success).toBe(
      false,
    );
  });
});

describe("slack", () => {
  it("slack.sendMessage posts through chat.postMessage; the message is in the channel's history", async () => {
    const { result, tasks } = await runSteps([
      {
        id: "notify",
        action: "slack.sendMessage",
        inputs: { channel: "C01GENERAL", text: "Build 42 is green" },
        credentialId: "cred-slack",
      },
    ]);
    expect(result.status).toBe("completed");
    const output = result.status === "completed" ? result.output.steps[0]?.output : undefined;
    expect(output).toMatchObject({ channel: "C01GENERAL", ts: expect.any(String) });
    expect(slack.history("C01GENERAL").find((m) => m.text === "Build 42 is green")).toBeDefined();
    // The action's call is the class task, nested under the step's task.
    expect(tasks.map((t) => [t.id, t.name, t.icon, t.status])).toEqual([
      ["notify", "Send message", "slack", "completed"],
      ["notify/chat.postMessage", "Post Message", "slack", "completed"],
    ]);
  });

  it("slack.sendMessage replies in a thread with blocks, and slack.addReaction adds the emoji", async () => {
    const parent = slack.seedMessage("C01GENERAL", "Deploy started");
    const { result } = await runSteps([
      {
        id: "reply",
        action: "slack.sendMessage",
        inputs: {
          channel: "C01GENERAL",
          text: "Deploy done",
          thread_ts: parent.ts,
          blocks: [{ type: "section", text: { type: "mrkdwn", text: "*Deploy done*" } }],
        },
        credentialId: "cred-slack",
      },
      {
        id: "react",
        action: "slack.addReaction",
        inputs: { channel: "C01GENERAL", timestamp: parent.ts, name: ":white_check_mark:" },
        credentialId: "cred-slack",
      },
    ]);
    expect(result.status).toBe("completed");
    const thread = slack.workspace.thread("C01GENERAL", parent.ts);
    expect(thread.map((m) => m.text)).toEqual(["Deploy started", "Deploy done"]);
    expect(thread[1]?.blocks).toMatchObject([{ type: "section" }]);
    expect(slack.workspace.findMessage("C01GENERAL", parent.ts)?.reactions).toMatchObject([
      { name: "white_check_mark", count: 1 },
    ]);
  });
});

import { createTestClock } from "@autoflow/core/testing";
import { SlackEmulator } from "@autoflow/emulators";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Slack } from "../src/index";
import { runJob, slackFor } from "./helpers";

// A Slack failure says what failed: provider, method, task key, type with Slack's code, and the channel.
const emulator = new SlackEmulator();
let token: string;
beforeAll(async () => {
  await emulator.start();
  token = emulator.mintToken();
});
afterAll(() => emulator.stop());

describe("Slack failures name what failed", () => {
  it("a message to a channel that does not exist", async () => {
    const { result, tasks } = await runJob(
      slackFor(emulator, token),
      (io) => io.slack.chat.postMessage("notify", { channel: "#no-such-channel", text: "deployed" }),
      { logger: false },
    );
    const message = '[slack] chat.postMessage "notify" failed (schema, channel_not_found): #no-such-channel';
    expect(result).toMatchObject({
      status: "failed",
      error: {
        message,
        type: "schema",
        code: "channel_not_found",
        method: "chat.postMessage",
        taskKey: "notify",
      },
      task: { key: "notify", name: "Post Message", provider: "slack" },
    });
    expect(tasks[0]?.error).toMatchObject({ message, method: "chat.postMessage", taskKey: "notify" });
  });

  it("a host that does not resolve (ENOTFOUND) is named", async () => {
    const slack = new Slack({ id: "slack", token, slackApiUrl: "http://slack.invalid/api/" });
    const { result } = await runJob(
      slack,
      (io) => io.slack.chat.postMessage("notify", { channel: "#general", text: "deployed" }),
      { clock: createTestClock(), logger: false },
    );
    expect(result).toMatchObject({ status: "failed", error: { type: "network", code: "ENOTFOUND" } });
    const text = result.status === "failed" ? result.error.message : "";
    expect(text).toMatch(
      /^\[slack\] chat\.postMessage "notify" failed \(network, ENOTFOUND slack\.invalid\): #general/,
    );
  });
});

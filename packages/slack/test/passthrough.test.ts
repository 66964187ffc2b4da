import { SlackEmulator } from "@autoflow/emulators";
import { WebClient } from "@slack/web-api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Slack } from "../src/index";
import { runJob, slackFor } from "./helpers";

const emulator = new SlackEmulator();
let token: string;

beforeAll(async () => {
  await emulator.start();
  token = emulator.mintToken();
});
afterAll(() => emulator.stop());

describe("typed passthrough", () => {
  it("runs a method without a hand-written task as a logged task named after the method", async () => {
    const message = emulator.seedMessage("C01GENERAL", "link me");
    const { result, tasks, output } = await runJob(slackFor(emulator, token), async (io) => ({
      link: await io.slack.chat.getPermalink("permalink", { channel: "C01GENERAL", message_ts: message.ts }),
      members: await io.slack.conversations.members("members", { channel: "C01GENERAL" }),
      scheduled: await io.slack.chat.scheduledMessages.list("scheduled", { channel: "C01GENERAL" }),
    }));
    expect(result.status, JSON.stringify(result)).toBe("completed");
    expect(output?.link.permalink).toBe(
      `https://acme.slack.com/archives/C01GENERAL/p${message.ts.replace(".", "")}`,
    );
    expect(output?.members.members).toContain("U0BOT");
    expect(output?.scheduled.scheduled_messages).toEqual([]);
    expect(tasks.map((t) => [t.key, t.name, t.icon])).toEqual([
      ["permalink", "chat.getPermalink", "slack"],
      ["members", "conversations.members", "slack"],
      ["scheduled", "chat.scheduledMessages.list", "slack"],
    ]);
    expect(tasks[0]?.params).toEqual({ channel: "C01GENERAL", message_ts: message.ts });
    expect(tasks[0]?.properties).toEqual([{ label: "Channel", text: "C01GENERAL" }]);
    expect(emulator.requests.map((r) => r.path)).toEqual(
      expect.arrayContaining([
        "/api/chat.getPermalink",
        "/api/conversations.members",
        "/api/chat.scheduledMessages.list",
      ]),
    );
  });

  it("reaches nested namespaces (admin.users.list) and reports Slack's answer in the taxonomy", async () => {
    const { result, tasks } = await runJob(slackFor(emulator, token), async (io) => ({
      // Described by Slack but not emulated with state: the emulator answers from the description.
      users: await io.slack.admin.users.list("admin-users", { team_id: "T01ACME000" }),
      // Newer than the emulator's 2020 description: Slack's unknown_method, a permanent (schema) error.
      activities: await io.slack.admin.apps.activities.list("activities", {}),
    }));
    expect(result).toMatchObject({ status: "failed", error: { type: "schema", code: "unknown_method" } });
    expect(tasks.map((t) => [t.name, t.status])).toEqual([
      ["admin.users.list", "completed"],
      ["admin.apps.activities.list", "failed"],
    ]);
    expect(tasks[1]?.attempts).toBe(1);
    expect(emulator.requests.at(-1)?.path).toBe("/api/admin.apps.activities.list");
  });

  it("hand-written tasks win over the passthrough of the same method", async () => {
    const { tasks } = await runJob(slackFor(emulator, token), (io) =>
      io.slack.chat.postMessage("hand-written", { channel: "C01GENERAL", text: "hi" }),
    );
    expect(tasks[0]?.name).toBe("Post Message");
  });

  it("exposes every WebClient namespace and no property WebClient lacks", () => {
    const slack = new Slack({ id: "shape", token: "xoxb-shape-only-000000" });
    // A namespace is a plain object holding the SDK's bound methods (or nested namespaces).
    const isNamespace = (value: unknown): boolean =>
      typeof value === "object" &&
      value !== null &&
      Object.getPrototypeOf(value) === Object.prototype &&
      Object.values(value).some((v) => typeof v === "function" || isNamespace(v));
    const client = new WebClient() as unknown as Record<string, unknown>;
    const namespaces = Object.keys(client).filter((key) => isNamespace(client[key]));
    expect(namespaces.length).toBeGreaterThan(30);
    const missing = namespaces.filter(
      (name) => typeof (slack as unknown as Record<string, unknown>)[name] !== "object",
    );
    expect(missing).toEqual([]);
    const chat = slack.chat as unknown as Record<string, unknown>;
    expect(typeof chat.getPermalink).toBe("function");
    expect(chat.notAMethod).toBeUndefined();
    expect("then" in chat).toBe(false);
  });
});

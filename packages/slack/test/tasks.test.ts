import { SlackEmulator } from "@autoflow/emulators";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runJob, slackFor } from "./helpers";

const emulator = new SlackEmulator();
let token: string;

beforeAll(async () => {
  await emulator.start();
  token = emulator.mintToken();
});
afterAll(() => emulator.stop());

const slack = () => slackFor(emulator, token);

describe("chat", () => {
  it("postMessage posts once, with blocks and in a thread, and the messages are in history and replies", async () => {
    const { result, tasks, output } = await runJob(slack(), async (io) => {
      const parent = await io.slack.chat.postMessage("post", {
        channel: "C01GENERAL",
        text: "Deploy finished: https://example.test/run/1",
        blocks: [{ type: "section", text: { type: "mrkdwn", text: "*Deploy finished*" } }],
      });
      const reply = await io.slack.chat.postMessage("reply", {
        channel: "C01GENERAL",
        text: "details in thread",
        thread_ts: parent.ts ?? "",
      });
      return { parent, reply };
    });
    expect(result.status).toBe("completed");
    if (!output) return;
    const { parent, reply } = output;
    expect(parent).toMatchObject({
      ok: true,
      channel: "C01GENERAL",
      message: { text: expect.stringContaining("Deploy") },
    });
    const top = emulator.history("C01GENERAL").find((m) => m.ts === parent.ts);
    expect(top).toMatchObject({ reply_count: 1, blocks: [{ type: "section" }] });
    expect(emulator.history("C01GENERAL").some((m) => m.ts === reply.ts)).toBe(false);
    expect(emulator.workspace.thread("C01GENERAL", parent.ts ?? "").map((m) => m.text)).toEqual([
      "Deploy finished: https://example.test/run/1",
      "details in thread",
    ]);
    expect(tasks.find((t) => t.key === "post")).toMatchObject({
      name: "Post Message",
      icon: "slack",
      attempts: 1,
      properties: [
        { label: "Channel", text: "C01GENERAL" },
        { label: "Text", text: "Deploy finished: https://example.test/run/1" },
      ],
    });
    expect(tasks.find((t) => t.key === "reply")?.properties).toContainEqual({
      label: "Thread",
      text: parent.ts,
    });
  });

  it("update and delete change the message in the emulator", async () => {
    const seeded = emulator.seedMessage("C01GENERAL", "draft");
    const other = emulator.seedMessage("C01GENERAL", "to delete");
    const { result } = await runJob(slack(), async (io) => {
      const updated = await io.slack.chat.update("update", {
        channel: "C01GENERAL",
        ts: seeded.ts,
        text: "final",
      });
      const deleted = await io.slack.chat.delete("delete", { channel: "C01GENERAL", ts: other.ts });
      return { updated, deleted };
    });
    expect(result).toMatchObject({
      status: "completed",
      output: { updated: { ok: true, text: "final" }, deleted: { ok: true, ts: other.ts } },
    });
    expect(emulator.workspace.findMessage("C01GENERAL", seeded.ts)).toMatchObject({
      text: "final",
      edited: { user: "U0BOT" },
    });
    expect(emulator.workspace.findMessage("C01GENERAL", other.ts)).toBeUndefined();
  });

  it("postEphemeral reaches one user and stays out of history", async () => {
    const before = emulator.history("C01GENERAL").length;
    const { result } = await runJob(slack(), (io) =>
      io.slack.chat.postEphemeral("eph", { channel: "C01GENERAL", user: "U0003", text: "only you" }),
    );
    expect(result).toMatchObject({
      status: "completed",
      output: { ok: true, message_ts: expect.any(String) },
    });
    expect(emulator.ephemeral.at(-1)).toMatchObject({ user: "U0003", text: "only you" });
    expect(emulator.history("C01GENERAL")).toHaveLength(before);
  });

  it("scheduleMessage schedules for post_at and shows the time as a property", async () => {
    const postAt = Math.floor(Date.now() / 1000) + 3600;
    const { result, tasks, output } = await runJob(slack(), (io) =>
      io.slack.chat.scheduleMessage("schedule", { channel: "C01GENERAL", text: "standup", post_at: postAt }),
    );
    expect(result).toMatchObject({ status: "completed", output: { ok: true, post_at: postAt } });
    const id = output?.scheduled_message_id;
    expect(emulator.workspace.scheduled.find((s) => s.id === id)).toMatchObject({
      text: "standup",
      post_at: postAt,
    });
    expect(tasks[0]?.properties).toContainEqual({
      label: "Post At",
      text: new Date(postAt * 1000).toISOString(),
    });
  });
});

describe("conversations", () => {
  it("create, invite, join, info, list, history, replies and archive act on the workspace", async () => {
    const parent = emulator.seedMessage("C01GENERAL", "thread root");
    const { result, tasks, output } = await runJob(slack(), async (io) => {
      const created = await io.slack.conversations.create("create", { name: "incident-42" });
      const channel = created.channel?.id ?? "";
      await io.slack.conversations.invite("invite", { channel, users: "U0002,U0003" });
      const joined = await io.slack.conversations.join("join", { channel: "C01RANDOM0" });
      const info = await io.slack.conversations.info("info", { channel });
      const list = await io.slack.conversations.list("list", { exclude_archived: true });
      const history = await io.slack.conversations.history("history", { channel: "C01GENERAL", limit: 5 });
      const replies = await io.slack.conversations.replies("replies", {
        channel: "C01GENERAL",
        ts: parent.ts,
      });
      await io.slack.conversations.archive("archive", { channel });
      return { channel, joined, info, list, history, replies };
    });
    expect(result.status, JSON.stringify(result)).toBe("completed");
    if (!output) return;
    const { channel, joined, info, list, history, replies } = output;
    expect(emulator.workspace.channels.get(channel)).toMatchObject({
      name: "incident-42",
      is_archived: true,
    });
    expect([...(emulator.workspace.channels.get(channel)?.members ?? [])].sort()).toEqual([
      "U0002",
      "U0003",
      "U0BOT",
    ]);
    expect(emulator.workspace.channels.get("C01RANDOM0")?.members.has("U0BOT")).toBe(true);
    expect(joined.channel?.is_member).toBe(true);
    expect(info.channel).toMatchObject({ id: channel, num_members: 3 });
    expect(list.channels?.map((c) => c.name)).toContain("incident-42");
    expect(history.messages?.length).toBeLessThanOrEqual(5);
    expect(history.messages?.[0]?.ts).toBe(emulator.history("C01GENERAL")[0]?.ts);
    expect(replies.messages?.[0]).toMatchObject({ ts: parent.ts, text: "thread root" });
    expect(tasks.map((t) => t.name)).toEqual([
      "Create Conversation",
      "Invite to Conversation",
      "Join Conversation",
      "Conversation Info",
      "List Conversations",
      "Conversation History",
      "Conversation Replies",
      "Archive Conversation",
    ]);
  });
});

describe("users", () => {
  it("list, info and lookupByEmail read the seeded users", async () => {
    const { result, output } = await runJob(slack(), async (io) => ({
      list: await io.slack.users.list("list", { limit: 10 }),
      info: await io.slack.users.info("info", { user: "U0002" }),
      byEmail: await io.slack.users.lookupByEmail("email", { email: "carol@acme.test" }),
    }));
    expect(result.status).toBe("completed");
    expect(output?.list.members?.map((m) => m.id)).toEqual(["U0001", "U0002", "U0003", "U0BOT"]);
    expect(output?.info.user).toMatchObject({ name: "bob", profile: { email: "bob@acme.test" } });
    expect(output?.byEmail.user?.id).toBe("U0003");
  });
});

describe("reactions", () => {
  it("add and remove change the message's reactions", async () => {
    const message = emulator.seedMessage("C01GENERAL", "ship it?", "U0002");
    const target = { channel: "C01GENERAL", timestamp: message.ts };
    const { result } = await runJob(slack(), async (io) => {
      await io.slack.reactions.add("add-ship", { ...target, name: "shipit" });
      await io.slack.reactions.add("add-eyes", { ...target, name: "eyes" });
      await io.slack.reactions.remove("remove-eyes", { ...target, name: "eyes" });
    });
    expect(result.status).toBe("completed");
    expect(emulator.workspace.findMessage("C01GENERAL", message.ts)?.reactions).toEqual([
      { name: "shipit", users: ["U0BOT"], count: 1 },
    ]);
  });
});

describe("files", () => {
  it("uploadV2 uploads the bytes through the upload URL and shares the file in the channel", async () => {
    const { result, tasks, output } = await runJob(slack(), (io) =>
      io.slack.files.uploadV2("upload", {
        content: "id,status\n1,ok\n",
        filename: "report.csv",
        title: "Report",
        channel_id: "C01GENERAL",
        initial_comment: "Nightly report",
      }),
    );
    expect(result.status, JSON.stringify(result)).toBe("completed");
    const fileId = output?.files[0]?.files?.[0]?.id ?? "";
    expect(emulator.workspace.files.get(fileId)?.content?.toString()).toBe("id,status\n1,ok\n");
    expect(emulator.history("C01GENERAL")[0]).toMatchObject({
      text: "Nightly report",
      files: [{ id: fileId, title: "Report" }],
    });
    const paths = emulator.requests.slice(-3).map((r) => r.path);
    expect(paths).toEqual([
      "/api/files.getUploadURLExternal",
      `/upload/v1/${fileId}`,
      "/api/files.completeUploadExternal",
    ]);
    expect(tasks[0]).toMatchObject({
      name: "Upload File",
      params: { content: "id,status\n1,ok\n", filename: "report.csv" },
    });
  });
});

describe("auth", () => {
  it("test tells who the token is", async () => {
    const { result, tasks } = await runJob(slack(), (io) => io.slack.auth.test("whoami"));
    expect(result).toMatchObject({
      status: "completed",
      output: { ok: true, team: "Acme", team_id: "T01ACME000", user_id: "U0BOT", bot_id: "B01AUTOFLOW" },
    });
    expect(tasks[0]?.name).toBe("Test Auth");
  });
});

describe("conversations.historyAll", () => {
  it("walks history pages with the SDK's cursor until `limit` messages, as one task", async () => {
    const emulator = new SlackEmulator();
    await emulator.start();
    try {
      const channel = "C01GENERAL";
      for (let i = 0; i < 7; i++) emulator.seedMessage(channel, `page message ${i}`);
      const slack = slackFor(emulator, emulator.mintToken());
      const { result, tasks, output } = await runJob(slack, (io) =>
        io.slack.conversations.historyAll("all", { channel, limit: 2 }, { limit: 5 }),
      );
      expect(result.status, JSON.stringify(result)).toBe("completed");
      expect(Array.isArray(output)).toBe(true);
      expect(output).toHaveLength(5);
      expect(tasks.map((task) => task.name)).toEqual(["Conversation History (all pages)"]);
      // Pages of 2: three requests gave 5 messages; the walk stopped there.
      expect(emulator.requests.filter((r) => r.path.endsWith("conversations.history"))).toHaveLength(3);
    } finally {
      await emulator.stop();
    }
  });
});

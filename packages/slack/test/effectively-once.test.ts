import { actionsHarness } from "@autoflow/actions/testing";
import type { RunEvent } from "@autoflow/core";
import { createTestClock, expectDoneOnce, reconcileResults } from "@autoflow/core/testing";
import { SlackEmulator } from "@autoflow/emulators";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Slack } from "../src/index";
import { slackProvider } from "../src/provider";
import { runJob, slackFor } from "./helpers";

// Effectively once: for every hand-written Slack write, the answer is lost after Slack handled the request
// (the connection reset before any byte of it, or held past the client's deadline), and the side effect
// exists exactly once and the task completes; reconciled where it declares `reconcile`. Through the real
// @slack/web-api against the emulator over loopback.
const emulator = new SlackEmulator();
let token: string;
beforeAll(async () => {
  await emulator.start();
  token = emulator.mintToken();
});
afterEach(() => emulator.clearFaults());
afterAll(() => emulator.stop());

let unique = 0;
const fresh = (prefix: string) => `${prefix}-${++unique}`;

/** One declared write: what it needs, how it is called, and how many of its side effects Slack now holds. */
interface WriteCase {
  task: string;
  method: string;
  reconciled: boolean;
  prepare: () => Record<string, string>;
  call: (slack: Slack, setup: Record<string, string>) => Promise<unknown>;
  /** How many times the side effect happened (1 is right). */
  count: (setup: Record<string, string>) => number;
}

const messagesWith = (channel: string, text: string) =>
  emulator.workspace.messagesIn(channel).filter((m) => m.text === text).length;
const reactionsOn = (channel: string, ts: string, name: string) =>
  emulator.workspace.findMessage(channel, ts)?.reactions?.find((r) => r.name === name)?.count ?? 0;
// A day ahead of Slack's clock: a scheduled message cannot have been sent while the test runs.
const tomorrow = () => emulator.workspace.nowSeconds() + 86_400;

const writes: WriteCase[] = [
  {
    task: "chat.postMessage",
    method: "chat.postMessage",
    reconciled: true,
    prepare: () => ({ text: fresh("posted") }),
    call: (slack, { text }) => slack.chat.postMessage("post", { channel: "C01GENERAL", text: text ?? "" }),
    count: ({ text }) => messagesWith("C01GENERAL", text ?? ""),
  },
  {
    task: "chat.postMessage in a thread",
    method: "chat.postMessage",
    reconciled: true,
    prepare: () => ({ text: fresh("reply"), parent: emulator.seedMessage("C01GENERAL", fresh("parent")).ts }),
    call: (slack, { text, parent }) =>
      slack.chat.postMessage("reply", { channel: "C01GENERAL", text: text ?? "", thread_ts: parent ?? "" }),
    count: ({ text }) => messagesWith("C01GENERAL", text ?? ""),
  },
  {
    task: "chat.scheduleMessage",
    method: "chat.scheduleMessage",
    reconciled: true,
    prepare: () => ({ text: fresh("scheduled"), postAt: String(tomorrow()) }),
    call: (slack, { text, postAt }) =>
      slack.chat.scheduleMessage("schedule", {
        channel: "C01GENERAL",
        text: text ?? "",
        post_at: Number(postAt),
      }),
    count: ({ text }) => emulator.workspace.scheduled.filter((s) => s.text === text).length,
  },
  {
    task: "conversations.create",
    method: "conversations.create",
    reconciled: true,
    prepare: () => ({ name: fresh("launch") }),
    call: (slack, { name }) => slack.conversations.create("create", { name: name ?? "" }),
    count: ({ name }) => [...emulator.workspace.channels.values()].filter((c) => c.name === name).length,
  },
  {
    task: "chat.update",
    method: "chat.update",
    reconciled: false,
    prepare: () => ({ ts: emulator.seedMessage("C01GENERAL", "draft").ts, text: fresh("edited") }),
    call: (slack, { ts, text }) =>
      slack.chat.update("update", { channel: "C01GENERAL", ts: ts ?? "", text: text ?? "" }),
    count: ({ text }) => messagesWith("C01GENERAL", text ?? ""),
  },
  {
    task: "chat.delete (message_not_found on the repeat)",
    method: "chat.delete",
    reconciled: false,
    prepare: () => ({ ts: emulator.seedMessage("C01GENERAL", fresh("doomed")).ts }),
    call: (slack, { ts }) => slack.chat.delete("delete", { channel: "C01GENERAL", ts: ts ?? "" }),
    // Deleted once: gone.
    count: ({ ts }) => (emulator.workspace.findMessage("C01GENERAL", ts) ? 0 : 1),
  },
  {
    task: "reactions.add (already_reacted on the repeat)",
    method: "reactions.add",
    reconciled: false,
    prepare: () => ({ ts: emulator.seedMessage("C01GENERAL", fresh("react to me")).ts }),
    call: (slack, { ts }) =>
      slack.reactions.add("react", { channel: "C01GENERAL", timestamp: ts ?? "", name: "rocket" }),
    count: ({ ts }) => reactionsOn("C01GENERAL", ts ?? "", "rocket"),
  },
  {
    task: "reactions.remove (no_reaction on the repeat)",
    method: "reactions.remove",
    reconciled: false,
    prepare: () => {
      const { ts } = emulator.seedMessage("C01GENERAL", fresh("unreact"));
      emulator.userReacts("C01GENERAL", ts, "eyes", "U0BOT");
      return { ts };
    },
    call: (slack, { ts }) =>
      slack.reactions.remove("unreact", { channel: "C01GENERAL", timestamp: ts ?? "", name: "eyes" }),
    count: ({ ts }) => (reactionsOn("C01GENERAL", ts ?? "", "eyes") === 0 ? 1 : 0),
  },
  {
    task: "conversations.invite (already_in_channel on the repeat)",
    method: "conversations.invite",
    reconciled: false,
    prepare: () => {
      const id = fresh("CINV").toUpperCase().replace("-", "");
      emulator.workspace.addChannel(id, id.toLowerCase(), "U0BOT", ["U0BOT"]);
      return { id };
    },
    call: (slack, { id }) => slack.conversations.invite("invite", { channel: id ?? "", users: "U0003" }),
    count: ({ id }) => (emulator.workspace.channels.get(id ?? "")?.members.has("U0003") ? 1 : 0),
  },
];

const path = (method: string) => `/api/${method}`;

async function run(write: WriteCase, setup: Record<string, string>, timeoutMs = 5_000) {
  const events: RunEvent[] = [];
  const outcome = await runJob(slackFor(emulator, token, timeoutMs), (io) => write.call(io.slack, setup), {
    clock: createTestClock(Date.now()),
    maxInProcessWaitMs: Number.POSITIVE_INFINITY,
    onEvent: (event) => events.push(event),
  });
  const sent = emulator.requests.filter((r) => r.path === path(write.method)).length;
  return { ...outcome, events, sent };
}

describe.each(writes)("$task", (write) => {
  it.each(["reset", "hang"] as const)(
    "its answer lost (%s) after Slack handled it: done once, the task completes",
    async (after) => {
      const setup = write.prepare();
      emulator.server.faults.loseAnswerNext(1, { path: path(write.method) }, after);
      const before = emulator.requests.filter((r) => r.path === path(write.method)).length;
      // Held past a short deadline where the answer hangs; elsewhere a loaded machine must not time out.
      const outcome = await run(write, setup, after === "hang" ? 300 : 5_000);
      // Reconciled: found without a second call. Otherwise a harmless repeat whose "already done" answer completes.
      expectDoneOnce(outcome, {
        reconciled: write.reconciled,
        sideEffects: write.count(setup),
        calls: outcome.sent - before,
      });
    },
  );
});

describe.each(writes.filter((w) => w.reconciled))("$task, reset before Slack handled it", (write) => {
  it("is certainly not found, so it is repeated exactly once, and done once", async () => {
    const setup = write.prepare();
    // A reset after the request was sent, before the route ran: the outcome is unknown, nothing happened.
    emulator.server.faults.resetNext(1, { path: path(write.method) });
    const before = emulator.requests.filter((r) => r.path === path(write.method)).length;
    const { result, tasks, events, sent } = await run(write, setup);
    expect(result.status, JSON.stringify(result)).toBe("completed");
    expect(write.count(setup)).toBe(1);
    expect(reconcileResults(events)).toEqual(["not-found"]);
    expect(tasks.at(-1)).toMatchObject({ status: "completed", attempts: 2 });
    expect(sent - before).toBe(2);
  });
});

describe("writes that declare no safe repeat", () => {
  it("chat.postEphemeral: a lost answer fails it with outcome_unknown, not repeated", async () => {
    emulator.server.faults.loseAnswerNext(1, { path: path("chat.postEphemeral") });
    const before = emulator.ephemeral.length;
    const write: WriteCase = {
      task: "chat.postEphemeral",
      method: "chat.postEphemeral",
      reconciled: false,
      prepare: () => ({}),
      call: (slack) =>
        slack.chat.postEphemeral("whisper", { channel: "C01GENERAL", user: "U0002", text: "psst" }),
      count: () => emulator.ephemeral.length - before,
    };
    const { result, tasks, sent } = await run(write, {});
    expect(result).toMatchObject({ status: "failed", error: { type: "network", reason: "outcome_unknown" } });
    if (result.status === "failed") expect(result.error.message).toMatch(/Check whether it happened/);
    expect(write.count({})).toBe(1);
    expect(tasks[0]?.attempts).toBe(1);
    expect(sent).toBeGreaterThan(0);
  });

  it("an undeclared passthrough write (chat.deleteScheduledMessage): fails with outcome_unknown, not repeated", async () => {
    const scheduled = await runJob(slackFor(emulator, token), (io) =>
      io.slack.chat.scheduleMessage("schedule", {
        channel: "C01GENERAL",
        text: fresh("later"),
        post_at: tomorrow(),
      }),
    );
    const id = scheduled.output?.scheduled_message_id ?? "";
    emulator.server.faults.loseAnswerNext(1, { path: path("chat.deleteScheduledMessage") });
    const before = emulator.requests.filter((r) => r.path === path("chat.deleteScheduledMessage")).length;
    const { result, tasks } = await runJob(
      slackFor(emulator, token),
      (io) =>
        io.slack.chat.deleteScheduledMessage("unschedule", {
          channel: "C01GENERAL",
          scheduled_message_id: id,
        }),
      { clock: createTestClock(Date.now()), maxInProcessWaitMs: Number.POSITIVE_INFINITY },
    );
    expect(result).toMatchObject({ status: "failed", error: { reason: "outcome_unknown" } });
    expect(tasks[0]?.attempts).toBe(1);
    expect(
      emulator.requests.filter((r) => r.path === path("chat.deleteScheduledMessage")).length - before,
    ).toBe(1);
    expect(emulator.workspace.scheduled.some((s) => s.id === id)).toBe(false);
  });
});

describe("the marker", () => {
  it("is message metadata, kept beside metadata the job sends, and answered only with include_all_metadata", async () => {
    const text = fresh("with metadata");
    const { output } = await runJob(slackFor(emulator, token), (io) =>
      io.slack.chat.postMessage("post", {
        channel: "C01GENERAL",
        text,
        metadata: { event_type: "deploy", event_payload: { version: "2.4.1" } },
      }),
    );
    const stored = emulator.workspace.findMessage("C01GENERAL", output?.ts);
    expect(stored?.metadata).toEqual({
      event_type: "deploy",
      event_payload: {
        version: "2.4.1",
        autoflow_marker: expect.stringMatching(/^autoflow-task:[0-9a-f]{32}$/),
      },
    });
    expect(stored?.text).toBe(text);
    const { output: history } = await runJob(slackFor(emulator, token), (io) =>
      io.slack.conversations.history("history", { channel: "C01GENERAL", limit: 5 }),
    );
    expect(history?.messages?.find((m) => m.ts === output?.ts)).not.toHaveProperty("metadata");
  });
});

describe("a workflow step runs the action's task, with the same guarantee", () => {
  const { run: runSteps } = actionsHarness(slackProvider.actions, () => ({
    vault: { "cred-slack": { provider: "slack", type: "oauth2", access_token: token } },
    providers: { slack: { ...slackProvider.clientOptions({ apiUrl: emulator.apiUrl }), timeoutMs: 2_000 } },
  }));

  it("slack.sendMessage whose answer is lost: posted once, the step completes, its call reconciled", async () => {
    const text = fresh("from a step");
    emulator.server.faults.loseAnswerNext(1, { path: path("chat.postMessage") });
    const { result, tasks } = await runSteps([
      {
        id: "notify",
        action: "slack.sendMessage",
        inputs: { channel: "C01GENERAL", text },
        credentialId: "cred-slack",
      },
    ]);
    expect(result.status).toBe("completed");
    const output = result.status === "completed" ? result.output.steps[0]?.output : undefined;
    const posted = emulator.workspace.messagesIn("C01GENERAL").filter((m) => m.text === text);
    expect(posted).toHaveLength(1);
    expect(output).toMatchObject({ channel: "C01GENERAL", ts: posted[0]?.ts });
    expect(tasks.find((t) => t.id === "notify/chat.postMessage")).toMatchObject({
      status: "completed",
      reconciled: true,
      attempts: 1,
    });
  });
});

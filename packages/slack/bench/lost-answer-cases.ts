/**
 * @module
 * Slack's write tasks in the bench's "Effectively once" section: the emulator performs each request, then
 * loses its answer. Each case says how to set it up, which request loses its answer, how the task is called,
 * and how many times its side effect happened (1 is right).
 */
import type { SlackEmulator } from "@autoflow/emulators";
import type { Slack } from "@autoflow/slack";
import type { LostAnswerCase } from "../../../bench/src/provider-bench";
import { CHANNEL } from "./seeds";

const apiPath = (method: string) => ({ path: `/api/${method}` });

/** How many messages in the bench's channel have exactly this text. */
export const messagesIn = (emulator: SlackEmulator, text: string | undefined) =>
  emulator.workspace.messagesIn(CHANNEL).filter((m) => m.text === text).length;

/**
 * Every write case: the declared ones (target 0 duplicated, 0 lost) and one undeclared, which fails visibly.
 */
export const LOST_ANSWER_CASES: LostAnswerCase<{ slack: Slack }, SlackEmulator>[] = [
  {
    task: "chat.postMessage",
    idempotency: "reconcile",
    match: () => apiPath("chat.postMessage"),
    prepare: (_e, trial) => ({ text: `lost-post-${trial}` }),
    call: (io, { text }) => io.slack.chat.postMessage("post", { channel: CHANNEL, text: text ?? "" }),
    count: (e, { text }) => messagesIn(e, text),
  },
  {
    task: "chat.postMessage (thread reply)",
    idempotency: "reconcile",
    match: () => apiPath("chat.postMessage"),
    prepare: (e, trial) => ({
      text: `lost-reply-${trial}`,
      parent: e.seedMessage(CHANNEL, `parent-${trial}`).ts,
    }),
    call: (io, { text, parent }) =>
      io.slack.chat.postMessage("reply", { channel: CHANNEL, text: text ?? "", thread_ts: parent ?? "" }),
    count: (e, { text }) => messagesIn(e, text),
  },
  {
    task: "chat.scheduleMessage",
    idempotency: "reconcile",
    match: () => apiPath("chat.scheduleMessage"),
    prepare: (e, trial) => ({
      text: `lost-schedule-${trial}`,
      postAt: String(e.workspace.nowSeconds() + 86_400),
    }),
    call: (io, { text, postAt }) =>
      io.slack.chat.scheduleMessage("schedule", {
        channel: CHANNEL,
        text: text ?? "",
        post_at: Number(postAt),
      }),
    count: (e, { text }) => e.workspace.scheduled.filter((s) => s.text === text).length,
  },
  {
    task: "conversations.create",
    idempotency: "reconcile",
    match: () => apiPath("conversations.create"),
    prepare: (_e, trial) => ({ name: `lost-channel-${trial}` }),
    call: (io, { name }) => io.slack.conversations.create("create", { name: name ?? "" }),
    count: (e, { name }) => [...e.workspace.channels.values()].filter((c) => c.name === name).length,
  },
  {
    task: "reactions.add",
    idempotency: "idempotent",
    match: () => apiPath("reactions.add"),
    prepare: (e, trial) => ({ ts: e.seedMessage(CHANNEL, `react-${trial}`).ts }),
    call: (io, { ts }) =>
      io.slack.reactions.add("react", { channel: CHANNEL, timestamp: ts ?? "", name: "rocket" }),
    count: (e, { ts }) =>
      e.workspace.findMessage(CHANNEL, ts)?.reactions?.find((r) => r.name === "rocket")?.count ?? 0,
  },
  {
    task: "chat.delete",
    idempotency: "idempotent",
    match: () => apiPath("chat.delete"),
    prepare: (e, trial) => ({ ts: e.seedMessage(CHANNEL, `delete-${trial}`).ts }),
    call: (io, { ts }) => io.slack.chat.delete("delete", { channel: CHANNEL, ts: ts ?? "" }),
    count: (e, { ts }) => (e.workspace.findMessage(CHANNEL, ts) ? 0 : 1),
  },
  {
    task: "chat.postEphemeral (undeclared)",
    idempotency: "none",
    match: () => apiPath("chat.postEphemeral"),
    prepare: (_e, trial) => ({ text: `lost-ephemeral-${trial}` }),
    call: (io, { text }) =>
      io.slack.chat.postEphemeral("whisper", { channel: CHANNEL, user: "U0002", text: text ?? "" }),
    count: (e, { text }) => e.ephemeral.filter((m) => m.text === text).length,
  },
];

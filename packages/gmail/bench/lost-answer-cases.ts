/**
 * @module
 * Gmail's write tasks in the bench's "Effectively once" section: the emulator performs each request, then loses its
 * answer. Gmail keys nothing: a send or a draft carries a Message-ID derived from the task's idempotency key and is
 * looked up by it (`rfc822msgid:`) before it is repeated; a label is looked up by its name; a sent draft is gone
 * from the drafts with its message in SENT. The passthrough `users.messages.insert` declares nothing and is the
 * control: it must fail visibly, never repeat. Each case says how to set it up, which request
 * loses its answer, how the task is called, and how many times its side effect happened (1 is right).
 */
import { DEFAULT_GMAIL_ADDRESS, type GmailEmulator } from "@autoflow/emulators";
import type { Gmail } from "@autoflow/gmail";
import type { LostAnswerCase } from "../../../bench/src/provider-bench";

const MESSAGES = "/gmail/v1/users/me/messages/send";

/** How many messages of the mailbox (sent, drafts) have `subject`. */
export function withSubject(emulator: GmailEmulator, subject: string): number {
  const { messages } = emulator.state.mailbox(DEFAULT_GMAIL_ADDRESS);
  return [...messages.values()].filter((message) =>
    message.payload.headers.some(
      (header) => header.name.toLowerCase() === "subject" && header.value === subject,
    ),
  ).length;
}

/** How many messages of the mailbox with `subject` are in SENT. */
export function sentWithSubject(emulator: GmailEmulator, subject: string): number {
  const { messages } = emulator.state.mailbox(DEFAULT_GMAIL_ADDRESS);
  return [...messages.values()].filter(
    (message) =>
      message.labelIds.includes("SENT") &&
      message.payload.headers.some(
        (header) => header.name.toLowerCase() === "subject" && header.value === subject,
      ),
  ).length;
}

/** How many labels of the mailbox are named `name`. */
export function labelsNamed(emulator: GmailEmulator, name: string): number {
  const { labels } = emulator.state.mailbox(DEFAULT_GMAIL_ADDRESS);
  return [...labels.values()].filter((label) => label.name === name).length;
}

const raw = (subject: string) =>
  Buffer.from(`To: grace@example.com\r\nSubject: ${subject}\r\nContent-Type: text/plain\r\n\r\nHi`).toString(
    "base64url",
  );

/** Every write case: the declared ones (target 0 duplicated, 0 lost) and the undeclared control. */
export const LOST_ANSWER_CASES: LostAnswerCase<{ gmail: Gmail }, GmailEmulator>[] = [
  {
    task: "sendEmail",
    idempotency: "reconcile",
    match: () => ({ method: "POST", path: MESSAGES }),
    prepare: (_e, trial) => ({ subject: `lost-email-${trial}` }),
    call: (io, { subject }) =>
      io.gmail.sendEmail("send", { to: "grace@example.com", subject: subject ?? "", text: "Hello" }),
    count: (e, { subject }) => withSubject(e, subject ?? ""),
  },
  {
    task: "users.messages.send",
    idempotency: "reconcile",
    match: () => ({ method: "POST", path: MESSAGES }),
    prepare: (_e, trial) => ({ subject: `lost-raw-${trial}` }),
    call: (io, { subject }) =>
      io.gmail.users.messages.send("send", { userId: "me", requestBody: { raw: raw(subject ?? "") } }),
    count: (e, { subject }) => withSubject(e, subject ?? ""),
  },
  {
    task: "users.labels.create",
    idempotency: "reconcile",
    match: () => ({ method: "POST", path: "/gmail/v1/users/me/labels" }),
    prepare: (_e, trial) => ({ name: `lost-label-${trial}` }),
    call: (io, { name }) => io.gmail.users.labels.create("label", { userId: "me", requestBody: { name } }),
    count: (e, { name }) => labelsNamed(e, name ?? ""),
  },
  {
    task: "users.drafts.create",
    idempotency: "reconcile",
    match: () => ({ method: "POST", path: "/gmail/v1/users/me/drafts" }),
    prepare: (_e, trial) => ({ subject: `lost-draft-${trial}` }),
    call: (io, { subject }) =>
      io.gmail.users.drafts.create("draft", {
        userId: "me",
        requestBody: { message: { raw: raw(subject ?? "") } },
      }),
    count: (e, { subject }) => withSubject(e, subject ?? ""),
  },
  {
    task: "users.drafts.send",
    idempotency: "reconcile",
    match: () => ({ method: "POST", path: "/gmail/v1/users/me/drafts/send" }),
    prepare: (e, trial) => {
      const subject = `lost-draft-send-${trial}`;
      const mailbox = e.state.mailbox(DEFAULT_GMAIL_ADDRESS);
      const message = mailbox.insert(raw(subject), ["DRAFT"]);
      const draftId = `r-bench-${trial}`;
      mailbox.drafts.set(draftId, message.id);
      return { subject, draftId };
    },
    call: (io, { draftId }) =>
      io.gmail.users.drafts.send("send", { userId: "me", requestBody: { id: draftId } }),
    count: (e, { subject }) => sentWithSubject(e, subject ?? ""),
  },
  {
    task: "users.messages.insert",
    idempotency: "none",
    match: () => ({ method: "POST", path: "/gmail/v1/users/me/messages" }),
    prepare: (_e, trial) => ({ subject: `lost-insert-${trial}` }),
    call: (io, { subject }) =>
      io.gmail.users.messages.insert("insert", { userId: "me", requestBody: { raw: raw(subject ?? "") } }),
    count: (e, { subject }) => withSubject(e, subject ?? ""),
  },
];

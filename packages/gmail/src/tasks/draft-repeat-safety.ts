import type { IOTask, ReconcileResult } from "@autoflow/core";
import type { gmail_v1 } from "@googleapis/gmail";
import { toGmailError } from "../errors";

type Draft = gmail_v1.Schema$Draft;
type Message = gmail_v1.Schema$Message;

/**
 * After a lost answer to `drafts.create`: the draft whose message carries this `Message-ID`, if the mailbox has one
 * (`drafts.list` with `q: rfc822msgid:<id>`), answered as `drafts.create` answers (the draft and its message).
 */
export async function findCreatedDraft(
  client: gmail_v1.Gmail,
  userId: string,
  messageId: string,
): Promise<ReconcileResult<Draft>> {
  const { data } = await client.users.drafts.list({
    userId,
    q: `rfc822msgid:${messageId.replace(/^<|>$/g, "")}`,
    maxResults: 1,
  });
  const id = data.drafts?.[0]?.id;
  if (!id) return { found: false };
  const draft = await client.users.drafts.get({ userId, id, format: "minimal" });
  return { found: true, output: draft.data };
}

// The message each `drafts.send` attempt's draft held, by the task's idempotency key: a sent draft is gone from
// the drafts, so only the message id read before the send says where its mail is. Kept in the process (a lost
// answer is reconciled by the process that lost it), bounded so a long-lived worker does not grow.
const draftMessages = new Map<string, string>();
const MAX_REMEMBERED = 1_000;

/** Reads which message `draftId` holds before it is sent, and keeps it for the task's reconciler. */
export async function rememberDraftMessage(
  client: gmail_v1.Gmail,
  task: Pick<IOTask, "idempotencyKey">,
  userId: string,
  draftId: string,
): Promise<void> {
  const draft = await client.users.drafts
    .get({ userId, id: draftId, format: "minimal" })
    .catch((error: unknown) => {
      // A draft that is not there: the send answers that in Gmail's own words.
      if (toGmailError(error).status === 404) return undefined;
      throw error;
    });
  const messageId = draft?.data.message?.id;
  if (!messageId) return;
  draftMessages.delete(task.idempotencyKey);
  draftMessages.set(task.idempotencyKey, messageId);
  for (const oldest of draftMessages.keys()) {
    if (draftMessages.size <= MAX_REMEMBERED) break;
    draftMessages.delete(oldest);
  }
}

/**
 * After a lost answer to `drafts.send`. A draft still in the drafts was not sent: sending it is the first send
 * (and a draft can never be sent twice: Gmail refuses a draft that is gone). A draft that is gone was sent when the
 * message it held is now in SENT: that message is the answer. Anything else (its message unknown to this process,
 * deleted, or not in SENT) cannot be told apart from a draft someone else sent or deleted: unknown.
 */
export async function findSentDraft(
  client: gmail_v1.Gmail,
  task: Pick<IOTask, "idempotencyKey">,
  userId: string,
  draftId: string,
): Promise<ReconcileResult<Message>> {
  const draft = await orNotFound(client.users.drafts.get({ userId, id: draftId, format: "minimal" }));
  if (draft) return { found: false };
  const messageId = draftMessages.get(task.idempotencyKey);
  if (!messageId) return { unknown: true };
  const message = await orNotFound(client.users.messages.get({ userId, id: messageId, format: "minimal" }));
  const labelIds = message?.labelIds ?? [];
  if (!message || !labelIds.includes("SENT") || labelIds.includes("DRAFT")) return { unknown: true };
  return { found: true, output: { id: message.id, threadId: message.threadId, labelIds } };
}

/** The answer's data, or undefined for Gmail's 404. */
async function orNotFound<T>(request: Promise<{ data: T }>): Promise<T | undefined> {
  try {
    return (await request).data;
  } catch (error) {
    if (toGmailError(error).status === 404) return undefined;
    throw error;
  }
}

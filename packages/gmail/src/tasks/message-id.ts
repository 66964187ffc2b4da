import { createHash } from "node:crypto";
import type { IOTask, ReconcileResult } from "@autoflow/core";
import type { gmail_v1 } from "@googleapis/gmail";

/** The domain of the `Message-ID`s a task gives the mail it sends (RFC 2606's reserved `.invalid`: never a host). */
const MESSAGE_ID_DOMAIN = "autoflow.invalid";

/**
 * The `Message-ID` a task's message carries, derived from the task's idempotency key (stable across attempts,
 * replays and restarts): what `messages.list` with `rfc822msgid:` finds after a lost answer.
 */
export function taskMessageId(task: Pick<IOTask, "idempotencyKey">): string {
  const hash = createHash("sha256").update(task.idempotencyKey).digest("hex").slice(0, 32);
  return `<af.${hash}@${MESSAGE_ID_DOMAIN}>`;
}

/** Base64url without padding, as Gmail's `raw` is. */
export function toBase64Url(bytes: Uint8Array | string): string {
  return Buffer.from(bytes).toString("base64url");
}

/**
 * A raw message (base64url) with a `Message-ID`: its own, if its header block has one, else `messageId` added as
 * the first header. Answers the raw to send and the id to reconcile by.
 */
export function withMessageId(raw: string, messageId: string): { raw: string; messageId: string } {
  const text = Buffer.from(raw, "base64url").toString("latin1");
  const end = text.search(/\r?\n\r?\n/);
  const head = end === -1 ? text : text.slice(0, end);
  const own = /^message-id:[ \t]*(<[^>\r\n]+>)/im.exec(head)?.[1];
  if (own) return { raw, messageId: own };
  return {
    raw: Buffer.from(`Message-ID: ${messageId}\r\n${text}`, "latin1").toString("base64url"),
    messageId,
  };
}

/**
 * After a lost answer to a send: the sent message, if the mailbox has one with this `Message-ID` (`messages.list`
 * with `q: rfc822msgid:<id>`, spam and trash included), answered as `messages.send` answers (id, thread, labels).
 */
export async function findSentMessage(
  client: gmail_v1.Gmail,
  userId: string,
  messageId: string,
): Promise<ReconcileResult<gmail_v1.Schema$Message>> {
  const { data } = await client.users.messages.list({
    userId,
    q: `rfc822msgid:${messageId.replace(/^<|>$/g, "")}`,
    includeSpamTrash: true,
    maxResults: 1,
  });
  const id = data.messages?.[0]?.id;
  if (!id) return { found: false };
  const message = await client.users.messages.get({ userId, id, format: "minimal" });
  const { threadId, labelIds } = message.data;
  return { found: true, output: { id, threadId, labelIds } };
}

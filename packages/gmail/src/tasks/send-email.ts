import { IntegrationError, type IOTask } from "@autoflow/core";
import { taskMessageId, toBase64Url } from "./message-id";

// nodemailer's composer loads DNS, file streams and more (about 50 ms and a few MiB when imported): the first
// send loads it, not importing the package.
let mailComposer: Promise<typeof import("nodemailer/lib/mail-composer")> | undefined;

/** One attachment of `sendEmail`: its name and content (text, or base64 with `encoding: "base64"`). */
export interface GmailAttachment {
  filename: string;
  /** The content as text, or base64 when `encoding` is `"base64"` (kept as text so the task log can record it). */
  content: string;
  encoding?: "base64" | "utf8";
  /** Detected from the file name when omitted. */
  contentType?: string;
}

/** What `io.gmail.sendEmail(key, params)` sends (spec 002's `gmail.sendEmail`). */
export interface SendEmailParams {
  /** One address or several (`"Ada <ada@example.com>"` or `"ada@example.com"`). */
  to: string | string[];
  cc?: string | string[];
  bcc?: string | string[];
  replyTo?: string | string[];
  /** The sender; default the mailbox's own address (Gmail fills it in). A send-as alias must be configured. */
  from?: string;
  subject: string;
  /** The plain-text body. With `html` as well, the message is multipart/alternative. */
  text?: string;
  html?: string;
  attachments?: GmailAttachment[];
  /** The thread to add the message to (Gmail also needs `inReplyTo`/`references` and a matching subject). */
  threadId?: string;
  /** The `Message-ID` being replied to. */
  inReplyTo?: string;
  references?: string | string[];
  /** The mailbox (`me`, the default, is the connection's own). */
  userId?: string;
}

/** The header values of `params`, by field name (what a CR or LF in would inject another header). */
function headerValues(params: SendEmailParams): Array<[string, string]> {
  const list = (value: string | string[] | undefined) => (value === undefined ? [] : [value].flat());
  return [
    ...list(params.to).map((value) => ["to", value] as [string, string]),
    ...list(params.cc).map((value) => ["cc", value] as [string, string]),
    ...list(params.bcc).map((value) => ["bcc", value] as [string, string]),
    ...list(params.replyTo).map((value) => ["replyTo", value] as [string, string]),
    ...list(params.from).map((value) => ["from", value] as [string, string]),
    ["subject", params.subject],
    ...list(params.inReplyTo).map((value) => ["inReplyTo", value] as [string, string]),
    ...list(params.references).map((value) => ["references", value] as [string, string]),
    ...(params.attachments ?? []).flatMap((attachment) => [
      ["attachments.filename", attachment.filename] as [string, string],
      ...list(attachment.contentType).map((value) => ["attachments.contentType", value] as [string, string]),
    ]),
  ];
}

/** A CR or LF in a header value (header injection) is refused as `schema`, before anything is sent. */
export function assertNoHeaderInjection(params: SendEmailParams): void {
  for (const [field, value] of headerValues(params)) {
    if (typeof value === "string" && /[\r\n]/.test(value)) {
      throw new IntegrationError({
        type: "schema",
        provider: "gmail",
        code: "header_injection",
        message: `Gmail sendEmail: ${field} contains a line break (CR or LF), which would inject a header`,
      });
    }
  }
  if (params.to === undefined || [params.to].flat().length === 0) {
    throw new IntegrationError({
      type: "schema",
      provider: "gmail",
      code: "missing_recipient",
      message: "Gmail sendEmail: `to` names no recipient",
    });
  }
}

/**
 * The RFC 2822 message `sendEmail` sends, built by nodemailer's `MailComposer`: UTF-8 subjects and names encoded
 * per RFC 2047, multipart/alternative for text and HTML, multipart/mixed with attachments, `Bcc` kept (Gmail reads
 * and strips it), and the `Message-ID` derived from the task's idempotency key. Answers `raw` (base64url, no
 * padding) and that `Message-ID`.
 */
export async function composeEmail(
  params: SendEmailParams,
  task: Pick<IOTask, "idempotencyKey">,
): Promise<{ raw: string; messageId: string }> {
  assertNoHeaderInjection(params);
  const messageId = taskMessageId(task);
  mailComposer ??= import("nodemailer/lib/mail-composer");
  const { default: MailComposer } = await mailComposer;
  const node = new MailComposer({
    ...(params.from !== undefined && { from: params.from }),
    to: params.to,
    ...(params.cc !== undefined && { cc: params.cc }),
    ...(params.bcc !== undefined && { bcc: params.bcc }),
    ...(params.replyTo !== undefined && { replyTo: params.replyTo }),
    subject: params.subject,
    ...(params.text !== undefined && { text: params.text }),
    ...(params.html !== undefined && { html: params.html }),
    ...(params.inReplyTo !== undefined && { inReplyTo: params.inReplyTo }),
    ...(params.references !== undefined && { references: params.references }),
    messageId,
    ...(params.attachments && {
      attachments: params.attachments.map((attachment) => ({
        filename: attachment.filename,
        content: attachment.content,
        encoding: attachment.encoding ?? "utf8",
        ...(attachment.contentType !== undefined && { contentType: attachment.contentType }),
      })),
    }),
  }).compile();
  node.keepBcc = true;
  return { raw: toBase64Url(await node.build()), messageId };
}

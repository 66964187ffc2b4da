import { type IntegrationTaskKey, type PollingTrigger, propertiesOf, type TaskOutput } from "@autoflow/core";
import type { gmail_v1 } from "@googleapis/gmail";
import { GMAIL_PROVIDER_DEFINITION, GmailIntegration, type GmailIntegrationOptions } from "./definition";
import { lookPastSearchLag } from "./search-lag";
import { findSentMessage, taskMessageId } from "./tasks/message-id";
import { composeEmail, type SendEmailParams } from "./tasks/send-email";
import {
  type GmailNewMessage,
  type GmailNewMessageOptions,
  gmailNewMessageTrigger,
} from "./triggers/new-message";

/** What `sendEmail` answers: `messages.send`'s answer (id, thread, labels) and the `Message-ID` the mail carries. */
export type SentEmail = gmail_v1.Schema$Message & { messageId: string };

/**
 * Gmail for AutoFlow jobs: `io.gmail.users.messages.send(key, params)` and every other `@googleapis/gmail` method as
 * a durable, typed task (`io.gmail.users.settings.filters.list`, ...), typed from the SDK's own params and schemas;
 * `io.gmail.sendEmail(key, { to, subject, text, ... })` composes the message. Gmail has no idempotency key: every
 * send carries a `Message-ID` derived from the task's idempotency key, and a lost answer is looked up by it before
 * the send is repeated, so a retried or replayed task never sends twice.
 */
export class Gmail extends GmailIntegration {
  constructor(options: GmailIntegrationOptions) {
    super(GMAIL_PROVIDER_DEFINITION, options);
  }

  /**
   * Sends an email composed from its parts (spec 002's `gmail.sendEmail`): the MIME message built by nodemailer's
   * `MailComposer` (RFC 2047 headers, multipart/alternative and mixed), base64url, sent with `users.messages.send`.
   * A CR or LF in a header value is refused as `schema`. Sent once: a lost answer is reconciled with
   * `messages.list` on `rfc822msgid:` before the send is repeated, a miss trusted only past the search index's lag.
   * @see https://developers.google.com/workspace/gmail/api/guides/sending
   */
  sendEmail(key: IntegrationTaskKey, params: SendEmailParams): Promise<TaskOutput<SentEmail>> {
    const userId = params.userId ?? "me";
    return this.runTask(
      key,
      async (client, task) => {
        const { raw, messageId } = await composeEmail(params, task);
        const requestBody = { raw, ...(params.threadId !== undefined && { threadId: params.threadId }) };
        const { data } = await client.users.messages.send({ userId, requestBody });
        return { ...data, messageId };
      },
      {
        name: "Send Email",
        params,
        properties: propertiesOf(params, { To: "to", Subject: "subject" }),
        idempotency: "reconcile",
        reconcile: async (client, context) => {
          const messageId = taskMessageId(context.task);
          const found = await lookPastSearchLag(client, context, () =>
            findSentMessage(client, userId, messageId),
          );
          return "found" in found && found.found
            ? { found: true, output: { ...found.output, messageId } }
            : found;
        },
      },
    );
  }

  /**
   * Starts a run for every new message in the mailbox (with every label of `labelIds`, when given), by polling
   * `users.history.list` from the stored `historyId`; an expired `historyId` resyncs from `messages.list`. Polls use
   * this instance's token; without one (HOSTED), pass `token` (a function may fetch the connection's current one).
   */
  onNewMessage(options: GmailNewMessageOptions = {}): PollingTrigger<GmailNewMessage> {
    const { id: _id, token, ...client } = this.options;
    const found = options.token ?? token;
    if (found === undefined) {
      throw new TypeError(
        `Gmail (${this.options.id}): onNewMessage polls outside any run, so it needs a token: give the integration one, or pass \`token\``,
      );
    }
    return gmailNewMessageTrigger({ ...options, token: found, client });
  }
}

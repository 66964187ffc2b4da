import { type IntegrationTaskKey, optionalProperty, TaskNamespace, type TaskOutput } from "@autoflow/core";
import type { gmail_v1 } from "@googleapis/gmail";
import { lookPastSearchLag } from "../search-lag";
import { findCreatedDraft, findSentDraft, rememberDraftMessage } from "./draft-repeat-safety";
import { taskMessageId, withMessageId } from "./message-id";

type Draft = gmail_v1.Schema$Draft;

/**
 * Hand-written `users.drafts` tasks; every other `users.drafts.*` method (`update`, `delete`) passes through.
 * Gmail keys neither `create` nor `send`: a created draft's message carries a `Message-ID` derived from the task
 * (found again with `drafts.list` on `rfc822msgid:`), and a sent draft is gone from the drafts with its message in
 * SENT (found by the message id read before the send).
 */
export class Drafts extends TaskNamespace<gmail_v1.Gmail> {
  /**
   * Creates a draft from a raw message (`requestBody.message.raw`, base64url). The message gets a `Message-ID` (its
   * own, or one derived from the task's idempotency key, added as its first header), and a lost answer is
   * reconciled with `drafts.list` on `rfc822msgid:` before the create is repeated (a miss trusted only once the
   * search index's lag window has passed since the attempt started).
   * @see https://developers.google.com/workspace/gmail/api/reference/rest/v1/users.drafts/create
   */
  create(
    key: IntegrationTaskKey,
    params: gmail_v1.Params$Resource$Users$Drafts$Create,
  ): Promise<TaskOutput<Draft>> {
    const userId = params.userId ?? "me";
    const message = params.requestBody?.message;
    return this.task(
      key,
      async (client, task) => {
        if (!message?.raw) return (await client.users.drafts.create(params)).data;
        const { raw } = withMessageId(message.raw, taskMessageId(task));
        const requestBody = { ...params.requestBody, message: { ...message, raw } };
        return (await client.users.drafts.create({ ...params, requestBody })).data;
      },
      {
        name: "Create Draft",
        params,
        properties: optionalProperty("Thread", message?.threadId),
        idempotency: "reconcile",
        reconcile: (client, context) => {
          if (!message?.raw) return Promise.resolve({ unknown: true });
          const { messageId } = withMessageId(message.raw, taskMessageId(context.task));
          return lookPastSearchLag(client, context, () => findCreatedDraft(client, userId, messageId));
        },
      },
    );
  }

  /**
   * Gets a draft and its message.
   * @see https://developers.google.com/workspace/gmail/api/reference/rest/v1/users.drafts/get
   */
  get(
    key: IntegrationTaskKey,
    params: gmail_v1.Params$Resource$Users$Drafts$Get,
  ): Promise<TaskOutput<Draft>> {
    return this.task(key, async (client) => (await client.users.drafts.get(params)).data, {
      name: "Get Draft",
      params,
      properties: optionalProperty("Draft", params.id),
      idempotency: "idempotent",
    });
  }

  /**
   * Sends a draft (`requestBody.id`); the draft is gone afterwards. It reads which message the draft holds first
   * (one `drafts.get`), so a lost answer is reconciled: a draft still there was not sent (and is sent now), a draft
   * gone whose message is in SENT was sent (the task answers that message); anything else fails the task with
   * `outcome_unknown`. A draft is never sent twice: Gmail refuses to send a draft that is gone.
   * @see https://developers.google.com/workspace/gmail/api/reference/rest/v1/users.drafts/send
   */
  send(
    key: IntegrationTaskKey,
    params: gmail_v1.Params$Resource$Users$Drafts$Send,
  ): Promise<TaskOutput<gmail_v1.Schema$Message>> {
    const userId = params.userId ?? "me";
    const draftId = params.requestBody?.id;
    return this.task(
      key,
      async (client, task) => {
        if (draftId) await rememberDraftMessage(client, task, userId, draftId);
        return (await client.users.drafts.send(params)).data;
      },
      {
        name: "Send Draft",
        params,
        properties: optionalProperty("Draft", draftId),
        idempotency: "reconcile",
        reconcile: (client, { task }) =>
          draftId ? findSentDraft(client, task, userId, draftId) : Promise.resolve({ unknown: true }),
      },
    );
  }

  /**
   * Lists the mailbox's drafts, one page.
   * @see https://developers.google.com/workspace/gmail/api/reference/rest/v1/users.drafts/list
   */
  list(
    key: IntegrationTaskKey,
    params: gmail_v1.Params$Resource$Users$Drafts$List = { userId: "me" },
  ): Promise<TaskOutput<gmail_v1.Schema$ListDraftsResponse>> {
    return this.task(key, async (client) => (await client.users.drafts.list(params)).data, {
      name: "List Drafts",
      params,
      properties: optionalProperty("Query", params.q),
      idempotency: "idempotent",
    });
  }
}

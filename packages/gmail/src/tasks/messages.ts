import { type IntegrationTaskKey, optionalProperty, TaskNamespace, type TaskOutput } from "@autoflow/core";
import type { gmail_v1 } from "@googleapis/gmail";
import { lookPastSearchLag } from "../search-lag";
import { findSentMessage, taskMessageId, withMessageId } from "./message-id";

type Message = gmail_v1.Schema$Message;

/**
 * Hand-written `users.messages` tasks, 1:1 with the SDK (`send` takes `{ userId, requestBody: { raw } }`); every
 * other `users.messages.*` method (`insert`, `import`, `delete`, `attachments.get`, ...) passes through.
 */
export class Messages extends TaskNamespace<gmail_v1.Gmail> {
  /**
   * Sends a message given as `raw` (an RFC 2822 message, base64url). Gmail has no idempotency key: the message is
   * sent with a `Message-ID` (its own, or one derived from the task's idempotency key, added as its first header),
   * and a lost answer is reconciled with `messages.list` on `rfc822msgid:` before the send is repeated (a miss is
   * trusted only once the search index's lag window has passed since the attempt started).
   * @see https://developers.google.com/workspace/gmail/api/reference/rest/v1/users.messages/send
   */
  send(
    key: IntegrationTaskKey,
    params: gmail_v1.Params$Resource$Users$Messages$Send,
  ): Promise<TaskOutput<Message>> {
    const userId = params.userId ?? "me";
    return this.task(
      key,
      async (client, task) => {
        const body = params.requestBody ?? {};
        const raw = body.raw ? withMessageId(body.raw, taskMessageId(task)).raw : body.raw;
        const requestBody = raw === undefined ? body : { ...body, raw };
        return (await client.users.messages.send({ ...params, requestBody })).data;
      },
      {
        name: "Send Message",
        params,
        properties: optionalProperty("Thread", params.requestBody?.threadId),
        idempotency: "reconcile",
        reconcile: (client, context) => {
          const raw = params.requestBody?.raw;
          if (!raw) return Promise.resolve({ unknown: true });
          const { messageId } = withMessageId(raw, taskMessageId(context.task));
          return lookPastSearchLag(client, context, () => findSentMessage(client, userId, messageId));
        },
      },
    );
  }

  /**
   * Gets a message (`format`: `full`, `metadata`, `minimal` or `raw`).
   * @see https://developers.google.com/workspace/gmail/api/reference/rest/v1/users.messages/get
   */
  get(
    key: IntegrationTaskKey,
    params: gmail_v1.Params$Resource$Users$Messages$Get,
  ): Promise<TaskOutput<Message>> {
    return this.task(key, async (client) => (await client.users.messages.get(params)).data, {
      name: "Get Message",
      params,
      properties: optionalProperty("Message", params.id),
      idempotency: "idempotent",
    });
  }

  /**
   * Lists the mailbox's messages, newest first, optionally by label or a Gmail search query (`q`), one page.
   * @see https://developers.google.com/workspace/gmail/api/reference/rest/v1/users.messages/list
   */
  list(
    key: IntegrationTaskKey,
    params: gmail_v1.Params$Resource$Users$Messages$List = { userId: "me" },
  ): Promise<TaskOutput<gmail_v1.Schema$ListMessagesResponse>> {
    return this.task(key, async (client) => (await client.users.messages.list(params)).data, {
      name: "List Messages",
      params,
      properties: optionalProperty("Query", params.q),
      idempotency: "idempotent",
    });
  }

  /**
   * Adds and removes labels on a message. Applying the same change twice leaves the same labels.
   * @see https://developers.google.com/workspace/gmail/api/reference/rest/v1/users.messages/modify
   */
  modify(
    key: IntegrationTaskKey,
    params: gmail_v1.Params$Resource$Users$Messages$Modify,
  ): Promise<TaskOutput<Message>> {
    return this.task(key, async (client) => (await client.users.messages.modify(params)).data, {
      name: "Modify Message Labels",
      params,
      properties: optionalProperty("Message", params.id),
      idempotency: "idempotent",
    });
  }

  /**
   * Moves a message to the trash. Trashing it again leaves it there.
   * @see https://developers.google.com/workspace/gmail/api/reference/rest/v1/users.messages/trash
   */
  trash(
    key: IntegrationTaskKey,
    params: gmail_v1.Params$Resource$Users$Messages$Trash,
  ): Promise<TaskOutput<Message>> {
    return this.task(key, async (client) => (await client.users.messages.trash(params)).data, {
      name: "Trash Message",
      params,
      properties: optionalProperty("Message", params.id),
      idempotency: "idempotent",
    });
  }

  /**
   * Takes a message out of the trash. Doing it again leaves it out.
   * @see https://developers.google.com/workspace/gmail/api/reference/rest/v1/users.messages/untrash
   */
  untrash(
    key: IntegrationTaskKey,
    params: gmail_v1.Params$Resource$Users$Messages$Untrash,
  ): Promise<TaskOutput<Message>> {
    return this.task(key, async (client) => (await client.users.messages.untrash(params)).data, {
      name: "Untrash Message",
      params,
      properties: optionalProperty("Message", params.id),
      idempotency: "idempotent",
    });
  }

  /**
   * Adds and removes labels on up to 1,000 messages at once. The same change twice leaves the same labels.
   * @see https://developers.google.com/workspace/gmail/api/reference/rest/v1/users.messages/batchModify
   */
  batchModify(
    key: IntegrationTaskKey,
    params: gmail_v1.Params$Resource$Users$Messages$Batchmodify,
  ): Promise<TaskOutput<void>> {
    return this.task(
      key,
      async (client) => {
        await client.users.messages.batchModify(params);
      },
      {
        name: "Modify Labels of Messages",
        params,
        properties: [{ label: "Messages", text: String(params.requestBody?.ids?.length ?? 0) }],
        idempotency: "idempotent",
      },
    );
  }
}

import { type IntegrationTaskKey, optionalProperty, TaskNamespace, type TaskOutput } from "@autoflow/core";
import type { gmail_v1 } from "@googleapis/gmail";

type Draft = gmail_v1.Schema$Draft;

/**
 * Hand-written `users.drafts` tasks; every other `users.drafts.*` method (`update`, `delete`) passes through.
 * `create` and `send` declare no safe repeat: Gmail keys neither, so a lost answer fails the task with
 * `outcome_unknown` (check the mailbox's drafts and sent mail before re-running).
 */
export class Drafts extends TaskNamespace<gmail_v1.Gmail> {
  /**
   * Creates a draft from a raw message (`requestBody.message.raw`, base64url). A lost answer is not repeated.
   * @see https://developers.google.com/workspace/gmail/api/reference/rest/v1/users.drafts/create
   */
  create(
    key: IntegrationTaskKey,
    params: gmail_v1.Params$Resource$Users$Drafts$Create,
  ): Promise<TaskOutput<Draft>> {
    return this.task(key, async (client) => (await client.users.drafts.create(params)).data, {
      name: "Create Draft",
      params,
      properties: optionalProperty("Thread", params.requestBody?.message?.threadId),
    });
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
   * Sends a draft (`requestBody.id`); the draft is gone afterwards. A lost answer is not repeated.
   * @see https://developers.google.com/workspace/gmail/api/reference/rest/v1/users.drafts/send
   */
  send(
    key: IntegrationTaskKey,
    params: gmail_v1.Params$Resource$Users$Drafts$Send,
  ): Promise<TaskOutput<gmail_v1.Schema$Message>> {
    return this.task(key, async (client) => (await client.users.drafts.send(params)).data, {
      name: "Send Draft",
      params,
      properties: optionalProperty("Draft", params.requestBody?.id),
    });
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

import { type IntegrationTaskKey, optionalProperty, TaskNamespace, type TaskOutput } from "@autoflow/core";
import type { gmail_v1 } from "@googleapis/gmail";

/** Hand-written `users.history` tasks. */
export class History extends TaskNamespace<gmail_v1.Gmail> {
  /**
   * Lists the mailbox's changes since `startHistoryId` (a 404 when that id is too old: resync from `messages.list`).
   * @see https://developers.google.com/workspace/gmail/api/reference/rest/v1/users.history/list
   */
  list(
    key: IntegrationTaskKey,
    params: gmail_v1.Params$Resource$Users$History$List,
  ): Promise<TaskOutput<gmail_v1.Schema$ListHistoryResponse>> {
    return this.task(key, async (client) => (await client.users.history.list(params)).data, {
      name: "List History",
      params,
      properties: optionalProperty("Since", params.startHistoryId),
      idempotency: "idempotent",
    });
  }
}

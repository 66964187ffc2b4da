import { type IntegrationTaskKey, optionalProperty, TaskNamespace, type TaskOutput } from "@autoflow/core";
import type { gmail_v1 } from "@googleapis/gmail";

type Thread = gmail_v1.Schema$Thread;

/** Hand-written `users.threads` tasks; every other `users.threads.*` method passes through. */
export class Threads extends TaskNamespace<gmail_v1.Gmail> {
  /**
   * Gets a thread with its messages.
   * @see https://developers.google.com/workspace/gmail/api/reference/rest/v1/users.threads/get
   */
  get(
    key: IntegrationTaskKey,
    params: gmail_v1.Params$Resource$Users$Threads$Get,
  ): Promise<TaskOutput<Thread>> {
    return this.task(key, async (client) => (await client.users.threads.get(params)).data, {
      name: "Get Thread",
      params,
      properties: optionalProperty("Thread", params.id),
      idempotency: "idempotent",
    });
  }

  /**
   * Lists the mailbox's threads, optionally by label or a Gmail search query (`q`), one page.
   * @see https://developers.google.com/workspace/gmail/api/reference/rest/v1/users.threads/list
   */
  list(
    key: IntegrationTaskKey,
    params: gmail_v1.Params$Resource$Users$Threads$List = { userId: "me" },
  ): Promise<TaskOutput<gmail_v1.Schema$ListThreadsResponse>> {
    return this.task(key, async (client) => (await client.users.threads.list(params)).data, {
      name: "List Threads",
      params,
      properties: optionalProperty("Query", params.q),
      idempotency: "idempotent",
    });
  }

  /**
   * Adds and removes labels on every message of a thread. The same change twice leaves the same labels.
   * @see https://developers.google.com/workspace/gmail/api/reference/rest/v1/users.threads/modify
   */
  modify(
    key: IntegrationTaskKey,
    params: gmail_v1.Params$Resource$Users$Threads$Modify,
  ): Promise<TaskOutput<Thread>> {
    return this.task(key, async (client) => (await client.users.threads.modify(params)).data, {
      name: "Modify Thread Labels",
      params,
      properties: optionalProperty("Thread", params.id),
      idempotency: "idempotent",
    });
  }
}

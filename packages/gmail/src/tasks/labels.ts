import { type IntegrationTaskKey, optionalProperty, TaskNamespace, type TaskOutput } from "@autoflow/core";
import type { gmail_v1 } from "@googleapis/gmail";

type Label = gmail_v1.Schema$Label;

/** Hand-written `users.labels` tasks; every other `users.labels.*` method (`update`, `patch`, `delete`) passes through. */
export class Labels extends TaskNamespace<gmail_v1.Gmail> {
  /**
   * Lists the mailbox's labels, system and user.
   * @see https://developers.google.com/workspace/gmail/api/reference/rest/v1/users.labels/list
   */
  list(
    key: IntegrationTaskKey,
    params: gmail_v1.Params$Resource$Users$Labels$List = { userId: "me" },
  ): Promise<TaskOutput<gmail_v1.Schema$ListLabelsResponse>> {
    return this.task(key, async (client) => (await client.users.labels.list(params)).data, {
      name: "List Labels",
      params,
      idempotency: "idempotent",
    });
  }

  /**
   * Creates a label. Label names are unique in a mailbox: a lost answer is reconciled by finding the label by name.
   * @see https://developers.google.com/workspace/gmail/api/reference/rest/v1/users.labels/create
   */
  create(
    key: IntegrationTaskKey,
    params: gmail_v1.Params$Resource$Users$Labels$Create,
  ): Promise<TaskOutput<Label>> {
    return this.task(key, async (client) => (await client.users.labels.create(params)).data, {
      name: "Create Label",
      params,
      properties: optionalProperty("Name", params.requestBody?.name),
      idempotency: "reconcile",
      reconcile: async (client) => {
        const name = params.requestBody?.name;
        if (!name) return { unknown: true };
        const { data } = await client.users.labels.list({ userId: params.userId ?? "me" });
        const found = data.labels?.find((label) => label.name === name);
        return found ? { found: true, output: found } : { found: false };
      },
    });
  }

  /**
   * Gets a label with its message and thread counts.
   * @see https://developers.google.com/workspace/gmail/api/reference/rest/v1/users.labels/get
   */
  get(
    key: IntegrationTaskKey,
    params: gmail_v1.Params$Resource$Users$Labels$Get,
  ): Promise<TaskOutput<Label>> {
    return this.task(key, async (client) => (await client.users.labels.get(params)).data, {
      name: "Get Label",
      params,
      properties: optionalProperty("Label", params.id),
      idempotency: "idempotent",
    });
  }
}

import { type IntegrationTaskKey, optionalProperty, TaskNamespace, type TaskOutput } from "@autoflow/core";
import type { gmail_v1 } from "@googleapis/gmail";
import { Drafts } from "./drafts";
import { History } from "./history";
import { Labels } from "./labels";
import { Messages } from "./messages";
import { Threads } from "./threads";

type P = gmail_v1.Params$Resource$Users$Getprofile;

/**
 * Hand-written `users` tasks (the profile, push `watch`/`stop`) and the child namespaces `users.messages`,
 * `users.threads`, `users.drafts`, `users.labels`, `users.history`; every other `users.*` method (`settings.*`,
 * `messages.attachments.get`, ...) passes through. Params and answers are the SDK's own.
 */
export class Users extends TaskNamespace<gmail_v1.Gmail> {
  /** `send`, `get`, `list`, `modify`, `trash`, `untrash`, `batchModify`, and every other `users.messages.*` method. */
  get messages(): Messages {
    return this.child(Messages);
  }

  /** `get`, `list`, `modify`, and every other `users.threads.*` method. */
  get threads(): Threads {
    return this.child(Threads);
  }

  /** `create`, `get`, `send`, `list`, and every other `users.drafts.*` method. */
  get drafts(): Drafts {
    return this.child(Drafts);
  }

  /** `list`, `create`, `get`, and every other `users.labels.*` method. */
  get labels(): Labels {
    return this.child(Labels);
  }

  /** `list`. */
  get history(): History {
    return this.child(History);
  }

  /**
   * Gets the mailbox's profile: its email address, message and thread totals and current `historyId`.
   * @see https://developers.google.com/workspace/gmail/api/reference/rest/v1/users/getProfile
   */
  getProfile(
    key: IntegrationTaskKey,
    params: P = { userId: "me" },
  ): Promise<TaskOutput<gmail_v1.Schema$Profile>> {
    return this.task(key, async (client) => (await client.users.getProfile(params)).data, {
      name: "Get Profile",
      params,
      properties: optionalProperty("User", params.userId),
      idempotency: "idempotent",
    });
  }

  /**
   * Sets up or renews push notifications of the mailbox's changes to a Cloud Pub/Sub topic. Calling it again
   * renews the same watch: a repeat is harmless.
   * @see https://developers.google.com/workspace/gmail/api/reference/rest/v1/users/watch
   */
  watch(
    key: IntegrationTaskKey,
    params: gmail_v1.Params$Resource$Users$Watch,
  ): Promise<TaskOutput<gmail_v1.Schema$WatchResponse>> {
    return this.task(key, async (client) => (await client.users.watch(params)).data, {
      name: "Watch Mailbox",
      params,
      properties: optionalProperty("Topic", params.requestBody?.topicName),
      idempotency: "idempotent",
    });
  }

  /**
   * Stops push notifications for the mailbox. Stopping twice is harmless.
   * @see https://developers.google.com/workspace/gmail/api/reference/rest/v1/users/stop
   */
  stop(
    key: IntegrationTaskKey,
    params: gmail_v1.Params$Resource$Users$Stop = { userId: "me" },
  ): Promise<TaskOutput<void>> {
    return this.task(
      key,
      async (client) => {
        await client.users.stop(params);
      },
      { name: "Stop Watching Mailbox", params, idempotency: "idempotent" },
    );
  }
}

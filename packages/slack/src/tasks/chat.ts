import { type IntegrationTaskKey, propertiesOf, TaskNamespace, type TaskOutput } from "@autoflow/core";
import type {
  ChatDeleteArguments,
  ChatDeleteResponse,
  ChatPostEphemeralArguments,
  ChatPostEphemeralResponse,
  ChatPostMessageArguments,
  ChatPostMessageResponse,
  ChatScheduleMessageArguments,
  ChatScheduleMessageResponse,
  ChatUpdateArguments,
  ChatUpdateResponse,
  WebClient,
} from "@slack/web-api";

/** `io.slack.chat`: post, edit, delete and schedule messages. Other `chat.*` methods pass through. */
export class Chat extends TaskNamespace<WebClient> {
  /**
   * Posts a message to a channel, or to a thread with `thread_ts`.
   * @see https://docs.slack.dev/reference/methods/chat.postMessage
   */
  postMessage(
    key: IntegrationTaskKey,
    params: ChatPostMessageArguments,
  ): Promise<TaskOutput<ChatPostMessageResponse>> {
    return this.task(key, (client) => client.chat.postMessage(params), {
      name: "Post Message",
      params,
      properties: propertiesOf(params, { Channel: "channel", Thread: "thread_ts", Text: "text" }),
    });
  }

  /**
   * Edits a message the app posted.
   * @see https://docs.slack.dev/reference/methods/chat.update
   */
  update(key: IntegrationTaskKey, params: ChatUpdateArguments): Promise<TaskOutput<ChatUpdateResponse>> {
    return this.task(key, (client) => client.chat.update(params), {
      name: "Update Message",
      params,
      properties: propertiesOf(params, { Channel: "channel", Message: "ts", Text: "text" }),
    });
  }

  /**
   * Deletes a message the app posted.
   * @see https://docs.slack.dev/reference/methods/chat.delete
   */
  delete(key: IntegrationTaskKey, params: ChatDeleteArguments): Promise<TaskOutput<ChatDeleteResponse>> {
    return this.task(key, (client) => client.chat.delete(params), {
      name: "Delete Message",
      params,
      properties: propertiesOf(params, { Channel: "channel", Message: "ts" }),
    });
  }

  /**
   * Posts a message only one user in the channel sees.
   * @see https://docs.slack.dev/reference/methods/chat.postEphemeral
   */
  postEphemeral(
    key: IntegrationTaskKey,
    params: ChatPostEphemeralArguments,
  ): Promise<TaskOutput<ChatPostEphemeralResponse>> {
    return this.task(key, (client) => client.chat.postEphemeral(params), {
      name: "Post Ephemeral Message",
      params,
      properties: propertiesOf(params, { Channel: "channel", User: "user", Text: "text" }),
    });
  }

  /**
   * Schedules a message for `post_at` (epoch seconds).
   * @see https://docs.slack.dev/reference/methods/chat.scheduleMessage
   */
  scheduleMessage(
    key: IntegrationTaskKey,
    params: ChatScheduleMessageArguments,
  ): Promise<TaskOutput<ChatScheduleMessageResponse>> {
    const postAt = Number(params.post_at);
    return this.task(key, (client) => client.chat.scheduleMessage(params), {
      name: "Schedule Message",
      params,
      properties: [
        ...propertiesOf(params, { Channel: "channel", Text: "text" }),
        ...(Number.isFinite(postAt)
          ? [{ label: "Post At", text: new Date(postAt * 1000).toISOString() }]
          : []),
      ],
    });
  }
}

import {
  type IntegrationTaskKey,
  propertiesOf,
  type ReconcileContext,
  type ReconcileResult,
  systemClock,
  TaskNamespace,
  type TaskOutput,
  taskMarker,
} from "@autoflow/core";
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
import { alreadyDone, CLOCK_SKEW_SECONDS, findMarkedMessage, markedMetadata } from "./repeat-safety";

/** `io.slack.chat`: post, edit, delete and schedule messages. Other `chat.*` methods pass through. */
export class Chat extends TaskNamespace<WebClient> {
  /**
   * Posts a message to a channel, or to a thread with `thread_ts`. The message carries the task's marker in its
   * metadata (`event_type: "autoflow_task"`), so a lost answer is reconciled: the channel's history (or the
   * thread's replies) since the call is searched for it, and a message found completes the task.
   * @see https://docs.slack.dev/reference/methods/chat.postMessage
   */
  postMessage(
    key: IntegrationTaskKey,
    params: ChatPostMessageArguments,
  ): Promise<TaskOutput<ChatPostMessageResponse>> {
    return this.task(
      key,
      (client, task) =>
        client.chat.postMessage({
          ...params,
          metadata: markedMetadata(params.metadata, taskMarker(task)),
        } as ChatPostMessageArguments),
      {
        name: "Post Message",
        params,
        properties: propertiesOf(params, { Channel: "channel", Thread: "thread_ts", Text: "text" }),
        idempotency: "reconcile",
        reconcile: async (client, context) => {
          const found = await findMarkedMessage(
            client,
            { channel: params.channel, thread_ts: params.thread_ts },
            context,
          );
          if (!("found" in found && found.found)) return found;
          const { channel, ts, message } = found.output;
          return { found: true, output: { ok: true, channel, ts, message } as ChatPostMessageResponse };
        },
      },
    );
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
      // A repeat sets the same content on the same message: the message ends as one update leaves it.
      idempotency: "idempotent",
    });
  }

  /**
   * Deletes a message the app posted.
   * @see https://docs.slack.dev/reference/methods/chat.delete
   */
  delete(key: IntegrationTaskKey, params: ChatDeleteArguments): Promise<TaskOutput<ChatDeleteResponse>> {
    return this.task(
      key,
      async (client, task) => {
        try {
          return await client.chat.delete(params);
        } catch (error) {
          // A repeat finds the message gone: the attempt before deleted it.
          if (alreadyDone(task, error, ["message_not_found"])) {
            return { ok: true, channel: params.channel, ts: params.ts } as ChatDeleteResponse;
          }
          throw error;
        }
      },
      {
        name: "Delete Message",
        params,
        properties: propertiesOf(params, { Channel: "channel", Message: "ts" }),
        // A delete repeated deletes nothing more; its `message_not_found` on a repeat completes the task.
        idempotency: "idempotent",
      },
    );
  }

  /**
   * Posts a message only one user in the channel sees. Declares no safe repeat: Slack keeps no record of an
   * ephemeral message that any method can read back, so a lost answer cannot be reconciled, and a repeat
   * could show it twice. A lost answer fails the task with `outcome_unknown` (check with the user, or opt the
   * job in to at-least-once with `retry: { onUnknownOutcome: "retry" }`).
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
   * Schedules a message for `post_at` (epoch seconds). A lost answer is reconciled with
   * `chat.scheduledMessages.list` while the message is still pending (see `findScheduled` for how ours is told
   * apart, and the limits).
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
      idempotency: "reconcile",
      reconcile: (client, context) => findScheduled(client, params, context),
    });
  }
}

/**
 * Finds the message a lost `chat.scheduleMessage` answer may have scheduled, among the channel's pending
 * scheduled messages (`chat.scheduledMessages.list`): the one with the same channel, `post_at` and text,
 * created since the attempt started (less the clock skew). Scheduled messages carry no metadata Slack lists,
 * so these are all it can tell by. Limits:
 * - two identical messages (same channel, time and text) scheduled in the same window by the same app cannot
 *   be told apart: the reconciler then answers "cannot tell" and the task fails with `outcome_unknown`;
 * - once `post_at` has come (or is within the clock skew), a message that was sent has left the list: nothing
 *   found then cannot be told from nothing scheduled, so the task fails with `outcome_unknown` too;
 * - messages with `blocks` and no `text` are matched by channel and time only.
 */
async function findScheduled(
  client: WebClient,
  params: ChatScheduleMessageArguments,
  { callStartedAt }: ReconcileContext,
): Promise<ReconcileResult<ChatScheduleMessageResponse>> {
  const postAt = Math.floor(Number(params.post_at));
  const since = Math.floor(callStartedAt.getTime() / 1000) - CLOCK_SKEW_SECONDS;
  const pending: {
    id?: string;
    channel_id?: string;
    post_at?: number;
    date_created?: number;
    text?: string;
  }[] = [];
  let cursor: string | undefined;
  do {
    const page = await client.chat.scheduledMessages.list({
      channel: params.channel,
      limit: 100,
      ...(cursor && { cursor }),
    });
    pending.push(...(page.scheduled_messages ?? []));
    cursor = page.response_metadata?.next_cursor || undefined;
  } while (cursor);
  const text = "text" in params ? params.text : undefined;
  const ours = pending.filter(
    (m) =>
      m.channel_id === params.channel &&
      m.post_at === postAt &&
      (m.date_created ?? 0) >= since &&
      (text === undefined || m.text === text),
  );
  const [only] = ours;
  if (ours.length > 1 || (only && !only.id)) return { unknown: true };
  if (only?.id) {
    return {
      found: true,
      output: {
        ok: true,
        channel: params.channel,
        scheduled_message_id: only.id,
        post_at: postAt,
      } as ChatScheduleMessageResponse,
    };
  }
  // Nothing pending: certain only while the message could not have been sent yet.
  const nowSeconds = systemClock.now() / 1000;
  return postAt > nowSeconds + CLOCK_SKEW_SECONDS ? { found: false } : { unknown: true };
}

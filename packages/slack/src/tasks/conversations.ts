import {
  type IntegrationTaskKey,
  propertiesOf,
  type ReconcileContext,
  type ReconcileResult,
  TaskNamespace,
  type TaskOutput,
} from "@autoflow/core";
import type {
  ConversationsArchiveArguments,
  ConversationsArchiveResponse,
  ConversationsCreateArguments,
  ConversationsCreateResponse,
  ConversationsHistoryArguments,
  ConversationsHistoryResponse,
  ConversationsInfoArguments,
  ConversationsInfoResponse,
  ConversationsInviteArguments,
  ConversationsInviteResponse,
  ConversationsJoinArguments,
  ConversationsJoinResponse,
  ConversationsListArguments,
  ConversationsListResponse,
  ConversationsRepliesArguments,
  ConversationsRepliesResponse,
  WebClient,
} from "@slack/web-api";
import { alreadyDone, CLOCK_SKEW_SECONDS } from "./repeat-safety";

/** One message of a `conversations.history` page, as the SDK types it. */
export type ConversationsHistoryMessage = NonNullable<ConversationsHistoryResponse["messages"]>[number];

/** `io.slack.conversations`: channels and their messages. Other `conversations.*` methods pass through. */
export class Conversations extends TaskNamespace<WebClient> {
  /**
   * Lists channels in the workspace (one page; pass `cursor` for the next).
   * @see https://docs.slack.dev/reference/methods/conversations.list
   */
  list(
    key: IntegrationTaskKey,
    params?: ConversationsListArguments,
  ): Promise<TaskOutput<ConversationsListResponse>> {
    return this.task(key, (client) => client.conversations.list(params), {
      name: "List Conversations",
      ...(params !== undefined && { params }),
      properties: propertiesOf(params, { Types: "types", Cursor: "cursor" }),
      idempotency: "idempotent",
    });
  }

  /**
   * Reads a channel's messages, newest first.
   * @see https://docs.slack.dev/reference/methods/conversations.history
   */
  history(
    key: IntegrationTaskKey,
    params: ConversationsHistoryArguments,
  ): Promise<TaskOutput<ConversationsHistoryResponse>> {
    return this.task(key, (client) => client.conversations.history(params), {
      name: "Conversation History",
      params,
      properties: propertiesOf(params, { Channel: "channel", Oldest: "oldest", Latest: "latest" }),
      idempotency: "idempotent",
    });
  }

  /**
   * Reads a channel's messages, newest first, across pages until `limit` messages: one task for the
   * whole walk, through the SDK's own cursor pagination (`client.paginate`). `history` stays one page.
   * @see https://docs.slack.dev/tools/node-slack-sdk/web-api/#pagination
   */
  historyAll(
    key: IntegrationTaskKey,
    params: Omit<ConversationsHistoryArguments, "cursor">,
    options: { limit: number },
  ): Promise<TaskOutput<ConversationsHistoryMessage[]>> {
    return this.pages<ConversationsHistoryMessage>(
      key,
      {
        pages: (client) => client.paginate("conversations.history", params),
        items: (page) => (page as ConversationsHistoryResponse).messages ?? [],
        limit: options.limit,
      },
      {
        name: "Conversation History (all pages)",
        params,
        properties: propertiesOf(params, { Channel: "channel", Oldest: "oldest", Latest: "latest" }),
      },
    );
  }

  /**
   * Reads a thread: the parent message and its replies.
   * @see https://docs.slack.dev/reference/methods/conversations.replies
   */
  replies(
    key: IntegrationTaskKey,
    params: ConversationsRepliesArguments,
  ): Promise<TaskOutput<ConversationsRepliesResponse>> {
    return this.task(key, (client) => client.conversations.replies(params), {
      name: "Conversation Replies",
      params,
      properties: propertiesOf(params, { Channel: "channel", Thread: "ts" }),
      idempotency: "idempotent",
    });
  }

  /**
   * Reads a channel's details.
   * @see https://docs.slack.dev/reference/methods/conversations.info
   */
  info(
    key: IntegrationTaskKey,
    params: ConversationsInfoArguments,
  ): Promise<TaskOutput<ConversationsInfoResponse>> {
    return this.task(key, (client) => client.conversations.info(params), {
      name: "Conversation Info",
      params,
      properties: propertiesOf(params, { Channel: "channel" }),
      idempotency: "idempotent",
    });
  }

  /**
   * Creates a public or private channel. A lost answer is reconciled: a channel of that name that this token's
   * user created since the call completes the task (names are unique in a workspace, so a repeat could only
   * answer `name_taken`).
   * @see https://docs.slack.dev/reference/methods/conversations.create
   */
  create(
    key: IntegrationTaskKey,
    params: ConversationsCreateArguments,
  ): Promise<TaskOutput<ConversationsCreateResponse>> {
    return this.task(key, (client) => client.conversations.create(params), {
      name: "Create Conversation",
      params,
      properties: [
        ...propertiesOf(params, { Name: "name" }),
        { label: "Private", text: params.is_private ? "yes" : "no" },
      ],
      idempotency: "reconcile",
      reconcile: (client, context) => findCreatedChannel(client, params, context),
    });
  }

  /**
   * Invites users (comma-separated ids) to a channel.
   * @see https://docs.slack.dev/reference/methods/conversations.invite
   */
  invite(
    key: IntegrationTaskKey,
    params: ConversationsInviteArguments,
  ): Promise<TaskOutput<ConversationsInviteResponse>> {
    return this.task(
      key,
      async (client, task) => {
        try {
          return await client.conversations.invite(params);
        } catch (error) {
          // A repeat finds everyone already in: the attempt before invited them.
          if (!alreadyDone(task, error, ["already_in_channel"])) throw error;
          const { channel } = await client.conversations.info({ channel: params.channel });
          return { ok: true, ...(channel && { channel }) } as ConversationsInviteResponse;
        }
      },
      {
        name: "Invite to Conversation",
        params,
        properties: propertiesOf(params, { Channel: "channel", Users: "users" }),
        // Membership is a set: inviting twice leaves the same members; `already_in_channel` on a repeat completes.
        idempotency: "idempotent",
      },
    );
  }

  /**
   * Joins a public channel as the app's bot user.
   * @see https://docs.slack.dev/reference/methods/conversations.join
   */
  join(
    key: IntegrationTaskKey,
    params: ConversationsJoinArguments,
  ): Promise<TaskOutput<ConversationsJoinResponse>> {
    return this.task(key, (client) => client.conversations.join(params), {
      name: "Join Conversation",
      params,
      properties: propertiesOf(params, { Channel: "channel" }),
      // Joining a channel the app is in answers ok (with an `already_in_channel` warning).
      idempotency: "idempotent",
    });
  }

  /**
   * Archives a channel.
   * @see https://docs.slack.dev/reference/methods/conversations.archive
   */
  archive(
    key: IntegrationTaskKey,
    params: ConversationsArchiveArguments,
  ): Promise<TaskOutput<ConversationsArchiveResponse>> {
    return this.task(
      key,
      async (client, task) => {
        try {
          return await client.conversations.archive(params);
        } catch (error) {
          // A repeat finds the channel archived: the attempt before archived it.
          if (alreadyDone(task, error, ["already_archived"]))
            return { ok: true } as ConversationsArchiveResponse;
          throw error;
        }
      },
      {
        name: "Archive Conversation",
        params,
        properties: propertiesOf(params, { Channel: "channel" }),
        // An archived channel stays archived; `already_archived` on a repeat completes the task.
        idempotency: "idempotent",
      },
    );
  }
}

/**
 * The channel a lost `conversations.create` answer may have created: the one named `params.name`, created by
 * the token's own user (`auth.test`) since the attempt started (less the clock skew). Every page of
 * `conversations.list` is read (public and private channels the app is in).
 */
async function findCreatedChannel(
  client: WebClient,
  params: ConversationsCreateArguments,
  { callStartedAt }: ReconcileContext,
): Promise<ReconcileResult<ConversationsCreateResponse>> {
  const { user_id: self } = await client.auth.test();
  if (!self) return { unknown: true };
  const since = Math.floor(callStartedAt.getTime() / 1000) - CLOCK_SKEW_SECONDS;
  let cursor: string | undefined;
  do {
    const page = await client.conversations.list({
      types: "public_channel,private_channel",
      limit: 1000,
      ...(cursor && { cursor }),
    });
    const named = page.channels?.find((c) => c.name === params.name);
    if (named) {
      const ours = named.creator === self && (named.created ?? 0) >= since;
      return ours
        ? { found: true, output: { ok: true, channel: named } as ConversationsCreateResponse }
        : { unknown: true };
    }
    cursor = page.response_metadata?.next_cursor || undefined;
  } while (cursor);
  return { found: false };
}

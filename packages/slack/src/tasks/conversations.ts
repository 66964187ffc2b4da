import { type IntegrationTaskKey, propertiesOf, TaskNamespace, type TaskOutput } from "@autoflow/core";
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
    });
  }

  /**
   * Creates a public or private channel.
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
    return this.task(key, (client) => client.conversations.invite(params), {
      name: "Invite to Conversation",
      params,
      properties: propertiesOf(params, { Channel: "channel", Users: "users" }),
    });
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
    return this.task(key, (client) => client.conversations.archive(params), {
      name: "Archive Conversation",
      params,
      properties: propertiesOf(params, { Channel: "channel" }),
    });
  }
}

import {
  type DisplayProperty,
  type ProviderDefinition,
  type ProviderRunTask,
  providerIntegration,
  type SdkNamespaceName,
  type SdkTaskMethod,
  type SdkTasks,
  type WebhookTrigger,
} from "@autoflow/core";
import type { AppMentionEvent, ReactionAddedEvent, SlackEvent } from "@slack/types";
import type { WebClient } from "@slack/web-api";
import { createWebClient, type SlackClientOptions } from "./client";
import { toSlackError } from "./errors";
import { commonProperties } from "./properties";
import { Auth } from "./tasks/auth";
import { Chat } from "./tasks/chat";
import { Conversations } from "./tasks/conversations";
import { Files } from "./tasks/files";
import { Reactions } from "./tasks/reactions";
import { Users } from "./tasks/users";
import type { SlackEventOfType, SlackEventPayload } from "./triggers/event-payload";
import {
  type SlackChannelFilter,
  type SlackEventFilter,
  type SlackMessageFilter,
  type SlackMessageSubtype,
  type SlackMessageTriggerEvent,
  type SlackReactionFilter,
  slackAppMentionTrigger,
  slackEventTrigger,
  slackMessageTrigger,
  slackReactionAddedTrigger,
} from "./triggers/slack-triggers";

/** Slack's SDK-specific knowledge: how to build a WebClient, where its methods are, its error table and token shapes. */
export const SLACK_PROVIDER_DEFINITION: ProviderDefinition<WebClient, SlackIntegrationOptions> = {
  id: "slack",
  name: "Slack",
  createClient: (token, options) => createWebClient(token, options),
  toError: (error, now) => toSlackError(error, now),
  sdk: { root: (client) => client, shape: () => createWebClient(undefined), result: "response" },
  secrets: { tokenShapes: [/\bxox[abprse]-[A-Za-z0-9-]{8,}/g, /\bxapp-[A-Za-z0-9-]{8,}/g] },
};

/** Options for `new Slack(...)`. */
export interface SlackIntegrationOptions extends SlackClientOptions {
  /** Identifies this integration in jobs and connections. */
  id: string;
  /** A bot or user token (`xoxb-`, `xoxp-`): LOCAL auth. Omit it to use the platform's OAuth connection (HOSTED). */
  token?: string;
}

/** `Slack#runTask`, as the task classes receive it. */
export type SlackRunTask = ProviderRunTask<WebClient>;
/** The top-level method namespaces of WebClient (`chat`, `admin`, `bookmarks`, ...). */
export type SlackNamespace = SdkNamespaceName<WebClient>;
/** One WebClient method as a task: the task key, then the method's own arguments; resolves to its response, JSON round-tripped. */
export type SlackTaskMethod<M> = SdkTaskMethod<M, "response">;
/** A WebClient namespace as tasks, nested namespaces included (`admin.users.session.list`). */
export type SlackTasks<N> = SdkTasks<N, "response">;

/** The WebClient namespaces with hand-written task classes; every other namespace passes through. */
type HandWritten = "chat" | "conversations" | "users" | "reactions" | "files" | "auth";

/**
 * Slack for AutoFlow jobs: `io.slack.chat.postMessage(key, params)` and every other
 * `@slack/web-api` WebClient method as a durable, typed task (`io.slack.admin.users.list`,
 * `io.slack.bookmarks.add`, ...), typed from the SDK's own arguments and responses.
 */
export class Slack extends providerIntegration<
  WebClient,
  SlackIntegrationOptions,
  WebClient,
  "response",
  HandWritten
>() {
  constructor(options: SlackIntegrationOptions) {
    super(SLACK_PROVIDER_DEFINITION, options);
  }

  /**
   * Starts a run for every new message a person posts (`message` events): bots' messages, this
   * app's own included, and edits or deletions are left out unless `includeBots` or `subtypes` ask.
   */
  onMessage<S extends SlackMessageSubtype = never, B extends boolean = false>(
    filter: SlackMessageFilter<S, B> = {},
  ): WebhookTrigger<SlackEventPayload<SlackMessageTriggerEvent<S, B>>> {
    return slackMessageTrigger(filter);
  }

  /** Starts a run for every reaction added to a message (`reaction_added` events). */
  onReactionAdded(filter: SlackReactionFilter = {}): WebhookTrigger<SlackEventPayload<ReactionAddedEvent>> {
    return slackReactionAddedTrigger(filter);
  }

  /** Starts a run every time someone mentions the app (`app_mention` events). */
  onAppMention(filter: SlackChannelFilter = {}): WebhookTrigger<SlackEventPayload<AppMentionEvent>> {
    return slackAppMentionTrigger(filter);
  }

  /** Starts a run for every Events API event of `type`; the payload's `event` is narrowed to that type. */
  onEvent<T extends SlackEvent["type"]>(
    type: T,
    filter: SlackEventFilter = {},
  ): WebhookTrigger<SlackEventPayload<SlackEventOfType<T>>> {
    return slackEventTrigger(type, filter);
  }

  /** Messages: `postMessage`, `update`, `delete`, `postEphemeral`, `scheduleMessage`, and every other `chat.*` method. */
  get chat() {
    return this.tasks("chat", Chat);
  }

  /** Channels: `list`, `history`, `replies`, `info`, `create`, `invite`, `join`, `archive`, and every other `conversations.*` method. */
  get conversations() {
    return this.tasks("conversations", Conversations);
  }

  /** People: `list`, `info`, `lookupByEmail`, and every other `users.*` method. */
  get users() {
    return this.tasks("users", Users);
  }

  /** `add`, `remove`, and every other `reactions.*` method. */
  get reactions() {
    return this.tasks("reactions", Reactions);
  }

  /** `uploadV2`, and every other `files.*` method. */
  get files() {
    return this.tasks("files", Files);
  }

  /** `test`, and every other `auth.*` method. */
  get auth() {
    return this.tasks("auth", Auth);
  }

  /** Display properties of a passthrough call: channel, user, timestamp, name and text. */
  protected override passthroughProperties(params: unknown): DisplayProperty[] {
    return commonProperties(params);
  }
}

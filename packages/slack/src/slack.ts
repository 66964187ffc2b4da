import {
  assertTokenDefined,
  type ConnectionAuth,
  type IntegrationTaskKey,
  type IO,
  type IOTask,
  type ProviderTaskConfig,
  type RunBinding,
  type RunTaskErrorCallback,
  type RunTaskOptions,
  runProviderTask,
  type TaskOutput,
  type TriggerIntegration,
  type WebhookTrigger,
} from "@autoflow/core";
import type { AppMentionEvent, ReactionAddedEvent, SlackEvent } from "@slack/types";
import type { WebClient } from "@slack/web-api";
import { createWebClient, type SlackClientOptions } from "./client";
import { onError, toSlackError } from "./errors";
import { passthrough, type SlackNamespace } from "./passthrough";
import type { SlackRunTask } from "./run-task";
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

const SLACK_TASKS: ProviderTaskConfig = { provider: "slack", name: "Slack", toError: toSlackError, onError };

/** Options for `new Slack(...)`. */
export interface SlackIntegrationOptions extends SlackClientOptions {
  /** Identifies this integration in jobs and connections. */
  id: string;
  /** A bot or user token (`xoxb-`, `xoxp-`): LOCAL auth. Omit it to use the platform's OAuth connection (HOSTED). */
  token?: string;
}

/**
 * Slack for AutoFlow jobs: `io.slack.chat.postMessage(key, params)` and every other
 * `@slack/web-api` WebClient method as a durable, typed task.
 */
export class Slack implements TriggerIntegration {
  private readonly options: SlackIntegrationOptions;
  private binding?: RunBinding<WebClient>;
  private token?: string;

  constructor(options: SlackIntegrationOptions) {
    assertTokenDefined(options, "Slack");
    this.options = options;
  }

  get id(): string {
    return this.options.id;
  }

  get metadata() {
    return { name: "Slack", id: "slack" };
  }

  /** LOCAL with a token of its own, HOSTED when the platform supplies OAuth auth per run. */
  get authSource() {
    return this.options.token ? ("LOCAL" as const) : ("HOSTED" as const);
  }

  /** A new instance bound to the run, with a WebClient for the run's token (it may have been refreshed). */
  cloneForRun(io: IO, connectionKey: string, auth?: ConnectionAuth): Slack {
    const token = this.options.token ?? auth?.accessToken;
    if (!token)
      throw new Error(`Slack integration (${this.options.id}) has no token and no auth for this run`);
    const slack = new Slack(this.options);
    slack.token = token;
    slack.binding = { io, connectionKey, client: createWebClient(token, this.options) };
    return slack;
  }

  /** The token, so the runtime scrubs it from params, outputs, errors and logs. */
  secretValues(): readonly string[] {
    const token = this.token ?? this.options.token;
    return token ? [token] : [];
  }

  /**
   * Runs `callback` with the run's WebClient as a durable task: logged once, replayed on resume,
   * retried with `retry.standardBackoff` (or at Slack's `Retry-After`) for rate-limit, network and
   * upstream errors. Reaches any SDK method: `slack.runTask("key", (client) => client.pins.add(...))`.
   */
  runTask<T>(
    key: IntegrationTaskKey,
    callback: (client: WebClient, task: IOTask, io: IO) => Promise<T>,
    options?: RunTaskOptions,
    onError?: RunTaskErrorCallback,
  ): Promise<TaskOutput<T>> {
    return runProviderTask(SLACK_TASKS, this.binding, key, callback, options, onError);
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

  private readonly bound: SlackRunTask = this.runTask.bind(this);

  private namespace<K extends SlackNamespace>(name: K) {
    return passthrough(this.bound, name);
  }

  /** Messages: `postMessage`, `update`, `delete`, `postEphemeral`, `scheduleMessage`, and every other `chat.*` method. */
  get chat() {
    return passthrough(this.bound, "chat", new Chat(this.bound));
  }

  /** Channels: `list`, `history`, `replies`, `info`, `create`, `invite`, `join`, `archive`, and every other `conversations.*` method. */
  get conversations() {
    return passthrough(this.bound, "conversations", new Conversations(this.bound));
  }

  /** People: `list`, `info`, `lookupByEmail`, and every other `users.*` method. */
  get users() {
    return passthrough(this.bound, "users", new Users(this.bound));
  }

  /** `add`, `remove`, and every other `reactions.*` method. */
  get reactions() {
    return passthrough(this.bound, "reactions", new Reactions(this.bound));
  }

  /** `uploadV2`, and every other `files.*` method. */
  get files() {
    return passthrough(this.bound, "files", new Files(this.bound));
  }

  /** `test`, and every other `auth.*` method. */
  get auth() {
    return passthrough(this.bound, "auth", new Auth(this.bound));
  }

  // Namespaces without hand-written tasks: every method passes through, typed from the SDK.
  get admin() {
    return this.namespace("admin");
  }
  get agents() {
    return this.namespace("agents");
  }
  get api() {
    return this.namespace("api");
  }
  get apps() {
    return this.namespace("apps");
  }
  get assistant() {
    return this.namespace("assistant");
  }
  get blocks() {
    return this.namespace("blocks");
  }
  get bookmarks() {
    return this.namespace("bookmarks");
  }
  get bots() {
    return this.namespace("bots");
  }
  get calls() {
    return this.namespace("calls");
  }
  get canvases() {
    return this.namespace("canvases");
  }
  get dialog() {
    return this.namespace("dialog");
  }
  get dnd() {
    return this.namespace("dnd");
  }
  get emoji() {
    return this.namespace("emoji");
  }
  get entity() {
    return this.namespace("entity");
  }
  get functions() {
    return this.namespace("functions");
  }
  get migration() {
    return this.namespace("migration");
  }
  get oauth() {
    return this.namespace("oauth");
  }
  get openid() {
    return this.namespace("openid");
  }
  get pins() {
    return this.namespace("pins");
  }
  get reminders() {
    return this.namespace("reminders");
  }
  get rtm() {
    return this.namespace("rtm");
  }
  get search() {
    return this.namespace("search");
  }
  get slackLists() {
    return this.namespace("slackLists");
  }
  get stars() {
    return this.namespace("stars");
  }
  get team() {
    return this.namespace("team");
  }
  get tooling() {
    return this.namespace("tooling");
  }
  get usergroups() {
    return this.namespace("usergroups");
  }
  get views() {
    return this.namespace("views");
  }
  get workflows() {
    return this.namespace("workflows");
  }
}

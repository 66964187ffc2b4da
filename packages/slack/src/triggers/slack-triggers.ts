import type { WebhookDelivery, WebhookTrigger } from "@autoflow/core";
import type {
  AppMentionEvent,
  BotMessageEvent,
  GenericMessageEvent,
  MessageEvent,
  ReactionAddedEvent,
  SlackEvent,
} from "@slack/types";
import {
  assertChannelId,
  channelOf,
  envelopeOf,
  type SlackEventOfType,
  type SlackEventPayload,
  slackPayloadOf,
} from "./event-payload";

/** Every `subtype` a `message` event can have. */
export type SlackMessageSubtype = NonNullable<MessageEvent["subtype"]>;

// What a person posting produces: a plain message, a file with a comment, a thread reply sent to the
// channel too, a `/me` message. Edits, deletions, joins and the like are opt-in through `subtypes`.
const POSTED_SUBTYPES: ReadonlySet<string | undefined> = new Set([
  undefined,
  "file_share",
  "thread_broadcast",
  "me_message",
]);

/** A new message as a person posts it (no edits, deletions or channel notices). */
export type SlackPostedMessageEvent =
  | GenericMessageEvent
  | Extract<MessageEvent, { subtype: "file_share" | "thread_broadcast" | "me_message" }>;

/** The `message` events `onMessage` starts runs with, given its `subtypes` and `includeBots`. */
export type SlackMessageTriggerEvent<S extends SlackMessageSubtype, B extends boolean> =
  | SlackPostedMessageEvent
  | (B extends true ? BotMessageEvent : never)
  | Extract<MessageEvent, { subtype: S }>;

/** Filters for `slack.onMessage`. */
export interface SlackMessageFilter<S extends SlackMessageSubtype = never, B extends boolean = false> {
  /** A channel id (`C0123ABCD`); every channel the app is in when omitted. */
  channel?: string;
  /**
   * Also messages from bots, this app's own included. Default false: a job that posts to the channel
   * it listens to would otherwise start itself, forever.
   */
  includeBots?: B;
  /** Also these subtypes, e.g. `["message_changed", "message_deleted"]`. Default: new messages only. */
  subtypes?: readonly S[];
}

/** Filters for `slack.onReactionAdded`. */
export interface SlackReactionFilter {
  /** The channel of the message reacted to. */
  channel?: string;
  /** The emoji name without colons, e.g. `"eyes"` or `"+1"`. */
  reaction?: string;
}

/** Filters for `slack.onAppMention`. */
export interface SlackChannelFilter {
  channel?: string;
}

/** Filters for `slack.onEvent`. */
export interface SlackEventFilter {
  channel?: string;
  /** The inner event's `subtype`; events without one match only when this is omitted. */
  subtype?: string;
}

type SlackEventType = SlackEvent["type"];

interface TriggerSpec {
  type: string;
  /** The catalogue key this factory corresponds to (`slack.message`); absent for the generic `onEvent`. */
  key?: string;
  title: string;
  matches(event: Record<string, unknown>): boolean;
}

function slackTrigger<TEvent>(spec: TriggerSpec): WebhookTrigger<SlackEventPayload<TEvent>> {
  return {
    kind: "webhook",
    provider: "slack",
    ...(spec.key !== undefined && { key: spec.key }),
    title: spec.title,
    matches(delivery: WebhookDelivery) {
      const envelope = envelopeOf(delivery);
      return (
        envelope !== undefined &&
        delivery.event === spec.type &&
        envelope.event.type === spec.type &&
        spec.matches(envelope.event)
      );
    },
    payloadOf: (delivery) => slackPayloadOf<TEvent>(delivery),
  };
}

const where = (channel: string | undefined) => (channel ? `in ${channel}` : "in any channel");
const inChannel = (event: Record<string, unknown>, channel: string | undefined) =>
  channel === undefined || channelOf(event) === channel;

/** Starts a run for every new message a person posts (Events API `message`). */
export function slackMessageTrigger<S extends SlackMessageSubtype = never, B extends boolean = false>(
  filter: SlackMessageFilter<S, B> = {},
): WebhookTrigger<SlackEventPayload<SlackMessageTriggerEvent<S, B>>> {
  assertChannelId(filter.channel, "slack.onMessage");
  const subtypes = new Set<string | undefined>([...POSTED_SUBTYPES, ...(filter.subtypes ?? [])]);
  if (filter.includeBots) subtypes.add("bot_message");
  return slackTrigger({
    type: "message",
    key: "slack.message",
    title: `Slack: new message ${where(filter.channel)}`,
    matches: (event) => {
      const subtype = typeof event.subtype === "string" ? event.subtype : undefined;
      // A bot's message is either the legacy `bot_message` subtype or a plain message with `bot_id`
      // (what chat.postMessage with a bot token produces).
      const fromBot = subtype === "bot_message" || typeof event.bot_id === "string";
      return (
        subtypes.has(subtype) && (filter.includeBots === true || !fromBot) && inChannel(event, filter.channel)
      );
    },
  });
}

/** Starts a run for every reaction added to a message (Events API `reaction_added`). */
export function slackReactionAddedTrigger(
  filter: SlackReactionFilter = {},
): WebhookTrigger<SlackEventPayload<ReactionAddedEvent>> {
  assertChannelId(filter.channel, "slack.onReactionAdded");
  const reaction = filter.reaction?.replace(/^:|:$/g, "");
  return slackTrigger({
    type: "reaction_added",
    key: "slack.reactionAdded",
    title: `Slack: ${reaction ? `:${reaction}: ` : ""}reaction added ${where(filter.channel)}`,
    matches: (event) =>
      (reaction === undefined || event.reaction === reaction) && inChannel(event, filter.channel),
  });
}

/** Starts a run every time someone mentions the app (`<@BOT_USER_ID>`, Events API `app_mention`). */
export function slackAppMentionTrigger(
  filter: SlackChannelFilter = {},
): WebhookTrigger<SlackEventPayload<AppMentionEvent>> {
  assertChannelId(filter.channel, "slack.onAppMention");
  return slackTrigger({
    type: "app_mention",
    key: "slack.appMention",
    title: `Slack: app mentioned ${where(filter.channel)}`,
    matches: (event) => inChannel(event, filter.channel),
  });
}

/** Starts a run for every Events API event of `type`, unfiltered but for `channel` and `subtype`. */
export function slackEventTrigger<T extends SlackEventType>(
  type: T,
  filter: SlackEventFilter = {},
): WebhookTrigger<SlackEventPayload<SlackEventOfType<T>>> {
  assertChannelId(filter.channel, "slack.onEvent");
  return slackTrigger({
    type,
    title: `Slack: ${type}${filter.subtype ? `/${filter.subtype}` : ""} event ${where(filter.channel)}`,
    matches: (event) =>
      (filter.subtype === undefined || event.subtype === filter.subtype) && inChannel(event, filter.channel),
  });
}

import { defineTrigger } from "@autoflow/actions";
import type { WebhookTrigger } from "@autoflow/core";
import { z } from "zod";
import {
  type SlackMessageSubtype,
  slackAppMentionTrigger,
  slackMessageTrigger,
  slackReactionAddedTrigger,
} from "../index";

type SlackTrigger = WebhookTrigger<unknown>;

/** Events carry channel ids, never names: the form refuses `#general` rather than a trigger that never fires. */
const channel = z
  .string()
  .regex(/^[CGD][A-Z0-9]+$/, "must be a channel id such as C0123ABCD (events carry ids, not names)")
  .describe("Channel ID, e.g. C0123ABCD; every channel the app is in when empty");

/**
 * The run payload every Slack trigger builds (`SlackEventPayload`): exactly these fields, so the root is a
 * plain object (a typo such as `trigger.evnt` is refused); the inner `event` is Slack's and loose.
 */
const slackPayload = (event: z.ZodType) =>
  z.object({
    event,
    eventId: z.string().describe("The envelope's event_id, the same on every retry"),
    eventTime: z.number().describe("Epoch seconds"),
    teamId: z.string(),
    apiAppId: z.string(),
  });

/** Every `subtype` of Slack's `message` event, as `@slack/types` lists them. */
const MESSAGE_SUBTYPES = [
  "bot_message",
  "channel_archive",
  "channel_join",
  "channel_leave",
  "channel_name",
  "channel_posting_permissions",
  "channel_purpose",
  "channel_topic",
  "channel_unarchive",
  "ekm_access_denied",
  "file_share",
  "me_message",
  "message_changed",
  "message_deleted",
  "message_replied",
  "thread_broadcast",
] as const satisfies readonly SlackMessageSubtype[];

/** `slack.message`: new messages people post, in one channel or any the app is in. */
export const slackMessage = defineTrigger({
  key: "slack.message",
  name: "New Slack message",
  description: "Starts a run for every new message a person posts, in one channel or in any the app is in.",
  provider: "slack",
  inputSchema: z.object({
    channel: channel.optional(),
    includeBots: z.boolean().optional().describe("Also messages from bots, this app's own included"),
    subtypes: z
      .array(z.enum(MESSAGE_SUBTYPES))
      .optional()
      .describe("Also these message subtypes, e.g. message_changed"),
  }),
  examples: [
    { channel: "C0123ABCD" },
    { includeBots: true, subtypes: ["message_changed", "thread_broadcast"] },
  ],
  payloadSchema: slackPayload(
    z.looseObject({
      type: z.literal("message"),
      subtype: z.string().optional(),
      channel: z.string(),
      user: z.string().optional(),
      text: z.string().optional(),
      ts: z.string(),
      thread_ts: z.string().optional(),
      channel_type: z.string().optional(),
    }),
  ),
  create: ({ channel, includeBots, subtypes }): SlackTrigger =>
    slackMessageTrigger({
      ...(channel !== undefined && { channel }),
      ...(includeBots !== undefined && { includeBots }),
      ...(subtypes !== undefined && { subtypes }),
    }),
});

/** `slack.reactionAdded`: reactions added to messages, optionally one emoji in one channel. */
export const slackReactionAdded = defineTrigger({
  key: "slack.reactionAdded",
  name: "Slack reaction added",
  description:
    "Starts a run when someone adds a reaction to a message, optionally only one emoji or one channel.",
  provider: "slack",
  inputSchema: z.object({
    channel: channel.optional(),
    reaction: z
      .string()
      .min(1)
      .optional()
      .describe("Emoji name without colons, e.g. eyes; every emoji when empty"),
  }),
  examples: [{ channel: "C0123ABCD", reaction: "eyes" }, { reaction: "white_check_mark" }],
  payloadSchema: slackPayload(
    z.looseObject({
      type: z.literal("reaction_added"),
      user: z.string(),
      reaction: z.string(),
      item_user: z.string().optional(),
      item: z.looseObject({ type: z.string(), channel: z.string(), ts: z.string() }),
      event_ts: z.string(),
    }),
  ),
  create: ({ channel, reaction }): SlackTrigger =>
    slackReactionAddedTrigger({
      ...(channel !== undefined && { channel }),
      ...(reaction !== undefined && { reaction }),
    }),
});

/** `slack.appMention`: someone mentions the app, in one channel or any. */
export const slackAppMention = defineTrigger({
  key: "slack.appMention",
  name: "Slack app mentioned",
  description: "Starts a run every time someone mentions the app, in one channel or in any.",
  provider: "slack",
  inputSchema: z.object({ channel: channel.optional() }),
  examples: [{ channel: "C0123ABCD" }],
  payloadSchema: slackPayload(
    z.looseObject({
      type: z.literal("app_mention"),
      user: z.string(),
      text: z.string(),
      ts: z.string(),
      channel: z.string(),
      thread_ts: z.string().optional(),
      event_ts: z.string(),
    }),
  ),
  create: ({ channel }): SlackTrigger => slackAppMentionTrigger(channel !== undefined ? { channel } : {}),
});

/** Slack's workflow trigger catalogue entries, in the order the builder lists them. */
export const slackTriggers = [slackMessage, slackReactionAdded, slackAppMention] as const;

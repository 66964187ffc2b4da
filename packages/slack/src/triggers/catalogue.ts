import { defineTrigger, type Schema } from "@autoflow/actions";
import type { WebhookTrigger } from "@autoflow/core";
import { z } from "zod";
import {
  type SlackMessageSubtype,
  slackAppMentionTrigger,
  slackMessageTrigger,
  slackReactionAddedTrigger,
} from "../index";
import { checkSlackScope, type SlackScopeInputs } from "./slack-tenancy";

type SlackTrigger = WebhookTrigger<unknown>;

/** Events carry channel ids, never names: the form refuses `#general` rather than a trigger that never fires. */
const channel = z
  .string()
  .regex(/^[CGD][A-Z0-9]+$/, "must be a channel id such as C0123ABCD (events carry ids, not names)")
  .describe("Channel ID, e.g. C0123ABCD; every channel of the workspace the app is in when empty");

const team = z
  .string()
  .regex(/^[TE][A-Z0-9]+$/, "must be a workspace id such as T0123ABCD")
  .describe("Workspace (team) ID, e.g. T0123ABCD: every channel of it the app is in");

/** The channel or the workspace is required: it scopes the event to a tenant the user's connection was checked to see. */
const scopeInputs = { channel: channel.optional(), team: team.optional() };
const scopeRequired = (inputs: SlackScopeInputs) => inputs.channel !== undefined || inputs.team !== undefined;
const scopeMessage = { message: "a channel or a team is required", path: ["channel"] };

/** Deliveries reach a workflow only from the workspace (and channel) its connection was checked to see. */
const workspaceScope = { fields: ["channel", "team"], check: checkSlackScope } as const;

/**
 * The run payload every Slack trigger builds (`SlackEventPayload`): exactly these fields, so the root is a
 * plain object (a typo such as `trigger.evnt` is refused); the inner `event` is Slack's and loose.
 */
const slackPayload = (event: Schema) =>
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
  inputSchema: z
    .object({
      ...scopeInputs,
      includeBots: z.boolean().optional().describe("Also messages from bots, this app's own included"),
      subtypes: z
        .array(z.enum(MESSAGE_SUBTYPES))
        .optional()
        .describe("Also these message subtypes, e.g. message_changed"),
    })
    .refine(scopeRequired, scopeMessage),
  examples: [
    { channel: "C0123ABCD" },
    { team: "T0123ABCD", includeBots: true, subtypes: ["message_changed", "thread_broadcast"] },
  ],
  scope: workspaceScope,
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
  inputSchema: z
    .object({
      ...scopeInputs,
      reaction: z
        .string()
        .min(1)
        .optional()
        .describe("Emoji name without colons, e.g. eyes; every emoji when empty"),
    })
    .refine(scopeRequired, scopeMessage),
  examples: [
    { channel: "C0123ABCD", reaction: "eyes" },
    { team: "T0123ABCD", reaction: "white_check_mark" },
  ],
  scope: workspaceScope,
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
  inputSchema: z.object(scopeInputs).refine(scopeRequired, scopeMessage),
  examples: [{ channel: "C0123ABCD" }, { team: "T0123ABCD" }],
  scope: workspaceScope,
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

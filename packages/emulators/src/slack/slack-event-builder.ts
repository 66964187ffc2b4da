import { randomUUID } from "node:crypto";
import { botProfile } from "./slack-bot-profile";
import { BOT, type SlackWorkspace } from "./slack-workspace";
import type { SlackWorkspaceChange } from "./slack-workspace-change";

/** An Events API inner event, as Slack puts it in `event_callback.event`. */
export type SlackInnerEvent = { type: string; subtype?: string } & Record<string, unknown>;

// Message state that history shows but a new-message event does not carry.
const STATE_ONLY = new Set(["reactions", "reply_count", "reply_users", "latest_reply", "edited"]);

/**
 * The events Slack sends the app for a workspace change: `message` for a post in a channel the bot is
 * in, plus `app_mention` when a person's message mentions `<@bot>`, and `reaction_added`.
 * Slack sends an app nothing about conversations it is not a member of.
 */
export function eventsFor(workspace: SlackWorkspace, change: SlackWorkspaceChange): SlackInnerEvent[] {
  const channel = workspace.channels.get(change.channel);
  if (!channel?.members.has(BOT.userId)) return [];
  if (change.type === "reaction_added") {
    return [
      {
        type: "reaction_added",
        user: change.user,
        reaction: change.reaction,
        item_user: change.message.user,
        item: { type: "message", channel: channel.id, ts: change.message.ts },
        event_ts: workspace.nextTs(),
      },
    ];
  }
  const fields = Object.fromEntries(Object.entries(change.message).filter(([key]) => !STATE_ONLY.has(key)));
  const fromBot = change.message.bot_id !== undefined;
  const message: SlackInnerEvent = {
    ...fields,
    type: "message",
    channel: channel.id,
    event_ts: change.message.ts,
    channel_type: channel.is_private ? "group" : "channel",
    ...(change.message.files && { files: change.message.files.map(({ content: _bytes, ...file }) => file) }),
    ...(fromBot
      ? { bot_profile: botProfile(workspace.users.get(BOT.userId)?.updated ?? 0) }
      : { client_msg_id: randomUUID() }),
  };
  const events = [message];
  // Slack does not tell an app it mentioned itself.
  if (!fromBot && change.message.user !== BOT.userId && change.message.text.includes(`<@${BOT.userId}>`)) {
    const { subtype: _subtype, channel_type: _type, ...mention } = message;
    events.push({ ...mention, type: "app_mention" });
  }
  return events;
}

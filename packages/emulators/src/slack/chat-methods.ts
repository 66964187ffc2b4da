import {
  botFields,
  channelArg,
  messageContent,
  paginate,
  SlackApiError,
  type SlackCall,
  type SlackMethod,
  writableChannel,
} from "./slack-call";
import { type SlackMessage, TEAM } from "./slack-workspace";

// Slack refuses to schedule more than 120 days ahead.
const MAX_SCHEDULE_SECONDS = 120 * 24 * 60 * 60;

function postMessage(call: SlackCall): Record<string, unknown> {
  const channel = writableChannel(call);
  const content = messageContent(call);
  const { workspace } = call;
  const bot = botFields(call);
  const message: SlackMessage = {
    type: "message",
    ts: workspace.nextTs(),
    user: call.actor,
    team: TEAM.id,
    ...content,
    bot_id: bot.bot_id,
    app_id: bot.app_id,
  };
  const metadata = call.args.json<unknown>("metadata");
  if (metadata !== undefined) message.metadata = metadata;
  // An unknown thread_ts posts to the channel, as Slack does.
  const parent = workspace.findMessage(channel.id, call.args.string("thread_ts"));
  if (parent) {
    const root = parent.thread_ts ? (workspace.findMessage(channel.id, parent.thread_ts) ?? parent) : parent;
    message.thread_ts = root.ts;
    message.parent_user_id = root.user;
    if (call.args.bool("reply_broadcast")) message.subtype = "thread_broadcast";
    root.thread_ts = root.ts;
    root.reply_count = (root.reply_count ?? 0) + 1;
    root.reply_users = [...new Set([...(root.reply_users ?? []), call.actor])];
    root.latest_reply = message.ts;
  }
  workspace.messagesIn(channel.id).push(message);
  workspace.emit({ type: "message", channel: channel.id, message });
  return { channel: channel.id, ts: message.ts, message: { ...message, bot_profile: bot.bot_profile } };
}

function ownMessage(call: SlackCall, cannot: string): { channel: string; message: SlackMessage } {
  const channel = channelArg(call);
  const message = call.workspace.findMessage(channel.id, call.args.required("ts", "message_not_found"));
  if (!message) throw new SlackApiError("message_not_found");
  if (message.user !== call.actor) throw new SlackApiError(cannot);
  return { channel: channel.id, message };
}

function update(call: SlackCall): Record<string, unknown> {
  const { channel, message } = ownMessage(call, "cant_update_message");
  Object.assign(message, messageContent(call), { edited: { user: call.actor, ts: call.workspace.nextTs() } });
  return { channel, ts: message.ts, text: message.text, message };
}

function remove(call: SlackCall): Record<string, unknown> {
  const { channel, message } = ownMessage(call, "cant_delete_message");
  const list = call.workspace.messagesIn(channel);
  list.splice(list.indexOf(message), 1);
  return { channel, ts: message.ts };
}

function postEphemeral(call: SlackCall): Record<string, unknown> {
  const channel = writableChannel(call);
  const user = call.args.required("user", "user_not_found");
  if (!call.workspace.users.has(user)) throw new SlackApiError("user_not_found");
  if (!channel.members.has(user)) throw new SlackApiError("user_not_in_channel");
  const { text } = messageContent(call);
  const messageTs = call.workspace.nextTs();
  call.workspace.ephemeral.push({ channel: channel.id, user, text, message_ts: messageTs });
  return { message_ts: messageTs };
}

function scheduleMessage(call: SlackCall): Record<string, unknown> {
  const channel = writableChannel(call);
  const content = messageContent(call);
  const postAt = call.args.number("post_at");
  if (postAt === undefined) throw new SlackApiError("invalid_time");
  const now = call.workspace.nowSeconds();
  if (postAt <= now) throw new SlackApiError("time_in_past");
  if (postAt - now > MAX_SCHEDULE_SECONDS) throw new SlackApiError("time_too_far");
  const id = call.workspace.nextId("Q");
  const threadTs = call.args.string("thread_ts");
  call.workspace.scheduled.push({
    id,
    channel_id: channel.id,
    post_at: Math.floor(postAt),
    date_created: now,
    text: content.text,
    ...(content.blocks !== undefined && { blocks: content.blocks }),
    ...(threadTs !== undefined && { thread_ts: threadTs }),
  });
  const bot = botFields(call);
  return {
    channel: channel.id,
    scheduled_message_id: id,
    post_at: Math.floor(postAt),
    message: { type: "delayed_message", user: call.actor, team: TEAM.id, ...content, ...bot },
  };
}

function scheduledMessagesList(call: SlackCall): Record<string, unknown> {
  const channel = call.args.string("channel");
  if (channel !== undefined && !call.workspace.channels.has(channel))
    throw new SlackApiError("invalid_channel");
  const items = call.workspace.scheduled
    .filter((s) => channel === undefined || s.channel_id === channel)
    .map(({ blocks: _blocks, thread_ts: _thread, ...listed }) => listed);
  const { page, next_cursor } = paginate(call, items);
  return { scheduled_messages: page, response_metadata: { next_cursor } };
}

function deleteScheduledMessage(call: SlackCall): Record<string, unknown> {
  channelArg(call);
  const id = call.args.required("scheduled_message_id", "invalid_scheduled_message_id");
  const index = call.workspace.scheduled.findIndex((s) => s.id === id);
  if (index < 0) throw new SlackApiError("invalid_scheduled_message_id");
  call.workspace.scheduled.splice(index, 1);
  return {};
}

function getPermalink(call: SlackCall): Record<string, unknown> {
  const channel = channelArg(call);
  const ts = call.args.required("message_ts", "message_not_found");
  if (!call.workspace.findMessage(channel.id, ts)) throw new SlackApiError("message_not_found");
  return {
    channel: channel.id,
    permalink: `https://${TEAM.domain}.slack.com/archives/${channel.id}/p${ts.replace(".", "")}`,
  };
}

/** The `chat.*` methods. */
export const chatMethods: Record<string, SlackMethod> = {
  "chat.postMessage": postMessage,
  "chat.update": update,
  "chat.delete": remove,
  "chat.postEphemeral": postEphemeral,
  "chat.scheduleMessage": scheduleMessage,
  "chat.scheduledMessages.list": scheduledMessagesList,
  "chat.deleteScheduledMessage": deleteScheduledMessage,
  "chat.getPermalink": getPermalink,
};

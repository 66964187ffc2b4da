import {
  channelArg,
  channelJson,
  memberChannel,
  paginate,
  SlackApiError,
  type SlackCall,
  type SlackMethod,
  writableChannel,
} from "./slack-call";
import type { SlackMessage } from "./slack-workspace";

const CHANNEL_NAME = /^[a-z0-9_-]+$/;

function list(call: SlackCall): Record<string, unknown> {
  const types = (call.args.string("types") ?? "public_channel").split(",").map((t) => t.trim());
  const excludeArchived = call.args.bool("exclude_archived");
  const channels = [...call.workspace.channels.values()]
    .filter((c) => (c.is_private ? types.includes("private_channel") && c.members.has(call.actor) : true))
    .filter((c) => c.is_private || types.includes("public_channel"))
    .filter((c) => !(excludeArchived && c.is_archived))
    .map((c) => channelJson(c, call.actor));
  const { page, next_cursor } = paginate(call, channels);
  return { channels: page, response_metadata: { next_cursor } };
}

/** Messages between `oldest` and `latest` (exclusive unless `inclusive`), as history and replies filter them. */
function inWindow(call: SlackCall, messages: SlackMessage[]): SlackMessage[] {
  const oldest = call.args.string("oldest");
  const latest = call.args.string("latest");
  const inclusive = call.args.bool("inclusive");
  return messages.filter((m) => {
    if (oldest && (inclusive ? m.ts < oldest : m.ts <= oldest)) return false;
    if (latest && (inclusive ? m.ts > latest : m.ts >= latest)) return false;
    return true;
  });
}

/** Message metadata is answered only to a caller that asks with `include_all_metadata`, as Slack does. */
function withMetadata(call: SlackCall, messages: SlackMessage[]): SlackMessage[] {
  if (call.args.bool("include_all_metadata")) return messages;
  return messages.map(({ metadata: _metadata, ...rest }) => rest);
}

function history(call: SlackCall): Record<string, unknown> {
  const channel = memberChannel(call);
  const messages = inWindow(call, call.workspace.history(channel.id));
  const { page, next_cursor } = paginate(call, messages);
  return {
    messages: withMetadata(call, page),
    has_more: next_cursor !== "",
    pin_count: 0,
    // No channel actions (workflow buttons) in the emulated workspace: Slack answers null and 0 then.
    channel_actions_ts: null,
    channel_actions_count: 0,
    response_metadata: { next_cursor },
  };
}

function replies(call: SlackCall): Record<string, unknown> {
  const channel = memberChannel(call);
  const ts = call.args.required("ts", "thread_not_found");
  const thread = call.workspace.thread(channel.id, ts);
  if (thread.length === 0) throw new SlackApiError("thread_not_found");
  const { page, next_cursor } = paginate(call, inWindow(call, thread), 1000);
  return {
    messages: withMetadata(call, page),
    has_more: next_cursor !== "",
    response_metadata: { next_cursor },
  };
}

function info(call: SlackCall): Record<string, unknown> {
  return { channel: channelJson(channelArg(call), call.actor) };
}

function create(call: SlackCall): Record<string, unknown> {
  const name = call.args.required("name", "invalid_name_required");
  if (name.length > 80) throw new SlackApiError("invalid_name_maxlength");
  if (!CHANNEL_NAME.test(name)) throw new SlackApiError("invalid_name_specials");
  if (call.workspace.findChannel(name)) throw new SlackApiError("name_taken");
  const isPrivate = call.args.bool("is_private");
  const id = call.workspace.nextId(isPrivate ? "G" : "C");
  const channel = call.workspace.addChannel(id, name, call.actor, [call.actor], undefined, false, isPrivate);
  return { channel: channelJson(channel, call.actor) };
}

function invite(call: SlackCall): Record<string, unknown> {
  const channel = writableChannel(call);
  const users = call.args
    .required("users", "no_user")
    .split(",")
    .map((u) => u.trim())
    .filter(Boolean);
  for (const user of users) {
    if (user === call.actor) throw new SlackApiError("cant_invite_self");
    if (!call.workspace.users.has(user)) throw new SlackApiError("user_not_found");
  }
  if (users.every((u) => channel.members.has(u))) throw new SlackApiError("already_in_channel");
  for (const user of users) channel.members.add(user);
  return { channel: channelJson(channel, call.actor) };
}

function join(call: SlackCall): Record<string, unknown> {
  const channel = channelArg(call);
  if (channel.is_archived) throw new SlackApiError("is_archived");
  if (channel.is_private) throw new SlackApiError("method_not_supported_for_channel_type");
  const already = channel.members.has(call.actor);
  channel.members.add(call.actor);
  return {
    channel: channelJson(channel, call.actor),
    ...(already && {
      warning: "already_in_channel",
      response_metadata: { warnings: ["already_in_channel"] },
    }),
  };
}

function archive(call: SlackCall): Record<string, unknown> {
  const channel = memberChannel(call);
  if (channel.is_general) throw new SlackApiError("cant_archive_general");
  if (channel.is_archived) throw new SlackApiError("already_archived");
  channel.is_archived = true;
  return {};
}

function members(call: SlackCall): Record<string, unknown> {
  const channel = channelArg(call);
  const { page, next_cursor } = paginate(call, [...channel.members]);
  return { members: page, response_metadata: { next_cursor } };
}

/** The `conversations.*` methods. */
export const conversationsMethods: Record<string, SlackMethod> = {
  "conversations.list": list,
  "conversations.history": history,
  "conversations.replies": replies,
  "conversations.info": info,
  "conversations.create": create,
  "conversations.invite": invite,
  "conversations.join": join,
  "conversations.archive": archive,
  "conversations.members": members,
};

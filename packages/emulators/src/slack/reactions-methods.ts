import { channelArg, SlackApiError, type SlackCall, type SlackMethod } from "./slack-call";
import type { SlackMessage, SlackWorkspace } from "./slack-workspace";

const EMOJI_NAME = /^[a-z0-9_+'-]+$/;

function target(call: SlackCall): { channel: string; message: SlackMessage } {
  const channel = channelArg(call);
  const message = call.workspace.findMessage(
    channel.id,
    call.args.required("timestamp", "no_item_specified"),
  );
  if (!message) throw new SlackApiError("message_not_found");
  return { channel: channel.id, message };
}

function emojiName(call: SlackCall): string {
  // Slack accepts the name with or without colons.
  const name = call.args.required("name", "invalid_name").replace(/^:|:$/g, "");
  if (!EMOJI_NAME.test(name)) throw new SlackApiError("invalid_name");
  return name;
}

/** Adds `user`'s reaction to a message and reports it; `already_reacted` when it is there. */
export function addReaction(
  workspace: SlackWorkspace,
  channel: string,
  message: SlackMessage,
  name: string,
  user: string,
): void {
  message.reactions ??= [];
  let reaction = message.reactions.find((r) => r.name === name);
  if (!reaction) {
    reaction = { name, users: [], count: 0 };
    message.reactions.push(reaction);
  }
  if (reaction.users.includes(user)) throw new SlackApiError("already_reacted");
  reaction.users.push(user);
  reaction.count = reaction.users.length;
  workspace.emit({ type: "reaction_added", channel, message, reaction: name, user });
}

function add(call: SlackCall): Record<string, unknown> {
  const { channel, message } = target(call);
  addReaction(call.workspace, channel, message, emojiName(call), call.actor);
  return {};
}

function remove(call: SlackCall): Record<string, unknown> {
  const { message } = target(call);
  const name = emojiName(call);
  const reaction = message.reactions?.find((r) => r.name === name);
  if (!reaction?.users.includes(call.actor)) throw new SlackApiError("no_reaction");
  reaction.users = reaction.users.filter((u) => u !== call.actor);
  reaction.count = reaction.users.length;
  if (reaction.count === 0) message.reactions = message.reactions?.filter((r) => r !== reaction);
  if (message.reactions?.length === 0) delete message.reactions;
  return {};
}

function get(call: SlackCall): Record<string, unknown> {
  const { channel, message } = target(call);
  return { type: "message", channel, message };
}

/** The `reactions.*` methods. */
export const reactionsMethods: Record<string, SlackMethod> = {
  "reactions.add": add,
  "reactions.remove": remove,
  "reactions.get": get,
};

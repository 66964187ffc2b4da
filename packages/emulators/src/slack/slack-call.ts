import type { TokenInfo } from "../shared/oauth-authority";
import { botProfile, type SlackBotProfile } from "./slack-bot-profile";
import { BOT, type SlackChannel, type SlackMessage, type SlackWorkspace, TEAM } from "./slack-workspace";

/** Whom a Slack token belongs to. */
export interface SlackSubject {
  teamId: string;
  /** The installing user (`authed_user.id`). */
  userId: string;
  botUserId: string;
  botId: string;
  appId: string;
}

/** A Web API `{ ok: false, error }` answer, thrown by a method handler. */
export class SlackApiError extends Error {
  constructor(
    readonly error: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(error);
  }
}

/** A method's arguments from the query, a form body or a JSON body; forms carry arrays and objects as JSON text. */
export class SlackArgs {
  constructor(readonly values: Record<string, unknown>) {}

  string(name: string): string | undefined {
    const value = this.values[name];
    if (typeof value === "string") return value;
    if (typeof value === "number" || typeof value === "boolean") return String(value);
    return undefined;
  }

  /** A required argument; Slack answers `error` (usually `invalid_arguments`) when it is missing. */
  required(name: string, error = "invalid_arguments"): string {
    const value = this.string(name);
    if (value === undefined || value === "") throw new SlackApiError(error, { arg: name });
    return value;
  }

  number(name: string): number | undefined {
    const text = this.string(name);
    if (text === undefined || text === "") return undefined;
    const value = Number(text);
    if (!Number.isFinite(value)) throw new SlackApiError("invalid_arguments", { arg: name });
    return value;
  }

  bool(name: string): boolean {
    const text = this.string(name);
    return text === "true" || text === "1";
  }

  /** A structured argument (`blocks`, `files`): JSON text in a form, a value in a JSON body. */
  json<T>(name: string): T | undefined {
    const value = this.values[name];
    if (value === undefined || value === null || value === "") return undefined;
    if (typeof value !== "string") return value as T;
    try {
      return JSON.parse(value) as T;
    } catch {
      throw new SlackApiError("invalid_arguments", { arg: name });
    }
  }
}

/** What a method handler gets: its arguments, the caller and the workspace. */
export interface SlackCall {
  args: SlackArgs;
  workspace: SlackWorkspace;
  token: TokenInfo<SlackSubject>;
  /** The user the call acts as: the bot user for bot tokens. */
  actor: string;
  /** The emulator's base URL, for upload URLs. */
  baseUrl: string;
}

/** A Web API method: returns the fields beside `ok: true`, or throws SlackApiError. */
export type SlackMethod = (call: SlackCall) => Record<string, unknown>;

/** The channel named by `name` (id or `#name`); `channel_not_found` otherwise, as Slack answers. */
export function channelArg(call: SlackCall, name = "channel"): SlackChannel {
  const channel = call.workspace.findChannel(call.args.string(name));
  if (!channel) throw new SlackApiError("channel_not_found");
  if (channel.is_private && !channel.members.has(call.actor)) throw new SlackApiError("channel_not_found");
  return channel;
}

/** A channel the caller must be a member of, as bot tokens must be to post or read history. */
export function memberChannel(call: SlackCall, name = "channel"): SlackChannel {
  const channel = channelArg(call, name);
  if (!channel.members.has(call.actor)) throw new SlackApiError("not_in_channel");
  return channel;
}

export function writableChannel(call: SlackCall, name = "channel"): SlackChannel {
  const channel = memberChannel(call, name);
  if (channel.is_archived) throw new SlackApiError("is_archived");
  return channel;
}

/** Slack's opaque cursor: an offset, base64-encoded. */
export function paginate<T>(
  call: SlackCall,
  items: T[],
  defaultLimit = 100,
): { page: T[]; next_cursor: string } {
  const limit = Math.min(Math.max(call.args.number("limit") ?? defaultLimit, 1), 1000) || defaultLimit;
  const cursor = call.args.string("cursor");
  let offset = 0;
  if (cursor) {
    const decoded = /^offset:(\d+)$/.exec(Buffer.from(cursor, "base64").toString("utf8"));
    if (!decoded?.[1]) throw new SlackApiError("invalid_cursor");
    offset = Number(decoded[1]);
  }
  const page = items.slice(offset, offset + limit);
  const next =
    offset + limit < items.length ? Buffer.from(`offset:${offset + limit}`).toString("base64") : "";
  return { page, next_cursor: next };
}

/** A channel object as `conversations.info` returns it, seen by `actor`. */
export function channelJson(channel: SlackChannel, actor: string): Record<string, unknown> {
  const { members, ...fields } = channel;
  return {
    ...fields,
    is_channel: !channel.is_private,
    is_group: channel.is_private,
    is_im: false,
    is_mpim: false,
    unlinked: 0,
    name_normalized: channel.name,
    is_shared: false,
    is_org_shared: false,
    is_ext_shared: false,
    is_pending_ext_shared: false,
    pending_shared: [],
    context_team_id: TEAM.id,
    is_member: members.has(actor),
    num_members: members.size,
    previous_names: [],
    updated: channel.created * 1000,
  };
}

/** The bot fields Slack adds to a message an app posted. */
export function botFields(
  call: SlackCall,
): Pick<SlackMessage, "bot_id" | "app_id"> & { bot_profile: SlackBotProfile } {
  return {
    bot_id: call.token.subject.botId,
    app_id: call.token.subject.appId,
    bot_profile: botProfile(call.workspace.users.get(BOT.userId)?.updated ?? 0),
  };
}

/** The message content arguments (`text`, `blocks`, `attachments`); `no_text` when there is none. */
export function messageContent(call: SlackCall): Pick<SlackMessage, "text" | "blocks" | "attachments"> {
  const text = call.args.string("text") ?? call.args.string("markdown_text");
  const blocks = call.args.json<unknown[]>("blocks");
  const attachments = call.args.json<unknown[]>("attachments");
  if (blocks !== undefined && !Array.isArray(blocks)) throw new SlackApiError("invalid_blocks");
  if (attachments !== undefined && !Array.isArray(attachments))
    throw new SlackApiError("invalid_attachments");
  if (!text && !blocks?.length && !attachments?.length) throw new SlackApiError("no_text");
  return {
    text: text ?? "",
    ...(blocks !== undefined && { blocks }),
    ...(attachments !== undefined && { attachments }),
  };
}

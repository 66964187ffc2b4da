import type { SlackWorkspaceChange } from "./slack-workspace-change";

/** A Slack user as `users.info` returns it. */
export interface SlackUser {
  id: string;
  team_id: string;
  name: string;
  deleted: boolean;
  real_name: string;
  tz: string;
  is_admin: boolean;
  is_owner: boolean;
  is_bot: boolean;
  is_app_user: boolean;
  updated: number;
  profile: { email?: string; real_name: string; display_name: string; bot_id?: string };
}

/** A public or private channel, with its members (Slack serves those from `conversations.members`). */
export interface SlackChannel {
  id: string;
  name: string;
  is_private: boolean;
  is_archived: boolean;
  is_general: boolean;
  created: number;
  creator: string;
  topic: { value: string; creator: string; last_set: number };
  purpose: { value: string; creator: string; last_set: number };
  members: Set<string>;
}

/** A message as `conversations.history` returns it. */
export interface SlackMessage {
  type: "message";
  subtype?: string;
  ts: string;
  user: string;
  text: string;
  team: string;
  bot_id?: string;
  app_id?: string;
  blocks?: unknown[];
  attachments?: unknown[];
  files?: SlackFile[];
  thread_ts?: string;
  parent_user_id?: string;
  reply_count?: number;
  reply_users?: string[];
  latest_reply?: string;
  edited?: { user: string; ts: string };
  reactions?: { name: string; users: string[]; count: number }[];
  metadata?: unknown;
}

/** A file started with `files.getUploadURLExternal`; `content` is set once its bytes reach the upload URL. */
export interface SlackFile {
  id: string;
  name: string;
  title: string;
  user: string;
  created: number;
  size: number;
  mimetype: string;
  filetype: string;
  url_private: string;
  permalink: string;
  channels: string[];
  content?: Buffer;
}

/** A message waiting for its `post_at`. */
export interface SlackScheduledMessage {
  id: string;
  channel_id: string;
  post_at: number;
  date_created: number;
  text: string;
  blocks?: unknown[];
  thread_ts?: string;
}

/** An ephemeral message: visible to one user, never in history. */
export interface SlackEphemeralMessage {
  channel: string;
  user: string;
  text: string;
  message_ts: string;
}

export const TEAM = { id: "T01ACME000", name: "Acme", domain: "acme" } as const;
export const APP_ID = "A0001";
export const BOT = { userId: "U0BOT", botId: "B01AUTOFLOW", name: "autoflow" } as const;

/**
 * The state of one emulated workspace: team Acme (T01ACME000), users with emails, #general (C01GENERAL, the
 * bot is a member) and #random (C01RANDOM0, it is not), and everything posted since.
 */
export class SlackWorkspace {
  readonly users = new Map<string, SlackUser>();
  readonly channels = new Map<string, SlackChannel>();
  /** Per channel, oldest first; thread replies included (history filters them out). */
  readonly messages = new Map<string, SlackMessage[]>();
  readonly files = new Map<string, SlackFile>();
  /** Ids of deleted files: Slack answers `file_deleted` for them, not `file_not_found`. */
  readonly deletedFiles = new Set<string>();
  readonly scheduled: SlackScheduledMessage[] = [];
  readonly ephemeral: SlackEphemeralMessage[] = [];
  /** Told about every change the Events API reports; the emulator turns them into deliveries. */
  onChange: ((change: SlackWorkspaceChange) => void) | undefined;
  private sequence = 0;
  private ids = 0;

  constructor(private readonly now: () => number = Date.now) {
    this.seed();
  }

  /** Back to the seeded workspace, in place (routes keep their reference): every change is forgotten. */
  reset(): void {
    for (const collection of [this.users, this.channels, this.messages, this.files, this.deletedFiles]) {
      collection.clear();
    }
    this.scheduled.length = 0;
    this.ephemeral.length = 0;
    this.sequence = 0;
    this.ids = 0;
    this.seed();
  }

  private seed(): void {
    const created = Math.floor(this.now() / 1000);
    this.addUser("U0001", "alice", "Alice Admin", "alice@acme.test", { is_admin: true, is_owner: true });
    this.addUser("U0002", "bob", "Bob Builder", "bob@acme.test");
    this.addUser("U0003", "carol", "Carol Coder", "carol@acme.test");
    this.addUser(BOT.userId, BOT.name, "AutoFlow", undefined, { is_bot: true });
    const bot = this.users.get(BOT.userId);
    if (bot) bot.profile.bot_id = BOT.botId;
    this.addChannel("C01GENERAL", "general", "U0001", ["U0001", "U0002", "U0003", BOT.userId], created, true);
    this.addChannel("C01RANDOM0", "random", "U0001", ["U0001", "U0002"], created);
  }

  /** The workspace clock, in epoch seconds. */
  nowSeconds(): number {
    return Math.floor(this.now() / 1000);
  }

  /** A message timestamp: unique and increasing, in Slack's `seconds.micro` form. */
  nextTs(): string {
    this.sequence = (this.sequence + 1) % 1_000_000;
    return `${Math.floor(this.now() / 1000)}.${String(this.sequence).padStart(6, "0")}`;
  }

  /** A fresh id with Slack's one-letter type prefix (`C` channel, `F` file, `Q` scheduled message). */
  nextId(prefix: string): string {
    this.ids += 1;
    return `${prefix}${String(this.ids).padStart(4, "0")}X${Math.floor(this.now() / 1000)
      .toString(36)
      .toUpperCase()}`;
  }

  /** A channel by id, or by name with or without `#`. */
  findChannel(idOrName: string | undefined): SlackChannel | undefined {
    if (!idOrName) return undefined;
    const byId = this.channels.get(idOrName);
    if (byId) return byId;
    const name = idOrName.replace(/^#/, "");
    return [...this.channels.values()].find((c) => c.name === name);
  }

  addChannel(
    id: string,
    name: string,
    creator: string,
    members: string[],
    created: number = Math.floor(this.now() / 1000),
    isGeneral = false,
    isPrivate = false,
  ): SlackChannel {
    const channel: SlackChannel = {
      id,
      name,
      is_private: isPrivate,
      is_archived: false,
      is_general: isGeneral,
      created,
      creator,
      topic: { value: "", creator: "", last_set: 0 },
      purpose: { value: isGeneral ? "Company-wide announcements" : "", creator, last_set: created },
      members: new Set(members),
    };
    this.channels.set(id, channel);
    this.messages.set(id, []);
    return channel;
  }

  /** Reports a change to the `onChange` listener, if any. */
  emit(change: SlackWorkspaceChange): void {
    this.onChange?.(change);
  }

  messagesIn(channelId: string): SlackMessage[] {
    let list = this.messages.get(channelId);
    if (!list) {
      list = [];
      this.messages.set(channelId, list);
    }
    return list;
  }

  findMessage(channelId: string, ts: string | undefined): SlackMessage | undefined {
    return ts === undefined ? undefined : this.messagesIn(channelId).find((m) => m.ts === ts);
  }

  /** Top-level messages and thread broadcasts, newest first, as `conversations.history` lists them. */
  history(channelId: string): SlackMessage[] {
    return this.messagesIn(channelId)
      .filter((m) => !m.thread_ts || m.thread_ts === m.ts || m.subtype === "thread_broadcast")
      .reverse();
  }

  /** A thread's parent then its replies, oldest first. */
  thread(channelId: string, ts: string): SlackMessage[] {
    const parent = this.findMessage(channelId, ts);
    if (!parent) return [];
    const root = parent.thread_ts ?? parent.ts;
    return this.messagesIn(channelId).filter((m) => m.ts === root || m.thread_ts === root);
  }

  private addUser(
    id: string,
    name: string,
    realName: string,
    email: string | undefined,
    flags: Partial<Pick<SlackUser, "is_admin" | "is_owner" | "is_bot">> = {},
  ): void {
    this.users.set(id, {
      id,
      team_id: TEAM.id,
      name,
      deleted: false,
      real_name: realName,
      tz: "Europe/London",
      is_admin: flags.is_admin ?? false,
      is_owner: flags.is_owner ?? false,
      is_bot: flags.is_bot ?? false,
      is_app_user: false,
      updated: Math.floor(this.now() / 1000),
      profile: { real_name: realName, display_name: name, ...(email !== undefined && { email }) },
    });
  }
}

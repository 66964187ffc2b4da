import { randomBytes } from "node:crypto";
import { type GmailPart, parseMessage, textOf } from "./gmail-mime";

/** A message as the emulator keeps it: the raw MIME that was posted, and what Gmail reads from it. */
export interface StoredMessage {
  id: string;
  threadId: string;
  labelIds: string[];
  /** The RFC 2822 message, base64url (what `format=raw` answers). */
  raw: string;
  payload: GmailPart;
  snippet: string;
  sizeEstimate: number;
  internalDate: number;
  historyId: number;
  /** When the message last changed (added, labels changed): a lagging search index finds it only later. */
  indexedAt: number;
}

export interface StoredLabel {
  id: string;
  name: string;
  type: "system" | "user";
  messageListVisibility?: string;
  labelListVisibility?: string;
  color?: { textColor?: string; backgroundColor?: string };
}

type MessageRef = { id: string; threadId: string; labelIds?: string[] };

/** One change in a mailbox's history (`users.history.list`). */
export interface HistoryRecord {
  id: string;
  messages: Array<{ id: string; threadId: string }>;
  messagesAdded?: Array<{ message: MessageRef }>;
  messagesDeleted?: Array<{ message: MessageRef }>;
  labelsAdded?: Array<{ message: MessageRef; labelIds: string[] }>;
  labelsRemoved?: Array<{ message: MessageRef; labelIds: string[] }>;
}

/** Gmail's system labels, as every mailbox has them. */
export const SYSTEM_LABELS = [
  "INBOX",
  "SENT",
  "DRAFT",
  "SPAM",
  "TRASH",
  "UNREAD",
  "STARRED",
  "IMPORTANT",
  "CHAT",
  "CATEGORY_PERSONAL",
  "CATEGORY_SOCIAL",
  "CATEGORY_PROMOTIONS",
  "CATEGORY_UPDATES",
  "CATEGORY_FORUMS",
];

/** The first history id a new mailbox has (Gmail's are large, increasing numbers). */
const FIRST_HISTORY_ID = 1000;

/**
 * One Gmail mailbox: messages parsed from their raw MIME, threads (by `threadId`, `In-Reply-To` and
 * `References`), labels, drafts, and a `historyId` that advances with every change, its history kept from
 * `oldestHistoryId` on (older start ids answer 404, as an expired `historyId` does).
 */
export class Mailbox {
  readonly messages = new Map<string, StoredMessage>();
  readonly labels = new Map<string, StoredLabel>();
  readonly drafts = new Map<string, string>();
  history: HistoryRecord[] = [];
  historyId = FIRST_HISTORY_ID;
  oldestHistoryId = FIRST_HISTORY_ID;
  private labelSeq = 0;

  constructor(
    readonly emailAddress: string,
    private readonly now: () => number,
  ) {
    for (const name of SYSTEM_LABELS) this.labels.set(name, { id: name, name, type: "system" });
  }

  /** Adds a message from its raw MIME (base64url) with these labels; answers it. */
  insert(raw: string, labelIds: string[], threadId?: string): StoredMessage {
    const text = Buffer.from(raw, "base64url").toString("latin1");
    const payload = parseMessage(text);
    const id = this.newId();
    const message: StoredMessage = {
      id,
      threadId: (threadId && this.threadExists(threadId) ? threadId : this.threadOf(payload)) ?? id,
      labelIds: [...new Set(labelIds)],
      raw,
      payload,
      snippet: snippetOf(payload),
      sizeEstimate: text.length,
      internalDate: this.now(),
      historyId: 0,
      indexedAt: this.now(),
    };
    this.messages.set(id, message);
    message.historyId = this.record({ messagesAdded: [{ message: refOf(message) }] }, message);
    return message;
  }

  /** Adds and removes labels; answers the message, or undefined when there is none. */
  modify(id: string, add: string[] = [], remove: string[] = []): StoredMessage | undefined {
    const message = this.messages.get(id);
    if (!message) return undefined;
    const added = add.filter((label) => !message.labelIds.includes(label));
    const removed = remove.filter((label) => message.labelIds.includes(label) && !add.includes(label));
    message.labelIds = [...message.labelIds.filter((label) => !removed.includes(label)), ...added];
    if (added.length > 0 || removed.length > 0) message.indexedAt = this.now();
    if (added.length > 0) {
      message.historyId = this.record(
        { labelsAdded: [{ message: refOf(message), labelIds: added }] },
        message,
      );
    }
    if (removed.length > 0) {
      message.historyId = this.record(
        { labelsRemoved: [{ message: refOf(message), labelIds: removed }] },
        message,
      );
    }
    return message;
  }

  delete(id: string): boolean {
    const message = this.messages.get(id);
    if (!message) return false;
    this.messages.delete(id);
    this.record({ messagesDeleted: [{ message: refOf(message) }] }, message);
    return true;
  }

  /** A user label (`Label_N`); undefined when a label of that name exists already. */
  addLabel(label: Omit<StoredLabel, "id" | "type">): StoredLabel | undefined {
    const taken = [...this.labels.values()].some(
      (existing) => existing.name.toLowerCase() === label.name.toLowerCase(),
    );
    if (taken) return undefined;
    const stored: StoredLabel = { ...label, id: `Label_${++this.labelSeq}`, type: "user" };
    this.labels.set(stored.id, stored);
    this.historyId += 1;
    return stored;
  }

  /** Forgets the history before now: a start id older than this answers 404 (an expired `historyId`). */
  expireHistory(): void {
    this.oldestHistoryId = this.historyId;
    this.history = [];
  }

  threadMessages(threadId: string): StoredMessage[] {
    return [...this.messages.values()]
      .filter((message) => message.threadId === threadId)
      .sort((a, b) => a.internalDate - b.internalDate);
  }

  private threadExists(threadId: string): boolean {
    return [...this.messages.values()].some((message) => message.threadId === threadId);
  }

  /** The thread of the message this one replies to, by `In-Reply-To` or `References`. */
  private threadOf(payload: GmailPart): string | undefined {
    const header = (name: string) => payload.headers.find((h) => h.name.toLowerCase() === name)?.value ?? "";
    const ids: string[] = `${header("in-reply-to")} ${header("references")}`.match(/<[^>]+>/g) ?? [];
    for (const message of this.messages.values()) {
      const own = message.payload.headers.find((h) => h.name.toLowerCase() === "message-id")?.value;
      if (own && ids.includes(own)) return message.threadId;
    }
    return undefined;
  }

  private record(change: Omit<HistoryRecord, "id" | "messages">, message: StoredMessage): number {
    this.historyId += 1;
    this.history.push({
      id: String(this.historyId),
      messages: [{ id: message.id, threadId: message.threadId }],
      ...change,
    });
    return this.historyId;
  }

  private newId(): string {
    return randomBytes(8).toString("hex");
  }
}

function refOf(message: StoredMessage): MessageRef {
  return { id: message.id, threadId: message.threadId, labelIds: [...message.labelIds] };
}

function snippetOf(payload: GmailPart): string {
  const text = textOf(payload) ?? textOf(payload, "text/html")?.replace(/<[^>]*>/g, " ") ?? "";
  return text.replace(/\s+/g, " ").trim().slice(0, 200);
}

/** The mailboxes the emulator serves, by address (created on first use). */
export class GmailState {
  readonly mailboxes = new Map<string, Mailbox>();

  constructor(private readonly now: () => number) {}

  mailbox(emailAddress: string): Mailbox {
    let mailbox = this.mailboxes.get(emailAddress);
    if (!mailbox) {
      mailbox = new Mailbox(emailAddress, this.now);
      this.mailboxes.set(emailAddress, mailbox);
    }
    return mailbox;
  }

  reset(): void {
    this.mailboxes.clear();
  }
}

import type { EmulatorRequest, EmulatorResponse } from "../shared/types";
import { matchesQuery, searchesAnywhere, searchesDrafts } from "./gmail-search";
import type { Mailbox, StoredLabel, StoredMessage } from "./gmail-state";
import { badRequest, googleError, notFound } from "./gmail-wire";

/** One authenticated Gmail API call: the request, its JSON body, and the caller's mailbox. */
export interface GmailCall {
  request: EmulatorRequest;
  body: Record<string, unknown>;
  mailbox: Mailbox;
  now: number;
  /** How long a change takes to reach the search index (`q`): younger changes are not found yet. */
  searchIndexLagMs: number;
}

export type GmailHandler = (call: GmailCall) => EmulatorResponse | Record<string, unknown>;

/** What a method needs of the token's scopes: any one of them. */
export type ScopeNeed = "read" | "send" | "modify" | "compose";

export type GmailRoute = (method: string, path: string, need: ScopeNeed, handler: GmailHandler) => void;

const USER = "/gmail/v1/users/:userId";

/** `historyTypes` values and the record fields they select. */
const HISTORY_FIELDS: Record<string, "messagesAdded" | "messagesDeleted" | "labelsAdded" | "labelsRemoved"> =
  {
    messageAdded: "messagesAdded",
    messageDeleted: "messagesDeleted",
    labelAdded: "labelsAdded",
    labelRemoved: "labelsRemoved",
  };

/** A message in the `format` asked (`full` by default, `metadata`, `minimal`, `raw`). */
export function formatMessage(message: StoredMessage, query: URLSearchParams): Record<string, unknown> {
  const format = query.get("format") ?? "full";
  const base = {
    id: message.id,
    threadId: message.threadId,
    labelIds: [...message.labelIds],
    snippet: message.snippet,
    sizeEstimate: message.sizeEstimate,
    historyId: String(message.historyId),
    internalDate: String(message.internalDate),
  };
  if (format === "minimal") return base;
  if (format === "raw") return { ...base, raw: message.raw };
  if (format === "metadata") {
    const wanted = query.getAll("metadataHeaders").map((name) => name.toLowerCase());
    const headers = message.payload.headers.filter(
      (header) => wanted.length === 0 || wanted.includes(header.name.toLowerCase()),
    );
    return { ...base, payload: { mimeType: message.payload.mimeType, headers } };
  }
  return { ...base, payload: message.payload };
}

function header(message: StoredMessage, name: string): string {
  return message.payload.headers.find((h) => h.name.toLowerCase() === name)?.value ?? "";
}

/** The page `pageToken` (an offset) and `maxResults` cut from `items`, with the next token when more remain. */
function page<T>(items: T[], query: URLSearchParams, defaultSize: number): { items: T[]; next?: string } {
  const start = Number(query.get("pageToken") ?? "0") || 0;
  const size = Math.min(Number(query.get("maxResults") ?? defaultSize) || defaultSize, 500);
  const slice = items.slice(start, start + size);
  return start + size < items.length ? { items: slice, next: String(start + size) } : { items: slice };
}

/** Whether `q` finds `message` now: it matches, and its last change has reached the (possibly lagging) index. */
function searchFinds(call: GmailCall, message: StoredMessage, q: string): boolean {
  if (message.indexedAt > call.now - call.searchIndexLagMs) return false;
  return matchesQuery(message, q, { labels: call.mailbox.labels, now: call.now });
}

/** The mailbox's messages a list asks for, newest first. */
function listed(call: GmailCall): StoredMessage[] {
  const { query } = call.request;
  const labelIds = query.getAll("labelIds");
  const q = query.get("q") ?? "";
  const drafts = labelIds.includes("DRAFT") || searchesDrafts(q);
  const includeSpamTrash = query.get("includeSpamTrash") === "true" || searchesAnywhere(q);
  return [...call.mailbox.messages.values()]
    .filter((message) => !message.labelIds.includes("DRAFT") || drafts)
    .filter(
      (message) =>
        includeSpamTrash || !message.labelIds.some((label) => label === "SPAM" || label === "TRASH"),
    )
    .filter((message) => labelIds.every((label) => message.labelIds.includes(label)))
    .filter((message) => q === "" || searchFinds(call, message, q))
    .sort((a, b) => b.internalDate - a.internalDate || b.historyId - a.historyId);
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === "string") : [];
}

/** The labels a modify names that the mailbox does not have: Gmail's 400 `invalidArgument`. */
function unknownLabel(mailbox: Mailbox, ids: string[]): EmulatorResponse | undefined {
  const missing = ids.find((id) => !mailbox.labels.has(id));
  return missing === undefined ? undefined : badRequest(`Invalid label: ${missing}`);
}

function labelView(mailbox: Mailbox, label: StoredLabel): Record<string, unknown> {
  const messages = [...mailbox.messages.values()].filter((message) => message.labelIds.includes(label.id));
  const unread = messages.filter((message) => message.labelIds.includes("UNREAD"));
  return {
    ...label,
    messagesTotal: messages.length,
    messagesUnread: unread.length,
    threadsTotal: new Set(messages.map((message) => message.threadId)).size,
    threadsUnread: new Set(unread.map((message) => message.threadId)).size,
  };
}

function threadView(
  mailbox: Mailbox,
  threadId: string,
  query: URLSearchParams,
): Record<string, unknown> | undefined {
  const messages = mailbox.threadMessages(threadId);
  if (messages.length === 0) return undefined;
  return {
    id: threadId,
    snippet: messages.at(-1)?.snippet ?? "",
    historyId: String(Math.max(...messages.map((message) => message.historyId))),
    messages: messages.map((message) => formatMessage(message, query)),
  };
}

/** Labels a sent message gets: SENT, and INBOX + UNREAD when the mailbox sends to itself. */
function sentLabels(mailbox: Mailbox, message: StoredMessage): string[] {
  const to = `${header(message, "to")} ${header(message, "cc")} ${header(message, "bcc")}`.toLowerCase();
  return to.includes(mailbox.emailAddress.toLowerCase()) ? ["SENT", "INBOX", "UNREAD"] : ["SENT"];
}

/** `raw` as Gmail checks it: present, base64url, and a message with at least one recipient. */
function rawOf(body: Record<string, unknown>): string | EmulatorResponse {
  const raw = body.raw;
  if (typeof raw !== "string" || raw === "")
    return badRequest("'raw' RFC822 payload message string or uploading message via /upload/* URL required");
  if (!/^[A-Za-z0-9_\-+/=]+$/.test(raw)) return badRequest("Invalid value for ByteString: raw");
  const text = Buffer.from(raw, "base64url").toString("latin1");
  const head = text.split(/\r?\n\r?\n/)[0] ?? "";
  if (!/^(to|cc|bcc):\s*\S/im.test(head))
    return badRequest("Recipient address required", "failedPrecondition");
  return raw.replace(/=+$/, "").replace(/\+/g, "-").replace(/\//g, "_");
}

/**
 * Gmail's `users.*` routes the tasks use: the profile, watch/stop, messages (send, get, list, modify, trash, untrash,
 * batchModify, delete, insert), threads (get, list, modify), drafts (create, get, send, list, delete), labels (list,
 * create, get, delete) and history (list; 404 for an expired start id).
 */
export function registerGmailRoutes(route: GmailRoute): void {
  route("GET", `${USER}/profile`, "read", ({ mailbox }) => ({
    emailAddress: mailbox.emailAddress,
    messagesTotal: mailbox.messages.size,
    threadsTotal: new Set([...mailbox.messages.values()].map((message) => message.threadId)).size,
    historyId: String(mailbox.historyId),
  }));

  route("POST", `${USER}/watch`, "read", ({ mailbox, body, now }) => {
    if (typeof body.topicName !== "string" || !/^projects\/[^/]+\/topics\/[^/]+$/.test(body.topicName)) {
      return badRequest("Invalid topicName does not match projects/*/topics/*");
    }
    return { historyId: String(mailbox.historyId), expiration: String(now + 7 * 86_400_000) };
  });

  route("POST", `${USER}/stop`, "read", () => ({ status: 204, body: "" }));

  route("POST", `${USER}/messages/send`, "send", ({ mailbox, body }) => {
    const raw = rawOf(body);
    if (typeof raw !== "string") return raw;
    const threadId = typeof body.threadId === "string" ? body.threadId : undefined;
    const message = mailbox.insert(raw, ["SENT"], threadId);
    const labels = sentLabels(mailbox, message);
    if (labels.length > 1) mailbox.modify(message.id, labels.slice(1));
    return { id: message.id, threadId: message.threadId, labelIds: [...message.labelIds] };
  });

  route("POST", `${USER}/messages`, "modify", ({ mailbox, body }) => {
    const raw = rawOf(body);
    if (typeof raw !== "string") return raw;
    const labelIds = strings(body.labelIds);
    const message = mailbox.insert(raw, labelIds.length > 0 ? labelIds : ["INBOX", "UNREAD"]);
    return { id: message.id, threadId: message.threadId, labelIds: [...message.labelIds] };
  });

  route("GET", `${USER}/messages`, "read", (call) => {
    const { items, next } = page(listed(call), call.request.query, 100);
    return {
      ...(items.length > 0 && {
        messages: items.map((message) => ({ id: message.id, threadId: message.threadId })),
      }),
      ...(next !== undefined && { nextPageToken: next }),
      resultSizeEstimate: items.length,
    };
  });

  route("GET", `${USER}/messages/:id`, "read", ({ mailbox, request }) => {
    const message = mailbox.messages.get(request.params.id ?? "");
    return message ? formatMessage(message, request.query) : notFound();
  });

  route("POST", `${USER}/messages/:id/modify`, "modify", ({ mailbox, request, body }) => {
    const add = strings(body.addLabelIds);
    const remove = strings(body.removeLabelIds);
    const refused = unknownLabel(mailbox, [...add, ...remove]);
    if (refused) return refused;
    const message = mailbox.modify(request.params.id ?? "", add, remove);
    return message ? formatMessage(message, new URLSearchParams("format=minimal")) : notFound();
  });

  route("POST", `${USER}/messages/:id/trash`, "modify", ({ mailbox, request }) => {
    const message = mailbox.modify(request.params.id ?? "", ["TRASH"], ["INBOX"]);
    return message ? formatMessage(message, new URLSearchParams("format=minimal")) : notFound();
  });

  route("POST", `${USER}/messages/:id/untrash`, "modify", ({ mailbox, request }) => {
    const message = mailbox.modify(request.params.id ?? "", [], ["TRASH"]);
    return message ? formatMessage(message, new URLSearchParams("format=minimal")) : notFound();
  });

  route("DELETE", `${USER}/messages/:id`, "modify", ({ mailbox, request }) =>
    mailbox.delete(request.params.id ?? "") ? { status: 204, body: "" } : notFound(),
  );

  route("POST", `${USER}/messages/batchModify`, "modify", ({ mailbox, body }) => {
    const ids = strings(body.ids);
    if (ids.length > 1000) return badRequest("Too many ids: at most 1000");
    const add = strings(body.addLabelIds);
    const remove = strings(body.removeLabelIds);
    const refused = unknownLabel(mailbox, [...add, ...remove]);
    if (refused) return refused;
    for (const id of ids) mailbox.modify(id, add, remove);
    return { status: 204, body: "" };
  });

  route("GET", `${USER}/threads`, "read", (call) => {
    const threadIds = [...new Set(listed(call).map((message) => message.threadId))];
    const { items, next } = page(threadIds, call.request.query, 100);
    const threads = items.map((id) => {
      const messages = call.mailbox.threadMessages(id);
      return {
        id,
        snippet: messages.at(-1)?.snippet ?? "",
        historyId: String(Math.max(...messages.map((m) => m.historyId))),
      };
    });
    return {
      ...(threads.length > 0 && { threads }),
      ...(next !== undefined && { nextPageToken: next }),
      resultSizeEstimate: threads.length,
    };
  });

  route(
    "GET",
    `${USER}/threads/:id`,
    "read",
    ({ mailbox, request }) => threadView(mailbox, request.params.id ?? "", request.query) ?? notFound(),
  );

  route("POST", `${USER}/threads/:id/modify`, "modify", ({ mailbox, request, body }) => {
    const add = strings(body.addLabelIds);
    const remove = strings(body.removeLabelIds);
    const refused = unknownLabel(mailbox, [...add, ...remove]);
    if (refused) return refused;
    const id = request.params.id ?? "";
    const messages = mailbox.threadMessages(id);
    if (messages.length === 0) return notFound();
    for (const message of messages) mailbox.modify(message.id, add, remove);
    return threadView(mailbox, id, new URLSearchParams("format=minimal")) ?? notFound();
  });

  const draftView = (mailbox: Mailbox, draftId: string, query: URLSearchParams) => {
    const message = mailbox.messages.get(mailbox.drafts.get(draftId) ?? "");
    return message ? { id: draftId, message: formatMessage(message, query) } : undefined;
  };

  route("POST", `${USER}/drafts`, "compose", ({ mailbox, body }) => {
    const message = (body.message ?? {}) as Record<string, unknown>;
    const raw = typeof message.raw === "string" ? message.raw : "";
    if (raw === "") return badRequest("Missing draft message");
    const threadId = typeof message.threadId === "string" ? message.threadId : undefined;
    const stored = mailbox.insert(raw, ["DRAFT"], threadId);
    const id = `r${BigInt(`0x${stored.id}`).toString().slice(0, 19)}`;
    mailbox.drafts.set(id, stored.id);
    return draftView(mailbox, id, new URLSearchParams("format=minimal")) ?? notFound();
  });

  route("GET", `${USER}/drafts`, "read", (call) => {
    const { mailbox, request } = call;
    const q = request.query.get("q") ?? "";
    const ids = [...mailbox.drafts.keys()].reverse().filter((id) => {
      const message = mailbox.messages.get(mailbox.drafts.get(id) ?? "");
      return message !== undefined && (q === "" || searchFinds(call, message, q));
    });
    const { items, next } = page(ids, request.query, 100);
    const drafts = items.flatMap((id) => draftView(mailbox, id, new URLSearchParams("format=minimal")) ?? []);
    return {
      ...(drafts.length > 0 && { drafts }),
      ...(next !== undefined && { nextPageToken: next }),
      resultSizeEstimate: drafts.length,
    };
  });

  route(
    "GET",
    `${USER}/drafts/:id`,
    "read",
    ({ mailbox, request }) => draftView(mailbox, request.params.id ?? "", request.query) ?? notFound(),
  );

  route("DELETE", `${USER}/drafts/:id`, "compose", ({ mailbox, request }) => {
    const messageId = mailbox.drafts.get(request.params.id ?? "");
    if (messageId === undefined) return notFound();
    mailbox.drafts.delete(request.params.id ?? "");
    mailbox.delete(messageId);
    return { status: 204, body: "" };
  });

  route("POST", `${USER}/drafts/send`, "compose", ({ mailbox, body }) => {
    const draftId = typeof body.id === "string" ? body.id : "";
    const messageId = mailbox.drafts.get(draftId);
    const message = messageId === undefined ? undefined : mailbox.messages.get(messageId);
    if (!message) return badRequest("Invalid draft", "failedPrecondition");
    if (
      !/^(to|cc|bcc):\s*\S/im.test(message.payload.headers.map((h) => `${h.name}: ${h.value}`).join("\n"))
    ) {
      return badRequest("Recipient address required", "failedPrecondition");
    }
    mailbox.drafts.delete(draftId);
    mailbox.modify(message.id, sentLabels(mailbox, message), ["DRAFT"]);
    return { id: message.id, threadId: message.threadId, labelIds: [...message.labelIds] };
  });

  route("GET", `${USER}/labels`, "read", ({ mailbox }) => ({
    labels: [...mailbox.labels.values()].map((label) => ({ ...label })),
  }));

  route("POST", `${USER}/labels`, "modify", ({ mailbox, body }) => {
    if (typeof body.name !== "string" || body.name.trim() === "") return badRequest("Invalid label name");
    const label = mailbox.addLabel({
      name: body.name,
      ...(typeof body.messageListVisibility === "string" && {
        messageListVisibility: body.messageListVisibility,
      }),
      ...(typeof body.labelListVisibility === "string" && { labelListVisibility: body.labelListVisibility }),
    });
    return label ? { ...label } : googleError(409, "duplicate", "Label name exists or conflicts");
  });

  route("GET", `${USER}/labels/:id`, "read", ({ mailbox, request }) => {
    const label = mailbox.labels.get(request.params.id ?? "");
    return label ? labelView(mailbox, label) : notFound();
  });

  route("DELETE", `${USER}/labels/:id`, "modify", ({ mailbox, request }) => {
    const label = mailbox.labels.get(request.params.id ?? "");
    if (!label) return notFound();
    if (label.type === "system") return badRequest("Invalid delete request");
    mailbox.labels.delete(label.id);
    for (const message of mailbox.messages.values()) {
      message.labelIds = message.labelIds.filter((id) => id !== label.id);
    }
    return { status: 204, body: "" };
  });

  route("GET", `${USER}/settings/vacation`, "read", () => ({ enableAutoReply: false }));

  route("GET", `${USER}/history`, "read", ({ mailbox, request }) => {
    const { query } = request;
    const start = Number(query.get("startHistoryId"));
    if (!Number.isFinite(start) || query.get("startHistoryId") === null) {
      return badRequest("Missing startHistoryId");
    }
    if (start < mailbox.oldestHistoryId) return notFound();
    const labelId = query.get("labelId");
    const types = query.getAll("historyTypes");
    const records = mailbox.history
      .filter((record) => Number(record.id) > start)
      .filter(
        (record) =>
          !labelId || record.messages.some((m) => mailbox.messages.get(m.id)?.labelIds.includes(labelId)),
      )
      .filter(
        (record) =>
          types.length === 0 ||
          types.some((type) => {
            const field = HISTORY_FIELDS[type];
            return field !== undefined && record[field] !== undefined;
          }),
      );
    const { items, next } = page(records, query, 100);
    return {
      ...(items.length > 0 && { history: items }),
      ...(next !== undefined && { nextPageToken: next }),
      historyId: String(mailbox.historyId),
    };
  });
}

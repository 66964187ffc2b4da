import {
  definePollingTrigger,
  IntegrationError,
  type PollingListPage,
  type PollingListRequest,
  type PollingTrigger,
} from "@autoflow/core";
import type { gmail_v1 } from "@googleapis/gmail";
import { createGmailClient, type GmailClientOptions } from "../client";
import { toGmailError } from "../errors";
import { SEARCH_INDEX_LAG_MS } from "../search-lag";
import { matchQuery } from "./query-filter";

/** A token, or a function that fetches one per poll (a HOSTED connection's current, refreshed access token). */
export type GmailPollingToken = string | (() => string | Promise<string>);

/** `gmail.onNewMessage(options)`. */
export interface GmailNewMessageOptions {
  /** Only messages with every one of these labels (`["INBOX"]`, `["Label_3"]`). Default every new message. */
  labelIds?: string[];
  /**
   * Only messages this Gmail search query finds (`from:billing@acme.com has:attachment`, `subject:invoice`), as
   * `q` of `messages.list`: Gmail's own search judges each new message.
   */
  query?: string;
  /**
   * How long Gmail's search index may lag a new message (default the integration's `searchIndexLagMs`, else
   * 30 000): a new message the `query` does not find yet is judged again by later polls until it is this old, and
   * held back until then.
   */
  searchIndexLagMs?: number;
  /** Default 60 000. */
  intervalMs?: number;
  /** Required when the `Gmail` instance has no token of its own (HOSTED): polls run outside any job run. */
  token?: GmailPollingToken;
  /** The connection the token belongs to, when the service supplies one: part of the cursor's identity. */
  connectionId?: string;
}

/** One new message as the trigger starts a run with it: `messages.get` in `metadata` format. */
export type GmailNewMessage = gmail_v1.Schema$Message;

const DEFAULT_INTERVAL_MS = 60_000;
const PAGE_SIZE = 100;
/** How far back a resync lists the mailbox (newest first): the messages a poll could have missed. */
const RESYNC_PAGES = 5;

/**
 * The history id as the polling contract's instant: the contract keeps an ISO-8601 watermark, and Gmail's history
 * ids are increasing integers, so a history id `h` is the instant `h` ms after the epoch. The watermark is then the
 * newest history id seen: the `historyId` a poll lists `users.history.list` from.
 */
const asInstant = (historyId: string | number) => new Date(Number(historyId)).toISOString();
const asHistoryId = (instant: string) => String(Date.parse(instant));

/**
 * New messages in a mailbox, polled with `users.history.list` from the stored `historyId` (`messagesAdded`) on core's
 * polling contract: a restart resumes from the stored id, a burst of mail in one second is many history ids, so
 * nothing is lost or repeated. Gmail's 404 for a `historyId` it no longer keeps is the contract's *cursor expired*:
 * the trigger resyncs from `messages.list` (newest first), the ledger keeping what already ran from running again.
 * A message deleted before it was read (404 on `messages.get`) is skipped alone.
 */
export function gmailNewMessageTrigger(
  options: GmailNewMessageOptions & { token: GmailPollingToken; client?: GmailClientOptions },
): PollingTrigger<GmailNewMessage> {
  const labelIds = [...(options.labelIds ?? [])].sort();
  const filter: Filter = {
    labelIds,
    ...(options.query !== undefined && options.query.trim() !== "" && { query: options.query.trim() }),
    lagMs: options.searchIndexLagMs ?? options.client?.searchIndexLagMs ?? SEARCH_INDEX_LAG_MS,
    passed: new WeakSet(),
  };
  const client = async () =>
    createGmailClient(
      typeof options.token === "function" ? await options.token() : options.token,
      options.client,
    );
  const trigger = definePollingTrigger<GmailNewMessage>({
    provider: "gmail",
    key: "gmail.newMessage",
    // The query joins the identity only when given, so a trigger without one keeps the cursor it had.
    inputs: { labelIds, ...(filter.query !== undefined && { query: filter.query }) },
    ...(options.connectionId !== undefined && { connectionId: options.connectionId }),
    title: titleOf(filter),
    intervalMs: options.intervalMs ?? DEFAULT_INTERVAL_MS,
    // History ids are exact: no overlap window is needed, and a resync starts from the watermark itself.
    overlapMs: 0,
    itemId: (message) => String(message.id),
    itemTime: (message) => asInstant(message.historyId ?? 0),
    start: () =>
      polled(async () =>
        asInstant((await (await client()).users.getProfile({ userId: "me" })).data.historyId ?? 0),
      ),
    list: (request) =>
      polled(async () => {
        const gmail = await client();
        return request.mode === "resync" ? resync(gmail, filter, request) : history(gmail, filter, request);
      }),
  });
  // The contract sees every message read, so its watermark and ledger move past the ones the filter passed over
  // (the next poll does not read them again); the runs start for the others.
  return {
    ...trigger,
    poll: async (cursor) => {
      const result = await trigger.poll(cursor);
      return { ...result, items: result.items.filter((message) => !filter.passed.has(message)) };
    },
  };
}

/** What a trigger's messages must have: every label of `labelIds`, and be found by `query` when there is one. */
interface Filter {
  labelIds: string[];
  query?: string;
  /** How long the search index may lag a new message. */
  lagMs: number;
  /** The messages listed that the filter passes over: the contract records them as seen, no run starts for them. */
  passed: WeakSet<GmailNewMessage>;
}

function titleOf({ labelIds, query }: Filter): string {
  const where = [
    ...(labelIds.length > 0 ? [`in ${labelIds.join(", ")}`] : []),
    ...(query !== undefined ? [`matching ${query}`] : []),
  ];
  return where.length > 0 ? `Gmail: new message ${where.join(" ")}` : "Gmail: new message";
}

/**
 * One page of `messagesAdded` since the watermark, each message read (`metadata`) with the history id it was added
 * at, and judged by its labels and the query (see `matchQuery`): a message the search may not have indexed yet
 * ends the page there, so the watermark stays before it and the next poll judges it again (the ledger skips what
 * ran).
 */
async function history(
  gmail: gmail_v1.Gmail,
  filter: Filter,
  { since, page, mode }: PollingListRequest,
): Promise<PollingListPage<GmailNewMessage>> {
  const startHistoryId = since === null ? undefined : asHistoryId(since);
  if (startHistoryId === undefined) return { items: [] };
  const { data } = await gmail.users.history
    .list({
      userId: "me",
      startHistoryId,
      historyTypes: ["messageAdded"],
      maxResults: PAGE_SIZE,
      ...(filter.labelIds.length === 1 && { labelId: filter.labelIds[0] }),
      ...(typeof page === "string" && { pageToken: page }),
    })
    .catch((error: unknown) => {
      const failure = toGmailError(error);
      // Gmail keeps history for about a week: an older start id answers 404.
      if (failure.status === 404) {
        throw new IntegrationError({
          type: "schema",
          provider: "gmail",
          status: 404,
          reason: "cursor_expired",
          message: `Gmail no longer keeps history since ${startHistoryId}: resyncing from messages.list`,
          cause: error,
        });
      }
      throw failure;
    });
  const added = (data.history ?? []).flatMap((record) =>
    (record.messagesAdded ?? []).map((entry) => ({ id: entry.message?.id, historyId: record.id })),
  );
  let items = await readAll(gmail, added);
  let next = data.nextPageToken ?? undefined;
  const labelled = items.filter((message) => hasLabels(message, filter.labelIds));
  // The baseline fires nothing: no need to ask the search about it.
  if (filter.query !== undefined && mode !== "baseline") {
    // Polls run outside any run, on the wall clock, as Gmail's `internalDate` is.
    const verdict = await matchQuery(gmail, filter.query, labelled, { lagMs: filter.lagMs, now: Date.now() });
    const held = items.findIndex((message) => message.id === verdict.heldFrom);
    if (held !== -1) {
      items = items.slice(0, held);
      next = undefined;
    }
    for (const message of labelled) if (!verdict.matched.has(String(message.id))) filter.passed.add(message);
  }
  for (const message of items) if (!hasLabels(message, filter.labelIds)) filter.passed.add(message);
  // The baseline marks where polling starts even when no message came since: an item that never runs (baseline
  // items do not), so the watermark is the profile's history id rather than none.
  if (mode === "baseline" && page === undefined)
    items.push({ id: `start:${startHistoryId}`, historyId: startHistoryId });
  return { items, ...(next && { next }) };
}

/**
 * After an expired `historyId`: the newest messages (`messages.list`, with the query as its `q`), each read, from
 * the watermark on. (A message younger than the search index's lag can be missed here; a resync follows a gap of
 * about a week, where seconds are the least of what the cursor lost.)
 */
async function resync(
  gmail: gmail_v1.Gmail,
  { labelIds, query, passed }: Filter,
  { page }: PollingListRequest,
): Promise<PollingListPage<GmailNewMessage>> {
  const state = (typeof page === "object" && page !== null ? page : {}) as { token?: string; count?: number };
  const { data } = await gmail.users.messages.list({
    userId: "me",
    maxResults: PAGE_SIZE,
    ...(labelIds.length > 0 && { labelIds }),
    ...(query !== undefined && { q: query }),
    ...(state.token !== undefined && { pageToken: state.token }),
  });
  const items = await readAll(
    gmail,
    (data.messages ?? []).map((message) => ({ id: message.id, historyId: undefined })),
  );
  // Listed by label already; a message relabelled since the listing is passed over.
  for (const message of items) if (!hasLabels(message, labelIds)) passed.add(message);
  const count = (state.count ?? 0) + 1;
  return {
    items,
    ...(data.nextPageToken && count < RESYNC_PAGES && { next: { token: data.nextPageToken, count } }),
  };
}

function hasLabels(message: GmailNewMessage, labelIds: string[]): boolean {
  return labelIds.every((label) => message.labelIds?.includes(label));
}

/** Each message read (`metadata`); one deleted meanwhile (404) is skipped alone. */
async function readAll(
  gmail: gmail_v1.Gmail,
  refs: Array<{ id: string | null | undefined; historyId: string | null | undefined }>,
): Promise<GmailNewMessage[]> {
  const items: GmailNewMessage[] = [];
  for (const ref of refs) {
    if (!ref.id) continue;
    const message = await gmail.users.messages
      .get({ userId: "me", id: ref.id, format: "metadata" })
      .then(({ data }) => data)
      .catch((error: unknown) => {
        if (toGmailError(error).status === 404) return undefined;
        throw error;
      });
    if (!message) continue;
    // In a history listing the message's time is the history id it was added at, not its latest change.
    items.push(ref.historyId ? { ...message, historyId: ref.historyId } : message);
  }
  return items;
}

/** Runs one poll's Gmail calls with Gmail's errors translated (`IntegrationError`s health and retries read). */
async function polled<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw toGmailError(error);
  }
}

import type { gmail_v1 } from "@googleapis/gmail";

/** A bound on one check's listing: the window spans one history page's messages (at most 100), and 2,500 ids
 * arriving within that same span is beyond any mailbox's burst. */
const MAX_PAGES = 5;
const PAGE_SIZE = 500;

/** What the query said of a poll's new messages: the ids it matched, and the first one it cannot judge yet. */
export interface QueryVerdict {
  matched: Set<string>;
  /** The oldest message (in history order) the search did not find but that may just not be indexed yet. */
  heldFrom?: string;
}

/**
 * Which of a poll's new messages match a Gmail search query. History does not filter by query, and Gmail's query
 * syntax is too rich to evaluate here, so Gmail's own search judges: ONE `messages.list` with `q: (<query>)
 * after:<the oldest new message's second, less one> before:<the newest's, plus one>`, whose answer is intersected
 * with the new messages. That costs a single call per poll page (a check per message, `rfc822msgid:<id>`, would
 * cost one per message, and needs a `Message-ID` every message may not have), and the window keeps the listing to
 * the mail that arrived alongside them; the parentheses keep an `OR` in the query from escaping the window.
 *
 * The search index lags the mailbox by a few seconds: a new message the search does not find yet is only
 * trusted not to match once it is older than `lagMs`. Until then the poll holds it (`heldFrom`): the trigger
 * stops its page before it, so the watermark does not pass it and the next poll judges it again.
 */
export async function matchQuery(
  gmail: gmail_v1.Gmail,
  query: string,
  messages: gmail_v1.Schema$Message[],
  options: { lagMs: number; now: number },
): Promise<QueryVerdict> {
  const wanted = new Set(messages.map((message) => String(message.id)));
  const matched = new Set<string>();
  if (wanted.size === 0) return { matched };
  const times = messages.map((message) => Number(message.internalDate ?? 0));
  const after = Math.max(0, Math.floor(Math.min(...times) / 1000) - 1);
  const before = Math.floor(Math.max(...times) / 1000) + 2;
  const q = `(${query}) after:${after} before:${before}`;
  let pageToken: string | undefined;
  let complete = false;
  for (let page = 0; page < MAX_PAGES; page++) {
    const { data } = await gmail.users.messages.list({
      userId: "me",
      q,
      maxResults: PAGE_SIZE,
      ...(pageToken !== undefined && { pageToken }),
    });
    for (const { id } of data.messages ?? []) if (id && wanted.has(id)) matched.add(id);
    pageToken = data.nextPageToken ?? undefined;
    if (pageToken === undefined || matched.size === wanted.size) {
      complete = true;
      break;
    }
  }
  // Unread pages (a listing longer than the bound) say nothing: every message not found is then held.
  const held = messages.find(
    (message) =>
      !matched.has(String(message.id)) &&
      (!complete || Number(message.internalDate ?? 0) > options.now - options.lagMs),
  );
  return { matched, ...(held && { heldFrom: String(held.id) }) };
}

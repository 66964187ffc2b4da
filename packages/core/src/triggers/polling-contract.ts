import { IntegrationError } from "../errors";
import type { Json } from "../json";
import { nodeCrypto } from "../node-crypto";
import type { PollingTrigger, PollResult } from "./trigger";

/** Where a poll's listing starts and which page it is at: what `list` is asked for. */
export interface PollingListRequest {
  /**
   * ISO-8601: list items at or after this instant (the watermark minus the overlap window); `null` for the whole
   * listing (a first poll without `start`, or a resync without a safe point).
   */
  since: string | null;
  /** Where the previous page of this listing stopped, as `list` returned it in `next`; `undefined` for the first page. */
  page: Json | undefined;
  /** Why this listing runs: the first poll's baseline (nothing fires), an ordinary poll, or a resync. */
  mode: "baseline" | "poll" | "resync";
}

/** One page of a listing: its items (any order) and, when more follow, where the next page starts. */
export interface PollingListPage<TItem> {
  items: TItem[];
  /** JSON the next `list` call gets back as `page`; absent on the last page. */
  next?: Json;
}

/** What a provider supplies for a loss-free poller; `definePollingTrigger` does the rest. */
export interface PollingTriggerDefinition<TItem> {
  provider: string;
  /** The trigger's key, e.g. `"acme.itemUpdated"`. */
  key: string;
  /** What the trigger watches (`{ owner, repo }`): with the provider, connection and key, the cursor's identity. */
  inputs: Json;
  /** The connection whose data it lists, when the service supplies one (part of the identity). */
  connectionId?: string;
  title: string;
  intervalMs: number;
  /**
   * How far before the watermark each poll lists again, so items that became visible late (eventually consistent
   * listings, several items in the watermark's second) are still found. Default 5 minutes.
   */
  overlapMs?: number;
  /** The most item ids the ledger of seen items keeps (newest kept). Default 1 000. */
  ledgerSize?: number;
  /** One page of items at or after `request.since`. Throw `IntegrationError` with `reason: "cursor_expired"` when the provider refuses the page or cursor. */
  list(request: PollingListRequest): Promise<PollingListPage<TItem>>;
  /** Unique per item and version (`12@2026-01-01T00:00:00Z` for an issue updated then): the dedupe and run key. */
  itemId(item: TItem): string;
  /** ISO-8601: the item's instant in the listing's order (`updated_at`, `starred_at`). */
  itemTime(item: TItem): string;
  /**
   * The instant a new trigger starts from (the newest item's time, cheaply), so its baseline lists only that
   * instant's items; without it the baseline is a full listing. Either way nothing historic fires.
   */
  start?(): Promise<string | null>;
  /**
   * Where a resync lists from after the provider expired the cursor: a safe point before the watermark. Default
   * the watermark minus the overlap window; the ledger keeps what was already seen from running again.
   */
  resyncFrom?(watermark: string | null): string | null;
}

/** A listing in progress: kept in the cursor after every page, so a restart resumes at the page it stopped at. */
interface ListingState {
  mode: PollingListRequest["mode"];
  since: string | null;
  page?: Json;
  /** The newest item time seen in this listing so far. */
  newest: string | null;
}

/** The cursor `definePollingTrigger` keeps: the watermark, the ledger of seen ids, the listing in progress. */
export interface PollingCursor {
  v: 1;
  /** ISO-8601: the newest item time of the last completed listing. */
  watermark: string | null;
  /** `[itemId, epoch ms]`, newest last: the items the overlap must not start again. */
  seen: [string, number][];
  listing?: ListingState;
  /** How many times the provider expired the cursor and the trigger listed again from a safe point. */
  resyncs: number;
}

const DEFAULT_OVERLAP_MS = 5 * 60_000;
const DEFAULT_LEDGER_SIZE = 1_000;

/**
 * The stable id of a polling trigger: provider, connection, key and inputs (canonical JSON), hashed. Never the
 * job id or a deployment: a redeploy or a renamed job finds the same cursor.
 */
export function pollingTriggerId(identity: {
  provider: string;
  key: string;
  inputs: Json;
  connectionId?: string;
}): string {
  const text = [identity.provider, identity.connectionId ?? "", identity.key, canonicalJson(identity.inputs)];
  return `poll:${identity.key}:${nodeCrypto().createHash("sha256").update(text.join("\n")).digest("hex").slice(0, 32)}`;
}

/**
 * A polling trigger that neither loses nor repeats items: each poll lists from the watermark minus an overlap
 * window, page by page (the cursor keeps the page, so a restart resumes it), skips what the bounded ledger of
 * seen ids holds, and moves the watermark to the newest item once the listing is complete. When the provider
 * expires the cursor (`reason: "cursor_expired"`), it runs one resync: a full listing from a safe point, which the
 * ledger keeps from repeating. The first poll only records where the listing ends.
 */
export function definePollingTrigger<TItem>(
  definition: PollingTriggerDefinition<TItem>,
): PollingTrigger<TItem> {
  const overlapMs = definition.overlapMs ?? DEFAULT_OVERLAP_MS;
  const ledgerSize = definition.ledgerSize ?? DEFAULT_LEDGER_SIZE;
  const resyncFrom =
    definition.resyncFrom ??
    ((watermark: string | null) => (watermark === null ? null : shift(watermark, -overlapMs)));
  const id = pollingTriggerId({
    provider: definition.provider,
    key: definition.key,
    inputs: definition.inputs,
    ...(definition.connectionId !== undefined && { connectionId: definition.connectionId }),
  });

  const listPage = async (state: PollingCursor, listing: ListingState): Promise<PollingListPage<TItem>> => {
    try {
      return await definition.list({ since: listing.since, page: listing.page, mode: listing.mode });
    } catch (error) {
      // A refused cursor is not retried as it was, nor skipped: list again from a safe point, once per poll.
      if (!isCursorExpired(error) || listing.mode === "resync") throw error;
      state.resyncs++;
      listing.mode = "resync";
      listing.since = resyncFrom(state.watermark);
      delete listing.page;
      return definition.list({ since: listing.since, page: undefined, mode: "resync" });
    }
  };

  // The first listing marks as seen everything the next poll's overlap would list again: from the start
  // point minus the overlap (not just the start point's instant), so nothing historic fires.
  const baseline = async (): Promise<PollingCursor> => {
    const start = (await definition.start?.()) ?? null;
    const since = start === null ? null : shift(start, -overlapMs);
    return {
      v: 1,
      watermark: null,
      seen: [],
      listing: { mode: "baseline", since, newest: null },
      resyncs: 0,
    };
  };

  return {
    kind: "polling",
    provider: definition.provider,
    id,
    key: definition.key,
    title: definition.title,
    intervalMs: definition.intervalMs,
    itemId: definition.itemId,
    async poll(stored): Promise<PollResult<TItem>> {
      const state = parseCursor(stored) ?? (await baseline());
      const listing: ListingState = state.listing ?? {
        mode: "poll",
        since: state.watermark === null ? null : shift(state.watermark, -overlapMs),
        newest: state.watermark,
      };
      state.listing = listing;
      const page = await listPage(state, listing);
      const seen = new Set(state.seen.map(([itemId]) => itemId));
      const since = listing.since === null ? undefined : Date.parse(listing.since);
      const items: TItem[] = [];
      for (const item of page.items) {
        const itemId = definition.itemId(item);
        const time = definition.itemTime(item);
        const at = Date.parse(time);
        if (listing.newest === null || at > Date.parse(listing.newest)) listing.newest = time;
        if (seen.has(itemId) || (since !== undefined && at < since)) continue;
        seen.add(itemId);
        state.seen.push([itemId, at]);
        if (listing.mode !== "baseline") items.push(item);
      }
      if (page.next !== undefined) {
        listing.page = page.next;
        return { items, cursor: toJson(trimLedger(state, ledgerSize, undefined)), more: true };
      }
      state.watermark = listing.newest;
      delete state.listing;
      const keepFrom = state.watermark === null ? undefined : Date.parse(state.watermark) - overlapMs;
      return { items, cursor: toJson(trimLedger(state, ledgerSize, keepFrom)) };
    },
  };
}

/** Whether an error says the provider no longer accepts the cursor (a 404 for a history id past the provider's retention). */
export function isCursorExpired(error: unknown): boolean {
  return IntegrationError.isInstance(error) && error.reason === "cursor_expired";
}

/** Drops ids older than `keepFrom` (epoch ms) that the overlap can no longer list, then keeps the newest `size`. */
function trimLedger(state: PollingCursor, size: number, keepFrom: number | undefined): PollingCursor {
  let seen = keepFrom === undefined ? state.seen : state.seen.filter(([, at]) => at >= keepFrom);
  seen = [...seen].sort((a, b) => a[1] - b[1]);
  if (seen.length > size) seen = seen.slice(seen.length - size);
  return { ...state, seen };
}

function shift(iso: string, ms: number): string {
  return new Date(Date.parse(iso) + ms).toISOString();
}

function parseCursor(cursor: Json | undefined): PollingCursor | undefined {
  if (typeof cursor !== "object" || cursor === null || Array.isArray(cursor) || cursor.v !== 1)
    return undefined;
  // Written by this module only: the shape is ours.
  return structuredClone(cursor) as unknown as PollingCursor;
}

function toJson(cursor: PollingCursor): Json {
  return JSON.parse(JSON.stringify(cursor)) as Json;
}

/** JSON with object keys sorted, so `{a, b}` and `{b, a}` name the same trigger. */
function canonicalJson(value: Json): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (typeof value === "object" && value !== null) {
    const keys = Object.keys(value).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, Json>)[k] as Json)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

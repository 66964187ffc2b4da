/** The most items a page walk may collect: a larger `limit` is refused, so a task log entry stays bounded. */
export const MAX_PAGE_WALK_ITEMS = 10_000;

/** How to walk an SDK's pages: its own auto-pagination, and where the items are in each page. */
export interface PageWalk<TClient, TItem> {
  /** The SDK's page iterator (`client.paginate(...)`, `octokit.paginate.iterator(...)`, a list's async iterator). */
  pages(client: TClient): AsyncIterable<unknown>;
  /** The items of one page (`page.data`, `page.messages`); default: the page itself when it is an array, else `[page]`. */
  items?(page: unknown): readonly TItem[];
  /** Stop after this many items (1..10 000). */
  limit: number;
}

function defaultItems<TItem>(page: unknown): readonly TItem[] {
  return Array.isArray(page) ? (page as TItem[]) : [page as TItem];
}

/** Refuses a limit the walk cannot honour, before any request is made. */
export function assertPageLimit(limit: number): void {
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_WALK_ITEMS) {
    throw new RangeError(`limit must be an integer from 1 to ${MAX_PAGE_WALK_ITEMS}, got ${limit}`);
  }
}

/** Walks pages until `limit` items or the last page; stops asking for pages as soon as it has enough. */
export async function collectPages<TClient, TItem>(
  walk: PageWalk<TClient, TItem>,
  client: TClient,
): Promise<TItem[]> {
  const { limit } = walk;
  const items: TItem[] = [];
  const itemsOf = walk.items ?? defaultItems<TItem>;
  for await (const page of walk.pages(client)) {
    for (const item of itemsOf(page)) {
      items.push(item);
      if (items.length >= limit) return items;
    }
  }
  return items;
}

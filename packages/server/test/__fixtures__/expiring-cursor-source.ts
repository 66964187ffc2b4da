import {
  type Clock,
  definePollingTrigger,
  IntegrationError,
  type PollingListRequest,
  type PollingTrigger,
} from "@autoflow/core";

/** One item of the source: its id and the instant it was added (ISO-8601). */
export interface SourceItem {
  id: string;
  at: string;
}

/** One `list` call the trigger made: what it asked for, and whether the source refused the cursor. */
export interface SourceListing {
  mode: PollingListRequest["mode"];
  since: string | null;
  refused: boolean;
}

/**
 * A provider-neutral stand-in for a listing whose cursor the provider can expire (Gmail's `history.list` answering
 * 404 for an old `historyId`): an in-memory item source on the test's clock, polled by a `definePollingTrigger`
 * poller. After `expire()`, ordinary polls are refused with `reason: "cursor_expired"` until a full listing (the
 * resync) hands out a fresh cursor. GitHub's pollers never meet an expired cursor, so the resync path is tested
 * with this.
 *
 * The service polls code jobs on timers; here each poll waits at a gate until the test calls `step()`, so the test
 * decides when every poll happens and sees its whole effect (runs, cursor, health) before going on.
 */
export class ExpiringCursorSource {
  readonly items: SourceItem[] = [];
  readonly listings: SourceListing[] = [];
  private expired = false;
  private open = false;
  /** Lets the poll waiting at the gate go on. */
  private waiting: (() => void) | undefined;
  private arrivals: (() => void)[] = [];

  constructor(private readonly clock: Pick<Clock, "now">) {}

  /** Adds an item at the clock's current instant. */
  add(id: string): SourceItem {
    const item = { id, at: new Date(this.clock.now()).toISOString() };
    this.items.push(item);
    return item;
  }

  /** The provider forgets the cursor: the next ordinary poll is refused, until a resync lists everything again. */
  expire(): void {
    this.expired = true;
  }

  /** The poller over this source, as a provider package would build it with core's polling contract. */
  trigger(options: { key: string; intervalMs: number; overlapMs: number }): PollingTrigger<SourceItem> {
    return definePollingTrigger<SourceItem>({
      provider: "fake",
      key: options.key,
      inputs: { source: "items" },
      title: "Fake: item added",
      intervalMs: options.intervalMs,
      overlapMs: options.overlapMs,
      list: (request) => this.list(request),
      itemId: (item) => item.id,
      itemTime: (item) => item.at,
    });
  }

  /** Lets the service's waiting poll run, and resolves once it has finished (the service's next poll waits). */
  async step(): Promise<void> {
    await this.arrival();
    const go = this.waiting;
    this.waiting = undefined;
    go?.();
    await this.arrival();
  }

  /** Stops gating (before the service closes, which waits for the poll in progress). */
  release(): void {
    this.open = true;
    this.waiting?.();
    this.waiting = undefined;
  }

  private arrival(): Promise<void> {
    if (this.waiting || this.open) return Promise.resolve();
    return new Promise((resolve) => this.arrivals.push(resolve));
  }

  private async list(request: PollingListRequest): Promise<{ items: SourceItem[] }> {
    // A poll's first call; a resync within the same poll goes straight on.
    if (request.mode !== "resync" && !this.open) {
      await new Promise<void>((resolve) => {
        this.waiting = resolve;
        for (const arrived of this.arrivals.splice(0)) arrived();
      });
    }
    const refused = this.expired && request.mode === "poll";
    this.listings.push({ mode: request.mode, since: request.since, refused });
    if (refused) {
      throw new IntegrationError({
        type: "upstream",
        provider: "fake",
        reason: "cursor_expired",
        message: "the cursor is too old (404)",
      });
    }
    if (request.mode === "resync") this.expired = false;
    const since = request.since;
    return { items: this.items.filter((item) => since === null || item.at >= since) };
  }
}

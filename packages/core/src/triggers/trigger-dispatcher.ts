import type { Json } from "../json";
import { nodeCrypto } from "../node-crypto";
import { redactSecrets } from "../redact-secrets";
import { backoffDelay, type RetryOptions } from "../retry";
import type { Job } from "../runtime/job";
import type { JobRunner, RunResult } from "../runtime/runner";
import type { PollingTrigger } from "./trigger";
import type { CursorStore, DeliveryFailure, DeliveryKey, InboxEntry, WebhookInbox } from "./webhook-inbox";

/**
 * How a delivery whose dispatch failed is tried again: `limit` retries after the first attempt (so `limit + 1`
 * dispatches in all), then it is a dead letter. The default waits 30 s, 2 min, 8 min and 32 min between its 5
 * dispatches, long enough to ride out a provider or database hiccup, short enough to surface a poison
 * delivery within the hour.
 */
export const deliveryBackoff = {
  limit: 4,
  factor: 4,
  minTimeoutInMs: 30_000,
  maxTimeoutInMs: 60 * 60_000,
} as const satisfies RetryOptions;

/** The longest error message recorded on an inbox entry; longer ones are cut with an ellipsis. */
export const MAX_DELIVERY_ERROR_LENGTH = 1_000;

/** The most pages one poll reads; the rest of a longer listing waits for the next interval (the cursor keeps its page). */
const MAX_PAGES_PER_POLL = 100;

/** How many entries one read of the inbox takes. */
const BATCH_SIZE = 100;

export interface TriggerDispatcherOptions {
  inbox: WebhookInbox;
  /** Where polling triggers keep their cursors; required when any job polls. */
  cursors?: CursorStore;
  runner: JobRunner;
  jobs: readonly Job[];
  /** Told about every run a trigger started (for progress displays and logs). */
  onRun?: (job: Job, result: RunResult<unknown>) => void;
  /**
   * Also handed every delivery, after the jobs' runs and before it is marked dispatched (the service starts
   * stored workflows here). It must be idempotent per delivery: a crash before the mark hands it over again.
   */
  onDelivery?: (entry: InboxEntry) => Promise<void>;
  /**
   * Called with every batch read from the inbox, before its entries are dispatched (the service revalidates the
   * triggered-workflow list it caches here: once per batch instead of once per delivery). A throw ends the pass.
   */
  beforeBatch?: (entries: readonly InboxEntry[]) => Promise<void>;
  /** How failed deliveries are retried before they become dead letters. Default `deliveryBackoff`. */
  deliveryRetry?: RetryOptions;
  /** Told about every failed dispatch with what was recorded (for logs). */
  onDeliveryFailed?: (entry: InboxEntry, failure: DeliveryFailure) => void;
  /** Credentials to remove from recorded errors, besides the well-known token shapes. */
  secrets?: readonly string[];
  now?: () => number;
}

/** One id per (delivery, job): starting it twice resumes or returns the same run, never a second one. */
export function runIdForDelivery(provider: string, deliveryId: string, jobId: string): string {
  return `wh_${nodeCrypto().createHash("sha256").update(`${provider}\n${deliveryId}\n${jobId}`).digest("hex").slice(0, 40)}`;
}

/** One id per (polling trigger, item, job). */
export function runIdForPolledItem(triggerId: string, itemId: string, jobId: string): string {
  return `poll_${nodeCrypto().createHash("sha256").update(`${triggerId}\n${itemId}\n${jobId}`).digest("hex").slice(0, 40)}`;
}

/**
 * Hands inbox deliveries and polled items to job runs. A delivery is marked dispatched only after
 * every matching job's run has been executed, so a crash in between re-dispatches it on restart;
 * the deterministic run id makes that a resume, never a second run. The deliveries of one batch that
 * succeeded are marked dispatched together, at the end of the batch (one write instead of one per delivery).
 * A delivery whose dispatch fails is recorded as failed and retried later with backoff, then left as a dead
 * letter: it never holds up the deliveries behind it.
 */
export class TriggerDispatcher {
  private readonly options: TriggerDispatcherOptions;
  private draining: Promise<number> | undefined;
  private again = false;

  constructor(options: TriggerDispatcherOptions) {
    this.options = options;
  }

  /** Dispatches everything pending. Concurrent calls coalesce into one pass plus one follow-up. */
  dispatchPending(): Promise<number> {
    if (this.draining) {
      this.again = true;
      return this.draining;
    }
    this.draining = this.drain().finally(() => {
      this.draining = undefined;
    });
    return this.draining;
  }

  /**
   * Polls every polling trigger once and starts a run per new item for every job on that trigger;
   * the cursor advances only after those runs were started. Jobs sharing a trigger id share its
   * poll and its cursor, so each of them sees every item.
   */
  async pollOnce(): Promise<number> {
    const { cursors, runner } = this.options;
    const byTrigger = new Map<string, { trigger: PollingTrigger<unknown>; jobs: Job[] }>();
    for (const job of this.options.jobs) {
      const trigger = job.trigger;
      if (trigger?.kind !== "polling") continue;
      if (!cursors) throw new Error(`Job "${job.id}" polls but the dispatcher has no cursor store`);
      const group = byTrigger.get(trigger.id) ?? { trigger, jobs: [] };
      group.jobs.push(job);
      byTrigger.set(trigger.id, group);
    }
    let started = 0;
    for (const { trigger, jobs } of byTrigger.values()) {
      if (!cursors) break;
      // Page by page: each page's runs start, then its cursor is saved, so a crash mid-listing resumes at that page.
      for (let pages = 0; pages < MAX_PAGES_PER_POLL; pages++) {
        const { items, cursor: next, more } = await trigger.poll(await cursors.getCursor(trigger.id));
        for (const item of items) {
          for (const job of jobs) {
            const runId = runIdForPolledItem(trigger.id, trigger.itemId(item), job.id);
            // Run first, then tell: `onRun?.(job, await run())` would skip the run when there is no listener.
            const result = await runner.run(job, { runId, payload: item });
            this.options.onRun?.(job, result);
            started++;
          }
        }
        await cursors.setCursor(trigger.id, next as Json);
        if (!more) break;
      }
    }
    return started;
  }

  private async drain(): Promise<number> {
    let dispatched = 0;
    do {
      this.again = false;
      // Batch after batch while the last one was full and changed something: entries that failed move out of
      // the due set (retry later, or dead), so a full batch of poison cannot be read again in this pass.
      for (;;) {
        const dueBy = new Date(this.now()).toISOString();
        const batch = await this.options.inbox.pending(BATCH_SIZE, { dueBy });
        if (batch.length > 0) await this.options.beforeBatch?.(batch);
        let changed = 0;
        const succeeded: InboxEntry[] = [];
        for (const entry of batch) {
          const outcome = await this.dispatchOrRecord(entry);
          if (outcome === "dispatched") succeeded.push(entry);
          if (outcome !== "unrecorded") changed++;
        }
        // If this write fails, the error ends the pass and the entries stay pending: the next pass resumes their runs.
        await this.markDispatched(succeeded);
        dispatched += succeeded.length;
        if (batch.length < BATCH_SIZE || changed === 0) break;
      }
    } while (this.again);
    return dispatched;
  }

  private async markDispatched(entries: readonly DeliveryKey[]): Promise<void> {
    if (entries.length === 0) return;
    const { inbox } = this.options;
    const at = new Date(this.now()).toISOString();
    if (inbox.markDispatchedMany) {
      await inbox.markDispatchedMany(
        entries.map(({ provider, deliveryId }) => ({ provider, deliveryId })),
        at,
      );
      return;
    }
    for (const { provider, deliveryId } of entries) await inbox.markDispatched(provider, deliveryId, at);
  }

  /**
   * Dispatches one entry (its runs and `onDelivery`; the caller marks it dispatched); a failure is recorded on the
   * entry (retry later or dead) instead of thrown.
   */
  private async dispatchOrRecord(entry: InboxEntry): Promise<"dispatched" | "failed" | "unrecorded"> {
    try {
      await this.dispatch(entry);
      return "dispatched";
    } catch (error) {
      const failure = this.failureOf(entry, error);
      this.options.onDeliveryFailed?.(entry, failure);
      const { inbox } = this.options;
      if (!inbox.markFailed) return "unrecorded";
      // If this write fails too, the database is down for every entry: the error ends the pass, the next wake
      // or sweep starts over.
      await inbox.markFailed(entry.provider, entry.deliveryId, failure);
      return "failed";
    }
  }

  private failureOf(entry: InboxEntry, error: unknown): DeliveryFailure {
    const attempts = (entry.attempts ?? 0) + 1;
    const lastError = describeFailure(error, this.options.secrets ?? []);
    const at = this.now();
    const delay = backoffDelay(this.options.deliveryRetry ?? deliveryBackoff, attempts);
    return delay === undefined
      ? { attempts, lastError, deadAt: new Date(at).toISOString() }
      : { attempts, lastError, retryAt: new Date(at + delay).toISOString() };
  }

  /**
   * Runs every matching job, then hands the entry to `onDelivery`. One job failing
   * does not keep the others from running; the entry then fails as a whole, and its retry resumes the runs
   * that did start (deterministic ids) instead of starting them again.
   */
  private async dispatch(entry: InboxEntry): Promise<void> {
    const failures: unknown[] = [];
    for (const job of this.options.jobs) {
      const trigger = job.trigger;
      if (trigger?.kind !== "webhook" || trigger.provider !== entry.provider || !trigger.matches(entry))
        continue;
      const runId = runIdForDelivery(entry.provider, entry.deliveryId, job.id);
      try {
        const result = await this.options.runner.run(job, { runId, payload: trigger.payloadOf(entry) });
        this.options.onRun?.(job, result);
      } catch (error) {
        failures.push(error);
      }
    }
    try {
      await this.options.onDelivery?.(entry);
    } catch (error) {
      failures.push(error);
    }
    if (failures.length === 1) throw failures[0];
    if (failures.length > 1) throw new AggregateError(failures, `${failures.length} dispatches failed`);
  }

  private now(): number {
    return (this.options.now ?? Date.now)();
  }
}

/**
 * An error as an inbox entry records it: name and message (each of an `AggregateError`'s errors), credentials
 * removed, NUL characters escaped (a PostgreSQL text column refuses them), cut to `MAX_DELIVERY_ERROR_LENGTH`.
 */
export function describeFailure(error: unknown, secrets: readonly string[] = []): string {
  const describe = (e: unknown): string =>
    e instanceof AggregateError
      ? `${e.message}: ${e.errors.map(describe).join("; ")}`
      : e instanceof Error
        ? `${e.name}: ${e.message}`
        : String(e);
  const text = redactSecrets(describe(error), secrets).replaceAll("\u0000", "\\u0000");
  return text.length > MAX_DELIVERY_ERROR_LENGTH ? `${text.slice(0, MAX_DELIVERY_ERROR_LENGTH - 1)}…` : text;
}

import { createHash } from "node:crypto";
import type { Json } from "../json";
import type { Job } from "../runtime/job";
import type { JobRunner, RunResult } from "../runtime/runner";
import type { PollingTrigger } from "./trigger";
import type { CursorStore, InboxEntry, WebhookInbox } from "./webhook-inbox";

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
  now?: () => number;
}

/** One id per (delivery, job): starting it twice resumes or returns the same run, never a second one. */
export function runIdForDelivery(provider: string, deliveryId: string, jobId: string): string {
  return `wh_${createHash("sha256").update(`${provider}\n${deliveryId}\n${jobId}`).digest("hex").slice(0, 40)}`;
}

/** One id per (polling trigger, item, job). */
export function runIdForPolledItem(triggerId: string, itemId: string, jobId: string): string {
  return `poll_${createHash("sha256").update(`${triggerId}\n${itemId}\n${jobId}`).digest("hex").slice(0, 40)}`;
}

/**
 * Hands inbox deliveries and polled items to job runs. A delivery is marked dispatched only after
 * every matching job's run has been executed, so a crash in between re-dispatches it on restart;
 * the deterministic run id makes that a resume, never a second run.
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
      const { items, cursor: next } = await trigger.poll(await cursors.getCursor(trigger.id));
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
    }
    return started;
  }

  private async drain(): Promise<number> {
    let dispatched = 0;
    do {
      this.again = false;
      for (const entry of await this.options.inbox.pending()) {
        await this.dispatch(entry);
        dispatched++;
      }
    } while (this.again);
    return dispatched;
  }

  private async dispatch(entry: InboxEntry): Promise<void> {
    const now = this.options.now ?? Date.now;
    for (const job of this.options.jobs) {
      const trigger = job.trigger;
      if (trigger?.kind !== "webhook" || trigger.provider !== entry.provider || !trigger.matches(entry))
        continue;
      const runId = runIdForDelivery(entry.provider, entry.deliveryId, job.id);
      const result = await this.options.runner.run(job, { runId, payload: trigger.payloadOf(entry) });
      this.options.onRun?.(job, result);
    }
    await this.options.onDelivery?.(entry);
    await this.options.inbox.markDispatched(entry.provider, entry.deliveryId, new Date(now()).toISOString());
  }
}

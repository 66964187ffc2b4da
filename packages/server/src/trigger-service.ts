import {
  type CursorStore,
  type DeliveryFailure,
  deliveryBackoff,
  type InboxEntry,
  type Job,
  type JobRunner,
  type RunResult,
  TriggerDispatcher,
  type TriggerStateStore,
  type WebhookInbox,
} from "@autoflow/core";
import type { Logger } from "./logger";
import { type PollOutcome, recordPollOutcome } from "./triggers/poll-outcome";

/** Options for `startTriggerService`. */
export interface TriggerServiceOptions {
  inbox: WebhookInbox;
  cursors: CursorStore;
  runner: JobRunner;
  jobs: readonly Job[];
  log?: Logger;
  /** Told about every run a trigger started. */
  onRun?: (job: Job, result: RunResult<unknown>) => void;
  /** Also handed every delivery before it is marked dispatched (starts the workflows it triggers). */
  onDelivery?: (entry: InboxEntry) => Promise<void>;
  /** Called with every batch read from the inbox before its entries are dispatched (see `TriggerDispatcherOptions`). */
  beforeBatch?: (entries: readonly InboxEntry[]) => Promise<void>;
  /**
   * How long a `wake` waits before dispatching, so the deliveries accepted meanwhile are dispatched in one pass
   * (one inbox read and one dispatched-mark for all of them, not one each). Default 5 ms.
   */
  wakeDelayMs?: number;
  /** Overrides every polling trigger's own `intervalMs` (tests poll fast). */
  pollIntervalMs?: number;
  /**
   * How often the inbox is swept for deliveries still pending (a dispatch that failed on a database error, or
   * a delivery another process accepted). Default 60 s.
   */
  sweepIntervalMs?: number;
  /**
   * How many times a delivery's dispatch is tried before it is a dead letter (the retries wait 30 s, 2 min,
   * 8 min, ... as `deliveryBackoff`). Default 5.
   */
  deliveryMaxAttempts?: number;
  /** Credentials to keep out of the errors recorded on failed deliveries. */
  secrets?: readonly string[];
  /** The dispatcher's clock (attempt times and backoff, poll times); default `Date.now`. */
  now?: () => number;
  /** Where each poll's success or failure is recorded for trigger health. */
  states?: TriggerStateStore;
}

/** The running dispatch loop. */
export interface TriggerService {
  /**
   * Dispatches what is pending within `wakeDelayMs` (called on every accepted delivery: the wakes of that delay
   * share one pass); never throws, failures are logged.
   */
  wake(): void;
  /** Stops the timers and waits for the dispatch and polls in progress. */
  close(): Promise<void>;
}

/**
 * Hands inbox deliveries and polled items to job runs: everything pending at start (what a crash between the
 * inbox write and the dispatch left behind), on every `wake`, on a slow sweep, and each polling trigger on its
 * own interval. Runs have deterministic ids, so a re-dispatch resumes a run instead of starting a second one.
 */
export function startTriggerService(options: TriggerServiceOptions): TriggerService {
  const { log } = options;
  const onRun = (job: Job, result: RunResult<unknown>) => {
    if (result.status === "failed")
      log?.warn(`Job ${job.id} run ${result.runId} failed: ${result.error.message}`);
    else log?.info(`Job ${job.id} run ${result.runId} ${result.status}`);
    options.onRun?.(job, result);
  };
  const now = options.now ?? Date.now;
  // One timer for the earliest retry due, so a failed delivery is tried again on time, not at the next sweep.
  let retryTimer: { at: number; timer: NodeJS.Timeout } | undefined;
  const wakeAt = (at: number) => {
    if (closed || (retryTimer && retryTimer.at <= at)) return;
    if (retryTimer) clearTimeout(retryTimer.timer);
    const timer = setTimeout(
      () => {
        retryTimer = undefined;
        wake();
      },
      Math.max(0, at - now()),
    );
    timer.unref();
    retryTimer = { at, timer };
  };
  const onDeliveryFailed = (entry: InboxEntry, failure: DeliveryFailure) => {
    const what = `Delivery ${entry.provider}/${entry.deliveryId} failed (attempt ${failure.attempts})`;
    if (failure.deadAt) log?.error(`${what}, now a dead letter: ${failure.lastError}`);
    else log?.warn(`${what}, retrying at ${failure.retryAt}: ${failure.lastError}`);
    if (failure.retryAt) wakeAt(Date.parse(failure.retryAt));
  };
  const dispatcher = new TriggerDispatcher({
    inbox: options.inbox,
    cursors: options.cursors,
    runner: options.runner,
    jobs: options.jobs,
    onRun,
    onDeliveryFailed,
    deliveryRetry: { ...deliveryBackoff, limit: (options.deliveryMaxAttempts ?? 5) - 1 },
    now,
    ...(options.secrets && { secrets: options.secrets }),
    ...(options.onDelivery && { onDelivery: options.onDelivery }),
    ...(options.beforeBatch && { beforeBatch: options.beforeBatch }),
  });
  const inFlight = new Set<Promise<unknown>>();
  const timers: NodeJS.Timeout[] = [];
  let closed = false;

  const track = (what: string, work: () => Promise<unknown>): Promise<unknown> => {
    const running = work().catch((error: unknown) => {
      log?.error(`${what} failed: ${error instanceof Error ? error.message : String(error)}`);
    });
    inFlight.add(running);
    void running.finally(() => inFlight.delete(running));
    return running;
  };

  const dispatchNow = () => {
    if (!closed) void track("Trigger dispatch", () => dispatcher.dispatchPending());
  };
  // At most one pending wake: every delivery accepted before it fires is in the inbox its pass reads.
  let wakeTimer: NodeJS.Timeout | undefined;
  const wake = () => {
    if (closed || wakeTimer) return;
    wakeTimer = setTimeout(() => {
      wakeTimer = undefined;
      dispatchNow();
    }, options.wakeDelayMs ?? 5);
  };

  // One dispatcher per polling job, so each polls on its own trigger's interval and a slow poll delays only itself.
  for (const job of options.jobs) {
    const trigger = job.trigger;
    if (trigger?.kind !== "polling") continue;
    const poller = new TriggerDispatcher({
      inbox: options.inbox,
      cursors: options.cursors,
      runner: options.runner,
      jobs: [job],
      onRun,
    });
    let polling: Promise<unknown> | undefined;
    const recordPoll = async (outcome: PollOutcome) => {
      if (!options.states) return;
      await recordPollOutcome(
        options.states,
        trigger.id,
        outcome,
        new Date(now()).toISOString(),
        options.secrets,
      );
    };
    const poll = () => {
      if (closed || polling) return;
      polling = track(`Polling ${trigger.id} for job ${job.id}`, async () => {
        let started: number;
        try {
          started = await poller.pollOnce();
        } catch (error) {
          await recordPoll({ error });
          throw error;
        }
        await recordPoll({ started });
      }).finally(() => {
        polling = undefined;
      });
    };
    poll();
    timers.push(setInterval(poll, options.pollIntervalMs ?? trigger.intervalMs));
  }

  dispatchNow();
  timers.push(setInterval(wake, options.sweepIntervalMs ?? 60_000));
  // The HTTP server keeps the process alive; these timers must not keep a stopped one alive.
  for (const timer of timers) timer.unref();

  return {
    wake,
    async close() {
      // A wake still waiting dispatches now, as it would have without the delay; nothing accepted waits for a restart.
      if (wakeTimer) {
        clearTimeout(wakeTimer);
        wakeTimer = undefined;
        dispatchNow();
      }
      closed = true;
      for (const timer of timers) clearInterval(timer);
      if (retryTimer) clearTimeout(retryTimer.timer);
      while (inFlight.size > 0) await Promise.all(inFlight);
    },
  };
}

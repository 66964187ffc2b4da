import { type EmulatorClock, setClockTimer, systemEmulatorClock } from "./emulator-clock";
import {
  NO_WEBHOOK_RETRIES,
  type WebhookAttempt,
  type WebhookAttemptContext,
  type WebhookDelivery,
  type WebhookRequest,
  type WebhookRetryPolicy,
  type WebhookSendOptions,
} from "./webhook-delivery";
import { postWebhook, type WebhookFailure } from "./webhook-post";
import { signatureHeaders, type WebhookSignatureScheme } from "./webhook-signature";

export interface WebhookSenderOptions {
  /** Times signatures, sends and retry waits. Default the wall clock. */
  clock?: EmulatorClock;
  signature: WebhookSignatureScheme;
  /** The provider's headers that change per attempt (a request timestamp, retry counters). */
  attemptHeaders?: (attempt: WebhookAttemptContext) => Record<string, string>;
  /** How long a receiver has to answer. Default 10 s. */
  timeoutMs?: number;
  /** Default {@link NO_WEBHOOK_RETRIES}. */
  retry?: WebhookRetryPolicy;
}

interface ScheduledRetry {
  deliveryId: string;
  retryNum: number;
  dueAt: number;
  cancel: () => void;
}

const isNot2xx = (status: number) => status < 200 || status > 299;

/**
 * The emulators' webhook delivery agent: signs with the provider's scheme, POSTs with a timeout, retries
 * on the provider's schedule (on the emulator clock, so a test advances a `ManualClock` instead of
 * waiting), redelivers and forges on request, and logs every attempt with its answer.
 */
export class WebhookSender<M extends object> {
  /** Every delivery, oldest first. */
  readonly deliveries: WebhookDelivery<M>[] = [];
  /** Every attempt, in the order they were sent; each is filled in when its answer comes. */
  readonly log: WebhookAttempt<M>[] = [];
  private readonly clock: EmulatorClock;
  private readonly scheduled = new Set<ScheduledRetry>();
  private inFlight = 0;
  private waiters: { done: () => boolean; resolve: () => void }[] = [];
  private closing = new AbortController();

  constructor(private readonly options: WebhookSenderOptions) {
    this.clock = options.clock ?? systemEmulatorClock;
  }

  /** Logs a delivery without sending it. */
  create(request: WebhookRequest<M>): WebhookDelivery<M> {
    const delivery: WebhookDelivery<M> = { ...request, attempts: [], delivered: false };
    this.deliveries.push(delivery);
    return delivery;
  }

  /** The first delivery with this id. */
  find(id: string): WebhookDelivery<M> | undefined {
    return this.deliveries.find((d) => d.id === id);
  }

  /** Sends a delivery in the background, retrying on its policy's schedule; `settled()` waits for it. */
  deliver(delivery: WebhookDelivery<M>): void {
    void this.attempt(delivery, { retryNum: 0 }, this.retryOnFailure(delivery));
  }

  /** Sends a delivery once, now, as asked (forged signature, stale timestamp, retry counter); no retries. */
  send(delivery: WebhookDelivery<M>, options: WebhookSendOptions = {}): Promise<WebhookAttempt<M>> {
    return this.attempt(delivery, { retryNum: 0, ...options });
  }

  /**
   * Sends a logged delivery again `times` times, validly signed with a fresh timestamp, as the provider's
   * "Redeliver" or retry does: one after another, or all at once (`atOnce`).
   */
  async redeliver(
    id: string,
    options: { times?: number; retryReason?: WebhookFailure; atOnce?: boolean } = {},
  ): Promise<WebhookAttempt<M>[]> {
    const delivery = this.find(id);
    if (!delivery) throw new Error(`no delivery "${id}"`);
    const again = () =>
      this.attempt(delivery, {
        retryNum: Math.max(1, delivery.attempts.length),
        ...(options.retryReason && { retryReason: options.retryReason }),
        redelivery: true,
      });
    const times = options.times ?? 1;
    if (options.atOnce) return Promise.all(Array.from({ length: times }, again));
    const attempts: WebhookAttempt<M>[] = [];
    for (let i = 0; i < times; i++) attempts.push(await again());
    return attempts;
  }

  /** Sends an earlier attempt's exact headers and body again: a captured request replayed by someone else. */
  replay(earlier: WebhookAttempt<M>): Promise<WebhookAttempt<M>> {
    const delivery = this.deliveries.find((d) => d.attempts.includes(earlier));
    if (!delivery) throw new Error(`no delivery "${earlier.id}" holds that attempt`);
    const { headers, timestamp, retryNum, retryReason, signature } = earlier;
    return this.attempt(delivery, {
      headers,
      timestamp,
      retryNum,
      signature,
      replay: true,
      ...(retryReason && { retryReason }),
    });
  }

  /** The retries waiting for the clock, soonest first. */
  get pendingRetries(): { deliveryId: string; retryNum: number; dueAt: number }[] {
    return [...this.scheduled]
      .map(({ deliveryId, retryNum, dueAt }) => ({ deliveryId, retryNum, dueAt }))
      .sort((a, b) => a.dueAt - b.dueAt);
  }

  /** Resolves once no delivery is pending: none on the wire, no retry waiting for the clock. */
  settled(): Promise<void> {
    return this.until(() => this.inFlight === 0 && this.scheduled.size === 0);
  }

  /**
   * Resolves once the sender waits only for the clock: nothing on the wire, and every retry left is due
   * later (see `pendingRetries`). A test then advances its `ManualClock` to the next one.
   */
  idle(): Promise<void> {
    return this.until(
      () => this.inFlight === 0 && [...this.scheduled].every((r) => r.dueAt > this.clock.now()),
    );
  }

  /** Drops the retries waiting, aborts what is on the wire (logged as failed) and waits until it is logged. */
  async close(): Promise<void> {
    for (const retry of this.scheduled) retry.cancel();
    this.scheduled.clear();
    this.closing.abort();
    this.notify();
    await this.settled();
    this.closing = new AbortController();
  }

  /** Logs one attempt at once, then POSTs it; `then` runs when it is answered, before anyone is told. */
  private async attempt(
    delivery: WebhookDelivery<M>,
    how: WebhookSendOptions & Partial<Pick<WebhookAttempt, "headers" | "redelivery" | "replay">>,
    then?: (attempt: WebhookAttempt<M>, declined: boolean) => void,
  ): Promise<WebhookAttempt<M>> {
    const context: WebhookAttemptContext = {
      retryNum: how.retryNum ?? 0,
      ...(how.retryReason && { retryReason: how.retryReason }),
      timestamp: how.timestamp ?? Math.floor(this.clock.now() / 1000),
    };
    const signature = how.signature ?? "valid";
    const headers = how.headers ?? {
      ...delivery.headers,
      ...this.options.attemptHeaders?.(context),
      ...signatureHeaders(this.options.signature, signature, { ...delivery, ...context }),
    };
    const attempt = {
      ...delivery.meta,
      ...context,
      id: delivery.id,
      url: delivery.url,
      headers,
      body: delivery.body,
      signature,
      redelivery: how.redelivery ?? false,
      replay: how.replay ?? false,
      sentAt: this.clock.now(),
      outcome: "pending",
    } as WebhookAttempt<M>;
    delivery.attempts.push(attempt);
    this.log.push(attempt);
    this.inFlight++;
    const policy = delivery.retry ?? this.options.retry ?? NO_WEBHOOK_RETRIES;
    const { declined, ...answer } = await postWebhook({
      url: attempt.url,
      headers,
      body: attempt.body,
      timeoutMs: delivery.timeoutMs ?? this.options.timeoutMs ?? 10_000,
      signal: this.closing.signal,
      isFailure: policy.isFailure ?? isNot2xx,
      declined: policy.declined ?? (() => false),
    });
    Object.assign(attempt, answer);
    if (answer.status !== undefined) delivery.status = answer.status;
    if (answer.outcome === "ok") delivery.delivered = true;
    then?.(attempt, declined);
    this.inFlight--;
    this.notify();
    return attempt;
  }

  /** After a failed attempt, schedules the next retry on the clock while the policy has one left. */
  private retryOnFailure(delivery: WebhookDelivery<M>) {
    const next = (last: WebhookAttempt<M>, declined: boolean) => {
      const reason = last.outcome;
      if (reason === "ok" || reason === "pending" || declined || this.closing.signal.aborted) return;
      const retryNum = last.retryNum + 1;
      const delay = (delivery.retry ?? this.options.retry ?? NO_WEBHOOK_RETRIES).delaysMs[retryNum - 1];
      if (delay === undefined) return;
      const retry: ScheduledRetry = {
        deliveryId: delivery.id,
        retryNum,
        dueAt: this.clock.now() + delay,
        cancel: () => {},
      };
      this.scheduled.add(retry);
      retry.cancel = setClockTimer(this.clock, retry.dueAt, () => {
        void this.attempt(delivery, { retryNum, retryReason: reason }, next);
        this.scheduled.delete(retry);
        this.notify();
      });
    };
    return next;
  }

  private until(done: () => boolean): Promise<void> {
    if (done()) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ done, resolve }));
  }

  private notify(): void {
    const ready = this.waiters.filter((w) => w.done());
    this.waiters = this.waiters.filter((w) => !ready.includes(w));
    for (const waiter of ready) waiter.resolve();
  }
}

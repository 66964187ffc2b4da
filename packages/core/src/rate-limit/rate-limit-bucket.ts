import { getHeader, type HeadersLike } from "../http-headers";
import { parseRateLimitReset } from "../retry-after";
import { type Clock, systemClock } from "../runtime/clock";

/** A call admitted by a bucket; tells the bucket which window the call belongs to when its answer comes back. */
export interface RateLimitGrant {
  readonly window: number;
}

/** Tuning for a bucket; the defaults suit provider limits measured in seconds to minutes. */
export interface RateLimitBucketOptions {
  clock?: Clock;
  /**
   * The longest a call waits in process for the bucket. A longer pause (per-minute tiers, an hourly
   * reset) is left to the runtime's durable retry, which can suspend the run instead of holding it.
   */
  maxWaitMs?: number;
  /** A learned limit is forgotten this long after the provider last refused a call (limits change). */
  forgetAfterMs?: number;
}

/** What the bucket learned from the provider: at most `limit` calls per `windowMs`. */
export interface LearnedRateLimit {
  limit: number;
  windowMs: number;
}

type Learned = LearnedRateLimit & { window: number; refusedAt: number };

/**
 * One provider rate limit shared by every call of a bucket (a provider connection, shared by every run in the process). After
 * the provider refuses a call with a reset time (`Retry-After`, `x-ratelimit-reset`), every call of the
 * bucket waits for that reset instead of each hitting its own 429; and the bucket learns the limit as
 * "the calls that succeeded in that window, per window", so it paces later windows below the limit
 * rather than being refused once per window. The window is measured from the bucket's first call to the
 * reset, an upper bound (reset times come in whole seconds), so pacing errs on the slow side.
 */
export class RateLimitBucket {
  private readonly clock: Clock;
  private readonly maxWaitMs: number;
  private readonly forgetAfterMs: number;
  private pausedUntil = 0;
  private window = 0;
  private windowStart: number | undefined;
  private admitted = 0;
  private succeededInWindow = 0;
  private learnedLimit: Learned | undefined;

  constructor(options: RateLimitBucketOptions = {}) {
    this.clock = options.clock ?? systemClock;
    this.maxWaitMs = options.maxWaitMs ?? 5_000;
    this.forgetAfterMs = options.forgetAfterMs ?? 60_000;
  }

  /** The limit learned so far, if any. */
  get learned(): LearnedRateLimit | undefined {
    if (!this.learnedLimit) return undefined;
    return { limit: this.learnedLimit.limit, windowMs: this.learnedLimit.windowMs };
  }

  /** Resolves when the call may go: after any pause, and within the learned limit of the current window. */
  async acquire(): Promise<RateLimitGrant> {
    for (;;) {
      const waitMs = this.waitMs(this.clock.now());
      // A wait beyond maxWaitMs is not held here: the call goes, and the provider's own answer decides.
      if (waitMs <= 0 || waitMs > this.maxWaitMs) break;
      await this.clock.sleep(waitMs);
    }
    this.windowStart ??= this.clock.now();
    this.admitted++;
    return { window: this.window };
  }

  /** The call admitted with `grant` succeeded. */
  succeeded(grant: RateLimitGrant): void {
    if (grant.window === this.window) this.succeededInWindow++;
    // A success answered after the refusal that taught the limit still fitted in that window.
    else if (this.learnedLimit && grant.window === this.learnedLimit.window) this.learnedLimit.limit++;
  }

  /** The provider refused the call admitted with `grant`; `retryAt` is when it said the limit resets. */
  refused(grant: RateLimitGrant, retryAt: Date | undefined): void {
    if (retryAt === undefined) return;
    const resetAt = retryAt.getTime();
    if (grant.window === this.window) this.learnFrom(resetAt);
    this.pauseUntil(resetAt);
  }

  /**
   * Response headers of a call in this bucket: a spent budget (`x-ratelimit-remaining: 0`) pauses every
   * call until `x-ratelimit-reset`, so the next call is not refused.
   */
  observeHeaders(headers: HeadersLike | undefined): void {
    if (getHeader(headers, "x-ratelimit-remaining")?.trim() !== "0") return;
    const now = this.clock.now();
    const reset = parseRateLimitReset(getHeader(headers, "x-ratelimit-reset"), now);
    if (reset) this.pauseUntil(reset.getTime());
  }

  private waitMs(now: number): number {
    if (now < this.pausedUntil) return this.pausedUntil - now;
    const learned = this.learnedLimit;
    if (!learned) return 0;
    if (now - learned.refusedAt > this.forgetAfterMs) {
      this.learnedLimit = undefined;
      return 0;
    }
    if (this.windowStart === undefined) return 0;
    const windowEnd = this.windowStart + learned.windowMs;
    if (now >= windowEnd) {
      this.startWindow();
      return 0;
    }
    return this.admitted < learned.limit ? 0 : windowEnd - now;
  }

  private learnFrom(resetAt: number): void {
    const windowStart = this.windowStart ?? this.clock.now();
    // Nothing succeeded in this window: the refusal says nothing about the limit (another client spent it).
    if (this.succeededInWindow === 0) return;
    const previous = this.learnedLimit;
    this.learnedLimit = {
      limit: previous ? Math.min(previous.limit, this.succeededInWindow) : this.succeededInWindow,
      windowMs: Math.max(previous?.windowMs ?? 0, resetAt - windowStart),
      window: this.window,
      refusedAt: this.clock.now(),
    };
  }

  private pauseUntil(resetAt: number): void {
    if (resetAt <= this.pausedUntil) return;
    this.pausedUntil = resetAt;
    // The provider's window restarts at the reset: the next call admitted opens ours.
    this.startWindow();
  }

  private startWindow(): void {
    this.window++;
    this.windowStart = undefined;
    this.admitted = 0;
    this.succeededInWindow = 0;
  }
}

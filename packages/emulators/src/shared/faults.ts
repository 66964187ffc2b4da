import type { ServerResponse } from "node:http";
import type { EmulatorRequest, EmulatorResponse } from "./types";

/** Which requests a fault applies to; all requests when empty. */
export type FaultMatch = { method?: string; path?: string | RegExp };

/** What happens instead of the normal answer. */
export type FaultAction =
  | { kind: "respond"; response: EmulatorResponse }
  /** Headers and part of the body are sent, then the socket is destroyed. */
  | { kind: "reset" }
  /** No answer at all, until the client gives up. */
  | { kind: "hang" }
  /** The socket is destroyed before any byte of the answer. */
  | { kind: "drop" }
  /**
   * The request is handled (the route runs, its state changes), then the answer is lost: `reset` destroys the
   * socket before any byte of it, `hang` holds the connection without answering until the client gives up.
   */
  | { kind: "lose-answer"; after: "reset" | "hang" };

/** What the provider answers when its rate limit is exceeded, given when the window resets. */
export type RateLimitResponder = (info: {
  retryAfterSeconds: number;
  resetAtEpochSeconds: number;
  limit: number;
}) => EmulatorResponse;

type Queued = { remaining: number; action: FaultAction; match: FaultMatch };
type RateLimit = { limit: number; windowMs: number; match: FaultMatch; windowStart: number; count: number };

/** Fault injection shared by every emulator: fail, reset or hang the next N requests, add latency, enforce a rate limit. */
export class FaultInjector {
  private queue: Queued[] = [];
  private latencies: { ms: number; match: FaultMatch }[] = [];
  private rateLimitState: RateLimit | undefined;

  constructor(
    private readonly rateLimitResponder: RateLimitResponder,
    private readonly now: () => number = Date.now,
  ) {}

  /** The next `count` matching requests get `response` instead of the real answer. */
  failNext(count: number, response: EmulatorResponse, match: FaultMatch = {}): this {
    return this.enqueue(count, { kind: "respond", response }, match);
  }

  /** The next `count` matching requests are cut off mid-body. */
  resetNext(count: number, match: FaultMatch = {}): this {
    return this.enqueue(count, { kind: "reset" }, match);
  }

  /** The next `count` matching requests are never answered. */
  hangNext(count: number, match: FaultMatch = {}): this {
    return this.enqueue(count, { kind: "hang" }, match);
  }

  /** The next `count` matching requests lose their connection before any answer. */
  dropNext(count: number, match: FaultMatch = {}): this {
    return this.enqueue(count, { kind: "drop" }, match);
  }

  /**
   * The next `count` matching requests are performed (a message posted, an issue created) and then their
   * answer is lost: reset before any byte of it (`reset`, the default) or never sent (`hang`, past the
   * client's timeout). The client cannot tell whether the provider acted: the outcome is unknown.
   */
  loseAnswerNext(count: number, match: FaultMatch = {}, after: "reset" | "hang" = "reset"): this {
    return this.enqueue(count, { kind: "lose-answer", after }, match);
  }

  /** Every matching request waits `ms` before it is answered. */
  latency(ms: number, match: FaultMatch = {}): this {
    this.latencies.push({ ms, match });
    return this;
  }

  /** At most `limit` matching requests per `windowMs`; beyond that the provider's rate-limit answer. */
  rateLimit(options: { limit: number; windowMs: number; match?: FaultMatch }): this {
    this.rateLimitState = { ...options, match: options.match ?? {}, windowStart: this.now(), count: 0 };
    return this;
  }

  clear(): void {
    this.queue = [];
    this.latencies = [];
    this.rateLimitState = undefined;
  }

  /** The delay before answering `request`. */
  delayFor(request: Pick<EmulatorRequest, "method" | "path">): number {
    return this.latencies.filter((l) => matches(l.match, request)).reduce((sum, l) => sum + l.ms, 0);
  }

  /** The fault that replaces the answer to `request`, if any; consumes one use of it. */
  take(request: Pick<EmulatorRequest, "method" | "path">): FaultAction | undefined {
    const queued = this.queue.find((q) => q.remaining > 0 && matches(q.match, request));
    if (queued) {
      queued.remaining--;
      this.queue = this.queue.filter((q) => q.remaining > 0);
      return queued.action;
    }
    return this.rateLimited(request);
  }

  private rateLimited(request: Pick<EmulatorRequest, "method" | "path">): FaultAction | undefined {
    const state = this.rateLimitState;
    if (!state || !matches(state.match, request)) return undefined;
    const now = this.now();
    if (now - state.windowStart >= state.windowMs) {
      state.windowStart = now;
      state.count = 0;
    }
    state.count++;
    if (state.count <= state.limit) return undefined;
    const resetAt = state.windowStart + state.windowMs;
    const response = this.rateLimitResponder({
      retryAfterSeconds: Math.max(1, Math.ceil((resetAt - now) / 1000)),
      resetAtEpochSeconds: Math.ceil(resetAt / 1000),
      limit: state.limit,
    });
    return { kind: "respond", response };
  }

  private enqueue(count: number, action: FaultAction, match: FaultMatch): this {
    if (!Number.isInteger(count) || count < 1)
      throw new RangeError(`fault count must be a positive integer, got ${count}`);
    this.queue.push({ remaining: count, action, match });
    return this;
  }
}

function matches(match: FaultMatch, request: Pick<EmulatorRequest, "method" | "path">): boolean {
  if (match.method && match.method.toUpperCase() !== request.method.toUpperCase()) return false;
  if (match.path === undefined) return true;
  return typeof match.path === "string" ? match.path === request.path : match.path.test(request.path);
}

/** Loses the answer of a request that was handled: resets the connection, or holds it unanswered. */
export function loseAnswer(action: Extract<FaultAction, { kind: "lose-answer" }>, res: ServerResponse): void {
  if (action.after === "reset") res.socket?.destroy();
}

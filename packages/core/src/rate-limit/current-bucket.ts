import { AsyncLocalStorage } from "node:async_hooks";
import type { HeadersLike } from "../http-headers";
import type { RateLimitBucket } from "./rate-limit-bucket";

const current = new AsyncLocalStorage<RateLimitBucket>();

/** Runs `callback` with `bucket` as the one a provider transport reports response headers to. */
export function withRateLimitBucket<T>(bucket: RateLimitBucket, callback: () => Promise<T>): Promise<T> {
  return current.run(bucket, callback);
}

/**
 * For provider transports: the response headers of a call made inside a provider task, so the task's
 * rate-limit bucket sees a spent budget (`x-ratelimit-remaining: 0`) before the next call is refused.
 * Outside a task it does nothing.
 */
export function reportRateLimitHeaders(headers: HeadersLike | undefined): void {
  current.getStore()?.observeHeaders(headers);
}

/**
 * @module
 * The client-side rate limiter every provider task goes through: one bucket per provider connection in
 * the process (held by the kit's client cache) that waits out a provider's reset and paces calls at the
 * limit it learned.
 */

export { reportRateLimitHeaders, withRateLimitBucket } from "./current-bucket";
export type { LearnedRateLimit, RateLimitBucketOptions, RateLimitGrant } from "./rate-limit-bucket";
export { RateLimitBucket } from "./rate-limit-bucket";

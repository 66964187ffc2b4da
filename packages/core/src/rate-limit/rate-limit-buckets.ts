import { RateLimitBucket, type RateLimitBucketOptions } from "./rate-limit-bucket";

// Keyed by the run's IO, so a bucket lives as long as its run and one run's pauses never hold another's
// (nor one test's another's, when tests share a connection name).
const bucketsByRun = new WeakMap<object, Map<string, RateLimitBucket>>();

/** The bucket of `key` (a provider and connection) in the run that `owner` (its `io`) belongs to. */
export function rateLimitBucketFor(
  owner: object,
  key: string,
  options?: RateLimitBucketOptions,
): RateLimitBucket {
  let buckets = bucketsByRun.get(owner);
  if (!buckets) {
    buckets = new Map();
    bucketsByRun.set(owner, buckets);
  }
  let bucket = buckets.get(key);
  if (!bucket) {
    bucket = new RateLimitBucket(options);
    buckets.set(key, bucket);
  }
  return bucket;
}

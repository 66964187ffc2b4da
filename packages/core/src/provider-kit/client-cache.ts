import { nodeCrypto } from "../node-crypto";
import { RateLimitBucket, type RateLimitBucketOptions } from "../rate-limit/rate-limit-bucket";

/** One SDK client and the rate-limit bucket of its connection, shared by every run in the process. */
export interface CachedClient<TClient> {
  readonly client: TClient;
  readonly bucket: RateLimitBucket;
}

/** How many (provider, options, token) clients a process keeps before it forgets the least recently used. */
export const DEFAULT_CLIENT_CACHE_SIZE = 256;

const identities = new WeakMap<object, number>();
let nextIdentity = 0;

function identityOf(value: object): number {
  let id = identities.get(value);
  if (id === undefined) {
    id = ++nextIdentity;
    identities.set(value, id);
  }
  return id;
}

/**
 * A stable key for the options that shape a client: plain data by value (so two `new Acme({...})` with
 * the same base URL share), functions and class instances (a custom fetch, a logger) by identity. The
 * id and token are left out: the token is keyed separately, as a hash.
 */
export function clientOptionsKey(options: object): string {
  return JSON.stringify(options, (name, value: unknown) => {
    if (name === "id" || name === "token") return undefined;
    if (typeof value === "function") return `fn#${identityOf(value)}`;
    if (typeof value === "object" && value !== null && !Array.isArray(value)) {
      const proto = Object.getPrototypeOf(value);
      if (proto !== Object.prototype && proto !== null) return `obj#${identityOf(value)}`;
    }
    return value;
  });
}

/**
 * A bounded, least-recently-used cache of SDK clients: built once per (provider, options, token) and
 * reused across runs, rebuilt when the token changes (a refresh gives a new token, so a new entry), and
 * never shared across tokens. Each entry carries its connection's rate-limit bucket, so every run on a
 * connection paces against the same learned limit instead of each learning it by being refused.
 */
export class ClientCache {
  private readonly entries = new Map<string, CachedClient<unknown>>();

  constructor(private readonly maxSize: number = DEFAULT_CLIENT_CACHE_SIZE) {}

  get size(): number {
    return this.entries.size;
  }

  get<TClient>(
    provider: string,
    options: object,
    token: string,
    create: () => TClient,
    /** For a new entry's bucket (its clock); an entry keeps the bucket it was created with. */
    bucketOptions: RateLimitBucketOptions = {},
  ): CachedClient<TClient> {
    // The token is hashed so the cache's keys never hold a credential.
    const tokenHash = nodeCrypto().createHash("sha256").update(token).digest("base64url");
    const key = `${provider}\u0000${clientOptionsKey(options)}\u0000${tokenHash}`;
    const found = this.entries.get(key);
    if (found) {
      this.entries.delete(key);
      this.entries.set(key, found);
      return found as CachedClient<TClient>;
    }
    const entry: CachedClient<TClient> = { client: create(), bucket: new RateLimitBucket(bucketOptions) };
    this.entries.set(key, entry);
    if (this.entries.size > this.maxSize) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    return entry;
  }

  clear(): void {
    this.entries.clear();
  }
}

/** The process's client cache: every provider class uses it. */
export const sharedClientCache = new ClientCache();

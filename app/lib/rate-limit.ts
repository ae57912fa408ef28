// Token buckets per key (shop, shop + customer) for the shopper API, behind a port (`Limiter`) with two adapters:
// - memory (`memoryLimiter`, around the pure `RateLimiter` below, time passed in): per process, so a deployment
//   with several web processes allows each its own budget. The default, without REDIS_URL.
// - Redis (`redisLimiter`, rate-limit-redis.server.ts): one budget shared by every process, same semantics.
// Custom kept (issue #12): rate-limiter-flexible 11.4 counts points in fixed windows (BurstyRateLimiter = two of them),
// it has no token bucket, so burst-then-steady-refill, its Retry-After and the memory/Redis parity tests would change.
// `failOpen` wraps an adapter whose store can fail: a broken limiter lets requests through rather than fail them.

export interface BucketConfig {
  /** Requests allowed in a burst. */
  capacity: number;
  /** Requests regained per second. */
  refillPerSecond: number;
}

export interface Verdict {
  allowed: boolean;
  /** Whole seconds until one more request would be allowed (0 when allowed). */
  retryAfterSeconds: number;
}

/** Throws a RangeError for a bucket that could never allow a request or never refill. */
export function checkBucketConfig(config: BucketConfig): void {
  const { capacity, refillPerSecond } = config;
  if (!(capacity >= 1) || !(refillPerSecond > 0) || !Number.isFinite(capacity) || !Number.isFinite(refillPerSecond)) {
    throw new RangeError("a bucket needs capacity ≥ 1 and a positive refill rate");
  }
}

/** The port: takes one request's token for `key`, now. */
export interface Limiter {
  readonly config: BucketConfig;
  take(key: string): Promise<Verdict>;
}

/** The in-memory adapter: a RateLimiter on this process's clock. */
export function memoryLimiter(config: BucketConfig, now: () => number = Date.now, maxKeys?: number): Limiter {
  const limiter = new RateLimiter(config, maxKeys);
  return { config, take: (key) => Promise.resolve(limiter.take(key, now())) };
}

/** `limiter`, except that a take that fails (its store is down) allows the request and reports the error. */
export function failOpen(limiter: Limiter, report: (error: unknown) => void): Limiter {
  return {
    config: limiter.config,
    async take(key) {
      try {
        return await limiter.take(key);
      } catch (error) {
        report(error);
        return { allowed: true, retryAfterSeconds: 0 };
      }
    },
  };
}

/**
 * A reporter that logs the first error, then at most one every `everyMs` (with how many it left out), so a
 * store that is down for an hour writes 60 lines, not one per request.
 */
export function throttledReporter(
  label: string,
  options: { everyMs?: number; now?: () => number; log?: (message: string) => void } = {},
): (error: unknown) => void {
  const { everyMs = 60_000, now = Date.now, log = (message: string) => console.warn(message) } = options;
  let lastAt = -Infinity;
  let skipped = 0;
  return (error) => {
    const at = now();
    if (at - lastAt < everyMs) {
      skipped += 1;
      return;
    }
    const more = skipped > 0 ? ` (${skipped} more since the last report)` : "";
    log(`${label}: ${error instanceof Error ? error.message : String(error)}${more}`);
    lastAt = at;
    skipped = 0;
  };
}

export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    readonly config: BucketConfig,
    private readonly maxKeys = 50_000,
  ) {
    checkBucketConfig(config);
  }

  /** Takes one request's token for `key` at `nowMs`. */
  take(key: string, nowMs: number): Verdict {
    const { capacity, refillPerSecond } = this.config;
    const held = this.buckets.get(key);
    const elapsed = held ? Math.max(0, nowMs - held.at) / 1000 : 0;
    const tokens = held ? Math.min(capacity, held.tokens + elapsed * refillPerSecond) : capacity;
    // Re-inserting keeps the map in least-recently-used order, so the oldest key is the first to go.
    this.buckets.delete(key);
    if (tokens >= 1) {
      this.buckets.set(key, { tokens: tokens - 1, at: nowMs });
      this.evict();
      return { allowed: true, retryAfterSeconds: 0 };
    }
    this.buckets.set(key, { tokens, at: nowMs });
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - tokens) / refillPerSecond)) };
  }

  get size(): number {
    return this.buckets.size;
  }

  private evict() {
    while (this.buckets.size > this.maxKeys) {
      const oldest = this.buckets.keys().next().value;
      if (oldest === undefined) return;
      this.buckets.delete(oldest);
    }
  }
}

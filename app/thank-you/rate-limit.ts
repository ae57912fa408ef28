// Token buckets per key (shop, shop + customer) for the shopper API. In memory, per process: a deployment with
// several web processes allows each its own budget, which is still a hard cap per process. Pure (time is passed).

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

export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    readonly config: BucketConfig,
    private readonly maxKeys = 50_000,
  ) {
    if (config.capacity < 1 || config.refillPerSecond <= 0) throw new RangeError("a bucket needs capacity ≥ 1 and a positive refill rate");
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

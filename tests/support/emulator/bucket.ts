// Shopify's GraphQL rate limit is a leaky bucket of cost points per shop + app: a query reserves its
// requested cost up front, gets the unused part back after it ran, and the bucket refills continuously at
// restoreRate points per second up to maximumAvailable.

export interface BucketConfig {
  maximumAvailable: number;
  restoreRate: number;
}

export interface ThrottleStatus {
  maximumAvailable: number;
  currentlyAvailable: number;
  restoreRate: number;
}

export class CostBucket {
  private available: number;
  private updatedAt: number;

  constructor(
    private config: BucketConfig,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.available = config.maximumAvailable;
    this.updatedAt = now();
  }

  private refill(): void {
    const t = this.now();
    const elapsedSeconds = (t - this.updatedAt) / 1000;
    this.available = Math.min(this.config.maximumAvailable, this.available + elapsedSeconds * this.config.restoreRate);
    this.updatedAt = t;
  }

  /** Reserves `cost` points if the bucket holds them; false (nothing taken) otherwise. */
  tryTake(cost: number): boolean {
    this.refill();
    if (cost > this.available) return false;
    this.available -= cost;
    return true;
  }

  refund(points: number): void {
    this.refill();
    this.available = Math.min(this.config.maximumAvailable, this.available + points);
  }

  /** Empties the bucket (tests use it to provoke THROTTLED without sending hundreds of queries). */
  drain(to = 0): void {
    this.refill();
    this.available = Math.max(0, Math.min(to, this.config.maximumAvailable));
  }

  status(): ThrottleStatus {
    this.refill();
    return {
      maximumAvailable: this.config.maximumAvailable,
      // Shopify reports whole points.
      currentlyAvailable: Math.floor(this.available),
      restoreRate: this.config.restoreRate,
    };
  }

  reconfigure(config: Partial<BucketConfig>): void {
    this.refill();
    this.config = { ...this.config, ...config };
    this.available = Math.min(this.available, this.config.maximumAvailable);
  }
}

export class Buckets {
  private readonly buckets = new Map<string, CostBucket>();
  constructor(public config: BucketConfig) {}

  for(shop: string, apiKey: string): CostBucket {
    const key = `${shop}|${apiKey}`;
    let bucket = this.buckets.get(key);
    if (!bucket) {
      bucket = new CostBucket(this.config);
      this.buckets.set(key, bucket);
    }
    return bucket;
  }

  reconfigure(config: Partial<BucketConfig>): void {
    this.config = { ...this.config, ...config };
    for (const bucket of this.buckets.values()) bucket.reconfigure(config);
  }

  clear(): void {
    this.buckets.clear();
  }
}

// One cost-bucket model per shop, shared by every Admin client in the process (Shopify's bucket is per app +
// shop, so two clients for the same shop must pace together). Also remembers what each operation really
// cost, which is a better estimate than the static guess for the next call.

import { CostBucket } from "~/shopify/admin-api/cost-bucket";

export class ShopBucket {
  readonly model = new CostBucket();
  private waiters: Array<() => void> = [];

  /** Resolves at the next settle/release (used while the bucket has never been observed). */
  changed(): Promise<void> {
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  notify(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }
}

export class BucketStore {
  private readonly buckets = new Map<string, ShopBucket>();
  private readonly costs = new Map<string, number>();

  forShop(shop: string): ShopBucket {
    const key = shop.toLowerCase();
    let bucket = this.buckets.get(key);
    if (!bucket) {
      bucket = new ShopBucket();
      this.buckets.set(key, bucket);
    }
    return bucket;
  }

  learnedCost(key: string): number | undefined {
    return this.costs.get(key);
  }

  learnCost(key: string, requestedQueryCost: number): void {
    if (this.costs.size >= 1_000) this.costs.clear(); // bounded: keys include page sizes
    this.costs.set(key, requestedQueryCost);
  }

  clear(): void {
    this.buckets.clear();
    this.costs.clear();
  }
}

/** The process-wide store used unless a client is given its own (tests do). */
export const sharedBucketStore = new BucketStore();

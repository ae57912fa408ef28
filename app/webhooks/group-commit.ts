/**
 * Group commit: callers submit one item each and await its own result; items that arrive while a write is in
 * flight (or within the same turn of the event loop) are written together by one `write` call — for the
 * webhook inbox, one database transaction for many deliveries instead of one each.
 *
 * A caller's promise settles only after the write holding its item has finished (committed), so "resolved"
 * can be answered with a 200. When a write of several items fails, each item is written again alone, so
 * one poison item (say, a body the database refuses) fails only its own caller; when the store itself is
 * down, every caller gets the error (and Shopify retries). No I/O here: `write` is injected.
 */
export interface GroupCommitOptions {
  /** Most items per write. Default 256. */
  maxBatch?: number;
  /** Writes in flight at once: 1 for SQLite (one writer), a few for PostgreSQL. Default 1. */
  maxConcurrentWrites?: number;
}

interface Pending<In, Out> {
  item: In;
  resolve(value: Out): void;
  reject(error: unknown): void;
}

export class GroupCommit<In, Out> {
  private readonly maxBatch: number;
  private readonly maxConcurrentWrites: number;
  private queue: Pending<In, Out>[] = [];
  private writing = 0;
  private flushScheduled = false;

  constructor(
    private readonly write: (items: In[]) => Promise<Out[]>,
    options: GroupCommitOptions = {},
  ) {
    this.maxBatch = Math.max(1, options.maxBatch ?? 256);
    this.maxConcurrentWrites = Math.max(1, options.maxConcurrentWrites ?? 1);
  }

  /** Resolves with this item's result once the write that carried it has committed; rejects if it failed. */
  submit(item: In): Promise<Out> {
    return new Promise<Out>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      if (this.queue.length >= this.maxBatch) this.flush();
      else this.scheduleFlush();
    });
  }

  /** Items waiting for a write (not counting those being written). */
  get waiting(): number {
    return this.queue.length;
  }

  /**
   * Waits one macrotask before the first write so every request whose body arrived in this I/O phase joins
   * it; while a write is in flight, new items simply wait for it and go together in the next one.
   */
  private scheduleFlush(): void {
    if (this.flushScheduled || this.writing >= this.maxConcurrentWrites) return;
    this.flushScheduled = true;
    setImmediate(() => {
      this.flushScheduled = false;
      this.flush();
    });
  }

  private flush(): void {
    while (this.queue.length > 0 && this.writing < this.maxConcurrentWrites) {
      const batch = this.queue.splice(0, this.maxBatch);
      this.writing++;
      void this.writeBatch(batch).finally(() => {
        this.writing--;
        this.flush();
      });
    }
  }

  private async writeBatch(batch: Pending<In, Out>[]): Promise<void> {
    try {
      const results = await this.writeChecked(batch.map((p) => p.item));
      batch.forEach((p, i) => p.resolve(results[i]!));
    } catch (error) {
      if (batch.length === 1) return batch[0]!.reject(error);
      // Which item broke the write is unknown: give each its own, so only a poison item fails.
      for (const p of batch) {
        try {
          const [result] = await this.writeChecked([p.item]);
          p.resolve(result!);
        } catch (alone) {
          p.reject(alone);
        }
      }
    }
  }

  private async writeChecked(items: In[]): Promise<Out[]> {
    const results = await this.write(items);
    if (results.length !== items.length) throw new Error(`group commit: ${items.length} items, ${results.length} results`);
    return results;
  }
}

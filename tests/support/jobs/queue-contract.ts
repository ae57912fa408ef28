// One behaviour, every adapter: the job queue contract. Each adapter's test file calls
// describeQueueContract() with a factory that hands out an empty queue.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  PermanentJobError,
  RetryLaterError,
  type JobContext,
  type JobHandler,
  type JobQueue,
  type JobView,
  type JobWorker,
  type WorkerOptions,
} from "~/jobs/queue";

export interface QueueHarness {
  queue: JobQueue;
  /** Runs `work` in the caller's transaction that enqueueWith/enqueueManyWith join (none for Redis: null). */
  inTransaction?: <T>(work: (tx: unknown) => Promise<T>) => Promise<T>;
  /** Called after the test's workers stopped, before the queue is closed: drop the test's data. */
  dispose(): Promise<void>;
}

// Short timings keep the suite fast; each adapter honours them.
const FAST = {
  pollIntervalMs: 10,
  leaseMs: 2_000,
  backoff: { baseMs: 20, capMs: 80, minMs: 10 },
} as const;

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export async function waitFor<T>(
  probe: () => Promise<T | undefined | null | false> | T | undefined | null | false,
  { timeoutMs = 10_000, intervalMs = 10, what = "condition" } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(intervalMs);
  }
}

let shopCounter = 0;
function shopName(label: string): string {
  shopCounter++;
  return `${label}-${process.pid}-${shopCounter}.myshopify.com`;
}

export function describeQueueContract(name: string, makeQueue: () => Promise<QueueHarness>): void {
  describe(`job queue contract: ${name}`, () => {
    let harness: QueueHarness;
    let queue: JobQueue;
    let workers: JobWorker[];
    let shop: string;

    beforeEach(async () => {
      harness = await makeQueue();
      queue = harness.queue;
      workers = [];
      shop = shopName("a");
    });

    afterEach(async () => {
      await Promise.all(workers.map((w) => w.stop()));
      await harness.dispose();
      await queue.close();
    });

    function start(handlers: Record<string, JobHandler>, options: Partial<WorkerOptions> = {}): JobWorker {
      const worker = queue.startWorker({ ...FAST, handlers, ...options });
      workers.push(worker);
      return worker;
    }

    async function jobOf(id: string, ofShop = shop): Promise<JobView | undefined> {
      const jobs = await queue.listJobs(ofShop, { limit: 100 });
      return jobs.find((j) => j.id === id);
    }

    function statusIs(id: string, status: JobView["status"], ofShop = shop) {
      return waitFor(
        async () => {
          const job = await jobOf(id, ofShop);
          return job?.status === status ? job : undefined;
        },
        { what: `job ${id} to be ${status}` },
      );
    }

    it("GIVEN a job WHEN a worker runs THEN the handler runs once with the payload and the job is done", async () => {
      const seen: JobContext[] = [];
      const payload = { orderId: "gid://shopify/Order/9007199254740993", amount: "12.50", nested: [1, { a: null }] };
      const { id, duplicate } = await queue.enqueue({ name: "test.once", shop, payload });
      expect(duplicate).toBe(false);
      start({ "test.once": async (job) => void seen.push(job) });

      const done = await statusIs(id, "done");
      await sleep(100);
      expect(seen).toHaveLength(1);
      expect(seen[0]).toEqual({ id, name: "test.once", shop, payload, attempt: 1, maxAttempts: 8 });
      expect(done).toMatchObject({ id, shop, name: "test.once", attempts: 1, lastError: null, payload });
      expect(done.finishedAt).toBeInstanceOf(Date);
    });

    it("GIVEN runAt in the future THEN the job does not run before it", async () => {
      const runAt = new Date(Date.now() + 400);
      let startedAt = 0;
      const { id } = await queue.enqueue({ name: "test.later", shop, payload: {}, runAt });
      start({ "test.later": async () => void (startedAt = Date.now()) });

      const queued = await jobOf(id);
      expect(queued?.status).toBe("queued");
      expect(Math.abs((queued?.runAt.getTime() ?? 0) - runAt.getTime())).toBeLessThanOrEqual(2);
      await statusIs(id, "done");
      expect(startedAt).toBeGreaterThanOrEqual(runAt.getTime() - 2);
      expect(startedAt).toBeLessThan(runAt.getTime() + 1_500);
    });

    it("GIVEN a dedupe key WHEN enqueued twice THEN the second is a no-op, and keys are per shop", async () => {
      const other = shopName("b");
      const key = "orders/paid:gid://shopify/Order/1";
      const first = await queue.enqueue({ name: "test.dedupe", shop, payload: { n: 1 }, key });
      const second = await queue.enqueue({ name: "test.dedupe", shop, payload: { n: 2 }, key });
      const otherShop = await queue.enqueue({ name: "test.dedupe", shop: other, payload: { n: 3 }, key });
      expect(first.duplicate).toBe(false);
      expect(second).toEqual({ id: first.id, duplicate: true });
      expect(otherShop.duplicate).toBe(false);
      expect(otherShop.id).not.toBe(first.id);

      const ran: unknown[] = [];
      start({ "test.dedupe": async (job) => void ran.push(job.payload) });
      await statusIs(first.id, "done");
      await statusIs(otherShop.id, "done", other);
      expect(ran.sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)))).toEqual([{ n: 1 }, { n: 3 }]);
      // Still a duplicate once done.
      expect(await queue.enqueue({ name: "test.dedupe", shop, payload: {}, key })).toEqual({ id: first.id, duplicate: true });
    });

    it("GIVEN enqueueManyWith THEN each spec is enqueued as if one by one: new, duplicate of a stored key, repeat within the batch", async () => {
      const inTransaction = harness.inTransaction ?? ((work) => work(null));
      const other = shopName("b");
      const stored = await queue.enqueue({ name: "test.many", shop, payload: { n: 0 }, key: "k0" });
      const staged = await inTransaction((tx) =>
        queue.enqueueManyWith(tx, [
          { name: "test.many", shop, payload: { n: 1 } },
          { name: "test.many", shop, payload: { n: 2 }, key: "k0" },
          { name: "test.many", shop, payload: { n: 3 }, key: "k1" },
          { name: "test.many", shop, payload: { n: 4 }, key: "k1" },
          { name: "test.many", shop: other, payload: { n: 5 }, key: "k1" },
          { name: "test.many", shop, payload: { n: 6 } },
        ]),
      );
      expect(staged.ids).toHaveLength(6);
      const results = await staged.afterCommit();
      expect(results.map((r) => r.duplicate)).toEqual([false, true, false, true, false, false]);
      expect(results[1]!.id).toBe(stored.id);
      expect(results[3]!.id).toBe(results[2]!.id);
      expect(new Set([results[0]!.id, results[2]!.id, results[4]!.id, results[5]!.id, stored.id]).size).toBe(5);
      staged.ids.forEach((id, i) => id !== null && expect(id).toBe(results[i]!.id));

      const ran: unknown[] = [];
      start({ "test.many": async (job) => void ran.push(job.payload) });
      for (const i of [0, 2, 5]) await statusIs(results[i]!.id, "done");
      await statusIs(results[4]!.id, "done", other);
      await statusIs(stored.id, "done");
      await sleep(100);
      expect(ran.map((p) => (p as { n: number }).n).sort()).toEqual([0, 1, 3, 5, 6]);
      expect(await inTransaction((tx) => queue.enqueueManyWith(tx, [])).then((s) => s.afterCommit())).toEqual([]);
    });

    it("GIVEN enqueueManyWith with one invalid spec THEN it rejects and enqueues none of them", async () => {
      const inTransaction = harness.inTransaction ?? ((work) => work(null));
      await expect(
        inTransaction((tx) =>
          queue.enqueueManyWith(tx, [
            { name: "test.many", shop, payload: {}, key: "fine" },
            { name: "", shop, payload: {} },
          ]),
        ),
      ).rejects.toThrow(/name/);
      expect(await queue.listJobs(shop, { limit: 10 })).toEqual([]);
    });

    it("GIVEN concurrent enqueues of one key THEN exactly one is created", async () => {
      const results = await Promise.all(Array.from({ length: 10 }, (_, i) => queue.enqueue({ name: "test.race", shop, payload: { i }, key: "race" })));
      expect(results.filter((r) => !r.duplicate)).toHaveLength(1);
      expect(new Set(results.map((r) => r.id)).size).toBe(1);
    });

    it("GIVEN a failing handler THEN it retries with backoff and then succeeds", async () => {
      const starts: { attempt: number; at: number }[] = [];
      const { id } = await queue.enqueue({ name: "test.flaky", shop, payload: {} });
      start({
        "test.flaky": async (job) => {
          starts.push({ attempt: job.attempt, at: Date.now() });
          if (job.attempt < 3) throw new Error(`flake ${job.attempt}`);
        },
      });

      const done = await statusIs(id, "done");
      expect(starts.map((s) => s.attempt)).toEqual([1, 2, 3]);
      for (let i = 1; i < starts.length; i++) {
        expect(starts[i]!.at - starts[i - 1]!.at).toBeGreaterThanOrEqual(FAST.backoff.minMs - 2);
      }
      expect(done.attempts).toBe(3);
      expect(done.lastError).toContain("flake 2");
    });

    it("GIVEN a handler that always fails THEN the job is dead-lettered after maxAttempts", async () => {
      let runs = 0;
      const { id } = await queue.enqueue({ name: "test.doomed", shop, payload: {}, maxAttempts: 3 });
      start({
        "test.doomed": async () => {
          runs++;
          throw new Error("always");
        },
      });

      const dead = await statusIs(id, "dead");
      await sleep(150);
      expect(runs).toBe(3);
      expect(dead).toMatchObject({ attempts: 3, maxAttempts: 3 });
      expect(dead.lastError).toContain("always");
      expect(dead.finishedAt).toBeInstanceOf(Date);
    });

    it("GIVEN RetryLaterError THEN the job runs again after that precise delay", async () => {
      const starts: number[] = [];
      let thrownAt = 0;
      const { id } = await queue.enqueue({ name: "test.throttled", shop, payload: {} });
      start({
        "test.throttled": async (job) => {
          starts.push(Date.now());
          if (job.attempt === 1) {
            thrownAt = Date.now();
            throw new RetryLaterError(400, "THROTTLED");
          }
        },
      });

      const done = await statusIs(id, "done");
      expect(starts).toHaveLength(2);
      const waited = starts[1]! - thrownAt;
      expect(waited).toBeGreaterThanOrEqual(398);
      expect(waited).toBeLessThan(400 + 600);
      expect(done.attempts).toBe(2);
    });

    it("GIVEN PermanentJobError THEN the job is dead-lettered at once", async () => {
      let runs = 0;
      const { id } = await queue.enqueue({ name: "test.permanent", shop, payload: {}, maxAttempts: 5 });
      start({
        "test.permanent": async () => {
          runs++;
          throw new PermanentJobError("customer was deleted");
        },
      });

      const dead = await statusIs(id, "dead");
      await sleep(100);
      expect(runs).toBe(1);
      expect(dead.attempts).toBe(1);
      expect(dead.lastError).toContain("customer was deleted");
    });

    it("GIVEN a job with no handler THEN it is dead-lettered, not retried forever", async () => {
      const { id } = await queue.enqueue({ name: "test.unknown", shop, payload: {} });
      start({});
      const dead = await statusIs(id, "dead");
      expect(dead.lastError).toContain("no handler");
    });

    it("GIVEN a worker that crashes mid-job THEN another worker takes the job over after the lease", async () => {
      const leaseMs = 300;
      const starts: { attempt: number; worker: string; at: number }[] = [];
      const { id } = await queue.enqueue({ name: "test.crash", shop, payload: {} });
      const handlerFor =
        (worker: string): JobHandler =>
        async (job) => {
          starts.push({ attempt: job.attempt, worker, at: Date.now() });
          if (worker === "A") await new Promise<never>(() => undefined); // hangs until the "crash"
        };

      const a = start({ "test.crash": handlerFor("A") }, { leaseMs });
      await waitFor(() => starts.length === 1, { what: "worker A to claim" });
      await a.kill();
      expect((await jobOf(id))?.status).toBe("running");

      start({ "test.crash": handlerFor("B") }, { leaseMs });
      const done = await statusIs(id, "done");
      expect(starts.map((s) => [s.worker, s.attempt])).toEqual([
        ["A", 1],
        ["B", 2],
      ]);
      expect(starts[1]!.at - starts[0]!.at).toBeGreaterThanOrEqual(leaseMs - 5);
      expect(done.attempts).toBe(2);
    });

    it("GIVEN a crash on the final attempt THEN the job is dead-lettered instead of run again", async () => {
      let runs = 0;
      const { id } = await queue.enqueue({ name: "test.crash-last", shop, payload: {}, maxAttempts: 1 });
      const a = start(
        {
          "test.crash-last": async () => {
            runs++;
            await new Promise<never>(() => undefined);
          },
        },
        { leaseMs: 200 },
      );
      await waitFor(() => runs === 1, { what: "worker A to claim" });
      await a.kill();
      start({ "test.crash-last": async () => void runs++ }, { leaseMs: 200 });
      const dead = await statusIs(id, "dead");
      expect(runs).toBe(1);
      expect(dead.lastError).toMatch(/lease|stopped/i);
    });

    it("GIVEN a job that outlives its lease THEN heartbeats keep it from being run twice", async () => {
      let runs = 0;
      const { id } = await queue.enqueue({ name: "test.slow", shop, payload: {} });
      const slow = {
        "test.slow": async () => {
          runs++;
          await sleep(1_000);
        },
      };
      start(slow, { leaseMs: 300 });
      start(slow, { leaseMs: 300 });
      await statusIs(id, "done");
      expect(runs).toBe(1);
    });

    it("GIVEN 500 jobs and 2 workers THEN each job runs exactly once and never concurrently", async () => {
      const total = 500;
      const runs = new Map<string, number>();
      const inFlight = new Set<string>();
      let overlaps = 0;
      const handler: JobHandler = async (job) => {
        if (inFlight.has(job.id)) overlaps++;
        inFlight.add(job.id);
        runs.set(job.id, (runs.get(job.id) ?? 0) + 1);
        await sleep(Math.random() < 0.5 ? 0 : 2);
        inFlight.delete(job.id);
      };
      const ids: string[] = [];
      for (let i = 0; i < total; i += 50) {
        const batch = await Promise.all(
          Array.from({ length: Math.min(50, total - i) }, (_, j) =>
            queue.enqueue({ name: "test.many", shop: j % 2 ? shop : `${shop}.b`, payload: { i: i + j } }),
          ),
        );
        ids.push(...batch.map((r) => r.id));
      }
      const a = start({ "test.many": handler }, { concurrency: 8 });
      const b = start({ "test.many": handler }, { concurrency: 8 });

      await waitFor(() => runs.size === total, { timeoutMs: 30_000, what: `${total} jobs to run` });
      await Promise.all([a.idle(), b.idle()]);
      await sleep(100);
      expect(overlaps).toBe(0);
      expect([...runs.values()].every((n) => n === 1)).toBe(true);
      expect(new Set(ids).size).toBe(total);
      const done = await queue.listJobs(shop, { status: "done", limit: total });
      expect(done).toHaveLength(total / 2);
    }, 45_000);

    it("GIVEN a shop's done, dead and pending jobs WHEN the shop is purged THEN none is left but the kept one; another shop's stay", async () => {
      const other = shopName("b");
      const later = new Date(Date.now() + 60 * 60_000);
      start({
        "test.purge": async () => {},
        "test.purge-fail": async () => {
          throw new PermanentJobError("gave up");
        },
      });
      const done = await queue.enqueue({ name: "test.purge", shop, payload: { email: "maja@example.si" } });
      const dead = await queue.enqueue({ name: "test.purge-fail", shop, payload: {} });
      await statusIs(done.id, "done");
      await statusIs(dead.id, "dead");
      const pending = await queue.enqueue({ name: "test.purge", shop, payload: {}, runAt: later, key: "p1" });
      const kept = await queue.enqueue({ name: "test.purge", shop, payload: {}, runAt: later, key: "p2" });
      const theirs = await queue.enqueue({ name: "test.purge", shop: other, payload: {}, runAt: later, key: "p1" });

      expect(await queue.purgeShop(shop, kept.id)).toBe(3);
      expect((await queue.listJobs(shop, { limit: 100 })).map((j) => j.id)).toEqual([kept.id]);
      expect(await queue.retryDead(shop, dead.id)).toBe(false);
      expect((await queue.listJobs(other, { limit: 100 })).map((j) => j.id)).toEqual([theirs.id]);
      expect(await queue.purgeShop(shop)).toBe(1);
      expect(await queue.purgeShop(shop)).toBe(0);
      // Its keys are free again.
      expect((await queue.enqueue({ name: "test.purge", shop, payload: {}, runAt: later, key: "p1" })).duplicate).toBe(false);
      expect(pending.duplicate).toBe(false);
    });

    it("GIVEN jobs of two shops WHEN one shop's jobs are cancelled THEN only its pending jobs stop", async () => {
      const other = shopName("b");
      const later = new Date(Date.now() + 60 * 60_000);
      const ran: string[] = [];
      start({ "test.cancel": async (job) => void ran.push(job.id) });
      const finished = await queue.enqueue({ name: "test.cancel", shop, payload: {} });
      await statusIs(finished.id, "done");

      const mine = await Promise.all([1, 2, 3].map((n) => queue.enqueue({ name: "test.cancel", shop, payload: { n }, runAt: later, key: `k${n}` })));
      const theirs = await Promise.all([1, 2].map((n) => queue.enqueue({ name: "test.cancel", shop: other, payload: { n }, runAt: later, key: `k${n}` })));

      expect(await queue.cancelShopJobs(shop)).toBe(3);
      expect(await queue.cancelShopJobs(shop)).toBe(0);
      expect(await queue.listJobs(shop, { status: "queued", limit: 10 })).toEqual([]);
      expect((await jobOf(finished.id))?.status).toBe("done");
      const stillTheirs = await queue.listJobs(other, { status: "queued", limit: 10 });
      expect(stillTheirs.map((j) => j.id).sort()).toEqual(theirs.map((t) => t.id).sort());

      // A cancelled job never ran, so its key may be used again.
      const again = await queue.enqueue({ name: "test.cancel", shop, payload: { n: 1 }, key: "k1" });
      expect(again.duplicate).toBe(false);
      await statusIs(again.id, "done");
      expect(ran).toEqual([finished.id, again.id]);
      expect(mine.every((m) => !m.duplicate)).toBe(true);
    });

    it("GIVEN a dead job THEN retryDead requeues it with fresh attempts, for its own shop only", async () => {
      let fail = true;
      const { id } = await queue.enqueue({ name: "test.revive", shop, payload: {}, maxAttempts: 2 });
      start({
        "test.revive": async () => {
          if (fail) throw new PermanentJobError("not yet");
        },
      });
      await statusIs(id, "dead");

      expect(await queue.retryDead(shopName("b"), id)).toBe(false);
      expect(await queue.retryDead(shop, "no-such-job")).toBe(false);
      fail = false;
      expect(await queue.retryDead(shop, id)).toBe(true);
      const done = await statusIs(id, "done");
      expect(done.attempts).toBe(1);
      expect(await queue.retryDead(shop, id)).toBe(false);
    });

    it("GIVEN two shops THEN listJobs shows each only its own jobs, newest first, filtered and limited", async () => {
      const other = shopName("b");
      const later = new Date(Date.now() + 60 * 60_000);
      const a1 = await queue.enqueue({ name: "test.list", shop, payload: { n: 1 }, runAt: later });
      await sleep(5);
      const a2 = await queue.enqueue({ name: "test.list", shop, payload: { n: 2 }, runAt: later });
      await sleep(5);
      const b1 = await queue.enqueue({ name: "test.list", shop: other, payload: { n: 3 }, runAt: later });

      const mine = await queue.listJobs(shop, { limit: 10 });
      expect(mine.map((j) => j.id)).toEqual([a2.id, a1.id]);
      expect(mine.every((j) => j.shop === shop && j.status === "queued")).toBe(true);
      expect((await queue.listJobs(other, { limit: 10 })).map((j) => j.id)).toEqual([b1.id]);
      expect((await queue.listJobs(shop, { limit: 1 })).map((j) => j.id)).toEqual([a2.id]);
      expect(await queue.listJobs(shop, { status: "done", limit: 10 })).toEqual([]);
      expect(await queue.listJobs(shopName("nobody"), { limit: 10 })).toEqual([]);
    });

    it("GIVEN an invalid spec THEN enqueue rejects it", async () => {
      await expect(queue.enqueue({ name: "", shop, payload: {} })).rejects.toThrow(/name/);
      await expect(queue.enqueue({ name: "x", shop, payload: { id: 1n } })).rejects.toThrow(/bigint/);
    });
  });
}

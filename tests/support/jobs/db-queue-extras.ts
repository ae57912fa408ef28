// Behaviour only the database adapter has: transactions shared with the caller, restarts, pruning, and
// raw SQL agreeing with Prisma about stored timestamps.
import { afterEach, describe, expect, it } from "vitest";
import { createPrismaClient } from "~/db/db.server";
import { createDbJobQueue, type DbJobQueue, type DbProvider, type JobsDb } from "~/jobs/db-queue.server";
import { transactionWithJobs } from "~/jobs/index.server";
import type { JobWorker } from "~/jobs/queue";
import type { TestDatabase } from "./databases";
import { sleep, waitFor } from "./queue-contract";

const shop = "extras.myshopify.com";

export function describeDbQueueExtras(name: string, getDb: () => TestDatabase, provider: DbProvider): void {
  describe(`database job queue: ${name}`, () => {
    const queues: DbJobQueue[] = [];
    const workers: JobWorker[] = [];

    function newQueue(prisma: JobsDb = getDb().prisma): DbJobQueue {
      const q = createDbJobQueue({ prisma, provider });
      queues.push(q);
      return q;
    }

    afterEach(async () => {
      await Promise.all(workers.splice(0).map((w) => w.stop()));
      await Promise.all(queues.splice(0).map((q) => q.close()));
      await getDb().prisma.job.deleteMany();
    });

    it("GIVEN enqueueWith in a transaction THEN the job commits with it, or not at all", async () => {
      const { prisma } = getDb();
      const queue = newQueue();
      const staged = await prisma.$transaction(async (tx) => queue.enqueueWith(tx, { name: "x", shop, payload: { n: 1 } }));
      expect(await staged.afterCommit()).toEqual({ id: staged.id, duplicate: false });
      expect(await prisma.job.count({ where: { id: staged.id ?? "" } })).toBe(1);

      await expect(
        prisma.$transaction(async (tx) => {
          await queue.enqueueWith(tx, { name: "x", shop, payload: { n: 2 }, key: "rolled-back" });
          throw new Error("abort");
        }),
      ).rejects.toThrow("abort");
      expect(await prisma.job.count({ where: { key: "rolled-back" } })).toBe(0);
    });

    it("GIVEN transactionWithJobs THEN its jobs commit with the transaction's rows, or roll back with them", async () => {
      const { prisma } = getDb();
      const queue = newQueue();
      const ran: unknown[] = [];
      workers.push(queue.startWorker({ handlers: { x: async (job) => void ran.push(job.payload) }, pollIntervalMs: 10 }));
      const value = await transactionWithJobs(
        async (_tx, enqueue) => {
          await enqueue({ name: "x", shop, payload: { committed: true } });
          return 42;
        },
        queue,
        prisma,
      );
      expect(value).toBe(42);
      await expect(
        transactionWithJobs(
          async (_tx, enqueue) => {
            await enqueue({ name: "x", shop, payload: { committed: false } });
            throw new Error("rolled back");
          },
          queue,
          prisma,
        ),
      ).rejects.toThrow("rolled back");
      await waitFor(() => ran.length === 1);
      await sleep(50);
      expect(ran).toEqual([{ committed: true }]);
      expect(await prisma.job.count()).toBe(1);
    });

    it("GIVEN enqueueManyWith THEN its jobs roll back with the transaction, and a cancelled key is revived in place", async () => {
      const { prisma } = getDb();
      const queue = newQueue();
      await expect(
        prisma.$transaction(async (tx) => {
          await queue.enqueueManyWith(tx, [
            { name: "x", shop, payload: {}, key: "rb1" },
            { name: "x", shop, payload: {} },
          ]);
          throw new Error("abort");
        }),
      ).rejects.toThrow("abort");
      expect(await prisma.job.count({ where: { shop } })).toBe(0);

      const cancelled = await queue.enqueue({ name: "x", shop, payload: { v: 1 }, key: "again", runAt: new Date(Date.now() + 60_000) });
      expect(await queue.cancelShopJobs(shop)).toBe(1);
      const staged = await prisma.$transaction((tx) =>
        queue.enqueueManyWith(tx, [
          { name: "x", shop, payload: { v: 2 }, key: "again" },
          { name: "x", shop, payload: { v: 3 }, key: "fresh" },
        ]),
      );
      const [revived, fresh] = await staged.afterCommit();
      expect(revived).toEqual({ id: cancelled.id, duplicate: false });
      expect(fresh?.duplicate).toBe(false);
      const row = await prisma.job.findUniqueOrThrow({ where: { id: cancelled.id } });
      expect([row.status, JSON.parse(row.payload)]).toEqual(["queued", { v: 2 }]);
    });

    it("GIVEN the foreground is busy THEN the worker runs one job at a time with a pause before each, but runs them all", async () => {
      const queue = newQueue();
      let busy = true;
      let running = 0;
      let mostRunning = 0;
      const starts: number[] = [];
      const handler = async () => {
        starts.push(Date.now());
        mostRunning = Math.max(mostRunning, ++running);
        await sleep(5);
        running--;
      };
      for (let n = 0; n < 5; n++) await queue.enqueue({ name: "x", shop, payload: { n } });
      const worker = queue.startWorker({ handlers: { x: handler }, concurrency: 4, pollIntervalMs: 10, yieldWhenBusy: { busy: () => busy, pauseMs: 30 } });
      workers.push(worker);
      await waitFor(() => starts.length === 5, { what: "5 jobs under load" });
      expect(mostRunning).toBe(1);
      const gaps = starts.slice(1).map((t, i) => t - starts[i]!);
      expect(Math.min(...gaps)).toBeGreaterThanOrEqual(25);

      busy = false; // the burst is over: full concurrency again
      mostRunning = 0;
      for (let n = 0; n < 8; n++) await queue.enqueue({ name: "x", shop, payload: { n } });
      await waitFor(() => starts.length === 13, { what: "8 more jobs" });
      expect(mostRunning).toBeGreaterThan(1);
    });

    it("GIVEN a duplicate key inside a transaction THEN the transaction carries on and commits", async () => {
      const { prisma } = getDb();
      const queue = newQueue();
      const first = await queue.enqueue({ name: "x", shop, payload: {}, key: "k" });
      const [dup, other] = await prisma.$transaction(async (tx) => {
        const d = await queue.enqueueWith(tx, { name: "x", shop, payload: {}, key: "k" });
        const o = await queue.enqueueWith(tx, { name: "x", shop, payload: {}, key: "k2" });
        return [d, o];
      });
      expect(dup.id).toBe(first.id);
      expect((await dup.afterCommit()).duplicate).toBe(true);
      expect((await other.afterCommit()).duplicate).toBe(false);
      expect(await prisma.job.count({ where: { shop } })).toBe(2);
    });

    it("GIVEN queued jobs WHEN the process restarts THEN a new worker runs them", async () => {
      const before = newQueue();
      const { id } = await before.enqueue({ name: "x", shop, payload: { survive: true } });
      await before.close();

      const after = newQueue();
      const seen: unknown[] = [];
      workers.push(after.startWorker({ handlers: { x: async (job) => void seen.push(job.payload) }, pollIntervalMs: 10 }));
      await waitFor(async () => (await getDb().prisma.job.findUnique({ where: { id } }))?.status === "done");
      expect(seen).toEqual([{ survive: true }]);
    });

    it("GIVEN a job written by Prisma itself THEN the raw claim sees its timestamps the same way", async () => {
      const { prisma } = getDb();
      const queue = newQueue();
      const runAt = new Date(Date.now() + 300);
      const row = await prisma.job.create({ data: { shop, name: "x", payload: "{}", runAt } });
      const starts: number[] = [];
      workers.push(queue.startWorker({ handlers: { x: async () => void starts.push(Date.now()) }, pollIntervalMs: 10 }));
      await waitFor(async () => (await prisma.job.findUnique({ where: { id: row.id } }))?.status === "done");
      expect(starts[0]).toBeGreaterThanOrEqual(runAt.getTime() - 2);
      expect(row.maxAttempts).toBe(8);
    });

    it("GIVEN runAt THEN it is stored to the millisecond", async () => {
      const queue = newQueue();
      const runAt = new Date("2031-05-06T07:08:09.123Z");
      const { id } = await queue.enqueue({ name: "x", shop, payload: {}, runAt });
      const [view] = await queue.listJobs(shop, { limit: 1 });
      expect(view?.id).toBe(id);
      expect(view?.runAt.toISOString()).toBe(runAt.toISOString());
    });

    it("GIVEN old finished jobs THEN prune deletes done and cancelled ones but keeps the dead letter and pending jobs", async () => {
      const { prisma } = getDb();
      const queue = newQueue();
      const old = new Date(Date.now() - 10 * 24 * 3600_000);
      const make = (status: string, finishedAt: Date | null) => prisma.job.create({ data: { shop, name: "x", payload: "{}", status, finishedAt } });
      await make("done", old);
      await make("cancelled", old);
      const dead = await make("dead", old);
      const recent = await make("done", new Date());
      const queued = await make("queued", null);

      expect(await queue.prune(new Date(Date.now() - 24 * 3600_000))).toBe(2);
      const left = (await prisma.job.findMany({ select: { id: true } })).map((j) => j.id).sort();
      expect(left).toEqual([dead.id, recent.id, queued.id].sort());
      expect(await queue.prune(new Date(), ["dead"])).toBe(1);
    });

    it("GIVEN a worker that is stopped THEN it waits for its running handler and claims nothing more", async () => {
      const queue = newQueue();
      let finished = false;
      const a = await queue.enqueue({ name: "slow", shop, payload: {} });
      const worker = queue.startWorker({
        handlers: {
          slow: async () => {
            await sleep(150);
            finished = true;
          },
        },
        pollIntervalMs: 10,
      });
      await waitFor(() => worker.running === 1);
      await worker.stop();
      expect(finished).toBe(true);
      const b = await queue.enqueue({ name: "slow", shop, payload: {} });
      await sleep(50);
      const jobs = await queue.listJobs(shop, { limit: 10 });
      expect(jobs.find((j) => j.id === a.id)?.status).toBe("done");
      expect(jobs.find((j) => j.id === b.id)?.status).toBe("queued");
    });

    it("GIVEN a batch handler THEN its jobs run in batches of at most maxBatch, one batch at a time, beside other jobs", async () => {
      const queue = newQueue();
      const batches: number[][] = [];
      let running = 0;
      let mostRunning = 0;
      const singles: unknown[] = [];
      for (let n = 0; n < 23; n++) await queue.enqueue({ name: "b", shop, payload: { n } });
      for (let n = 0; n < 3; n++) await queue.enqueue({ name: "x", shop, payload: { n } });
      const worker = queue.startWorker({
        handlers: { b: async () => expect.fail("a batched name runs in batches"), x: async (job) => void singles.push(job.payload) },
        batchHandlers: {
          b: {
            maxBatch: 5,
            handler: async (jobs) => {
              mostRunning = Math.max(mostRunning, ++running);
              batches.push(jobs.map((j) => (j.payload as { n: number }).n));
              await sleep(5);
              running--;
              return jobs.map(() => undefined);
            },
          },
        },
        concurrency: 4,
        pollIntervalMs: 10,
      });
      workers.push(worker);
      await waitFor(() => batches.flat().length === 23 && singles.length === 3, { what: "23 batched and 3 single jobs" });
      await worker.idle();
      expect(mostRunning).toBe(1);
      expect(Math.max(...batches.map((b) => b.length))).toBeLessThanOrEqual(5);
      expect(batches.flat().sort((a, b) => a - b)).toEqual(Array.from({ length: 23 }, (_, n) => n));
      expect(await getDb().prisma.job.count({ where: { status: "done" } })).toBe(26);
    });

    it("GIVEN slow jobs of one name THEN they never take every slot: other jobs (and batches) still run", async () => {
      const queue = newQueue();
      let release!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      let slowRunning = 0;
      let mostSlow = 0;
      const ran: string[] = [];
      for (let n = 0; n < 5; n++) await queue.enqueue({ name: "slow", shop, payload: { n } });
      const worker = queue.startWorker({
        handlers: {
          slow: async () => {
            mostSlow = Math.max(mostSlow, ++slowRunning);
            await gate;
            slowRunning--;
          },
          quick: async () => void ran.push("quick"),
        },
        batchHandlers: { b: { handler: async (jobs) => jobs.map(() => void ran.push("batch")) } },
        concurrency: 3,
        pollIntervalMs: 10,
      });
      workers.push(worker);
      await waitFor(() => slowRunning === 2, { what: "two slow jobs running" });
      await queue.enqueue({ name: "quick", shop, payload: {} });
      await queue.enqueue({ name: "b", shop, payload: {} });
      await waitFor(() => ran.length === 2, { what: "the quick job and the batch beside the slow ones" });
      expect(mostSlow).toBe(2);
      release();
      await waitFor(async () => (await getDb().prisma.job.count({ where: { status: "done" } })) === 7, { what: "all 7 done" });
    });

    it("GIVEN a batch where one job fails THEN only that job is retried, and a thrown batch retries them all", async () => {
      const queue = newQueue();
      const runs = new Map<number, number>();
      let throwOnce = true;
      for (let n = 0; n < 6; n++) await queue.enqueue({ name: "b", shop, payload: { n }, maxAttempts: 3 });
      const worker = queue.startWorker({
        handlers: {},
        batchHandlers: {
          b: {
            handler: async (jobs) => {
              if (throwOnce) {
                throwOnce = false;
                throw new Error("the whole batch failed");
              }
              return jobs.map((job) => {
                const n = (job.payload as { n: number }).n;
                runs.set(n, (runs.get(n) ?? 0) + 1);
                return n === 3 && job.attempt < 3 ? { error: new Error(`job 3, attempt ${job.attempt}`) } : undefined;
              });
            },
          },
        },
        pollIntervalMs: 10,
        backoff: { baseMs: 5, capMs: 20 },
        onError: () => {},
      });
      workers.push(worker);
      await waitFor(async () => (await getDb().prisma.job.count({ where: { status: "done" } })) === 6, { what: "all 6 done" });
      expect(Object.fromEntries(runs)).toEqual({ 0: 1, 1: 1, 2: 1, 3: 2, 4: 1, 5: 1 });
      const three = (await queue.listJobs(shop, { limit: 10 })).find((j) => (j.payload as { n: number }).n === 3);
      expect(three?.attempts).toBe(3); // the thrown batch, the failure, the success
    });

    it("GIVEN a worker killed mid-batch THEN another worker takes every job of the batch over after the lease", async () => {
      const queue = newQueue();
      const done = new Set<number>();
      for (let n = 0; n < 8; n++) await queue.enqueue({ name: "b", shop, payload: { n } });
      let started!: () => void;
      const first = new Promise<void>((resolve) => (started = resolve));
      const stuck = queue.startWorker({
        handlers: {},
        batchHandlers: {
          b: {
            handler: async () => {
              started();
              return new Promise(() => {}); // never finishes: the process "dies" meanwhile
            },
          },
        },
        pollIntervalMs: 10,
        leaseMs: 150,
      });
      await first;
      await stuck.kill();
      const rescuer = queue.startWorker({
        handlers: {},
        batchHandlers: { b: { handler: async (jobs) => jobs.map((j) => void done.add((j.payload as { n: number }).n)) } },
        pollIntervalMs: 10,
        leaseMs: 150,
      });
      workers.push(rescuer);
      await waitFor(() => done.size === 8, { what: "the batch taken over" });
      await rescuer.idle();
      expect(await getDb().prisma.job.count({ where: { status: "done" } })).toBe(8);
    });

    it("GIVEN two processes (two database connections) THEN each of 300 jobs runs exactly once", async () => {
      const second = createPrismaClient(getDb().url) as JobsDb;
      try {
        const one = newQueue();
        const two = newQueue(second);
        const runs = new Map<string, number>();
        const handler = async (job: { id: string }) => {
          runs.set(job.id, (runs.get(job.id) ?? 0) + 1);
          await sleep(1);
        };
        for (let i = 0; i < 300; i += 30) {
          await Promise.all(Array.from({ length: 30 }, (_, j) => (j % 2 ? one : two).enqueue({ name: "p", shop, payload: { i: i + j } })));
        }
        const options = { handlers: { p: handler }, pollIntervalMs: 5, concurrency: 6, onError: (e: unknown) => errors.push(e) };
        const errors: unknown[] = [];
        workers.push(one.startWorker(options), two.startWorker(options));
        await waitFor(() => runs.size === 300, { timeoutMs: 30_000, what: "300 jobs to run" });
        await Promise.all(workers.map((w) => w.idle()));
        expect([...runs.values()].every((n) => n === 1)).toBe(true);
        expect(await getDb().prisma.job.count({ where: { status: "done" } })).toBe(300);
        expect(errors).toEqual([]);
      } finally {
        await Promise.all(workers.splice(0).map((w) => w.stop()));
        await second.$disconnect();
      }
    }, 40_000);
  });
}

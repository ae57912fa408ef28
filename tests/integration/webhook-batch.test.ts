import "../support/app-env";
import { afterAll, describe, expect, it, vi } from "vitest";
import { prisma } from "~/db/db.server";
import { recordDelivery } from "~/webhooks/inbox.server";
import { PROCESS_WEBHOOK_JOB } from "~/webhooks/job-names";
import { processWebhookEvents } from "~/webhooks/process-webhook.server";
import { jobHandlers } from "~/app.server";
import { closeJobQueue, getJobQueue } from "~/jobs/index.server";
import type { BatchJobHandler, JobWorker, WorkerOptions } from "~/jobs/queue";
import { EmulatorCore } from "../support/emulator/emulator";
import type { Delivery } from "../support/emulator/webhooks/delivery";
import { waitFor } from "../support/jobs/queue-contract";
import { seededRandom } from "../support/random";

// The `webhook.process` job in batches against batches of one, on the same stream of deliveries — order,
// refund, fulfilment and customer webhooks from the emulator, with repeats, 20 % moved out of order, malformed
// bodies and a recorded-only topic — each copy sent to a shop of its own:
//   solo   one job at a time, the single handler: a batch of one (the reference);
//   batch  batches of at most 7 (so an order's facts are split across batches as often as not);
//   crash  batches where one fails before its transaction (nothing written) and one after its commit but
//          before its jobs are settled (all of them run again), as a crashed worker would leave them;
//   race   two workers taking batches of the same shop at once (version conflicts, retried).
// Every shop must end with the same order states, the same domain events (each once), the same event statuses.

const SEED = 4242;
const rng = seededRandom(SEED);
const int = (lo: number, hi: number) => lo + Math.floor(rng() * (hi - lo + 1));

type Sent = Pick<Delivery, "topic" | "eventId" | "body" | "triggeredAt">;

/** 40 orders' lives in one emulated shop, on a controlled clock; then repeats, reordering, bad bodies. */
function deliveryStream(): Sent[] {
  const core = new EmulatorCore({ apiKey: "test-api-key", apiSecret: "test-api-secret", seed: false });
  vi.useFakeTimers({ toFake: ["Date"] });
  try {
    let clock = Date.UTC(2026, 5, 1, 8, 0, 0);
    const tick = () => vi.setSystemTime((clock += 1000));
    const { shop } = core.createShop("batch-source", { currency: "EUR" });
    const customers = Array.from({ length: 8 }, (_, i) => {
      tick();
      return core.createCustomer(shop, { email: `buyer${i}@batch.example`, first_name: `Buyer ${i}` });
    });
    const orders: { id: string; paid: boolean; fulfilled: boolean; refunded: boolean; cancelled: boolean }[] = [];
    for (let n = 0; n < 40; n++) {
      tick();
      const paid = rng() < 0.5;
      const placed = core.placeOrder(shop, {
        customer: { id: customers[n % customers.length]!.admin_graphql_api_id },
        currency: "EUR",
        financial_status: paid ? "paid" : "pending",
        line_items: [{ title: "Mug", price: `${int(2, 30)}.00`, quantity: int(1, 2) }],
      });
      orders.push({ id: placed.id, paid, fulfilled: false, refunded: false, cancelled: false });
      // Later steps of earlier orders interleave with new orders.
      for (const earlier of [orders[int(0, orders.length - 1)]!, orders[int(0, orders.length - 1)]!]) {
        tick();
        const r = rng();
        if (earlier.cancelled) continue;
        if (!earlier.paid && r < 0.6) {
          core.markOrderPaid(shop, earlier.id);
          earlier.paid = true;
        } else if (earlier.paid && !earlier.fulfilled && r < 0.7) {
          core.fulfillOrder(shop, earlier.id);
          earlier.fulfilled = true;
        } else if (earlier.paid && !earlier.refunded && r < 0.85) {
          core.refundOrder(shop, earlier.id, { amount: "1.00" });
          earlier.refunded = true;
        } else if (!earlier.fulfilled && r < 0.92) {
          core.cancelOrder(shop, earlier.id);
          earlier.cancelled = true;
        } else core.updateCustomer(shop, customers[n % customers.length]!.id, { note: `edited ${n}` });
      }
    }
    const stream: Sent[] = core.deliverer.deliveries.map((d) => ({ topic: d.topic, eventId: d.eventId, body: d.body, triggeredAt: d.triggeredAt }));
    stream.push(
      { topic: "orders/updated", eventId: "bad-1", body: "this is not json", triggeredAt: new Date().toISOString() },
      {
        topic: "refunds/create",
        eventId: "bad-2",
        body: '{"id":3,"admin_graphql_api_id":"gid://shopify/Refund/3","created_at":"2026-06-01T08:00:00Z","transactions":[]}',
        triggeredAt: new Date().toISOString(),
      },
      { topic: "app/scopes_update", eventId: "scopes-1", body: '{"current":["write_orders"]}', triggeredAt: new Date().toISOString() },
    );
    // Shopify repeats deliveries (same event id) and does not keep their order.
    for (let i = 0; i < 30; i++) stream.splice(int(0, stream.length), 0, stream[int(0, stream.length - 1)]!);
    for (let i = 0; i < stream.length / 5; i++) {
      const [moved] = stream.splice(int(0, stream.length - 1), 1);
      stream.splice(int(0, stream.length), 0, moved!);
    }
    return stream;
  } finally {
    vi.useRealTimers();
    core.dispose();
  }
}

const stream = deliveryStream();
const workers: JobWorker[] = [];

async function send(shop: string): Promise<void> {
  for (const d of stream) {
    await recordDelivery(
      { shop, topic: d.topic, apiVersion: "2026-07", webhookId: `${d.eventId}-${shop}`, eventId: d.eventId, triggeredAt: d.triggeredAt },
      d.body,
      d.topic,
    );
  }
}

/** Runs every webhook job of `shop` with these workers, until none is left. */
async function processAll(shop: string, options: Partial<WorkerOptions>[]): Promise<void> {
  for (const o of options)
    workers.push(getJobQueue().startWorker({ handlers: jobHandlers, pollIntervalMs: 10, backoff: { baseMs: 5, capMs: 20 }, onError: () => {}, ...o }));
  await waitFor(async () => (await prisma.job.count({ where: { shop, name: PROCESS_WEBHOOK_JOB, status: { not: "done" } } })) === 0, {
    timeoutMs: 30_000,
    what: `${shop}'s webhook jobs`,
  });
  await Promise.all(workers.splice(0).map((w) => w.stop()));
}

/** What a shop ended with, without ids, clocks, versions or the shop itself. */
async function outcome(shop: string, { payloads }: { payloads: boolean }) {
  const states = await prisma.orderState.findMany({ where: { shop }, orderBy: { orderGid: "asc" } });
  const events = await prisma.domainEvent.findMany({ where: { shop }, orderBy: { key: "asc" } });
  const inbox = await prisma.webhookEvent.findMany({ where: { shop }, orderBy: { eventId: "asc" } });
  return {
    states: states.map(({ id: _id, shop: _shop, version: _v, mirroredVersion: _m, createdAt: _c, updatedAt: _u, ...rest }) => rest),
    events: events.map((e) => ({ key: e.key, kind: e.kind, subjectGid: e.subjectGid, ...(payloads ? { occurredAt: e.occurredAt, payload: e.payload } : {}) })),
    inbox: inbox.map((e) => ({ eventId: e.eventId, status: e.status, error: e.error })),
  };
}

afterAll(async () => {
  await Promise.all(workers.splice(0).map((w) => w.kill()));
  await closeJobQueue();
  await prisma.$disconnect();
});

describe("webhook.process in batches", () => {
  it("GIVEN repeats, reordering, bad bodies, failures before and after commit and two workers THEN the same result as one by one", async () => {
    const batchOf = (maxBatch: number, handler: BatchJobHandler = processWebhookEvents) => ({
      batchHandlers: { [PROCESS_WEBHOOK_JOB]: { handler, maxBatch } },
    });

    await send("solo.myshopify.com");
    await processAll("solo.myshopify.com", [{ concurrency: 1 }]);
    const reference = await outcome("solo.myshopify.com", { payloads: true });
    expect(reference.states.length).toBe(40);
    expect(reference.events.some((e) => e.kind === "order.paid") && reference.events.some((e) => e.kind === "refund.issued")).toBe(true);
    expect(reference.inbox.filter((e) => e.status === "failed").map((e) => e.eventId)).toEqual(["bad-1", "bad-2"]);

    await send("batch.myshopify.com");
    await processAll("batch.myshopify.com", [{ concurrency: 1, ...batchOf(7) }]);
    // Same order of application as the reference: even the events' payloads agree.
    expect(await outcome("batch.myshopify.com", { payloads: true })).toEqual(reference);

    let batches = 0;
    const crashing: BatchJobHandler = async (jobs) => {
      batches++;
      if (batches === 2) throw new Error("crashed before its transaction");
      const outcomes = await processWebhookEvents(jobs);
      if (batches === 4) throw new Error("crashed after its commit, before the jobs were settled");
      return outcomes;
    };
    await send("crash.myshopify.com");
    await processAll("crash.myshopify.com", [{ concurrency: 2, ...batchOf(7, crashing) }]);
    expect(batches).toBeGreaterThan(4);
    expect(stripPayloads(await outcome("crash.myshopify.com", { payloads: false }))).toEqual(stripPayloads(reference));

    await send("race.myshopify.com");
    await processAll("race.myshopify.com", [
      { concurrency: 2, ...batchOf(5) },
      { concurrency: 2, ...batchOf(5) },
    ]);
    expect(stripPayloads(await outcome("race.myshopify.com", { payloads: false }))).toEqual(stripPayloads(reference));

    // Every shop's journey mirror was scheduled.
    for (const shop of ["batch", "crash", "race"]) {
      expect(await prisma.job.count({ where: { shop: `${shop}.myshopify.com`, name: "orders.mirror" } })).toBeGreaterThan(0);
    }
  }, 60_000);
});

function stripPayloads(o: Awaited<ReturnType<typeof outcome>>) {
  return { ...o, events: o.events.map(({ key, kind, subjectGid }) => ({ key, kind, subjectGid })) };
}

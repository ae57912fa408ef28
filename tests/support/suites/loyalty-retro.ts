// Points for past (imported) orders, run on both job setups: SQLite + the database queue
// (tests/integration/loyalty-retro.test.ts) and PostgreSQL + BullMQ on Redis (tests/services/loyalty-retro-scale.test.ts).
// The orders are seeded straight into the order state, as the history import leaves them (no domain events).
import { beforeAll, describe, expect, it } from "vitest";
import { prisma } from "~/db/db.server";
import { createJobQueue } from "~/jobs/index.server";
import { LOYALTY_RETRO_JOB, retroJobKey } from "~/loyalty/jobs";
import { checkShopLedger } from "~/loyalty/ledger.server";
import { retroOrderPoints } from "~/loyalty/retroactive";
import { latestRetroAward, previewRetroPoints, RetroAwardError, runRetroAward, startRetroAward } from "~/loyalty/retroactive.server";
import { loadProgram, saveProgram } from "~/loyalty/program.server";
import "~/app.server"; // registers the personal-data holders customers/redact walks
import { redactCustomer } from "~/privacy/privacy.server";

const CUTOFF = new Date("2026-06-01T00:00:00Z");
const BEFORE = new Date("2026-03-10T10:00:00Z");
const AFTER = new Date("2026-06-05T10:00:00Z");
const customer = (n: number) => `gid://shopify/Customer/77${n}`;

interface Seed {
  n: number;
  customer: number | null;
  subtotal: number;
  total?: number;
  refunds?: { gid: string; amountMinor: number }[];
  lines?: { productGid: string; priceMinor: number; quantity: number }[];
  test?: boolean;
  cancelled?: boolean;
  paid?: boolean;
  at?: Date;
}

// 1 point per euro, floor; product 2 earns nothing. Hand-computed points after each row.
const ORDERS: Seed[] = [
  { n: 1, customer: 1, subtotal: 4550, total: 5000 }, // 45
  { n: 2, customer: 1, subtotal: 2000, refunds: [{ gid: "gid://shopify/Refund/1", amountMinor: 1000 }] }, // 20 − 10 = 10
  { n: 3, customer: 2, subtotal: 10000 }, // 100
  { n: 4, customer: 3, subtotal: 3000 }, // 30
  {
    n: 5,
    customer: 3,
    subtotal: 6000,
    lines: [
      { productGid: "gid://shopify/Product/1", priceMinor: 4000, quantity: 1 },
      { productGid: "gid://shopify/Product/2", priceMinor: 1000, quantity: 2 },
    ],
  }, // 40 (product 2 excluded)
  { n: 6, customer: 3, subtotal: 1000, refunds: [{ gid: "gid://shopify/Refund/6", amountMinor: 1000 }] }, // fully refunded: 0
  { n: 7, customer: null, subtotal: 5000 }, // guest
  { n: 8, customer: 1, subtotal: 5000, test: true },
  { n: 9, customer: 2, subtotal: 5000, cancelled: true },
  { n: 10, customer: 3, subtotal: 5000, at: AFTER }, // after the import began: a live order
  { n: 11, customer: 2, subtotal: 7000 }, // already earned live (seeded earn entry)
  { n: 12, customer: 2, subtotal: 5000, paid: false },
];
const EXPECTED = { orders: 5, customers: 3, points: 225 };

async function seedShop(shop: string): Promise<void> {
  await prisma.shop.create({ data: { domain: shop, name: shop, currencyCode: "EUR", ianaTimezone: "Europe/Ljubljana" } });
  await prisma.backfillRun.create({ data: { shop, status: "completed", createdAt: CUTOFF, finishedAt: CUTOFF, ordersImported: ORDERS.length } });
  await saveProgram(shop, { enabled: true, pointsPerUnit: "1", pendingDays: 14, rounding: "floor", excludedProductGids: ["gid://shopify/Product/2"] });
  for (const o of ORDERS) {
    const at = o.at ?? BEFORE;
    await prisma.orderState.create({
      data: {
        shop,
        orderGid: `gid://shopify/Order/${o.n}`,
        name: `#${1000 + o.n}`,
        customerGid: o.customer === null ? null : customer(o.customer),
        email: o.customer === null ? "guest@example.com" : `c${o.customer}@example.com`,
        currency: "EUR",
        subtotalMinor: o.subtotal,
        totalMinor: o.total ?? o.subtotal,
        currentSubtotalMinor: o.subtotal - (o.refunds ?? []).reduce((s, r) => s + r.amountMinor, 0),
        refundedMinor: (o.refunds ?? []).reduce((s, r) => s + r.amountMinor, 0),
        test: o.test ?? false,
        placed: true,
        paid: o.paid ?? true,
        cancelledAt: o.cancelled ? at : null,
        processedAt: at,
        orderCreatedAt: at,
        sourceUpdatedAt: at,
        lineItems: JSON.stringify(
          (o.lines ?? [{ productGid: "gid://shopify/Product/1", priceMinor: o.subtotal, quantity: 1 }]).map((l, i) => ({
            gid: `gid://shopify/LineItem/${o.n}${i}`,
            variantGid: null,
            title: "Item",
            vendor: null,
            currentQuantity: l.quantity,
            ...l,
          })),
        ),
        refunds: JSON.stringify((o.refunds ?? []).map((r) => ({ ...r, createdAt: at.toISOString(), currency: "EUR", lineItems: [] }))),
      },
    });
  }
  // Order 11 earned when it was placed (the program's own earn key).
  await prisma.loyaltyEntry.create({
    data: {
      shop,
      customerGid: customer(2),
      key: "earn:gid://shopify/Order/11",
      kind: "earn",
      status: "approved",
      points: 70,
      orderGid: "gid://shopify/Order/11",
    },
  });
  await prisma.loyaltyAccount.create({ data: { shop, customerGid: customer(2), points: 70 } });
}

/** Runs the award job's slices until the run is done (what the worker does, slice after slice). */
async function runToEnd(shop: string): Promise<string> {
  const run = (await latestRetroAward(shop))!;
  for (let i = 0; i < 100; i++) {
    const status = await runRetroAward(shop, run.id);
    if (status !== "running") return status;
  }
  throw new Error("the award did not finish");
}

const balances = async (shop: string) =>
  Object.fromEntries(
    (await prisma.loyaltyAccount.findMany({ where: { shop }, orderBy: { customerGid: "asc" } })).map((a) => [
      a.customerGid,
      { points: a.points, pending: a.pending },
    ]),
  );

export function describeRetroPoints(setup: string): void {
  const shopA = `retro-a-${Date.now()}.myshopify.com`;
  const shopB = `retro-b-${Date.now()}.myshopify.com`;

  beforeAll(async () => {
    await seedShop(shopA);
    await seedShop(shopB);
  });

  describe(`points for past orders (${setup})`, () => {
    it("GIVEN imported orders THEN the preview is the sum of each order's earn by the program's rules, past orders with a customer only", async () => {
      const preview = await previewRetroPoints(shopA);
      expect(preview).toEqual({ before: CUTOFF.toISOString(), ...EXPECTED });
      // The same figure from the pure per-order function, order by order (those that are eligible).
      const program = await loadProgram(shopA);
      const rows = await prisma.orderState.findMany({ where: { shop: shopA, orderGid: { in: [1, 2, 3, 4, 5, 6].map((n) => `gid://shopify/Order/${n}`) } } });
      const sum = rows.reduce(
        (total, r) =>
          total +
          retroOrderPoints(program, {
            orderGid: r.orderGid,
            name: r.name,
            currency: r.currency!,
            subtotalMinor: r.subtotalMinor!,
            totalMinor: r.totalMinor!,
            lines: JSON.parse(r.lineItems),
            refunds: JSON.parse(r.refunds),
          }).net,
        0,
      );
      expect(sum).toBe(EXPECTED.points);
    });

    it("GIVEN the award THEN each order's points land once, approved, with no domain event, flow or mail; a second award and a re-run add nothing", async () => {
      const run = await startRetroAward(shopA, "staff@example.com");
      expect(run).toMatchObject({ status: "queued", previewOrders: 5, previewCustomers: 3, previewPoints: 225 });
      // A second click while it is queued answers the same run.
      expect((await startRetroAward(shopA, "staff@example.com")).id).toBe(run.id);
      const queue = createJobQueue();
      try {
        const jobs = await queue.listJobs(shopA, { limit: 100 });
        expect(jobs.filter((j) => j.name === LOYALTY_RETRO_JOB).map((j) => j.key)).toEqual([retroJobKey(run.id, null)]);
      } finally {
        await queue.close();
      }
      expect(await runToEnd(shopA)).toBe("completed");
      const done = (await latestRetroAward(shopA))!;
      expect(done).toMatchObject({ status: "completed", ordersAwarded: 5, customersAwarded: 3, pointsAwarded: 225, ordersSkipped: 0 });
      expect(await balances(shopA)).toEqual({
        [customer(1)]: { points: 55, pending: 0 },
        [customer(2)]: { points: 170, pending: 0 },
        [customer(3)]: { points: 70, pending: 0 },
      });
      const entries = await prisma.loyaltyEntry.findMany({ where: { shop: shopA }, orderBy: { key: "asc" } });
      expect(entries.map((e) => [e.key, e.kind, e.status, e.points])).toEqual([
        ["earn:gid://shopify/Order/1", "earn", "approved", 45],
        ["earn:gid://shopify/Order/11", "earn", "approved", 70],
        ["earn:gid://shopify/Order/2", "earn", "approved", 20],
        ["earn:gid://shopify/Order/3", "earn", "approved", 100],
        ["earn:gid://shopify/Order/4", "earn", "approved", 30],
        ["earn:gid://shopify/Order/5", "earn", "approved", 40],
        ["reverse:gid://shopify/Refund/1:earn:gid://shopify/Order/2", "reverse", "approved", -10],
      ]);
      expect((await checkShopLedger(shopA)).disagreements).toEqual([]);
      expect(await prisma.domainEvent.count({ where: { shop: shopA } })).toBe(0);
      expect(await prisma.mailMessage.count({ where: { shop: shopA } })).toBe(0);
      expect(await prisma.flowRun.count({ where: { shop: shopA } })).toBe(0);

      // A crash after the entries but before the run was closed: the job runs again from the start. Nothing moves.
      await prisma.loyaltyRetroAward.update({ where: { id: run.id }, data: { status: "running", cursor: null, finishedAt: null } });
      expect(await runToEnd(shopA)).toBe("completed");
      expect(await latestRetroAward(shopA)).toMatchObject({ ordersAwarded: 5, customersAwarded: 3, pointsAwarded: 225 });
      expect(await prisma.loyaltyEntry.count({ where: { shop: shopA } })).toBe(entries.length);
      // A second award: nothing is left.
      expect(await previewRetroPoints(shopA)).toMatchObject({ orders: 0, customers: 0, points: 0 });
      await expect(startRetroAward(shopA, null)).rejects.toBeInstanceOf(RetroAwardError);
      expect(await balances(shopA)).toMatchObject({ [customer(1)]: { points: 55 }, [customer(3)]: { points: 70 } });
    });

    it("GIVEN a customer deleted (redacted) between the preview and the award THEN the others get their points and the run completes", async () => {
      expect(await previewRetroPoints(shopB)).toMatchObject(EXPECTED);
      const run = await startRetroAward(shopB, null);
      expect(run.previewCustomers).toBe(3);
      await redactCustomer(shopB, JSON.stringify({ customer: { id: 772, email: "c2@example.com" }, orders_to_redact: [3, 9, 11, 12] }));
      expect(await runToEnd(shopB)).toBe("completed");
      expect(await latestRetroAward(shopB)).toMatchObject({ status: "completed", customersAwarded: 2, ordersAwarded: 4, pointsAwarded: 125 });
      const byCustomer = await balances(shopB);
      expect(byCustomer[customer(1)]).toEqual({ points: 55, pending: 0 });
      expect(byCustomer[customer(3)]).toEqual({ points: 70, pending: 0 });
      expect(byCustomer[customer(2)]).toBeUndefined();
      expect(await prisma.loyaltyEntry.count({ where: { shop: shopB, customerGid: customer(2) } })).toBe(0);
    });
  });
}

// Points for past (imported) orders, a merchant's opt-in: a preview ("1,240 customers would receive 312,400
// points"), then an award run by a job, a batch of customers at a time.
//
// Which orders: the shop's orders processed before its first history import began (history, not live orders),
// with a customer, paid, not cancelled, not a test, and with no earn in the ledger yet. Their points come from
// retroOrderPoints (the program's earn rules, pure) and land as ledger entries under the program's own earn key
// ("earn:<order>"), approved at once (their refund window is long past) — so an order earns once, whatever
// re-runs: a second click, a retried job after a crash, or the live earn. No domain event is recorded, so no
// flow, Shopify Flow trigger or mail follows; the ledger transaction schedules the balance mirror to Shopify as
// every ledger change does. Tiers are not re-evaluated here. Every query is scoped to one shop.
import { prisma } from "~/db/db.server";
import { getJobQueue } from "~/jobs/index.server";
import { now } from "~/lib/time/clock.server";
import { anonymousCustomerId } from "~/privacy/engagement-data.server";
import { LOYALTY_RETRO_JOB, retroJobKey } from "./jobs";
import { appendLedgerEntry, ledgerTransaction, lockAccount } from "./ledger.server";
import { loadProgram } from "./program.server";
import { retroOrderPoints, type PastOrder, type RetroOrderPoints, type RetroPreview } from "./retroactive";

export type RetroAwardRow = NonNullable<Awaited<ReturnType<typeof prisma.loyaltyRetroAward.findFirst>>>;

/** Customers per batch (one ledger transaction each), and batches per job before it hands on to the next. */
const CUSTOMERS_PER_BATCH = 50;
const BATCHES_PER_JOB = 40;
const ACTIVE = ["queued", "running"];

export class RetroAwardError extends Error {
  override name = "RetroAwardError";
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

/** The instant past orders end at: when the shop's first history import began; null before one has completed. */
export async function historyCutoff(shop: string): Promise<Date | null> {
  const completed = await prisma.backfillRun.findFirst({ where: { shop, status: "completed" }, select: { id: true } });
  if (!completed) return null;
  const first = await prisma.backfillRun.findFirst({ where: { shop }, orderBy: [{ createdAt: "asc" }, { id: "asc" }], select: { createdAt: true } });
  return first?.createdAt ?? null;
}

const eligible = (shop: string, before: Date) => ({
  shop,
  customerGid: { not: null },
  paid: true,
  test: false,
  cancelledAt: null,
  processedAt: { lt: before },
});

/** The next customers (GID order) after `after` who have eligible orders. */
async function nextCustomers(shop: string, before: Date, after: string | null): Promise<string[]> {
  const rows = await prisma.orderState.groupBy({
    by: ["customerGid"],
    where: { ...eligible(shop, before), ...(after ? { customerGid: { gt: after } } : {}) },
    orderBy: { customerGid: "asc" },
    take: CUSTOMERS_PER_BATCH,
  });
  return rows.map((r) => r.customerGid).filter((gid): gid is string => gid !== null);
}

interface CustomerOrders {
  customerGid: string;
  email: string | null;
  orders: { order: PastOrder; points: RetroOrderPoints }[];
}

function parseJson<T>(text: string): T[] {
  try {
    const value: unknown = JSON.parse(text);
    return Array.isArray(value) ? (value as T[]) : [];
  } catch {
    return [];
  }
}

/** These customers' eligible orders that have not earned yet, each with its retroactive points (> 0 only). */
async function ordersOf(shop: string, before: Date, customers: string[], program: Awaited<ReturnType<typeof loadProgram>>): Promise<CustomerOrders[]> {
  if (customers.length === 0) return [];
  const rows = await prisma.orderState.findMany({
    where: { ...eligible(shop, before), customerGid: { in: customers } },
    orderBy: [{ customerGid: "asc" }, { orderGid: "asc" }],
    select: {
      orderGid: true,
      name: true,
      customerGid: true,
      email: true,
      currency: true,
      subtotalMinor: true,
      totalMinor: true,
      lineItems: true,
      refunds: true,
    },
  });
  const earned = await prisma.loyaltyEntry.findMany({
    where: { shop, kind: "earn", orderGid: { in: rows.map((r) => r.orderGid) } },
    select: { orderGid: true },
  });
  const done = new Set(earned.map((e) => e.orderGid));
  const byCustomer = new Map<string, CustomerOrders>();
  for (const row of rows) {
    if (done.has(row.orderGid) || !row.customerGid || !row.currency) continue;
    const order: PastOrder = {
      orderGid: row.orderGid,
      name: row.name,
      currency: row.currency,
      subtotalMinor: row.subtotalMinor ?? 0,
      totalMinor: row.totalMinor ?? 0,
      lines: parseJson<{ productGid: string | null; priceMinor: number; quantity: number }>(row.lineItems),
      refunds: parseJson<{ gid: string; createdAt: string; amountMinor: number }>(row.refunds),
    };
    const points = retroOrderPoints(program, order);
    if (points.net <= 0) continue;
    const entry = byCustomer.get(row.customerGid) ?? { customerGid: row.customerGid, email: null, orders: [] };
    entry.email ??= row.email;
    entry.orders.push({ order, points });
    byCustomer.set(row.customerGid, entry);
  }
  return [...byCustomer.values()];
}

/** What awarding now would give: orders, customers and points (the sum of each order's retroactive points). */
export async function previewRetroPoints(shop: string): Promise<RetroPreview> {
  const before = await historyCutoff(shop);
  if (!before) throw new RetroAwardError("history", "Import the shop's order history first: past orders are the ones it imports.");
  const program = await loadProgram(shop);
  const preview: RetroPreview = { before: before.toISOString(), orders: 0, customers: 0, points: 0 };
  for (let after: string | null = null; ;) {
    const customers = await nextCustomers(shop, before, after);
    if (customers.length === 0) break;
    for (const c of await ordersOf(shop, before, customers, program)) {
      preview.customers++;
      preview.orders += c.orders.length;
      preview.points += c.orders.reduce((sum, o) => sum + o.points.net, 0);
    }
    after = customers[customers.length - 1]!;
  }
  return preview;
}

/** The shop's latest award, or null. */
export function latestRetroAward(shop: string): Promise<RetroAwardRow | null> {
  return prisma.loyaltyRetroAward.findFirst({ where: { shop }, orderBy: [{ createdAt: "desc" }, { id: "desc" }] });
}

/**
 * Starts an award (the merchant confirmed the preview): the preview is taken again now and stored with the run.
 * An award under way is answered as it is (a second click starts nothing). Throws RetroAwardError when the
 * program is off, no history was imported, or nothing is left to award.
 */
export async function startRetroAward(shop: string, startedBy: string | null): Promise<RetroAwardRow> {
  const latest = await latestRetroAward(shop);
  if (latest && ACTIVE.includes(latest.status)) return latest;
  const program = await loadProgram(shop);
  if (!program.enabled) throw new RetroAwardError("program", "Turn the loyalty program on first: past orders earn by its rules.");
  const preview = await previewRetroPoints(shop);
  if (preview.points <= 0) throw new RetroAwardError("preview", "No past order is left to earn points.");
  const run = await prisma.loyaltyRetroAward.create({
    data: {
      shop,
      status: "queued",
      before: new Date(preview.before),
      previewOrders: preview.orders,
      previewCustomers: preview.customers,
      previewPoints: preview.points,
      startedBy,
    },
  });
  await getJobQueue().enqueue({ name: LOYALTY_RETRO_JOB, shop, payload: { runId: run.id }, key: retroJobKey(run.id, null) });
  return run;
}

/** Awards one customer's orders in one ledger transaction; answers what was appended. */
async function awardCustomer(shop: string, runId: string, customer: CustomerOrders): Promise<{ orders: number; points: number }> {
  return ledgerTransaction(async ({ tx }) => {
    await lockAccount(tx, shop, customer.customerGid, customer.email);
    let orders = 0;
    let points = 0;
    const at = now();
    for (const { order, points: retro } of customer.orders) {
      let earnedNow = false;
      for (const entry of retro.entries) {
        const added = await appendLedgerEntry(tx, {
          shop,
          customerGid: customer.customerGid,
          email: customer.email,
          key: entry.key,
          kind: entry.kind,
          status: "approved",
          points: entry.points,
          orderGid: order.orderGid,
          sourceKey: entry.sourceKey,
          reason: entry.reason,
          at,
        });
        // The earn decides: once it is in the ledger (this run or an earlier one), its reversals follow it.
        if (entry.kind === "earn" && !added) break;
        if (entry.kind === "earn") earnedNow = true;
        if (added) points += entry.points;
      }
      if (earnedNow) orders++;
    }
    if (orders > 0)
      await tx.loyaltyRetroAward.update({
        where: { id: runId },
        data: { ordersAwarded: { increment: orders }, customersAwarded: { increment: 1 }, pointsAwarded: { increment: points } },
      });
    return { orders, points };
  });
}

/** Whether the customer was redacted (their loyalty rows carry the anonymous id): they get nothing more. */
async function redacted(shop: string, customerGid: string): Promise<boolean> {
  const anonymous = anonymousCustomerId(shop, customerGid);
  return (await prisma.loyaltyAccount.count({ where: { shop, customerGid: anonymous } })) > 0;
}

/**
 * The award job: from the run's cursor, a batch of customers at a time, each customer in its own transaction
 * (their counters move with their entries, so a crash loses or repeats nothing). A customer deleted or redacted
 * since the preview is left out (their orders no longer have them, or they are skipped and counted) and the batch
 * goes on. After BATCHES_PER_JOB batches the job hands on to the next one.
 */
export async function runRetroAward(shop: string, runId: string): Promise<string> {
  const run = await prisma.loyaltyRetroAward.findFirst({ where: { id: runId, shop } });
  if (!run || !ACTIVE.includes(run.status)) return run?.status ?? "not_found";
  await prisma.loyaltyRetroAward.update({ where: { id: run.id }, data: { status: "running" } });
  const program = await loadProgram(shop);
  let cursor = run.cursor;
  for (let batch = 0; batch < BATCHES_PER_JOB; batch++) {
    const customers = await nextCustomers(shop, run.before, cursor);
    if (customers.length === 0) {
      await prisma.loyaltyRetroAward.update({ where: { id: run.id }, data: { status: "completed", finishedAt: now() } });
      return "completed";
    }
    let skipped = 0;
    for (const customer of await ordersOf(shop, run.before, customers, program)) {
      try {
        if (await redacted(shop, customer.customerGid)) skipped += customer.orders.length;
        else await awardCustomer(shop, run.id, customer);
      } catch (error) {
        // One customer's failure (e.g. deleted while we worked) must not stop everyone else's points.
        console.warn(`[loyalty] past-order points for ${customer.customerGid} (${shop}) skipped:`, (error as Error).message);
        skipped += customer.orders.length;
      }
    }
    cursor = customers[customers.length - 1]!;
    await prisma.loyaltyRetroAward.update({ where: { id: run.id }, data: { cursor, ...(skipped ? { ordersSkipped: { increment: skipped } } : {}) } });
  }
  await getJobQueue().enqueue({ name: LOYALTY_RETRO_JOB, shop, payload: { runId: run.id }, key: retroJobKey(run.id, cursor) });
  return "running";
}

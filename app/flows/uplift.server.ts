// Does a flow pay? Reads a flow's runs and the shop's orders (OrderState) and compares the customers it acted on
// (treated) with those it held out (holdout.ts), over a window after each customer's first run of the flow:
// repeat-purchase rate and net sales per customer (uplift.ts), and the revenue attributed to the flow — the net
// sales of treated customers' orders within the window, and separately the orders that used a discount code one
// of its runs made (any time). Counted: customers whose window has ended (a customer
// triggered yesterday has not had 30 days to come back yet); orders that are not test orders and not cancelled,
// net sales = currentSubtotalMinor (after discounts, refunds, returns; no shipping or tax). Runs that did not
// pass the conditions are neither side. One shop.
import { prisma } from "~/db/db.server";
import { now } from "~/lib/time/clock.server";
import { computeUplift, type CustomerOutcome, type UpliftResult, type UpliftWindow } from "./uplift";

const DAY_MS = 86_400_000;
const CHUNK = 500;

export interface FlowUplift extends UpliftResult {
  windowDays: UpliftWindow;
  currency: string;
  /** Net sales (minor units) of treated customers' orders within the window after their run. */
  attributedRevenueMinor: number;
  attributedOrders: number;
  /** Customers whose window has not ended yet: not counted. */
  pendingCustomers: number;
  /** Orders (any time, not test, not cancelled) that used a discount code this flow made, and their net sales. */
  codeOrders: number;
  codeRevenueMinor: number;
}

interface Entry {
  customerGid: string;
  heldOut: boolean;
  start: Date;
}

function chunks<T>(items: T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += CHUNK) out.push(items.slice(i, i + CHUNK));
  return out;
}

/** Each customer's first run of the flow that passed its conditions (a run's subject is a customer or an order). */
async function firstRuns(shop: string, flowId: string): Promise<Entry[]> {
  const runs = await prisma.flowRun.findMany({
    where: { shop, flowId, status: { not: "skipped" } },
    select: { subjectGid: true, heldOut: true, createdAt: true },
    orderBy: { createdAt: "asc" },
  });
  const orderGids = [...new Set(runs.filter((r) => !r.subjectGid.includes("/Customer/")).map((r) => r.subjectGid))];
  const customerOf = new Map<string, string>();
  for (const part of chunks(orderGids)) {
    const rows = await prisma.orderState.findMany({ where: { shop, orderGid: { in: part } }, select: { orderGid: true, customerGid: true } });
    for (const row of rows) if (row.customerGid) customerOf.set(row.orderGid, row.customerGid);
  }
  const first = new Map<string, Entry>();
  for (const run of runs) {
    const customerGid = run.subjectGid.includes("/Customer/") ? run.subjectGid : customerOf.get(run.subjectGid);
    if (customerGid && !first.has(customerGid)) first.set(customerGid, { customerGid, heldOut: run.heldOut, start: run.createdAt });
  }
  return [...first.values()];
}

/** Orders that used a code made by one of this flow's runs (reward keys are "flow:<run>:<step>"). */
async function ordersWithFlowCodes(shop: string, flowId: string): Promise<{ orders: number; netSalesMinor: number }> {
  const runIds = new Set((await prisma.flowRun.findMany({ where: { shop, flowId, heldOut: false }, select: { id: true } })).map((r) => r.id));
  const rewards = await prisma.rewardCode.findMany({ where: { shop, key: { startsWith: "flow:" } }, select: { key: true, code: true } });
  const codes = [...new Set(rewards.filter((r) => runIds.has(r.key.split(":")[1] ?? "")).map((r) => r.code.toUpperCase()))];
  const seen = new Map<string, number>();
  for (let i = 0; i < codes.length; i += 100) {
    const part = codes.slice(i, i + 100);
    const rows = await prisma.orderState.findMany({
      where: { shop, test: false, cancelledAt: null, OR: part.map((code) => ({ discountCodes: { contains: code } })) },
      select: { orderGid: true, discountCodes: true, currentSubtotalMinor: true },
    });
    for (const row of rows) {
      const used = (JSON.parse(row.discountCodes) as string[]).map((c) => c.toUpperCase());
      if (used.some((c) => part.includes(c))) seen.set(row.orderGid, row.currentSubtotalMinor ?? 0);
    }
  }
  return { orders: seen.size, netSalesMinor: [...seen.values()].reduce((sum, v) => sum + v, 0) };
}

export async function loadFlowUplift(shop: string, flowId: string, windowDays: UpliftWindow): Promise<FlowUplift> {
  const shopRow = await prisma.shop.findUnique({ where: { domain: shop }, select: { currencyCode: true } });
  const windowMs = windowDays * DAY_MS;
  const cutoff = now().getTime() - windowMs;
  const entries = await firstRuns(shop, flowId);
  const mature = entries.filter((e) => e.start.getTime() <= cutoff);
  const outcomes = new Map<string, CustomerOutcome & { orders: number }>(mature.map((e) => [e.customerGid, { repeated: false, netSalesMinor: 0, orders: 0 }]));
  const startOf = new Map(mature.map((e) => [e.customerGid, e.start.getTime()]));
  for (const part of chunks(mature.map((e) => e.customerGid))) {
    const orders = await prisma.orderState.findMany({
      where: { shop, customerGid: { in: part }, test: false, cancelledAt: null, orderCreatedAt: { not: null } },
      select: { customerGid: true, orderCreatedAt: true, currentSubtotalMinor: true },
    });
    for (const order of orders) {
      const start = startOf.get(order.customerGid!)!;
      const at = order.orderCreatedAt!.getTime();
      if (at <= start || at > start + windowMs) continue;
      const outcome = outcomes.get(order.customerGid!)!;
      outcome.repeated = true;
      outcome.orders++;
      outcome.netSalesMinor += order.currentSubtotalMinor ?? 0;
    }
  }
  const codeUse = await ordersWithFlowCodes(shop, flowId);
  const treated = mature.filter((e) => !e.heldOut).map((e) => outcomes.get(e.customerGid)!);
  const heldOut = mature.filter((e) => e.heldOut).map((e) => outcomes.get(e.customerGid)!);
  return {
    ...computeUplift(treated, heldOut),
    windowDays,
    currency: shopRow?.currencyCode ?? "USD",
    attributedRevenueMinor: treated.reduce((sum, o) => sum + o.netSalesMinor, 0),
    attributedOrders: treated.reduce((sum, o) => sum + o.orders, 0),
    pendingCustomers: entries.length - mature.length,
    codeOrders: codeUse.orders,
    codeRevenueMinor: codeUse.netSalesMinor,
  };
}

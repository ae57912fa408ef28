/**
 * The retention metrics of ../shared/METRICS.md for one shop and period, from the order state the webhooks (and
 * imports) fill. The database does the counting: one grouped query per period puts each order in a bucket between
 * the period's boundaries (one CASE per order, the only per-order work), folds the buckets into one row per
 * customer and those into one row per first-order month — a few rows back, whatever the shop's size, read from
 * one covering index (OrderState_analytics_idx) — and metricsFromCounts (pure) turns the counts into figures.
 *
 * Dates are shop-local: each shop-local day boundary the definitions need (the period, the activity windows,
 * the month starts of the cohorts) is turned into the UTC instant it begins at in the shop's IANA time zone, so
 * the database compares instants only and daylight saving is handled where the boundaries are made.
 * Every statement filters by shop.
 */
import { prisma, databaseProvider } from "~/db/db.server";
import { rawSql } from "~/db/raw.server";
import { SqlParams } from "~/jobs/db-queue.server";
import { addDays, firstDayOf, monthNumber, monthOf, monthOfNumber, startOfShopDay } from "./calendar";
import { activityWindow, metricsFromCounts, periodDays, previousPeriod, type PeriodCounts, type Period, type RetentionMetrics } from "./metrics";

export class UnknownShopError extends Error {
  override name = "UnknownShopError";
  constructor(shop: string) {
    super(`unknown shop: ${shop}`);
  }
}

export interface ShopMetrics {
  shop: string;
  timeZone: string;
  current: RetentionMetrics;
  /** The period of the same length just before (compare to previous period); null when not asked for. */
  previous: RetentionMetrics | null;
}

export interface LoadOptions {
  /** Also compute the previous period of the same length. Default true. */
  compare?: boolean;
  /** W of METRICS.md; 365 by default. */
  activityWindowDays?: number;
}

/** The metrics of `period` (and of the one before it) for `shop`, in the shop's time zone and currency. */
export async function loadShopMetrics(shop: string, period: Period, options: LoadOptions = {}): Promise<ShopMetrics> {
  periodDays(period);
  const window = activityWindow(options.activityWindowDays);
  const row = await prisma.shop.findUnique({ where: { domain: shop }, select: { domain: true, currencyCode: true, ianaTimezone: true } });
  if (!row) throw new UnknownShopError(shop);
  const settings = { currency: row.currencyCode, activityWindowDays: window };
  const load = async (p: Period) => metricsFromCounts(await loadPeriodCounts(row.domain, p, row.ianaTimezone, window), p, settings);
  // Side by side: on PostgreSQL the two run on two connections at once; SQLite's one connection takes them in turn.
  const [current, previous] = await Promise.all([load(period), options.compare === false ? null : load(previousPeriod(period))]);
  return { shop: row.domain, timeZone: row.ianaTimezone, current, previous };
}

const QUALIFYING = `"processedAt" IS NOT NULL AND "cancelledAt" IS NULL AND "test" = false`;
const NET_SALES = `COALESCE("currentSubtotalMinor", "subtotalMinor", 0)`;

/** The counts of METRICS.md for one period, computed by the database (see the file's header). */
export async function loadPeriodCounts(shop: string, period: Period, timeZone: string, activityWindowDays: number): Promise<PeriodCounts> {
  periodDays(period);
  const window = activityWindow(activityWindowDays);
  const at = (date: string) => startOfShopDay(date, timeZone);
  const from = at(period.from);
  const end = at(addDays(period.to, 1)); // exclusive
  const startWindow = at(addDays(period.from, -window)); // active on from − 1: [from − W, from − 1]
  const endWindow = at(addDays(period.to, 1 - window)); // active on to: [to − W + 1, to]
  const firstMonth = monthNumber(monthOf(period.from));
  const lastMonth = monthNumber(monthOf(period.to));
  // monthStarts[k] = where month firstMonth + k begins; the last one ends the last month.
  const monthStarts = Array.from({ length: lastMonth - firstMonth + 2 }, (_, k) => at(firstDayOf(monthOfNumber(firstMonth + k))));
  const months = monthStarts.length - 1;

  const provider = databaseProvider();
  const db = rawSql(prisma);

  // Every boundary, sorted once; an order's bucket b is the number of boundaries at or before its instant, so
  // "between boundaries X (inclusive) and Y (exclusive)" is the integer test slot(X) < b <= slot(Y).
  const bounds = [...new Set([startWindow, from, endWindow, end, ...monthStarts].map((d) => d.getTime()))].sort((x, y) => x - y);
  const slot = (d: Date) => bounds.indexOf(d.getTime());
  const between = (x: Date, y: Date) => `"b" > ${slot(x)} AND "b" <= ${slot(y)}`;

  // Parameters are numbered in the order the text mentions them: only the innermost query has any.
  const q = new SqlParams(provider);
  const bucket = `CASE ${bounds.map((ms, i) => `WHEN "processedAt" < ${q.add(new Date(ms))} THEN ${i}`).join(" ")} ELSE ${bounds.length} END`;
  // 1. Per customer and bucket: one CASE per order, the only per-order work.
  const perBucket = `SELECT "customerGid" AS "c", ${bucket} AS "b", COUNT(*) AS "n", SUM(${NET_SALES}) AS "s" FROM "OrderState"
    WHERE "shop" = ${q.add(shop)} AND "customerGid" IS NOT NULL AND ${QUALIFYING} GROUP BY 1, 2`;
  // 2. Per customer: the first bucket (so the first qualifying order's month), what fell in the period and up to
  //    its end, activity in both windows, and in which later month of the period they ordered (month 0 never is one).
  const perCustomer = [
    `"c"`,
    `MIN("b") AS "first"`,
    `SUM(CASE WHEN ${between(from, end)} THEN "n" ELSE 0 END) AS "inPeriod"`,
    `SUM(CASE WHEN ${between(from, end)} THEN "s" ELSE 0 END) AS "salesInPeriod"`,
    `SUM(CASE WHEN "b" <= ${slot(end)} THEN "n" ELSE 0 END) AS "toDate"`,
    `SUM(CASE WHEN "b" <= ${slot(end)} THEN "s" ELSE 0 END) AS "salesToDate"`,
    `MAX(CASE WHEN ${between(startWindow, from)} THEN 1 ELSE 0 END) AS "atStart"`,
    `MAX(CASE WHEN ${between(endWindow, end)} THEN 1 ELSE 0 END) AS "atEnd"`,
    ...Array.from({ length: months - 1 }, (_, i) => `MAX(CASE WHEN ${between(monthStarts[i + 1]!, monthStarts[i + 2]!)} THEN 1 ELSE 0 END) AS "m${i + 1}"`),
  ];
  // 3. Per first-order month (cohort; -1 = none of the period's months): the sums.
  const firstIn = (x: Date, y: Date) => `"first" > ${slot(x)} AND "first" <= ${slot(y)}`;
  const cohort = `CASE ${monthStarts
    .slice(1)
    .map((start, k) => `WHEN ${firstIn(monthStarts[k]!, start)} THEN ${k}`)
    .join(" ")} ELSE -1 END`;
  const outer = [
    `${cohort} AS "cohort"`,
    `COUNT(*) AS "everyone"`,
    `SUM(CASE WHEN "inPeriod" > 0 THEN 1 ELSE 0 END) AS "customers"`,
    `SUM(CASE WHEN "inPeriod" > 0 AND "first" > ${slot(from)} THEN 1 ELSE 0 END) AS "newCustomers"`,
    `SUM(CASE WHEN "inPeriod" > 0 AND "toDate" >= 2 THEN 1 ELSE 0 END) AS "repeatCustomers"`,
    `SUM("inPeriod") AS "ordersWithCustomer"`,
    `SUM("salesInPeriod") AS "customerSales"`,
    `SUM("atStart") AS "activeAtStart"`,
    `SUM("atEnd") AS "activeAtEnd"`,
    `SUM(CASE WHEN "atStart" = 1 AND "atEnd" = 0 THEN 1 ELSE 0 END) AS "churned"`,
    `SUM(CASE WHEN "toDate" > 0 THEN 1 ELSE 0 END) AS "lifetimeCustomers"`,
    `SUM("salesToDate") AS "lifetimeSales"`,
    ...Array.from({ length: months - 1 }, (_, i) => `SUM("m${i + 1}") AS "m${i + 1}"`),
  ];
  const sql = `SELECT ${outer.join(", ")} FROM (SELECT ${perCustomer.join(", ")} FROM (${perBucket}) AS "perBucket" GROUP BY "c") AS "perCustomer" GROUP BY 1`;
  const groups = await db.$queryRawUnsafe<Record<string, unknown>[]>(sql, ...q.values);

  const g = new SqlParams(provider);
  const guestSql = `SELECT COUNT(*) AS "orders", SUM(${NET_SALES}) AS "sales" FROM "OrderState"
    WHERE "shop" = ${g.add(shop)} AND "customerGid" IS NULL AND ${QUALIFYING} AND "processedAt" >= ${g.add(from)} AND "processedAt" < ${g.add(end)}`;
  const [guests] = await db.$queryRawUnsafe<Record<string, unknown>[]>(guestSql, ...g.values);

  const n = (value: unknown) => (value === null || value === undefined ? 0 : Number(value));
  const sum = (column: string) => groups.reduce((total, row) => total + n(row[column]), 0);
  const ordersWithCustomer = sum("ordersWithCustomer");
  return {
    orders: ordersWithCustomer + n(guests?.orders),
    netSalesMinor: sum("customerSales") + n(guests?.sales),
    ordersWithCustomer,
    customers: sum("customers"),
    newCustomers: sum("newCustomers"),
    repeatCustomers: sum("repeatCustomers"),
    activeAtStart: sum("activeAtStart"),
    activeAtEnd: sum("activeAtEnd"),
    churned: sum("churned"),
    lifetimeCustomers: sum("lifetimeCustomers"),
    lifetimeSalesMinor: sum("lifetimeSales"),
    cohorts: groups
      .map((row) => ({ index: n(row.cohort), row }))
      .filter(({ index }) => index >= 0)
      .sort((a, b) => a.index - b.index)
      .map(({ index, row }) => ({
        month: monthOfNumber(firstMonth + index),
        customers: n(row.everyone),
        activeLater: Array.from({ length: months - 1 - index }, (_, j) => n(row[`m${index + 1 + j}`])),
      })),
  };
}

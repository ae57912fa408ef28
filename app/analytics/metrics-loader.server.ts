/**
 * The retention metrics of ../shared/METRICS.md for one shop and period, from the order state the webhooks (and
 * imports) fill. The database does the counting: one grouped query for all the periods asked (a period and the one
 * before it) puts each order in a bucket between the periods' boundaries (a binary search of nested CASEs, the only
 * per-order work), folds the buckets into one row per customer (with a bit mask of the buckets they ordered in)
 * and those into one row per first-order month — a few rows back, whatever the shop's size, read from one
 * covering index (OrderState_analytics_idx) — and metricsFromCounts (pure) turns the counts into figures.
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
  const periods = options.compare === false ? [period] : [period, previousPeriod(period)];
  // Both periods from one pass over the shop's orders (see loadPeriodsCounts).
  const counts = await loadPeriodsCounts(row.domain, periods, row.ianaTimezone, window);
  const [current, previous] = periods.map((p, i) => metricsFromCounts(counts[i]!, p, settings));
  return { shop: row.domain, timeZone: row.ianaTimezone, current: current!, previous: previous ?? null };
}

const QUALIFYING = `"processedAt" IS NOT NULL AND "cancelledAt" IS NULL AND "test" = false`;
const NET_SALES = `COALESCE("currentSubtotalMinor", "subtotalMinor", 0)`;

/** The counts of METRICS.md for one period, computed by the database (see the file's header). */
export async function loadPeriodCounts(shop: string, period: Period, timeZone: string, activityWindowDays: number): Promise<PeriodCounts> {
  return (await loadPeriodsCounts(shop, [period], timeZone, activityWindowDays))[0]!;
}

/** One period's shop-local boundaries as instants (see the file's header). */
function boundariesOf(period: Period, timeZone: string, window: number) {
  periodDays(period);
  const at = (date: string) => startOfShopDay(date, timeZone);
  const firstMonth = monthNumber(monthOf(period.from));
  const lastMonth = monthNumber(monthOf(period.to));
  return {
    from: at(period.from),
    end: at(addDays(period.to, 1)), // exclusive
    startWindow: at(addDays(period.from, -window)), // active on from − 1: [from − W, from − 1]
    endWindow: at(addDays(period.to, 1 - window)), // active on to: [to − W + 1, to]
    firstMonth,
    // monthStarts[k] = where month firstMonth + k begins; the last one ends the last month.
    monthStarts: Array.from({ length: lastMonth - firstMonth + 2 }, (_, k) => at(firstDayOf(monthOfNumber(firstMonth + k)))),
  };
}

/**
 * The counts of several periods (a period and the one before it; the months of a series) from ONE pass over the
 * shop's orders: every period's boundaries go into one sorted list, each order's bucket is found by a binary
 * search written as nested CASEs (about log2(boundaries) comparisons per order), and each period reads its own
 * columns of the per-customer rows. The last grouping is by every period's cohort at once (a few hundred rows at
 * most); each period's figures are sums over those rows.
 */
export async function loadPeriodsCounts(shop: string, periods: readonly Period[], timeZone: string, activityWindowDays: number): Promise<PeriodCounts[]> {
  const window = activityWindow(activityWindowDays);
  const all = periods.map((p) => boundariesOf(p, timeZone, window));
  const provider = databaseProvider();
  const db = rawSql(prisma);

  // Every boundary, sorted once; an order's bucket b is the number of boundaries at or before its instant, so
  // "between boundaries X (inclusive) and Y (exclusive)" is the integer test slot(X) < b <= slot(Y).
  const bounds = [...new Set(all.flatMap((p) => [p.startWindow, p.from, p.endWindow, p.end, ...p.monthStarts]).map((d) => d.getTime()))].sort((x, y) => x - y);
  const slotOf = new Map(bounds.map((ms, i) => [ms, i]));
  const slot = (d: Date) => slotOf.get(d.getTime())!;
  const between = (x: Date, y: Date) => `"b" > ${slot(x)} AND "b" <= ${slot(y)}`;

  // Parameters are numbered in the order the text mentions them: only the innermost query has any.
  const q = new SqlParams(provider);
  // bucket(lo, hi): the number of boundaries ≤ processedAt, known to be in [lo, hi]; a binary search.
  const bucket = (lo: number, hi: number): string => {
    if (lo === hi) return String(lo);
    const mid = Math.floor((lo + hi) / 2); // processedAt < bounds[mid] ⇔ bucket ≤ mid
    return `CASE WHEN "processedAt" < ${q.add(new Date(bounds[mid]!))} THEN ${bucket(lo, mid)} ELSE ${bucket(mid + 1, hi)} END`;
  };
  // 1. Per customer and bucket: one bucket per order, the only per-order work.
  const perBucket = `SELECT "customerGid" AS "c", ${bucket(0, bounds.length)} AS "b", COUNT(*) AS "n", SUM(${NET_SALES}) AS "s" FROM "OrderState"
    WHERE "shop" = ${q.add(shop)} AND "customerGid" IS NOT NULL AND ${QUALIFYING} GROUP BY 1, 2`;
  // 2. Per customer: the first bucket (so the first qualifying order's month), and for each period what fell in
  //    it and up to its end; plus in which buckets they ordered at all. With up to 62 boundaries that is one
  //    bit mask per customer ("m": bucket b sets bit b, each bucket once per customer so SUM is OR), and "did
  //    they order between X and Y" (activity windows, the later months of a cohort) is a bit test in step 3, on
  //    one row per customer, instead of a column each over every (customer, bucket) row. More boundaries (very
  //    long periods) get one 0/1 column per such question.
  const useMask = bounds.length <= 62;
  const perCustomer = [`"c"`, `MIN("b") AS "first"`];
  if (useMask) perCustomer.push(provider === "postgresql" ? `BIT_OR(CAST(1 AS BIGINT) << "b") AS "m"` : `SUM(1 << "b") AS "m"`);
  const outer: string[] = [];
  const firstIn = (x: Date, y: Date) => `"first" > ${slot(x)} AND "first" <= ${slot(y)}`;
  let flags = 0;
  /** 1 when the customer ordered between boundaries X (inclusive) and Y (exclusive), else 0, in step 3. */
  const ordered = (x: Date, y: Date): string => {
    if (useMask) {
      let bits = 0n;
      for (let b = slot(x) + 1; b <= slot(y); b++) bits |= 1n << BigInt(b);
      return `(CASE WHEN ("m" & ${bits.toString()}) <> 0 THEN 1 ELSE 0 END)`;
    }
    const name = `"f${flags++}"`;
    perCustomer.push(`MAX(CASE WHEN ${between(x, y)} THEN 1 ELSE 0 END) AS ${name}`);
    return name;
  };
  all.forEach((p, i) => {
    const { from, end, startWindow, endWindow, monthStarts } = p;
    const months = monthStarts.length - 1;
    const c = (name: string) => `"p${i}_${name}"`;
    perCustomer.push(
      `SUM(CASE WHEN ${between(from, end)} THEN "n" ELSE 0 END) AS ${c("inPeriod")}`,
      `SUM(CASE WHEN ${between(from, end)} THEN "s" ELSE 0 END) AS ${c("salesInPeriod")}`,
      `SUM(CASE WHEN "b" <= ${slot(end)} THEN "n" ELSE 0 END) AS ${c("toDate")}`,
      `SUM(CASE WHEN "b" <= ${slot(end)} THEN "s" ELSE 0 END) AS ${c("salesToDate")}`,
    );
    const atStart = ordered(startWindow, from);
    const atEnd = ordered(endWindow, end);
    const later = Array.from({ length: months - 1 }, (_, k) => ordered(monthStarts[k + 1]!, monthStarts[k + 2]!));
    // 3. Per first-order month of each period (cohort; -1 = none of the period's months): the sums.
    const cohort = `CASE ${monthStarts
      .slice(1)
      .map((start, k) => `WHEN ${firstIn(monthStarts[k]!, start)} THEN ${k}`)
      .join(" ")} ELSE -1 END`;
    outer.push(
      `${cohort} AS ${c("cohort")}`,
      `SUM(CASE WHEN ${c("inPeriod")} > 0 THEN 1 ELSE 0 END) AS ${c("customers")}`,
      `SUM(CASE WHEN ${c("inPeriod")} > 0 AND "first" > ${slot(from)} THEN 1 ELSE 0 END) AS ${c("newCustomers")}`,
      `SUM(CASE WHEN ${c("inPeriod")} > 0 AND ${c("toDate")} >= 2 THEN 1 ELSE 0 END) AS ${c("repeatCustomers")}`,
      `SUM(${c("inPeriod")}) AS ${c("ordersWithCustomer")}`,
      `SUM(${c("salesInPeriod")}) AS ${c("customerSales")}`,
      `SUM(${atStart}) AS ${c("activeAtStart")}`,
      `SUM(${atEnd}) AS ${c("activeAtEnd")}`,
      `SUM(CASE WHEN ${atStart} = 1 AND ${atEnd} = 0 THEN 1 ELSE 0 END) AS ${c("churned")}`,
      `SUM(CASE WHEN ${c("toDate")} > 0 THEN 1 ELSE 0 END) AS ${c("lifetimeCustomers")}`,
      `SUM(${c("salesToDate")}) AS ${c("lifetimeSales")}`,
      ...later.map((flag, k) => `SUM(${flag}) AS ${c(`m${k + 1}`)}`),
    );
  });
  const groupBy = all.map((_, i) => `"p${i}_cohort"`).join(", ");
  const sql = `SELECT COUNT(*) AS "everyone", ${outer.join(", ")} FROM (SELECT ${perCustomer.join(", ")} FROM (${perBucket}) AS "perBucket" GROUP BY "c") AS "perCustomer" GROUP BY ${groupBy}`;
  const groups = await db.$queryRawUnsafe<Record<string, unknown>[]>(sql, ...q.values);

  // Guests: each period's orders and sales in one pass too.
  const g = new SqlParams(provider);
  const guestColumns = all.map(
    (p, i) =>
      `SUM(CASE WHEN "processedAt" >= ${g.add(p.from)} AND "processedAt" < ${g.add(p.end)} THEN 1 ELSE 0 END) AS "orders${i}", ` +
      `SUM(CASE WHEN "processedAt" >= ${g.add(p.from)} AND "processedAt" < ${g.add(p.end)} THEN ${NET_SALES} ELSE 0 END) AS "sales${i}"`,
  );
  const earliest = new Date(Math.min(...all.map((p) => p.from.getTime())));
  const latest = new Date(Math.max(...all.map((p) => p.end.getTime())));
  const guestSql = `SELECT ${guestColumns.join(", ")} FROM "OrderState"
    WHERE "shop" = ${g.add(shop)} AND "customerGid" IS NULL AND ${QUALIFYING} AND "processedAt" >= ${g.add(earliest)} AND "processedAt" < ${g.add(latest)}`;
  const [guests] = await db.$queryRawUnsafe<Record<string, unknown>[]>(guestSql, ...g.values);

  const n = (value: unknown) => (value === null || value === undefined ? 0 : Number(value));
  return all.map((p, i) => {
    const months = p.monthStarts.length - 1;
    const col = (name: string) => `p${i}_${name}`;
    const sum = (name: string) => groups.reduce((total, row) => total + n(row[col(name)]), 0);
    // This period's cohorts: the rows of each of its cohorts, whatever the other periods' cohorts are.
    const cohorts = new Map<number, { everyone: number; later: number[] }>();
    for (const row of groups) {
      const index = n(row[col("cohort")]);
      if (index < 0) continue;
      const entry = cohorts.get(index) ?? { everyone: 0, later: Array.from({ length: months - 1 - index }, () => 0) };
      entry.everyone += n(row.everyone);
      entry.later.forEach((_, j) => (entry.later[j]! += n(row[col(`m${index + 1 + j}`)])));
      cohorts.set(index, entry);
    }
    const ordersWithCustomer = sum("ordersWithCustomer");
    return {
      orders: ordersWithCustomer + n(guests?.[`orders${i}`]),
      netSalesMinor: sum("customerSales") + n(guests?.[`sales${i}`]),
      ordersWithCustomer,
      customers: sum("customers"),
      newCustomers: sum("newCustomers"),
      repeatCustomers: sum("repeatCustomers"),
      activeAtStart: sum("activeAtStart"),
      activeAtEnd: sum("activeAtEnd"),
      churned: sum("churned"),
      lifetimeCustomers: sum("lifetimeCustomers"),
      lifetimeSalesMinor: sum("lifetimeSales"),
      cohorts: [...cohorts.entries()]
        .sort((a, b) => a[0] - b[0])
        .map(([index, c]) => ({ month: monthOfNumber(p.firstMonth + index), customers: c.everyone, activeLater: c.later })),
    };
  });
}

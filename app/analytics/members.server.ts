/**
 * Loyalty members vs the other customers of a period (members.ts computes the figures): one grouped query per
 * page over the shop's qualifying orders up to the period's end, one row per customer who ordered in the period,
 * each marked a member when the shop has a LoyaltyAccount or a LoyaltyEntry for that customer. Every statement is
 * filtered by shop; period boundaries are the UTC instants the shop-local days start at.
 */
import { prisma, databaseProvider } from "~/db/db.server";
import { rawSql } from "~/db/raw.server";
import { SqlParams } from "~/jobs/db-queue.server";
import { addDays, startOfShopDay } from "./calendar";
import { memberComparison, type CustomerTally, type MemberComparison } from "./members";
import { periodDays, type Period } from "./metrics";

const QUALIFYING = `"processedAt" IS NOT NULL AND "cancelledAt" IS NULL AND "test" = false`;
const NET_SALES = `COALESCE("currentSubtotalMinor", "subtotalMinor", 0)`;

export async function loadMemberComparison(shop: string, period: Period, timeZone: string, currency: string): Promise<MemberComparison> {
  periodDays(period);
  const start = startOfShopDay(period.from, timeZone);
  const end = startOfShopDay(addDays(period.to, 1), timeZone); // exclusive
  // Parameters are numbered in the order the text mentions them (SQLite's "?"): the template adds them so.
  const q = new SqlParams(databaseProvider());
  const inPeriod = () => `"processedAt" >= ${q.add(start)} AND "processedAt" < ${q.add(end)}`;
  const sql = `SELECT "t"."orders", "t"."sales", "t"."toDate",
      CASE WHEN EXISTS (SELECT 1 FROM "LoyaltyAccount" "a" WHERE "a"."shop" = ${q.add(shop)} AND "a"."customerGid" = "t"."c")
        OR EXISTS (SELECT 1 FROM "LoyaltyEntry" "e" WHERE "e"."shop" = ${q.add(shop)} AND "e"."customerGid" = "t"."c") THEN 1 ELSE 0 END AS "member"
    FROM (SELECT "customerGid" AS "c",
        SUM(CASE WHEN ${inPeriod()} THEN 1 ELSE 0 END) AS "orders",
        SUM(CASE WHEN ${inPeriod()} THEN ${NET_SALES} ELSE 0 END) AS "sales",
        COUNT(*) AS "toDate"
      FROM "OrderState" WHERE "shop" = ${q.add(shop)} AND "customerGid" IS NOT NULL AND ${QUALIFYING} AND "processedAt" < ${q.add(end)}
      GROUP BY "customerGid") AS "t"
    WHERE "t"."orders" > 0`;
  const rows = await rawSql(prisma).$queryRawUnsafe<Record<string, unknown>[]>(sql, ...q.values);
  const tallies: CustomerTally[] = rows.map((row) => ({
    member: Number(row.member) === 1,
    orders: Number(row.orders),
    netSalesMinor: Number(row.sales ?? 0),
    ordersToDate: Number(row.toDate),
  }));
  return memberComparison(tallies, currency);
}

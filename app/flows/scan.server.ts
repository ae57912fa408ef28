// The daily `flows.scan` job per shop: finds customers whose last order is older than a win-back flow's N days
// and records a `customer.winback` domain event for each (once per customer, last order and N — a customer who
// orders again can be won back again later), birthdays and first-order anniversaries (once per customer and year),
// then hands them to the flows dispatcher. One job per shop and
// day (keyed by the day), re-chained by each run.
import { prisma } from "~/db/db.server";
import { getJobQueue } from "~/jobs/index.server";
import type { JobContext } from "~/jobs/queue";
import { awardBirthdayPoints } from "~/loyalty/loyalty.server";
import { now } from "~/lib/time/clock.server";
import type { FlowDefinition } from "./definition";
import { scheduleDomainEventDispatch } from "~/domain-events/dispatch.server";
import { recordDomainEvents } from "~/domain-events/record.server";
import { anniversariesOn, anniversaryEventKey } from "./anniversary";
import { FLOW_SCAN_JOB } from "./jobs";

const DAY_MS = 24 * 3600 * 1000;

/** Starts (or keeps) the shop's daily scan chain: one job per day slot. */
export async function ensureFlowScans(shop: string, at: Date = now()): Promise<void> {
  const slot = Math.floor(at.getTime() / DAY_MS) + 1;
  await getJobQueue().enqueue({ name: FLOW_SCAN_JOB, shop, payload: {}, key: `${FLOW_SCAN_JOB}:${slot}`, runAt: new Date(slot * DAY_MS) });
}

export async function scanShopForFlowEvents(job: JobContext): Promise<{ recorded: number }> {
  const shop = job.shop;
  const shopRow = await prisma.shop.findUnique({ where: { domain: shop }, select: { uninstalledAt: true } });
  if (!shopRow || shopRow.uninstalledAt) return { recorded: 0 };
  const recorded = (await recordWinbackEvents(shop, now())) + (await recordBirthdays(shop, now())) + (await recordAnniversaries(shop, now()));
  if (recorded > 0) await scheduleDomainEventDispatch(shop);
  await ensureFlowScans(shop, new Date(now().getTime() + 1000));
  return { recorded };
}

/** Win-back events for every enabled win-back flow's N days. Answers how many were new. */
export async function recordWinbackEvents(shop: string, at: Date): Promise<number> {
  const flows = await prisma.flow.findMany({ where: { shop, enabled: true, triggerType: "customer.winback" }, select: { definition: true } });
  const periods = [
    ...new Set(flows.map((f) => (JSON.parse(f.definition) as FlowDefinition).trigger).flatMap((t) => (t.type === "customer.winback" ? [t.days] : []))),
  ];
  if (periods.length === 0) return 0;
  const shopRow = await prisma.shop.findUnique({ where: { domain: shop }, select: { installedAt: true } });
  if (!shopRow) return 0;
  let recorded = 0;
  for (const days of periods) {
    const cutoff = new Date(at.getTime() - days * DAY_MS);
    // Only customers who lapse while the app is installed: the history import brings in customers who lapsed years
    // ago, and winning each of them back on the first scan would mail (and make a code for) the whole past at once.
    const lapsedSince = new Date(shopRow.installedAt.getTime() - days * DAY_MS);
    const lapsed = await prisma.orderState.groupBy({
      by: ["customerGid"],
      where: { shop, customerGid: { not: null }, cancelledAt: null },
      _max: { orderCreatedAt: true },
      having: { orderCreatedAt: { _max: { lt: cutoff, gte: lapsedSince } } },
    });
    for (const customer of lapsed) {
      const customerGid = customer.customerGid!;
      const lastAt = customer._max.orderCreatedAt!;
      const last = await prisma.orderState.findFirst({ where: { shop, customerGid, orderCreatedAt: lastAt }, select: { orderGid: true, email: true } });
      const key = `customer.winback:${days}:${customerGid}:${last?.orderGid ?? lastAt.toISOString()}`;
      const held = await prisma.domainEvent.findUnique({ where: { shop_key: { shop, key } }, select: { id: true } });
      if (held) continue;
      try {
        recorded += (
          await recordDomainEvents(prisma, shop, [
            {
              kind: "customer.winback",
              key,
              subjectGid: customerGid,
              occurredAt: at,
              payload: { customerGid, email: last?.email ?? null, days, lastOrderGid: last?.orderGid ?? null, lastOrderAt: lastAt.toISOString() },
            },
          ])
        ).length;
      } catch (error) {
        if ((error as { code?: string }).code !== "P2002") throw error; // a concurrent scan recorded it
      }
    }
  }
  return recorded;
}

/** At worker start: every installed shop has its daily scan chain (a broken chain restarts here). */
export async function ensureFlowScansForInstalledShops(): Promise<void> {
  const shops = await prisma.shop.findMany({ where: { uninstalledAt: null }, select: { domain: true } });
  for (const { domain } of shops) await ensureFlowScans(domain);
}

/** Today's month-day in the shop's time zone, and the birthdays celebrated on it (29 Feb on 28 Feb off leap years). */
export function birthdaysOn(at: Date, timeZone: string): { year: number; days: string[] } {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).formatToParts(at).map((p) => [p.type, p.value]),
  );
  const year = Number(parts.year);
  const today = `${parts.month}-${parts.day}`;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return { year, days: today === "02-28" && !leap ? ["02-28", "02-29"] : [today] };
}

/**
 * Customers whose birthday (told on the thank-you page) is today in the shop's time zone: a `customer.birthday`
 * domain event each (once a year, so the birthday flow trigger fires once) and the program's birthday points.
 */
export async function recordBirthdays(shop: string, at: Date): Promise<number> {
  const shopRow = await prisma.shop.findUnique({ where: { domain: shop }, select: { ianaTimezone: true } });
  const { year, days } = birthdaysOn(at, shopRow?.ianaTimezone ?? "UTC");
  const profiles = await prisma.customerProfile.findMany({ where: { shop, birthday: { in: days } }, select: { customerGid: true, birthday: true } });
  let recorded = 0;
  for (const { customerGid, birthday } of profiles) {
    await awardBirthdayPoints(shop, customerGid, year);
    const key = `customer.birthday:${customerGid}:${year}`;
    if (await prisma.domainEvent.findUnique({ where: { shop_key: { shop, key } }, select: { id: true } })) continue;
    try {
      recorded += (
        await recordDomainEvents(prisma, shop, [
          { kind: "customer.birthday", key, subjectGid: customerGid, occurredAt: at, payload: { customerGid, birthday, year } },
        ])
      ).length;
    } catch (error) {
      if ((error as { code?: string }).code !== "P2002") throw error;
    }
  }
  return recorded;
}

/**
 * Customers whose first-order anniversary is today in the shop's time zone (rules in anniversary.ts: the first
 * order that was not cancelled, imported history included): a `customer.anniversary` domain event each, once a year.
 */
export async function recordAnniversaries(shop: string, at: Date): Promise<number> {
  const shopRow = await prisma.shop.findUnique({ where: { domain: shop }, select: { ianaTimezone: true } });
  const timeZone = shopRow?.ianaTimezone ?? "UTC";
  // One grouped query per shop and day; the month-day is compared in the shop's zone, which SQL on both databases
  // cannot do alike, so the comparison is done here.
  const firsts = await prisma.orderState.groupBy({
    by: ["customerGid"],
    where: { shop, customerGid: { not: null }, cancelledAt: null, orderCreatedAt: { not: null } },
    _min: { orderCreatedAt: true },
  });
  const today = anniversariesOn(
    at,
    timeZone,
    firsts.flatMap((f) => (f.customerGid && f._min.orderCreatedAt ? [{ customerGid: f.customerGid, firstOrderAt: f._min.orderCreatedAt }] : [])),
  );
  let recorded = 0;
  for (const a of today) {
    const key = anniversaryEventKey(a.customerGid, a.year);
    if (await prisma.domainEvent.findUnique({ where: { shop_key: { shop, key } }, select: { id: true } })) continue;
    const first = await prisma.orderState.findFirst({
      where: { shop, customerGid: a.customerGid, cancelledAt: null, orderCreatedAt: a.firstOrderAt },
      select: { orderGid: true, email: true },
    });
    const payload = {
      customerGid: a.customerGid,
      email: first?.email ?? null,
      years: a.years,
      year: a.year,
      firstOrderGid: first?.orderGid ?? null,
      firstOrderAt: a.firstOrderAt.toISOString(),
    };
    try {
      recorded += (await recordDomainEvents(prisma, shop, [{ kind: "customer.anniversary", key, subjectGid: a.customerGid, occurredAt: at, payload }])).length;
    } catch (error) {
      if ((error as { code?: string }).code !== "P2002") throw error; // a concurrent scan recorded it
    }
  }
  return recorded;
}

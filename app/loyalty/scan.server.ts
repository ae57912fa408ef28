// The daily `loyalty.scan` job per shop (one per day slot, re-chained by each run, like the flows scan):
// approvals that are due (a safety net under the per-entry approval jobs), the warning e-mail 14 days before
// inactive points expire, the expiry itself, and tiers that change with time alone (a rolling window moving
// on, a downgrade period ending). Everything is keyed, so running it twice a day changes nothing.
import { prisma } from "~/db/db.server";
import { getJobQueue } from "~/jobs/index.server";
import type { JobContext } from "~/jobs/queue";
import { renderMail } from "~/mail/templates";
import { queueMail } from "~/mail/outbox.server";
import { now } from "~/lib/time/clock.server";
import { addMonths, expirySchedule, EXPIRY_WARNING_DAYS } from "./earn-rules";
import { LOYALTY_SCAN_JOB, ledgerKeys } from "./jobs";
import { appendLedgerEntry, ledgerTransaction, lockAccount } from "./ledger.server";
import { approvePendingEntry, refreshTier } from "./loyalty.server";
import { loadProgram, loadTiers } from "./program.server";
import { reevaluateTier } from "./tiers.server";

const DAY_MS = 86_400_000;
/** How far back the safety net looks for pending points whose approval job went missing. */
const APPROVAL_LOOKBACK_DAYS = 60;
const BATCH = 500;

export async function ensureLoyaltyScans(shop: string, at: Date = now()): Promise<void> {
  const slot = Math.floor(at.getTime() / DAY_MS) + 1;
  await getJobQueue().enqueue({ name: LOYALTY_SCAN_JOB, shop, payload: {}, key: `${LOYALTY_SCAN_JOB}:${slot}`, runAt: new Date(slot * DAY_MS) });
}

export async function ensureLoyaltyScansForInstalledShops(): Promise<void> {
  const shops = await prisma.shop.findMany({ where: { uninstalledAt: null }, select: { domain: true } });
  for (const { domain } of shops) await ensureLoyaltyScans(domain);
}

export async function runLoyaltyScan(job: JobContext): Promise<void> {
  const shopRow = await prisma.shop.findUnique({ where: { domain: job.shop }, select: { uninstalledAt: true } });
  if (!shopRow || shopRow.uninstalledAt) return;
  await scanLoyalty(job.shop, now());
  await ensureLoyaltyScans(job.shop, new Date(now().getTime() + 1000));
}

export interface ScanResult {
  approved: number;
  warned: number;
  expired: number;
  tiersChanged: number;
}

export async function scanLoyalty(shop: string, at: Date): Promise<ScanResult> {
  return {
    approved: await approveDuePoints(shop, at),
    warned: await warnExpiringPoints(shop, at),
    expired: await expireInactivePoints(shop, at),
    tiersChanged: await refreshTimedTiers(shop),
  };
}

/** Pending earns whose window has passed and that are still pending (their approval job lost or late). */
export async function approveDuePoints(shop: string, at: Date): Promise<number> {
  const due = await prisma.loyaltyEntry.findMany({
    where: { shop, kind: "earn", status: "pending", availableAt: { lte: at, gte: new Date(at.getTime() - APPROVAL_LOOKBACK_DAYS * DAY_MS) } },
    select: { key: true },
    take: BATCH,
  });
  if (due.length === 0) return 0;
  const done = new Set(
    (
      await prisma.loyaltyEntry.findMany({
        where: { shop, kind: { in: ["approve", "reverse"] }, sourceKey: { in: due.map((d) => d.key) } },
        select: { sourceKey: true, kind: true, key: true },
      })
    )
      .filter((e) => e.kind === "approve" || e.key.startsWith("void:"))
      .map((e) => e.sourceKey),
  );
  let approved = 0;
  for (const { key } of due) {
    if (done.has(key)) continue;
    if ((await approvePendingEntry(shop, key)) === "approved") approved++;
  }
  return approved;
}

/** Accounts with spendable points and no activity since `before`. */
function inactiveSince(shop: string, before: Date, after?: Date) {
  return prisma.loyaltyAccount.findMany({
    where: { shop, points: { gt: 0 }, lastActivityAt: { lt: before, ...(after ? { gte: after } : {}) } },
    orderBy: { lastActivityAt: "asc" },
    take: BATCH,
  });
}

/** The "points-expiring" e-mail, once per customer and period of inactivity, from 14 days before expiry. */
export async function warnExpiringPoints(shop: string, at: Date): Promise<number> {
  const program = await loadProgram(shop);
  if (program.expiryMonths <= 0) return 0;
  const expiringBy = addMonths(new Date(at.getTime() + EXPIRY_WARNING_DAYS * DAY_MS), -program.expiryMonths);
  const alreadyExpired = addMonths(at, -program.expiryMonths);
  const accounts = await inactiveSince(shop, new Date(expiringBy.getTime() + DAY_MS), alreadyExpired);
  if (accounts.length === 0) return 0;
  const shopRow = await prisma.shop.findUnique({ where: { domain: shop }, select: { name: true, ianaTimezone: true } });
  let warned = 0;
  for (const account of accounts) {
    const schedule = expirySchedule(account.lastActivityAt!, program.expiryMonths);
    if (!schedule || at < schedule.warnAt || at >= schedule.expiresAt || !account.email) continue;
    const last = await prisma.orderState.findFirst({
      where: { shop, customerGid: account.customerGid },
      orderBy: { orderCreatedAt: "desc" },
      select: { locale: true },
    });
    const locale = last?.locale ?? null;
    const mail = renderMail("points-expiring", locale, {
      shopName: shopRow?.name ?? shop,
      points: String(account.points),
      expires: schedule.expiresAt.toLocaleDateString(locale ?? "en", { timeZone: shopRow?.ianaTimezone ?? "UTC", dateStyle: "long" }),
    });
    const queued = await queueMail({
      shop,
      key: `points-expiring:${account.customerGid}:${account.lastActivityAt!.toISOString()}`,
      to: account.email,
      locale: mail.locale,
      template: "points-expiring",
      subject: mail.subject,
      text: mail.text,
      // An expiry reminder: marketing, sent only with the customer's consent.
      category: "marketing",
      customerGid: account.customerGid,
    });
    if (!queued.duplicate) warned++;
  }
  return warned;
}

/** Approved points of customers inactive for the program's expiryMonths expire (one "expire" entry each). */
export async function expireInactivePoints(shop: string, at: Date): Promise<number> {
  const [program, tiers] = await Promise.all([loadProgram(shop), loadTiers(shop)]);
  if (program.expiryMonths <= 0) return 0;
  const cutoff = addMonths(at, -program.expiryMonths);
  const accounts = await inactiveSince(shop, new Date(cutoff.getTime() + 1));
  let expired = 0;
  for (const candidate of accounts) {
    expired += await ledgerTransaction(async (w) => {
      const account = await lockAccount(w.tx, shop, candidate.customerGid);
      // Decided again on the locked row: an earn or a redemption may have landed meanwhile.
      const last = account.lastActivityAt;
      if (!last || account.points <= 0 || addMonths(last, program.expiryMonths) > at) return 0;
      const added = await appendLedgerEntry(w.tx, {
        shop,
        customerGid: account.customerGid,
        key: ledgerKeys.expire(account.customerGid, last),
        kind: "expire",
        status: "approved",
        points: -account.points,
        reason: `No activity for ${program.expiryMonths} months`,
      });
      if (added) await reevaluateTier(w, shop, account.customerGid, { program, tiers });
      return added ? 1 : 0;
    });
  }
  return expired;
}

/** Tiers that can change without a ledger change: rolling windows and downgrades waiting for a period's end. */
export async function refreshTimedTiers(shop: string): Promise<number> {
  const program = await loadProgram(shop);
  const timed = program.tierWindow === "rolling12" || program.downgradePolicy === "end_of_next_period";
  if (!timed) return 0;
  let changed = 0;
  let cursor: string | undefined;
  for (;;) {
    const accounts = await prisma.loyaltyAccount.findMany({
      where: { shop, tier: { not: null }, ...(cursor ? { id: { gt: cursor } } : {}) },
      orderBy: { id: "asc" },
      select: { id: true, customerGid: true },
      take: BATCH,
    });
    for (const a of accounts) if ((await refreshTier(shop, a.customerGid))?.changed) changed++;
    if (accounts.length < BATCH) return changed;
    cursor = accounts.at(-1)!.id;
  }
}

// The loyalty ledger: append-only entries, each exactly once by its key; the account's cached balance moves in
// the same transaction as the entry it sums. `checkLedger` proves the cache equals the sum.
import type { JobsTx } from "~/jobs/db-queue.server";
import { prisma } from "~/db.server";

export type LedgerKind = "earn" | "approve" | "redeem" | "reverse" | "expire" | "adjust";
export type LedgerStatus = "pending" | "approved" | "void";

export interface LedgerEntryInput {
  shop: string;
  customerGid: string;
  key: string;
  kind: LedgerKind;
  status: LedgerStatus;
  points: number;
  email?: string | null;
  orderGid?: string | null;
  reason?: string | null;
  staff?: string | null;
  availableAt?: Date | null;
}

/** Appends the entry unless its key is already in the ledger. Answers whether it was appended. */
export async function appendLedgerEntry(tx: JobsTx, entry: LedgerEntryInput): Promise<boolean> {
  if (!Number.isInteger(entry.points)) throw new RangeError(`points must be a whole number, got ${entry.points}`);
  const held = await tx.loyaltyEntry.findUnique({ where: { shop_key: { shop: entry.shop, key: entry.key } }, select: { id: true } });
  if (held) return false;
  await tx.loyaltyEntry.create({
    data: {
      shop: entry.shop,
      customerGid: entry.customerGid,
      key: entry.key,
      kind: entry.kind,
      status: entry.status,
      points: entry.points,
      orderGid: entry.orderGid ?? null,
      reason: entry.reason ?? null,
      staff: entry.staff ?? null,
      availableAt: entry.availableAt ?? null,
    },
  });
  const approved = entry.status === "approved" ? entry.points : 0;
  const pending = entry.status === "pending" ? entry.points : 0;
  await tx.loyaltyAccount.upsert({
    where: { shop_customerGid: { shop: entry.shop, customerGid: entry.customerGid } },
    create: { shop: entry.shop, customerGid: entry.customerGid, email: entry.email ?? null, points: approved, pending },
    update: { points: { increment: approved }, pending: { increment: pending }, version: { increment: 1 }, ...(entry.email ? { email: entry.email } : {}) },
  });
  return true;
}

/** Appends one entry in its own transaction. */
export function recordLedgerEntry(entry: LedgerEntryInput): Promise<boolean> {
  return prisma.$transaction((tx) => appendLedgerEntry(tx, entry));
}

/** A customer's balance from the ledger itself, and the cached one; they must agree. */
export async function checkLedger(shop: string, customerGid: string) {
  const [approved, pending, account] = await Promise.all([
    prisma.loyaltyEntry.aggregate({ where: { shop, customerGid, status: "approved" }, _sum: { points: true } }),
    prisma.loyaltyEntry.aggregate({ where: { shop, customerGid, status: "pending" }, _sum: { points: true } }),
    prisma.loyaltyAccount.findUnique({ where: { shop_customerGid: { shop, customerGid } } }),
  ]);
  const ledger = { points: approved._sum.points ?? 0, pending: pending._sum.points ?? 0 };
  const cached = { points: account?.points ?? 0, pending: account?.pending ?? 0 };
  return { ledger, cached, agrees: ledger.points === cached.points && ledger.pending === cached.pending };
}

export async function loyaltyAccount(shop: string, customerGid: string) {
  return prisma.loyaltyAccount.findUnique({ where: { shop_customerGid: { shop, customerGid } } });
}

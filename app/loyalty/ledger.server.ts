// The loyalty ledger: append-only entries, each exactly once by its key; the account's cached balance moves in
// the same transaction as the entry it sums. `checkLedger` proves the cache equals the sum.
//
// Concurrency: every change of a customer's points runs in `ledgerTransaction` and first takes the customer's
// account row (`lockAccount`: an UPDATE, so on PostgreSQL a row lock held to commit; SQLite has one serialised
// connection). What the transaction reads after that is what the last writer committed, so "what is still
// pending", "is the balance enough" and "was this refund already reversed" are decided on fresh data.
import { prisma } from "~/db/db.server";
import type { JobsTx } from "~/jobs/db-queue.server";
import { getJobQueue } from "~/jobs/index.server";
import type { JobSpec, StagedEnqueue } from "~/jobs/queue";
import { clockOffsetMs, now } from "~/lib/time/clock.server";
import type { ClockReading } from "./mirror";
import { scheduleLoyaltyMirror } from "./mirror.server";

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
  /** The entry this one approves or reverses. */
  sourceKey?: string | null;
  /** When it happened on the app clock (default now); the legs of one move share it. */
  at?: Date;
}

/**
 * What a ledger transaction changed, for the Shopify mirror scheduled after its commit: the shops, and when the
 * first account row was written (its `updatedAt`, a lower bound of every account `updatedAt` the transaction
 * leaves behind).
 */
interface Changes {
  shops: Set<string>;
  first: ClockReading | null;
}
const changesOf = new WeakMap<object, Changes>();
function noteChange(tx: JobsTx, shop: string, updatedAt: Date) {
  const changes = changesOf.get(tx);
  if (!changes) return;
  changes.shops.add(shop);
  if (!changes.first || updatedAt.getTime() < changes.first.realMs) changes.first = { realMs: updatedAt.getTime(), offsetMs: clockOffsetMs() };
}

/** Entries that count as the customer doing something (expiry counts from the last one). */
const ACTIVITY: ReadonlySet<LedgerKind> = new Set(["earn", "redeem", "adjust"]);

/** Appends the entry unless its key is already in the ledger. Answers whether it was appended. */
export async function appendLedgerEntry(tx: JobsTx, entry: LedgerEntryInput): Promise<boolean> {
  if (!Number.isSafeInteger(entry.points)) throw new RangeError(`points must be a whole number, got ${entry.points}`);
  const held = await tx.loyaltyEntry.findUnique({ where: { shop_key: { shop: entry.shop, key: entry.key } }, select: { id: true } });
  if (held) return false;
  const at = entry.at ?? now();
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
      sourceKey: entry.sourceKey ?? null,
      createdAt: at,
    },
  });
  const approved = entry.status === "approved" ? entry.points : 0;
  const pending = entry.status === "pending" ? entry.points : 0;
  const activity = ACTIVITY.has(entry.kind) ? { lastActivityAt: at } : {};
  const account = await tx.loyaltyAccount.upsert({
    where: { shop_customerGid: { shop: entry.shop, customerGid: entry.customerGid } },
    create: { shop: entry.shop, customerGid: entry.customerGid, email: entry.email ?? null, points: approved, pending, ...activity },
    update: {
      points: { increment: approved },
      pending: { increment: pending },
      version: { increment: 1 },
      ...activity,
      ...(entry.email ? { email: entry.email } : {}),
    },
    select: { updatedAt: true },
  });
  noteChange(tx, entry.shop, account.updatedAt);
  return true;
}

/**
 * Takes the customer's account for the rest of the transaction (creating it when new) and answers it as it is
 * now. Call first in every transaction that decides something from the customer's points.
 */
export async function lockAccount(tx: JobsTx, shop: string, customerGid: string, email?: string | null) {
  const account = await tx.loyaltyAccount.upsert({
    where: { shop_customerGid: { shop, customerGid } },
    create: { shop, customerGid, email: email ?? null },
    update: { version: { increment: 1 }, ...(email ? { email } : {}) },
  });
  noteChange(tx, shop, account.updatedAt);
  return account;
}

export interface LedgerWork {
  tx: JobsTx;
  /** Adds a job that commits with the transaction (database queue) or right after it (Redis). */
  enqueue(spec: JobSpec): Promise<void>;
  /** Runs after the commit (e.g. waking the flows dispatcher). */
  afterCommit(fn: () => Promise<unknown>): void;
}

/** How long a ledger transaction may wait for the connection, and run: 50 shoppers redeeming at once wait in line. */
const TX_OPTIONS = { maxWait: 20_000, timeout: 30_000 };
const MAX_ATTEMPTS = 8;

/** A transaction of ledger work, run again on a lost race (a unique key taken meanwhile, a write conflict). */
export async function ledgerTransaction<T>(work: (w: LedgerWork) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    const staged: StagedEnqueue[] = [];
    const after: (() => Promise<unknown>)[] = [];
    const changes: Changes = { shops: new Set(), first: null };
    try {
      const result = await prisma.$transaction((tx) => {
        changesOf.set(tx, changes);
        return work({
          tx,
          enqueue: async (spec) => {
            staged.push(await getJobQueue().enqueueWith(tx, spec));
          },
          afterCommit: (fn) => void after.push(fn),
        });
      }, TX_OPTIONS);
      for (const shop of changes.shops) await scheduleLoyaltyMirror(shop, changes.first!);
      for (const s of staged) await s.afterCommit();
      for (const fn of after) await fn();
      return result;
    } catch (error) {
      if (!isRetryable(error) || attempt >= MAX_ATTEMPTS) throw error;
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 10 * attempt));
    }
  }
}

function isRetryable(error: unknown): boolean {
  const code = (error as { code?: string } | null)?.code;
  // P2002: a concurrent insert of the same key or account; P2034: write conflict or deadlock.
  return code === "P2002" || code === "P2034";
}

/** Appends one entry in its own transaction. */
export function recordLedgerEntry(entry: LedgerEntryInput): Promise<boolean> {
  return ledgerTransaction(({ tx }) => appendLedgerEntry(tx, entry));
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

/** checkLedger for every customer of the shop with an account or an entry; answers those that disagree. */
export async function checkShopLedger(shop: string) {
  const [sums, accounts] = await Promise.all([
    prisma.loyaltyEntry.groupBy({ by: ["customerGid", "status"], where: { shop, status: { in: ["approved", "pending"] } }, _sum: { points: true } }),
    prisma.loyaltyAccount.findMany({ where: { shop }, select: { customerGid: true, points: true, pending: true } }),
  ]);
  const ledger = new Map<string, { points: number; pending: number }>();
  for (const s of sums) {
    const row = ledger.get(s.customerGid) ?? { points: 0, pending: 0 };
    if (s.status === "approved") row.points += s._sum.points ?? 0;
    else row.pending += s._sum.points ?? 0;
    ledger.set(s.customerGid, row);
  }
  const cached = new Map(accounts.map((a) => [a.customerGid, { points: a.points, pending: a.pending }]));
  const customers = new Set([...ledger.keys(), ...cached.keys()]);
  const disagreements = [...customers].flatMap((customerGid) => {
    const l = ledger.get(customerGid) ?? { points: 0, pending: 0 };
    const c = cached.get(customerGid) ?? { points: 0, pending: 0 };
    return l.points === c.points && l.pending === c.pending ? [] : [{ customerGid, ledger: l, cached: c }];
  });
  return { customers: customers.size, disagreements };
}

export async function loyaltyAccount(shop: string, customerGid: string) {
  return prisma.loyaltyAccount.findUnique({ where: { shop_customerGid: { shop, customerGid } } });
}

// The life of a customer's points: earned (pending through the refund window, or at once), approved when the
// window has passed, reversed in proportion to refunds, voided when the order is cancelled before approval,
// plus signup and birthday points and manual adjustments. Every effect is one ledger entry with a deterministic
// key, so any replay — a redelivered webhook, a re-dispatched event, a retried job — changes nothing.
//
// Per earn entry E (key K) of an order, the ledger holds its whole story, linked by `sourceKey = K`:
//   earn K (pending +e)  →  reverse "reverse:<refund>:K" (pending −r while pending, else approved −r)
//                         →  void "void:K" (pending −rest: cancelled before approval)
//                         →  approve "approve:K" (approved +rest) with "approve:K:pending" (pending −rest)
// so what is still pending, and what was already taken back, are sums over E's entries.
import { prisma } from "~/db/db.server";
import { loadOrderState } from "~/orders/order-events.server";
import { orderEventKey } from "~/orders/order-state";
import { RetryLaterError } from "~/jobs/queue";
import { recordDomainEvents } from "~/domain-events/record.server";
import { scheduleDomainEventDispatch } from "~/domain-events/dispatch.server";
import { clockOffsetMs, now } from "~/lib/time/clock.server";
import { refundReversal } from "./earn-rules";
import { approveJobKey, ledgerKeys, LOYALTY_APPROVE_JOB } from "./jobs";
import { appendLedgerEntry, ledgerTransaction, lockAccount, type LedgerWork } from "./ledger.server";
import { quoteProgramEarn } from "./program-earn.server";
import { loadProgram, loadTiers } from "./program.server";
import { reevaluateTier, setTierIn, type LoyaltySetup } from "./tiers.server";

const DAY_MS = 86_400_000;

async function loadSetup(shop: string): Promise<LoyaltySetup> {
  const [program, tiers] = await Promise.all([loadProgram(shop), loadTiers(shop)]);
  return { program, tiers };
}

// ---------------------------------------------------------------------------------------------------------
// Earning

export interface AwardInput {
  shop: string;
  customerGid: string;
  email?: string | null;
  /** Exactly-once key, e.g. "flow:<run>:<step>" or "earn:<order>". */
  key: string;
  points: number;
  /** The order the points are for: then they wait out the pending window and follow its refunds. */
  orderGid?: string | null;
  reason?: string | null;
  /** Spendable at once even with an order (a review's reward: the review was the work); refunds still follow it. */
  spendableAtOnce?: boolean;
}

export interface AwardResult {
  appended: boolean;
  status: "pending" | "approved";
  /** When pending points become spendable (null: when the order is fulfilled, or not pending). */
  availableAt: Date | null;
}

/**
 * When an order's pending window starts: the moment it was paid (or fulfilled), moved onto the app's clock (the
 * sandbox may run ahead of Shopify's), never later than now. Null when it waits for a fulfilment not yet seen.
 */
async function pendingStart(shop: string, orderGid: string, from: "paid" | "fulfilled"): Promise<Date | null> {
  const key = orderEventKey(from === "paid" ? "order.paid" : "order.fulfilled", orderGid);
  const event = await prisma.domainEvent.findUnique({ where: { shop_key: { shop, key } }, select: { occurredAt: true } });
  if (!event) return from === "paid" ? now() : null;
  return new Date(Math.min(event.occurredAt.getTime() + clockOffsetMs(), now().getTime()));
}

/**
 * Awards points (the flows' award_points action, the program's own earn, signup and birthday points). Points
 * for an order stay pending for the program's pendingDays, with an approval job at the end of the window;
 * anything else is spendable at once. Refunds and a cancellation already known apply straight away.
 */
export async function awardPoints(input: AwardInput): Promise<AwardResult> {
  if (!Number.isSafeInteger(input.points) || input.points <= 0) throw new RangeError(`award a positive whole number of points, got ${input.points}`);
  const setup = await loadSetup(input.shop);
  const { program } = setup;
  const orderGid = input.orderGid ?? null;
  const pending = orderGid !== null && program.pendingDays > 0 && input.spendableAtOnce !== true;
  const start = pending ? await pendingStart(input.shop, orderGid, program.pendingFrom) : null;
  const availableAt = start ? new Date(start.getTime() + program.pendingDays * DAY_MS) : null;
  const appended = await ledgerTransaction(async (w) => {
    await lockAccount(w.tx, input.shop, input.customerGid, input.email);
    const added = await appendLedgerEntry(w.tx, {
      shop: input.shop,
      customerGid: input.customerGid,
      email: input.email,
      key: input.key,
      kind: "earn",
      status: pending ? "pending" : "approved",
      points: input.points,
      orderGid,
      reason: input.reason ?? null,
      availableAt,
    });
    if (added && availableAt)
      await w.enqueue({ name: LOYALTY_APPROVE_JOB, shop: input.shop, payload: { entryKey: input.key }, key: approveJobKey(input.key), runAt: availableAt });
    if (added) await reevaluateTier(w, input.shop, input.customerGid, setup);
    // A fact for other domains (the Shopify Flow trigger "Points earned"), once per ledger entry.
    if (added) {
      const status = pending ? "pending" : "approved";
      const payload = { customerGid: input.customerGid, points: input.points, status, reason: input.reason ?? null, orderGid, entryKey: input.key };
      await recordDomainEvents(w.tx, input.shop, [
        { kind: "points.earned", key: `points.earned:${input.key}`, subjectGid: input.customerGid, occurredAt: now(), payload },
      ]);
      w.afterCommit(() => scheduleDomainEventDispatch(input.shop));
    }
    return added;
  });
  if (orderGid) await settleOrderPoints(input.shop, orderGid);
  return { appended, status: pending ? "pending" : "approved", availableAt };
}

/**
 * The program's own earn for a paid order (when the program is enabled): quoteProgramEarn — the same number the
 * flows' "program" award_points mode gives. Once per order (key "earn:<order>").
 */
export async function earnOrderPoints(shop: string, orderGid: string): Promise<{ points: number; skip: string | null }> {
  const program = await loadProgram(shop);
  if (!program.enabled) return { points: 0, skip: "the loyalty program is off" };
  const setup: LoyaltySetup = { program, tiers: await loadTiers(shop) };
  const key = ledgerKeys.programEarn(orderGid);
  const held = await prisma.loyaltyEntry.findUnique({ where: { shop_key: { shop, key } }, select: { points: true } });
  if (held) return { points: held.points, skip: null };
  const state = await loadOrderState(shop, orderGid);
  const customerGid = state?.attributes?.customerGid ?? null;
  if (!state?.attributes || !customerGid) return { points: 0, skip: "no customer (guest checkout)" };
  if (state.cancelledAt) return { points: 0, skip: "the order was cancelled" };
  const quote = await quoteProgramEarn(shop, orderGid, customerGid, setup);
  if (!quote) return { points: 0, skip: "Shopify does not know the order" };
  if (quote.points <= 0) return { points: 0, skip: quote.skip };
  await awardPoints({
    shop,
    customerGid,
    email: state.attributes.email,
    key,
    points: quote.points,
    orderGid,
    reason: `Order ${state.attributes.name} (${quote.rule})`,
  });
  return { points: quote.points, skip: null };
}

/** Signup points (customer.created), once per customer. */
export async function awardSignupPoints(shop: string, customerGid: string, email: string | null): Promise<boolean> {
  const program = await loadProgram(shop);
  if (!program.enabled || program.signupPoints <= 0) return false;
  const result = await awardPoints({ shop, customerGid, email, key: ledgerKeys.signup(customerGid), points: program.signupPoints, reason: "Signed up" });
  return result.appended;
}

/** Birthday points, once per customer and year (there is no birthday store yet: whoever knows the date calls this). */
export async function awardBirthdayPoints(shop: string, customerGid: string, year: number): Promise<boolean> {
  if (!Number.isInteger(year) || year < 1900 || year > 9999) throw new RangeError(`not a year: ${year}`);
  const program = await loadProgram(shop);
  if (!program.enabled || program.birthdayPoints <= 0) return false;
  const result = await awardPoints({
    shop,
    customerGid,
    key: ledgerKeys.birthday(customerGid, year),
    points: program.birthdayPoints,
    reason: `Birthday ${year}`,
  });
  return result.appended;
}

// ---------------------------------------------------------------------------------------------------------
// One earn entry's story

type EntryRow = Awaited<ReturnType<typeof prisma.loyaltyEntry.findMany>>[number];

interface EarnStory {
  earn: EntryRow;
  /** Pending points of this earn not yet approved, reversed or voided. */
  pendingLeft: number;
  approved: boolean;
  /** Points already taken back (refunds, void), as a positive number. */
  reversed: number;
  keys: Set<string>;
}

function storyOf(earn: EntryRow, entries: readonly EntryRow[]): EarnStory {
  const derived = entries.filter((e) => e.sourceKey === earn.key);
  const pendingMoves = derived.filter((e) => e.status === "pending").reduce((s, e) => s + e.points, 0);
  return {
    earn,
    pendingLeft: earn.status === "pending" ? Math.max(0, earn.points + pendingMoves) : 0,
    approved: derived.some((e) => e.kind === "approve"),
    reversed: -derived.filter((e) => e.kind === "reverse").reduce((s, e) => s + e.points, 0),
    keys: new Set(derived.map((e) => e.key)),
  };
}

const isEarn = (e: EntryRow) => e.kind === "earn" && e.points > 0;

// ---------------------------------------------------------------------------------------------------------
// Refunds and cancellation

/**
 * Brings an order's points in line with its refunds and cancellation (refund.issued, order.cancelled, and after
 * every award for the order): each refund takes back its share of each earn — from pending points while they
 * are pending, else from the spendable balance, which may go below zero (a debt the customer sees) — and a
 * cancellation before approval voids what is still pending. Answers the entries appended.
 */
export async function settleOrderPoints(shop: string, orderGid: string): Promise<number> {
  const state = await loadOrderState(shop, orderGid);
  // Nothing to settle for an order neither refunded nor cancelled (the common case, right after every award).
  if (!state || (state.refunds.length === 0 && state.cancelledAt === null)) return 0;
  const customers = await prisma.loyaltyEntry.findMany({ where: { shop, orderGid, kind: "earn" }, select: { customerGid: true }, distinct: ["customerGid"] });
  if (customers.length === 0) return 0;
  const setup = await loadSetup(shop);
  const total = state.attributes?.totalMinor ?? 0;
  const refunds = [...state.refunds].sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.gid.localeCompare(b.gid));
  let appended = 0;
  for (const { customerGid } of customers) {
    appended += await ledgerTransaction(async (w) => {
      await lockAccount(w.tx, shop, customerGid);
      const entries = await w.tx.loyaltyEntry.findMany({ where: { shop, customerGid, orderGid }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] });
      let added = 0;
      for (const earn of entries.filter(isEarn)) {
        const story = storyOf(earn, entries);
        let refundedBefore = 0;
        for (const refund of refunds) {
          const key = ledgerKeys.reverse(refund.gid, earn.key);
          const before = refundedBefore;
          refundedBefore += refund.amountMinor;
          if (story.keys.has(key)) continue;
          const take = refundReversal({
            earned: earn.points,
            orderTotalMinor: total,
            refundedBeforeMinor: before,
            refundMinor: refund.amountMinor,
            reversedBefore: story.reversed,
            rounding: setup.program.rounding,
          });
          if (take <= 0) continue;
          const fromPending = story.pendingLeft > 0 && !story.approved;
          await appendLedgerEntry(w.tx, {
            shop,
            customerGid,
            key,
            kind: "reverse",
            status: fromPending ? "pending" : "approved",
            points: -take,
            orderGid,
            sourceKey: earn.key,
            reason: `Refund of ${refund.amountMinor} of ${total} (minor units) on the order`,
          });
          story.reversed += take;
          if (fromPending) story.pendingLeft -= take;
          added++;
        }
        if (state.cancelledAt && !story.approved && story.pendingLeft > 0) {
          const key = ledgerKeys.void(earn.key);
          if (!story.keys.has(key)) {
            await appendLedgerEntry(w.tx, {
              shop,
              customerGid,
              key,
              kind: "reverse",
              status: "pending",
              points: -story.pendingLeft,
              orderGid,
              sourceKey: earn.key,
              reason: "Order cancelled before the points were approved",
            });
            story.reversed += story.pendingLeft;
            story.pendingLeft = 0;
            added++;
          }
        }
      }
      if (added > 0) await reevaluateTier(w, shop, customerGid, setup);
      return added;
    });
  }
  return appended;
}

// ---------------------------------------------------------------------------------------------------------
// Approval

/**
 * When a pending earn becomes spendable: its availableAt; else (pending from fulfilment) the due time its
 * approval job was given when the order shipped; else fulfilment + window, if it shipped.
 */
async function dueAt(shop: string, entry: EntryRow, pendingDays: number, pendingFrom: "paid" | "fulfilled", scheduled?: Date): Promise<Date | null> {
  if (entry.availableAt) return entry.availableAt;
  if (scheduled) return scheduled;
  if (!entry.orderGid) return null;
  const start = await pendingStart(shop, entry.orderGid, pendingFrom);
  return start ? new Date(start.getTime() + pendingDays * DAY_MS) : null;
}

export type ApproveOutcome = "approved" | "nothing_pending" | "not_due" | "waiting_for_fulfilment" | "not_found";

/**
 * The `loyalty.approve` job: a pending earn whose window has passed becomes spendable — one transaction appends
 * "approve:K" (+rest, approved) and "approve:K:pending" (−rest, pending). Refunds and a cancellation are
 * applied first, so only what is left is approved. Exactly once (the keys; the account lock).
 */
export async function approvePendingEntry(shop: string, entryKey: string, scheduledDueAt?: Date): Promise<ApproveOutcome> {
  const entry = await prisma.loyaltyEntry.findUnique({ where: { shop_key: { shop, key: entryKey } } });
  if (!entry || entry.kind !== "earn" || entry.status !== "pending") return "not_found";
  const setup = await loadSetup(shop);
  const due = await dueAt(shop, entry, setup.program.pendingDays, setup.program.pendingFrom, scheduledDueAt);
  if (!due) return "waiting_for_fulfilment";
  if (due.getTime() > now().getTime()) return "not_due";
  if (entry.orderGid) await settleOrderPoints(shop, entry.orderGid);
  return ledgerTransaction(async (w) => {
    await lockAccount(w.tx, shop, entry.customerGid);
    const entries = await w.tx.loyaltyEntry.findMany({ where: { shop, OR: [{ key: entryKey }, { sourceKey: entryKey }] } });
    const story = storyOf(entry, entries);
    if (story.approved || story.pendingLeft <= 0) return "nothing_pending";
    const common = {
      shop,
      customerGid: entry.customerGid,
      kind: "approve" as const,
      orderGid: entry.orderGid,
      sourceKey: entryKey,
      reason: "Pending window passed",
      at: now(),
    };
    await appendLedgerEntry(w.tx, { ...common, key: ledgerKeys.approvePending(entryKey), status: "pending", points: -story.pendingLeft });
    await appendLedgerEntry(w.tx, { ...common, key: ledgerKeys.approve(entryKey), status: "approved", points: story.pendingLeft });
    await reevaluateTier(w, shop, entry.customerGid, setup);
    return "approved";
  });
}

/** Job handler for `loyalty.approve`: runs again at the due time if it woke early. */
export async function runApproveJob(job: { shop: string; payload: unknown }): Promise<void> {
  const payload = (job.payload ?? {}) as { entryKey?: unknown; dueAt?: unknown };
  if (typeof payload.entryKey !== "string") return;
  const scheduled = typeof payload.dueAt === "string" && Number.isFinite(Date.parse(payload.dueAt)) ? new Date(payload.dueAt) : undefined;
  const outcome = await approvePendingEntry(job.shop, payload.entryKey, scheduled);
  if (outcome === "not_due") {
    const entry = await prisma.loyaltyEntry.findUnique({ where: { shop_key: { shop: job.shop, key: payload.entryKey } }, select: { availableAt: true } });
    const due = entry?.availableAt ?? scheduled;
    const wait = Math.max(1_000, (due?.getTime() ?? now().getTime() + 60_000) - now().getTime());
    throw new RetryLaterError(Math.min(wait, 6 * 3600 * 1000), "the pending window has not passed yet");
  }
}

/** On order.fulfilled with points pending from fulfilment: each pending earn of the order gets its approval job. */
export async function scheduleFulfilmentApprovals(shop: string, orderGid: string): Promise<number> {
  const program = await loadProgram(shop);
  if (program.pendingFrom !== "fulfilled") return 0;
  const start = await pendingStart(shop, orderGid, "fulfilled");
  if (!start) return 0;
  const runAt = new Date(start.getTime() + program.pendingDays * DAY_MS);
  const earns = await prisma.loyaltyEntry.findMany({ where: { shop, orderGid, kind: "earn", status: "pending" }, select: { key: true } });
  for (const { key } of earns) {
    // The due time travels with the job: the entry (append-only) cannot learn it any more.
    await ledgerTransaction((w) =>
      w.enqueue({ name: LOYALTY_APPROVE_JOB, shop, payload: { entryKey: key, dueAt: runAt.toISOString() }, key: approveJobKey(key), runAt }),
    );
  }
  return earns.length;
}

// ---------------------------------------------------------------------------------------------------------
// Manual adjustment

export class LoyaltyInputError extends Error {
  override name = "LoyaltyInputError";
}

export interface AdjustInput {
  shop: string;
  customerGid: string;
  /** Positive adds, negative takes away. */
  points: number;
  reason: string;
  /** Who did it (staff member's name or id). */
  staff: string;
  /** Idempotency key of the request (e.g. the form submission id). */
  key: string;
  /** A deduction may take the balance below zero only when the merchant says so. */
  allowNegative?: boolean;
}

/** A staff member adds or removes points, with a reason; refused (LoyaltyInputError) if it would leave a debt unasked. */
export async function adjustPoints(input: AdjustInput): Promise<{ appended: boolean; balance: number }> {
  if (!Number.isSafeInteger(input.points) || input.points === 0) throw new LoyaltyInputError("Enter a whole number of points other than 0");
  if (!input.reason.trim()) throw new LoyaltyInputError("Enter a reason for the adjustment");
  if (!input.staff.trim()) throw new LoyaltyInputError("The staff member making the adjustment is required");
  const setup = await loadSetup(input.shop);
  return ledgerTransaction(async (w) => {
    const account = await lockAccount(w.tx, input.shop, input.customerGid);
    const key = ledgerKeys.adjust(input.key);
    const held = await w.tx.loyaltyEntry.findUnique({ where: { shop_key: { shop: input.shop, key } }, select: { id: true } });
    if (held) return { appended: false, balance: account.points };
    if (input.points < 0 && account.points + input.points < 0 && !input.allowNegative) {
      throw new LoyaltyInputError(`The customer has ${account.points} points; taking ${-input.points} would leave a negative balance`);
    }
    await appendLedgerEntry(w.tx, {
      shop: input.shop,
      customerGid: input.customerGid,
      key,
      kind: "adjust",
      status: "approved",
      points: input.points,
      reason: input.reason.trim(),
      staff: input.staff.trim(),
    });
    await reevaluateTier(w, input.shop, input.customerGid, setup);
    return { appended: true, balance: account.points + input.points };
  });
}

/**
 * Puts a customer in a tier chosen by a merchant's automation (Shopify Flow's "Set loyalty tier"), by the tier's
 * handle or name (case-insensitive). Unknown tier: LoyaltyInputError naming the shop's tiers.
 */
export async function setCustomerTier(shop: string, customerGid: string, tier: string): Promise<{ tier: string; from: string | null; changed: boolean }> {
  const setup = await loadSetup(shop);
  const wanted = tier.trim().toLowerCase();
  const found = setup.tiers.find((t) => t.handle.toLowerCase() === wanted) ?? setup.tiers.find((t) => t.name.trim().toLowerCase() === wanted);
  if (!found) {
    const known = setup.tiers.map((t) => t.handle).join(", ");
    throw new LoyaltyInputError(known ? `No loyalty tier "${tier.trim()}"; the shop's tiers are: ${known}` : "The shop has no loyalty tiers");
  }
  return ledgerTransaction(async (w) => {
    await lockAccount(w.tx, shop, customerGid);
    const { changed, from } = await setTierIn(w, shop, customerGid, found.handle, setup);
    return { tier: found.handle, from, changed };
  });
}

/** Re-evaluates a customer's tier on its own (the daily scan; after tiers are edited). */
export async function refreshTier(shop: string, customerGid: string) {
  const setup = await loadSetup(shop);
  return ledgerTransaction(async (w: LedgerWork) => {
    await lockAccount(w.tx, shop, customerGid);
    return reevaluateTier(w, shop, customerGid, setup);
  });
}

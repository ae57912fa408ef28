// Spending points on a reward. One transaction takes the points — a conditional update on the customer's
// account (`points >= cost`) decides, so concurrent redemptions queue on the row and can never overspend —
// appends the "redeem" entry and records the LoyaltyRedemption. Then the discount code is created in Shopify
// (single use, this customer only). If Shopify refuses for good, the points come back exactly once (a
// "reverse" entry keyed by the redemption, and the redemption moves spending → refunded only once). A
// `loyalty.redemption` job, committed with the spend, finishes redemptions left half-way (crash, outage).
// The merchant's cancel and a finisher's completion are one compare-and-set each on `spending`: only one wins;
// a code a finisher created after the cancel won is withdrawn (deleted from Shopify), never handed out.
import { AdminApiGraphqlError, AdminApiHttpError, AdminApiUserError, ShopNotInstalledError } from "~/shopify/admin-api/errors";
import { CODE_DISCOUNT_BY_CODE, DISCOUNT_CODE_DELETE } from "~/shopify/admin-api/operations/discounts";
import { adminClientFor } from "~/shopify/admin-api/shop-client.server";
import { assertNoUserErrors } from "~/shopify/admin-api/user-errors";
import { prisma } from "~/db/db.server";
import type { JobContext } from "~/jobs/queue";
import { codeExistsInShopify, issueRewardCode } from "~/rewards/reward-codes.server";
import { recordDomainEvents } from "~/domain-events/record.server";
import { scheduleDomainEventDispatch } from "~/domain-events/dispatch.server";
import { now } from "~/lib/time/clock.server";
import { LOYALTY_REDEMPTION_JOB, ledgerKeys, redemptionJobKey } from "./jobs";
import { appendLedgerEntry, ledgerTransaction, lockAccount } from "./ledger.server";
import { loadProgram, loadTiers } from "./program.server";
import { reevaluateTier } from "./tiers.server";

export class InsufficientPointsError extends Error {
  override name = "InsufficientPointsError";
  constructor(
    readonly balance: number,
    readonly cost: number,
  ) {
    super(`Not enough points: this reward costs ${cost} points and the balance is ${balance}`);
  }
}

export class RewardUnavailableError extends Error {
  override name = "RewardUnavailableError";
  constructor(rewardId: string) {
    super(`Reward ${rewardId} is not available`);
  }
}

/** The idempotency key was already used for another customer or reward: never answer someone else's redemption. */
export class RedemptionKeyReusedError extends Error {
  override name = "RedemptionKeyReusedError";
  constructor(key: string) {
    super(`Redemption key ${key} was already used for another redemption`);
  }
}

/**
 * Points where a test pauses one side of a race (the job between creating the code in Shopify and recording it;
 * the merchant's cancel between its Shopify check and giving the points back). Never set in production.
 */
export interface RedemptionHooks {
  afterCodeCreated?: () => Promise<void>;
  beforeRefund?: () => Promise<void>;
}

type RedemptionRow = NonNullable<Awaited<ReturnType<typeof prisma.loyaltyRedemption.findFirst>>>;
type RewardRow = NonNullable<Awaited<ReturnType<typeof prisma.loyaltyReward.findFirst>>>;

export interface RedeemResult {
  redemption: RedemptionRow;
  /** The discount code, once created in Shopify. */
  code: string | null;
  /** The same key was redeemed before: this is that redemption, nothing was spent again. */
  duplicate: boolean;
}

/** When the safety-net job looks at a redemption the request itself is still finishing. */
const SAFETY_NET_DELAY_MS = 60_000;

const rewardCodeKey = (redemptionKey: string) => `redeem:${redemptionKey}`;

/**
 * Spends the reward's points for the customer and creates the code. `key` is the request's idempotency key:
 * the same key again answers the first redemption. Throws InsufficientPointsError (nothing spent) or
 * RewardUnavailableError.
 */
export async function redeemReward(shop: string, customerGid: string, rewardId: string, key: string): Promise<RedeemResult> {
  const existing = await prisma.loyaltyRedemption.findUnique({ where: { shop_key: { shop, key } } });
  if (existing) {
    if (existing.customerGid !== customerGid || existing.rewardId !== rewardId) throw new RedemptionKeyReusedError(key);
    return { ...(await finishRedemption(shop, existing.id)), duplicate: true };
  }
  const reward = await prisma.loyaltyReward.findFirst({ where: { id: rewardId, shop, enabled: true } });
  if (!reward) throw new RewardUnavailableError(rewardId);
  const [program, tiers] = await Promise.all([loadProgram(shop), loadTiers(shop)]);
  const spent = await ledgerTransaction(async (w) => {
    const held = await w.tx.loyaltyRedemption.findUnique({ where: { shop_key: { shop, key } } });
    if (held && (held.customerGid !== customerGid || held.rewardId !== rewardId)) throw new RedemptionKeyReusedError(key);
    if (held) return { row: held, duplicate: true };
    // The guard and the lock in one statement: waits for any other spend of this customer, then re-checks.
    const { count } = await w.tx.loyaltyAccount.updateMany({
      where: { shop, customerGid, points: { gte: reward.pointsCost } },
      data: { version: { increment: 1 } },
    });
    if (count === 0) {
      const account = await w.tx.loyaltyAccount.findUnique({ where: { shop_customerGid: { shop, customerGid } }, select: { points: true } });
      throw new InsufficientPointsError(account?.points ?? 0, reward.pointsCost);
    }
    await appendLedgerEntry(w.tx, {
      shop,
      customerGid,
      key: ledgerKeys.redeem(key),
      kind: "redeem",
      status: "approved",
      points: -reward.pointsCost,
      reason: `Redeemed: ${reward.name}`,
    });
    const row = await w.tx.loyaltyRedemption.create({ data: { shop, customerGid, rewardId: reward.id, points: reward.pointsCost, key, status: "spending" } });
    // A fact for other domains (the Shopify Flow trigger "Points redeemed"), once per redemption.
    await recordDomainEvents(w.tx, shop, [
      {
        kind: "points.redeemed",
        key: `points.redeemed:${row.id}`,
        subjectGid: customerGid,
        occurredAt: now(),
        payload: { customerGid, points: reward.pointsCost, reward: reward.name, redemptionId: row.id },
      },
    ]);
    w.afterCommit(() => scheduleDomainEventDispatch(shop));
    await w.enqueue({
      name: LOYALTY_REDEMPTION_JOB,
      shop,
      payload: { redemptionId: row.id },
      key: redemptionJobKey(row.id),
      runAt: new Date(now().getTime() + SAFETY_NET_DELAY_MS),
    });
    await reevaluateTier(w, shop, customerGid, { program, tiers });
    return { row, duplicate: false };
  });
  const finished = await finishRedemption(shop, spent.row.id, { reward });
  return { ...finished, duplicate: spent.duplicate };
}

/** Shopify said no, and asking again will not change that (refused input, missing access, app uninstalled). */
export function isPermanentShopifyFailure(error: unknown): boolean {
  if (error instanceof ShopNotInstalledError || error instanceof AdminApiUserError || error instanceof AdminApiGraphqlError) return true;
  if (error instanceof AdminApiHttpError) return error.status !== 429 && error.status < 500;
  return false;
}

/**
 * Creates the redemption's code if it is still `spending`. A permanent failure — or any failure when
 * `giveUp` — gives the points back; another failure leaves it `spending` for the job to retry (and rethrows
 * when `rethrow`).
 */
export async function finishRedemption(
  shop: string,
  redemptionId: string,
  options: { reward?: RewardRow; giveUp?: boolean; rethrow?: boolean; hooks?: RedemptionHooks } = {},
): Promise<Omit<RedeemResult, "duplicate">> {
  const row = await prisma.loyaltyRedemption.findFirst({ where: { id: redemptionId, shop } });
  if (!row) throw new Error(`no redemption ${redemptionId} in ${shop}`);
  if (row.status !== "spending") return { redemption: row, code: await codeOf(shop, row) };
  const reward = options.reward ?? (await prisma.loyaltyReward.findFirst({ where: { id: row.rewardId, shop } }));
  if (!reward) return { redemption: await refundRedemption(shop, row.id, "the reward no longer exists"), code: null };
  try {
    const code = await createCode(shop, row, reward);
    await options.hooks?.afterCodeCreated?.();
    const recorded = await recordCode(shop, row.id, code);
    if (!recorded.won) {
      // The merchant cancelled (points given back) while the code was being created: it is not handed out.
      await withdrawCode(shop, code, recorded.redemption.status);
      return { redemption: recorded.redemption, code: null };
    }
    return { redemption: recorded.redemption, code: code.code };
  } catch (error) {
    const message = error instanceof Error ? error.message.slice(0, 1000) : String(error);
    if (isPermanentShopifyFailure(error) || options.giveUp) return { redemption: await refundRedemption(shop, row.id, message), code: null };
    await prisma.loyaltyRedemption.updateMany({ where: { id: row.id, shop, status: "spending" }, data: { error: message } });
    if (options.rethrow) throw error;
    return { redemption: (await prisma.loyaltyRedemption.findFirst({ where: { id: row.id, shop } }))!, code: null };
  }
}

type IssuedCode = Awaited<ReturnType<typeof createCode>>;

/**
 * The job's (or request's) completion, decided against the merchant's cancel by one compare-and-set on the
 * status: spending → created. The loser of the two changes nothing; a loser here marks its code `withdrawn`
 * in the same transaction, so no reader ever sees it as the redemption's code.
 */
async function recordCode(shop: string, redemptionId: string, code: IssuedCode): Promise<{ won: boolean; redemption: RedemptionRow }> {
  return prisma.$transaction(async (tx) => {
    const { count } = await tx.loyaltyRedemption.updateMany({
      where: { id: redemptionId, shop, status: "spending" },
      data: { status: "created", rewardCodeId: code.id, error: null },
    });
    const redemption = (await tx.loyaltyRedemption.findFirst({ where: { id: redemptionId, shop } }))!;
    // Another finisher of the same redemption (the shopper's request and the job) recorded this same code.
    if (count > 0 || (redemption.status === "created" && redemption.rewardCodeId === code.id)) return { won: true, redemption };
    await tx.rewardCode.updateMany({
      where: { id: code.id, shop, status: "created" },
      data: { status: "withdrawn", error: `Created in Shopify after the redemption was cancelled (${redemption.status}); never handed out` },
    });
    return { won: false, redemption };
  });
}

/** Deletes a withdrawn code from Shopify so nobody can use it; if Shopify cannot be reached, the row says so. */
async function withdrawCode(shop: string, code: IssuedCode, redemptionStatus: string): Promise<void> {
  const base = `Created in Shopify after the redemption was cancelled (${redemptionStatus}); never handed out`;
  let note: string;
  try {
    const client = await adminClientFor(shop);
    const gid = code.discountGid ?? (await client.request(CODE_DISCOUNT_BY_CODE, { code: code.code }, { idempotent: true })).codeDiscountNodeByCode?.id ?? null;
    if (gid) {
      const result = await client.request(DISCOUNT_CODE_DELETE, { id: gid });
      assertNoUserErrors(result.discountCodeDelete, { shop, operationName: "DiscountCodeDelete" });
    }
    note = `${base}; deleted from Shopify`;
  } catch (error) {
    note = `${base}; could not be deleted from Shopify (${error instanceof Error ? error.message : String(error)}): delete ${code.code} in Shopify's admin`;
  }
  await prisma.rewardCode.updateMany({ where: { id: code.id, shop, status: "withdrawn" }, data: { error: note.slice(0, 1000) } });
}

async function createCode(shop: string, row: RedemptionRow, reward: RewardRow) {
  const [account, shopRow] = await Promise.all([
    prisma.loyaltyAccount.findUnique({ where: { shop_customerGid: { shop, customerGid: row.customerGid } }, select: { email: true } }),
    prisma.shop.findUnique({ where: { domain: shop }, select: { currencyCode: true } }),
  ]);
  const kind = reward.kind === "percentage" || reward.kind === "fixed_amount" ? reward.kind : "free_shipping";
  const code = await issueRewardCode({
    shop,
    key: rewardCodeKey(row.key),
    customerGid: row.customerGid,
    email: account?.email ?? null,
    title: `Afterglow points reward · ${reward.name}`.slice(0, 255),
    kind,
    value: kind === "free_shipping" ? "" : reward.value,
    currency: kind === "fixed_amount" ? (shopRow?.currencyCode ?? "USD") : null,
    minimumOrder: reward.minimumOrder,
    expiresInDays: reward.expiresInDays,
    requiresApproval: false,
    emailCustomer: false,
    prefix: "POINTS",
  });
  if (code.status !== "created") throw new Error(`reward code ${code.code} is ${code.status}`);
  return code;
}

async function codeOf(shop: string, row: RedemptionRow): Promise<string | null> {
  if (!row.rewardCodeId) return null;
  const code = await prisma.rewardCode.findFirst({ where: { id: row.rewardCodeId, shop }, select: { code: true } });
  return code?.code ?? null;
}

/** Gives a redemption's points back, exactly once (spending → refunded, and the entry's key). */
export async function refundRedemption(shop: string, redemptionId: string, why: string): Promise<RedemptionRow> {
  const [program, tiers] = await Promise.all([loadProgram(shop), loadTiers(shop)]);
  return ledgerTransaction(async (w) => {
    const row = await w.tx.loyaltyRedemption.findFirst({ where: { id: redemptionId, shop } });
    if (!row) throw new Error(`no redemption ${redemptionId} in ${shop}`);
    await lockAccount(w.tx, shop, row.customerGid);
    const { count } = await w.tx.loyaltyRedemption.updateMany({ where: { id: row.id, shop, status: "spending" }, data: { status: "refunded", error: why } });
    if (count === 0) return (await w.tx.loyaltyRedemption.findFirst({ where: { id: row.id, shop } }))!;
    await appendLedgerEntry(w.tx, {
      shop,
      customerGid: row.customerGid,
      key: ledgerKeys.redeemRefund(row.key),
      kind: "reverse",
      status: "approved",
      points: row.points,
      sourceKey: ledgerKeys.redeem(row.key),
      reason: `Reward could not be created: ${why}`.slice(0, 1000),
    });
    await w.tx.rewardCode.updateMany({ where: { shop, key: rewardCodeKey(row.key), status: "creating" }, data: { status: "failed", error: why } });
    await reevaluateTier(w, shop, row.customerGid, { program, tiers });
    return (await w.tx.loyaltyRedemption.findFirst({ where: { id: row.id, shop } }))!;
  });
}

/** This shop has no such redemption (the admin answers 404). */
export class RedemptionNotFoundError extends Error {
  override name = "RedemptionNotFoundError";
  constructor(id: string) {
    super(`No redemption ${id}`);
  }
}

export type RedemptionDecision = { ok: true; redemption: RedemptionRow } | { ok: false; reason: string };

/** Redemptions whose code is not created yet after a failed attempt: the job keeps trying; the merchant may act. */
export async function stuckRedemptions(shop: string) {
  const rows = await prisma.loyaltyRedemption.findMany({ where: { shop, status: "spending", error: { not: null } }, orderBy: { updatedAt: "desc" }, take: 20 });
  const accounts = await prisma.loyaltyAccount.findMany({
    where: { shop, customerGid: { in: rows.map((r) => r.customerGid) } },
    select: { customerGid: true, email: true },
  });
  return rows.map((r) => ({
    id: r.id,
    points: r.points,
    customer: accounts.find((a) => a.customerGid === r.customerGid)?.email ?? r.customerGid,
    error: r.error!,
    createdAt: r.createdAt.toISOString(),
  }));
}

/** The merchant tries the code again now (the job would have, later). */
export async function retryRedemption(shop: string, redemptionId: string): Promise<RedemptionDecision> {
  const row = await prisma.loyaltyRedemption.findFirst({ where: { id: redemptionId, shop } });
  if (!row) throw new RedemptionNotFoundError(redemptionId);
  if (row.status !== "spending") return { ok: false, reason: `This redemption is already ${row.status}.` };
  const { redemption } = await finishRedemption(shop, row.id);
  if (redemption.status === "spending") return { ok: false, reason: `Shopify did not create the code yet: ${redemption.error ?? "unknown error"}` };
  return { ok: true, redemption };
}

/**
 * The merchant gives up on a redemption whose code could not be created: the points go back, exactly once. A code
 * that reached Shopify after all is finished instead (the customer may hold it), never refunded as well.
 */
export async function cancelRedemption(shop: string, redemptionId: string, hooks: RedemptionHooks = {}): Promise<RedemptionDecision> {
  const row = await prisma.loyaltyRedemption.findFirst({ where: { id: redemptionId, shop } });
  if (!row) throw new RedemptionNotFoundError(redemptionId);
  if (row.status !== "spending") return { ok: false, reason: `This redemption is already ${row.status}.` };
  const code = await prisma.rewardCode.findUnique({ where: { shop_key: { shop, key: rewardCodeKey(row.key) } } });
  try {
    if (code && (code.status === "created" || (await codeExistsInShopify(shop, code.code)))) {
      return { ok: false, reason: `The code ${code.code} exists in Shopify: choose Retry to finish the redemption.` };
    }
  } catch (error) {
    return { ok: false, reason: `Could not check Shopify for the code, nothing was cancelled: ${error instanceof Error ? error.message : String(error)}` };
  }
  await hooks.beforeRefund?.();
  const refunded = await refundRedemption(shop, row.id, "cancelled by the merchant, points given back");
  if (refunded.status !== "refunded") return { ok: false, reason: `This redemption is already ${refunded.status}.` };
  return { ok: true, redemption: refunded };
}

/** The `loyalty.redemption` job: finishes a redemption still `spending`; on its last attempt, gives the points back. */
export async function runRedemptionJob(job: JobContext, hooks: RedemptionHooks = {}): Promise<void> {
  const redemptionId = (job.payload as { redemptionId?: unknown } | null)?.redemptionId;
  if (typeof redemptionId !== "string") return;
  await finishRedemption(job.shop, redemptionId, { giveUp: job.attempt >= job.maxAttempts, rethrow: true, hooks });
}

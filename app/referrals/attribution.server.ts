// A friend's paid order → a Referral for the advocate whose code it carries. The domain-event bus hands every
// order.paid event to `queueReferralAttribution` (a cheap look: most orders carry no referral code); a match
// becomes a `referrals.attribute` job, which checks the fraud rules and records the referral once per order,
// pending until the refund window has passed (the `referrals.reward` job, rewards.server.ts).
import { prisma } from "~/db/db.server";
import { getJobQueue, transactionWithJobs } from "~/jobs/index.server";
import type { JobContext } from "~/jobs/queue";
import { now } from "~/lib/time/clock.server";
import { referralCodeCandidates } from "./code";
import { termsForCode } from "./codes.server";
import { checkReferral, type ReferralFacts } from "./fraud";
import { attributeJobKey, REFERRAL_ATTRIBUTE_JOB, REFERRAL_REWARD_JOB, rewardJobKey } from "./jobs";

const DAY_MS = 86_400_000;

type OrderRow = NonNullable<Awaited<ReturnType<typeof prisma.orderState.findFirst>>>;

function jsonStrings(text: string): string[] {
  try {
    const value: unknown = JSON.parse(text);
    return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
  } catch {
    return [];
  }
}

/** The shop's referral codes this order may be attributed to, strongest first. */
async function matchingCodes(shop: string, order: Pick<OrderRow, "discountCodes">) {
  const candidates = referralCodeCandidates({ discountCodes: jsonStrings(order.discountCodes) });
  if (candidates.length === 0) return [];
  const rows = await prisma.referralCode.findMany({ where: { shop, code: { in: candidates } } });
  return candidates.flatMap((c) => rows.filter((r) => r.code === c));
}

/** The referrals subscriber of the domain-event bus, on order.paid: queue the attribution when the order carries a referral code. */
export async function queueReferralAttribution(shop: string, event: { kind: string; subjectGid: string }): Promise<boolean> {
  if (event.kind !== "order.paid") return false;
  const order = await prisma.orderState.findUnique({ where: { shop_orderGid: { shop, orderGid: event.subjectGid } }, select: { discountCodes: true } });
  if (!order || (await matchingCodes(shop, order)).length === 0) return false;
  await getJobQueue().enqueue({ name: REFERRAL_ATTRIBUTE_JOB, shop, payload: { orderGid: event.subjectGid }, key: attributeJobKey(event.subjectGid) });
  return true;
}

export type AttributionOutcome =
  { referralId: string; status: "pending" | "rejected"; reason: string | null; created: boolean } | { referralId: null; skip: string };

/** Records the referral of one paid order (once: unique per friend order). */
export async function attributeReferral(shop: string, orderGid: string): Promise<AttributionOutcome> {
  const held = await prisma.referral.findUnique({ where: { shop_friendOrderGid: { shop, friendOrderGid: orderGid } } });
  if (held) return { referralId: held.id, status: held.status === "rejected" ? "rejected" : "pending", reason: held.reason, created: false };
  const order = await prisma.orderState.findUnique({ where: { shop_orderGid: { shop, orderGid } } });
  if (!order || order.shop !== shop) return { referralId: null, skip: "the order is not known" };
  if (!order.paid) return { referralId: null, skip: "the order is not paid" };
  const [code] = await matchingCodes(shop, order);
  if (!code) return { referralId: null, skip: "the order carries no referral code" };

  const facts = await gatherFacts(shop, order, code);
  const check = checkReferral(facts);
  // The refund window the code was made with (a settings change later does not move it).
  const terms = await termsForCode(shop, code);
  const rewardAt = new Date(now().getTime() + terms.windowDays * DAY_MS);
  try {
    return await transactionWithJobs(async (tx, enqueue) => {
      const referral = await tx.referral.create({
        data: {
          shop,
          codeId: code.id,
          advocateGid: code.customerGid,
          friendOrderGid: orderGid,
          friendCustomerGid: order.customerGid,
          friendEmail: order.email,
          revenueMinor: Math.max(0, (order.totalMinor ?? 0) - order.refundedMinor),
          currency: order.currency,
          status: check.ok ? "pending" : "rejected",
          reason: check.ok ? null : `${check.rule}: ${check.reason}`,
          rewardAt: check.ok ? rewardAt : null,
        },
      });
      if (check.ok) await enqueue({ name: REFERRAL_REWARD_JOB, shop, payload: { referralId: referral.id }, key: rewardJobKey(referral.id), runAt: rewardAt });
      return { referralId: referral.id, status: check.ok ? ("pending" as const) : ("rejected" as const), reason: referral.reason, created: true };
    });
  } catch (error) {
    // Another worker recorded this order's referral meanwhile.
    if ((error as { code?: string }).code !== "P2002") throw error;
    const row = await prisma.referral.findUniqueOrThrow({ where: { shop_friendOrderGid: { shop, friendOrderGid: orderGid } } });
    return { referralId: row.id, status: row.status === "rejected" ? "rejected" : "pending", reason: row.reason, created: false };
  }
}

async function gatherFacts(
  shop: string,
  order: OrderRow,
  code: { id: string; customerGid: string; email: string | null; usageLimit: number },
): Promise<ReferralFacts> {
  const [advocateOrders, account, referralsSoFar, earlierPaidOrders] = await Promise.all([
    prisma.orderState.findMany({ where: { shop, customerGid: code.customerGid }, select: { email: true, shippingKey: true } }),
    prisma.loyaltyAccount.findUnique({ where: { shop_customerGid: { shop, customerGid: code.customerGid } }, select: { email: true } }),
    prisma.referral.count({ where: { shop, codeId: code.id, status: { not: "rejected" }, friendOrderGid: { not: order.orderGid } } }),
    earlierPaidOrdersOf(shop, order),
  ]);
  const emails = [code.email, account?.email, ...advocateOrders.map((o) => o.email)].filter((e): e is string => Boolean(e));
  return {
    advocate: {
      customerGid: code.customerGid,
      emails: [...new Set(emails)],
      shippingKeys: [...new Set(advocateOrders.map((o) => o.shippingKey).filter((k): k is string => Boolean(k)))],
    },
    friend: { customerGid: order.customerGid, email: order.email, shippingKey: order.shippingKey, earlierPaidOrders },
    code: { usageLimit: code.usageLimit, referralsSoFar },
  };
}

/** Other paid orders by the same customer or e-mail placed before this one (Shopify's clock has whole seconds: or at once). */
async function earlierPaidOrdersOf(shop: string, order: OrderRow): Promise<number> {
  const who = [...(order.customerGid ? [{ customerGid: order.customerGid }] : []), ...(order.email ? [{ email: order.email }] : [])];
  if (who.length === 0) return 0;
  return prisma.orderState.count({
    where: {
      shop,
      paid: true,
      orderGid: { not: order.orderGid },
      OR: who,
      ...(order.orderCreatedAt ? { orderCreatedAt: { lte: order.orderCreatedAt } } : {}),
    },
  });
}

/** The `referrals.attribute` job. */
export async function runReferralAttributionJob(job: JobContext): Promise<void> {
  const orderGid = (job.payload as { orderGid?: unknown } | null)?.orderGid;
  if (typeof orderGid !== "string") return;
  await attributeReferral(job.shop, orderGid);
}

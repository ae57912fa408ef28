// Everything the thank-you / order-status block shows for one order, read for the session token's customer only:
// the order must be theirs (a guest may only look at a recent order that has no other customer claim), and every
// personal read filters by shop + that customer.
import { prisma } from "~/db/db.server";
import { loadProgram, loadTiers } from "~/loyalty/program.server";
import { tierBasisValue } from "~/loyalty/tiers.server";
import { challengeLinesFor } from "~/challenges/shopper.server";
import { loadReferralProgram, termsForCode } from "~/referrals/codes.server";
import { referralPath } from "~/referrals/code";
import { answersFor } from "~/surveys/surveys.server";
import { now } from "~/lib/time/clock.server";
import type { ReferralView, ThankYouView, TierView } from "./contract";
import { reviewLinkForOrder } from "./review-link.server";
import { ShopperApiError, type Shopper } from "./shopper-api.server";
import { blocksFor, contentOf, GUEST_WINDOW_MS, isProcessing, pointsView, tierView } from "./view";

export type OrderRow = NonNullable<Awaited<ReturnType<typeof prisma.orderState.findFirst>>>;

const notFound = () => new ShopperApiError(404, { error: "order_not_found" });

/**
 * The order, when this shopper may see it; null while Shopify's webhooks have not brought it yet. A customer sees
 * only their own orders; a guest only a guest order (no customer on it: a guest token cannot prove it is anyone's)
 * placed in the last day (the thank-you page's life) — guests are unverifiable, so they are offered nothing
 * personal anyway. The day counts from the order's creation in Shopify, not from when we first stored it.
 */
export async function orderForShopper(shopper: Pick<Shopper, "shop" | "customerGid">, orderGid: string): Promise<OrderRow | null> {
  const row = await prisma.orderState.findUnique({ where: { shop_orderGid: { shop: shopper.shop, orderGid } } });
  if (!row || row.shop !== shopper.shop) return null;
  // Only a refund or fulfilment has come so far: whose order it is is not known yet, so it is not shown yet.
  if (row.orderCreatedAt === null) return null;
  if (shopper.customerGid) {
    if (row.customerGid !== shopper.customerGid) throw notFound();
  } else if (row.customerGid !== null || Date.now() - placedAt(row.orderCreatedAt, row.createdAt).getTime() > GUEST_WINDOW_MS) {
    throw notFound();
  }
  return row;
}

/** When the order was placed: Shopify's creation time, or when we first saw it if that is earlier. */
const placedAt = (orderCreatedAt: Date, firstSeen: Date) => (orderCreatedAt < firstSeen ? orderCreatedAt : firstSeen);

function processingView(guest: boolean): ThankYouView {
  return {
    status: "processing",
    guest,
    blocks: null,
    message: null,
    survey: null,
    answered: {},
    points: null,
    tier: null,
    referral: null,
    birthday: null,
    review: null,
  };
}

export async function loadThankYouView(shopper: Shopper, orderGid: string): Promise<ThankYouView> {
  const { shop, customerGid } = shopper;
  const guest = customerGid === null;
  const order = await orderForShopper(shopper, orderGid);
  if (!order) return processingView(guest);
  const [contentRow, answered] = await Promise.all([
    prisma.thankYouContent.findUnique({ where: { shop_orderGid: { shop, orderGid } } }),
    answersFor(shop, orderGid),
  ]);
  const content = contentOf(contentRow?.blocks);
  const view: ThankYouView = {
    status: "ready",
    guest,
    blocks: content ? blocksFor(content.blocks, guest) : null,
    message: content?.message ?? null,
    survey: content?.survey ?? null,
    answered,
    points: null,
    tier: null,
    referral: null,
    birthday: null,
    review: null,
  };
  let hasPoints = false;
  if (customerGid) {
    const [entries, account, profile] = await Promise.all([
      prisma.loyaltyEntry.findMany({ where: { shop, customerGid, orderGid }, select: { status: true, points: true, kind: true, availableAt: true } }),
      prisma.loyaltyAccount.findUnique({ where: { shop_customerGid: { shop, customerGid } }, select: { points: true, pending: true, tier: true } }),
      prisma.customerProfile.findUnique({ where: { shop_customerGid: { shop, customerGid } }, select: { birthday: true } }),
    ]);
    hasPoints = entries.length > 0;
    view.points = pointsView(entries, account);
    view.tier = await tierFor(shop, customerGid, account?.tier ?? null);
    view.referral = await referralFor(shop, customerGid);
    view.challenges = await challengeLinesFor(shop, customerGid, order.locale);
    view.birthday = { value: profile?.birthday ?? null };
    if (shopper.surface === "order-status" && order.fulfilled) view.review = await reviewLinkForOrder(shop, orderGid);
  }
  const processing = isProcessing({
    orderKnown: true,
    ageMs: Date.now() - order.createdAt.getTime(),
    hasContent: content !== null,
    expectsPoints: !guest && order.paid,
    hasPoints,
  });
  return processing ? { ...view, status: "processing" } : view;
}

async function tierFor(shop: string, customerGid: string, currentHandle: string | null): Promise<TierView | null> {
  const tiers = await loadTiers(shop);
  if (tiers.length === 0) return null;
  const [program, shopRow] = await Promise.all([loadProgram(shop), prisma.shop.findUnique({ where: { domain: shop }, select: { currencyCode: true } })]);
  const value = await tierBasisValue(prisma, shop, customerGid, program, now());
  return tierView({ tiers, value, currentHandle, basis: program.tierBasis, currency: shopRow?.currencyCode ?? "USD" });
}

/** The customer's referral offer: their code's terms once it exists, the program's for a code yet to be made; null while the program is off. */
export async function referralFor(shop: string, customerGid: string): Promise<ReferralView | null> {
  const [row, program] = await Promise.all([
    prisma.referralCode.findUnique({ where: { shop_customerGid: { shop, customerGid } }, select: { code: true, status: true, terms: true } }),
    loadReferralProgram(shop),
  ]);
  if (!program.enabled) return null;
  const active = row?.status === "active";
  const terms = active ? await termsForCode(shop, row) : program;
  return {
    code: active ? row.code : null,
    path: active ? referralPath(row.code) : null,
    friendDiscount: terms.friendDiscount,
    minimumOrder: terms.minimumOrderMinor > 0 ? { amountMinor: terms.minimumOrderMinor, currency: terms.currency } : null,
    reward: terms.reward,
  };
}

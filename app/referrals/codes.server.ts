// An advocate's referral code: a ReferralCode row first (its code chosen once, so a retry never invents a second
// code), then the real discount in Shopify with discountCodeBasicCreate — for any buyer, once per customer, up to
// the code's usage limit. Safe to repeat: an earlier attempt that did reach Shopify is found by its code.
// A failure leaves the code `failed` with the reason (the Referrals page offers Retry and Cancel, recovery.server.ts);
// a code the merchant cancelled stays cancelled: the shopper is not offered one and none is created on her visit.
import { randomBytes } from "node:crypto";
import { CODE_DISCOUNT_BY_CODE, DISCOUNT_CODE_BASIC_CREATE, type DiscountCodeBasicInput } from "~/shopify/admin-api/operations/discounts";
import { adminClientFor } from "~/shopify/admin-api/shop-client.server";
import { assertNoUserErrors } from "~/shopify/admin-api/user-errors";
import { prisma } from "~/db/db.server";
import { loadProgram } from "~/loyalty/program.server";
import { minorToDecimal } from "~/lib/money-format";
import { now } from "~/lib/time/clock.server";
import { findShop } from "~/shops/shops.server";
import { newReferralCode, referralProgramFor, type ReferralProgram, type ReferralTerms } from "./code";
import { parseReferralSettings, referralProgramFromRow, termsOfCode, termsSnapshot, type ReferralFieldErrors } from "./settings";

export type ReferralCodeRow = NonNullable<Awaited<ReturnType<typeof prisma.referralCode.findFirst>>>;

/** The shop's referral program now: its saved settings, or the original terms (referralProgramFor) until it saves any. */
export async function loadReferralProgram(shop: string): Promise<ReferralProgram> {
  const [row, loyalty, shopRow] = await Promise.all([prisma.referralProgram.findUnique({ where: { shop } }), loadProgram(shop), findShop(shop)]);
  return referralProgramFromRow(row, loyalty, shopRow?.currencyCode ?? "USD");
}

/** The terms a code runs on: those it was made with; a code from before settings existed, the original terms. */
export async function termsForCode(shop: string, code: { terms: string | null }): Promise<ReferralTerms> {
  const [loyalty, shopRow] = await Promise.all([loadProgram(shop), findShop(shop)]);
  return termsOfCode(code.terms, referralProgramFor(loyalty, shopRow?.currencyCode ?? "USD"));
}

/** Saves the settings form (new codes get these terms; codes already made keep theirs). */
export async function saveReferralSettings(
  shop: string,
  input: Record<string, unknown>,
): Promise<{ ok: true; program: ReferralProgram } | { ok: false; errors: ReferralFieldErrors }> {
  const [loyalty, shopRow] = await Promise.all([loadProgram(shop), findShop(shop)]);
  const parsed = parseReferralSettings(input, { currency: shopRow?.currencyCode ?? "USD", loyaltyEnabled: loyalty.enabled });
  if (!parsed.ok) return parsed;
  await prisma.referralProgram.upsert({ where: { shop }, create: { shop, ...parsed.value }, update: parsed.value });
  return { ok: true, program: await loadReferralProgram(shop) };
}

export class ReferralProgramOffError extends Error {
  override name = "ReferralProgramOffError";
}

export function referralCodeOf(shop: string, customerGid: string) {
  return prisma.referralCode.findUnique({ where: { shop_customerGid: { shop, customerGid } } });
}

const isUniqueViolation = (error: unknown) => (error as { code?: string } | null)?.code === "P2002";

/**
 * The customer's code, created (in our database and in Shopify) on first ask, on the program's terms of that moment
 * (kept on the code). Throws when Shopify refuses, and ReferralProgramOffError while the program is off.
 */
export async function ensureReferralCode(shop: string, customerGid: string, email: string | null): Promise<ReferralCodeRow> {
  const program = await loadReferralProgram(shop);
  if (!program.enabled) throw new ReferralProgramOffError(`The referral program of ${shop} is off`);
  let row = await referralCodeOf(shop, customerGid);
  for (let attempt = 0; !row && attempt < 5; attempt++) {
    try {
      row = await prisma.referralCode.create({
        data: {
          shop,
          customerGid,
          email,
          code: newReferralCode(randomBytes),
          usageLimit: program.usageLimit,
          terms: program.saved ? termsSnapshot(program) : null,
          status: "creating",
        },
      });
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      // Either this customer's row appeared meanwhile (a second tab), or the code was taken: look, then try again.
      row = await referralCodeOf(shop, customerGid);
    }
  }
  if (!row) throw new Error(`could not choose a free referral code in ${shop}`);
  if (row.status === "active" || row.status === "cancelled") return row;
  return createReferralDiscount(shop, row);
}

/** Shopify's discount behind a referral code, on the code's terms. */
export function referralDiscountInput(
  row: Pick<ReferralCodeRow, "code" | "usageLimit">,
  terms: Pick<ReferralTerms, "friendDiscount" | "minimumOrderMinor" | "currency">,
  startsAt: Date,
): DiscountCodeBasicInput {
  const friend = terms.friendDiscount;
  return {
    title: `Referral ${row.code}`,
    code: row.code,
    startsAt: startsAt.toISOString(),
    endsAt: null,
    usageLimit: row.usageLimit,
    appliesOncePerCustomer: true,
    context: { all: "ALL" },
    customerGets: {
      value:
        friend.type === "percentage"
          ? { percentage: friend.percent / 100 }
          : { discountAmount: { amount: minorToDecimal(friend.amountMinor, friend.currency), appliesOnEachItem: false } },
      items: { all: true },
    },
    minimumRequirement:
      terms.minimumOrderMinor > 0 ? { subtotal: { greaterThanOrEqualToSubtotal: minorToDecimal(terms.minimumOrderMinor, terms.currency) } } : null,
    combinesWith: { orderDiscounts: false, productDiscounts: false, shippingDiscounts: true },
  };
}

/** Shopify's answer for a code that is `creating` (claimed by the caller); throws after recording the failure. */
export async function createReferralDiscount(shop: string, row: ReferralCodeRow): Promise<ReferralCodeRow> {
  try {
    const terms = await termsForCode(shop, row);
    const client = await adminClientFor(shop);
    const lookUp = async () => (await client.request(CODE_DISCOUNT_BY_CODE, { code: row.code }, { idempotent: true })).codeDiscountNodeByCode?.id ?? null;
    let discountGid = await lookUp();
    if (!discountGid) {
      const result = await client.request(DISCOUNT_CODE_BASIC_CREATE, { basicCodeDiscount: referralDiscountInput(row, terms, now()) });
      const payload = result.discountCodeBasicCreate;
      // Taken: a concurrent request for the same customer created it a moment ago.
      if (payload?.userErrors.some((e) => e.code === "TAKEN")) discountGid = await lookUp();
      if (!discountGid) discountGid = assertNoUserErrors(payload, { shop, operationName: "DiscountCodeBasicCreate" }).codeDiscountNode?.id ?? null;
    }
    // Only while nobody cancelled it meanwhile: a cancelled code stays cancelled (and is offered to nobody).
    const { count } = await prisma.referralCode.updateMany({
      where: { id: row.id, shop, status: { not: "cancelled" } },
      data: { status: "active", discountGid, error: null },
    });
    if (count === 0) throw new Error(`Referral code ${row.code} was cancelled while Shopify created it`);
    return await prisma.referralCode.findFirstOrThrow({ where: { id: row.id, shop } });
  } catch (error) {
    const reason = (error instanceof Error ? error.message : String(error)).slice(0, 1000);
    await prisma.referralCode.updateMany({ where: { id: row.id, shop, status: { in: ["creating", "failed"] } }, data: { status: "failed", error: reason } });
    throw error;
  }
}

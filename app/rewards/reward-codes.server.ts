// Reward discount codes for one customer: a RewardCode row first (its code chosen once, so a retry never
// invents a second code), then the real discount in Shopify with discountCodeBasicCreate — single use,
// limited to that customer. A code that needs the merchant's approval waits until approved.
import { randomBytes } from "node:crypto";
import {
  CODE_DISCOUNT_BY_CODE,
  DISCOUNT_CODE_BASIC_CREATE,
  DISCOUNT_CODE_DELETE,
  DISCOUNT_CODE_FREE_SHIPPING_CREATE,
  type DiscountCodeBasicInput,
  type DiscountCodeFreeShippingInput,
} from "~/shopify/admin-api/operations/discounts";
import { assertNoUserErrors } from "~/shopify/admin-api/user-errors";
import { adminClientFor } from "~/shopify/admin-api/shop-client.server";
import { prisma } from "~/db/db.server";
import { now } from "~/lib/time/clock.server";

export interface RewardCodeRequest {
  shop: string;
  key: string;
  customerGid: string;
  email: string | null;
  locale?: string | null;
  firstName?: string | null;
  title: string;
  kind: "percentage" | "fixed_amount" | "free_shipping";
  /** Percent ("10") or a decimal amount ("5.00"); "" for free shipping. */
  value: string;
  currency: string | null;
  minimumOrder: string | null;
  expiresInDays: number;
  requiresApproval: boolean;
  emailCustomer: boolean;
  /** Code prefix, e.g. "THANKS". */
  prefix?: string;
}

const ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"; // no 0/O, 1/I: codes are read aloud and typed

export function newRewardCode(prefix = "AG"): string {
  const bytes = randomBytes(8);
  let suffix = "";
  for (const b of bytes) suffix += ALPHABET[b % ALPHABET.length];
  return `${prefix}-${suffix}`;
}

/** Records the reward (once per key) and, unless it waits for approval, creates it in Shopify. */
export async function issueRewardCode(request: RewardCodeRequest) {
  let row = await prisma.rewardCode.findUnique({ where: { shop_key: { shop: request.shop, key: request.key } } });
  if (!row) {
    row = await prisma.rewardCode.create({
      data: {
        shop: request.shop,
        key: request.key,
        customerGid: request.customerGid,
        email: request.email,
        locale: request.locale ?? null,
        firstName: request.firstName ?? null,
        code: newRewardCode(request.prefix),
        title: request.title,
        kind: request.kind,
        value: request.value,
        currency: request.currency,
        minimumOrder: request.minimumOrder,
        // The dates are set when the code is created in Shopify: approved weeks later, it is still valid as long.
        validDays: request.expiresInDays,
        endsAt: null,
        status: request.requiresApproval ? "awaiting_approval" : "creating",
        emailCustomer: request.emailCustomer,
      },
    });
  }
  if (row.status === "creating") return createInShopify(row.shop, row.id);
  return row;
}

type RewardRow = NonNullable<Awaited<ReturnType<typeof prisma.rewardCode.findFirst>>>;

const DAY_MS = 24 * 3600 * 1000;

/**
 * When a code created now is valid: `validDays` from now. Rows from before `validDays` kept only an end date
 * fixed at preparation; once that has passed they get the validity they were prepared with, from now.
 */
export function validityFrom(row: Pick<RewardRow, "validDays" | "endsAt" | "createdAt">, startsAt: Date): { startsAt: Date; endsAt: Date | null } {
  if (row.validDays !== null) return { startsAt, endsAt: new Date(startsAt.getTime() + row.validDays * DAY_MS) };
  if (!row.endsAt || row.endsAt.getTime() > startsAt.getTime()) return { startsAt, endsAt: row.endsAt };
  return { startsAt, endsAt: new Date(startsAt.getTime() + Math.max(DAY_MS, row.endsAt.getTime() - row.createdAt.getTime())) };
}

export function discountInput(row: RewardRow, window: { startsAt: Date; endsAt: Date | null }): DiscountCodeBasicInput {
  const value =
    row.kind === "percentage"
      ? { percentage: Number(row.value) / 100 }
      : { discountAmount: { amount: row.kind === "fixed_amount" ? row.value : "0", appliesOnEachItem: false } };
  return {
    title: row.title,
    code: row.code,
    startsAt: window.startsAt.toISOString(),
    endsAt: window.endsAt?.toISOString() ?? null,
    usageLimit: 1,
    appliesOncePerCustomer: true,
    context: { customers: { add: [row.customerGid] } },
    customerGets: { value, items: { all: true } },
    minimumRequirement: row.minimumOrder ? { subtotal: { greaterThanOrEqualToSubtotal: row.minimumOrder } } : null,
    combinesWith: { orderDiscounts: false, productDiscounts: false, shippingDiscounts: true },
  };
}

export function freeShippingInput(row: RewardRow, window: { startsAt: Date; endsAt: Date | null }): DiscountCodeFreeShippingInput {
  return {
    title: row.title,
    code: row.code,
    startsAt: window.startsAt.toISOString(),
    endsAt: window.endsAt?.toISOString() ?? null,
    usageLimit: 1,
    appliesOncePerCustomer: true,
    context: { customers: { add: [row.customerGid] } },
    destination: { all: true },
    minimumRequirement: row.minimumOrder ? { subtotal: { greaterThanOrEqualToSubtotal: row.minimumOrder } } : null,
    combinesWith: { orderDiscounts: true, productDiscounts: true },
  };
}

/** Creates the discount in Shopify; safe to repeat (an earlier attempt that did land is found by its code). */
export async function createInShopify(shop: string, id: string): Promise<RewardRow> {
  const row = await prisma.rewardCode.findFirst({ where: { id, shop } });
  if (!row) throw new Error(`no reward code ${id} in ${shop}`);
  if (row.status === "created") return row;
  const client = await adminClientFor(shop);
  const found = await client.request(CODE_DISCOUNT_BY_CODE, { code: row.code }, { idempotent: true });
  let discountGid = found.codeDiscountNodeByCode?.id ?? null;
  const window = validityFrom(row, now());
  if (!discountGid && row.kind === "free_shipping") {
    const result = await client.request(DISCOUNT_CODE_FREE_SHIPPING_CREATE, { freeShippingCodeDiscount: freeShippingInput(row, window) });
    assertNoUserErrors(result.discountCodeFreeShippingCreate, { shop, operationName: "DiscountCodeFreeShippingCreate" });
    discountGid = result.discountCodeFreeShippingCreate?.codeDiscountNode?.id ?? null;
  } else if (!discountGid) {
    const result = await client.request(DISCOUNT_CODE_BASIC_CREATE, { basicCodeDiscount: discountInput(row, window) });
    assertNoUserErrors(result.discountCodeBasicCreate, { shop, operationName: "DiscountCodeBasicCreate" });
    discountGid = result.discountCodeBasicCreate?.codeDiscountNode?.id ?? null;
  }
  // Found from an earlier attempt that did land: its dates are the ones Shopify holds, read back below.
  const landedEndsAt = found.codeDiscountNodeByCode?.codeDiscount?.endsAt;
  const endsAt = found.codeDiscountNodeByCode ? (landedEndsAt ? new Date(landedEndsAt) : null) : window.endsAt;
  // Only while nobody cancelled it meanwhile (the merchant may cancel a creation that seemed stuck): a discount
  // created for a cancelled reward is deleted again, never handed out.
  const { count } = await prisma.rewardCode.updateMany({
    where: { id: row.id, shop, status: { notIn: ["cancelled", "withdrawn"] } },
    data: { status: "created", discountGid, endsAt, error: null },
  });
  if (count === 0) {
    if (discountGid) await client.request(DISCOUNT_CODE_DELETE, { id: discountGid }).catch(() => undefined);
    throw new Error(`Reward ${row.code} was cancelled while Shopify created it; its discount was deleted again`);
  }
  return prisma.rewardCode.findFirstOrThrow({ where: { id: row.id, shop } });
}

/**
 * Moves a reward the merchant acts on from one of `from` to `to`, for this shop only — and, given `updatedAt`,
 * only if it has not changed since (a move within one status, such as a stuck `creating` claimed again, is
 * otherwise won by every caller). Answers the row as it is after the attempt and whether this call moved it (a
 * second click, or another shop's id, moves nothing).
 */
export async function moveRewardCode(
  shop: string,
  id: string,
  from: readonly string[],
  to: string,
  error: string | null = null,
  updatedAt?: Date,
): Promise<{ row: RewardRow | null; moved: boolean }> {
  const { count } = await prisma.rewardCode.updateMany({
    where: { id, shop, status: { in: [...from] }, ...(updatedAt ? { updatedAt } : {}) },
    data: { status: to, error },
  });
  return { row: await prisma.rewardCode.findFirst({ where: { id, shop } }), moved: count > 0 };
}

/** A code Shopify refused (or that could not reach Shopify): failed with the reason, until retried or cancelled. */
export async function failRewardCode(shop: string, id: string, error: string): Promise<void> {
  await prisma.rewardCode.updateMany({ where: { id, shop, status: "creating" }, data: { status: "failed", error: error.slice(0, 1000) } });
}

/** The key of a reward's e-mail: whoever mails a code (the dashboard's approve/retry, a review's reward) uses it, so it goes once. */
export const rewardMailKey = (rewardKey: string) => `${rewardKey}:mail`;

/** As failRewardCode, for the reward known by its key (its creator learnt of the refusal by a thrown error). */
export async function failRewardCodeByKey(shop: string, key: string, error: string): Promise<void> {
  await prisma.rewardCode.updateMany({ where: { shop, key, status: "creating" }, data: { status: "failed", error: error.slice(0, 1000) } });
}

/** Whether Shopify holds a discount with this code (an attempt whose answer was lost may have landed). */
export async function codeExistsInShopify(shop: string, code: string): Promise<boolean> {
  const client = await adminClientFor(shop);
  const found = await client.request(CODE_DISCOUNT_BY_CODE, { code }, { idempotent: true });
  return found.codeDiscountNodeByCode !== null;
}

export function listRewardCodes(shop: string, where: { status?: string } = {}) {
  return prisma.rewardCode.findMany({ where: { shop, ...where }, orderBy: { createdAt: "desc" }, take: 100 });
}

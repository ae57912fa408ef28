import { newNumericId, parseGid } from "../../ids.js";
import { moneyV2, toMinor, restAmount } from "../../money.js";
import { nowIso, type DiscountRecord } from "../../store.js";
import type { ResolverContext, ResolverMap } from "../context.js";
import { paginate, searchFilter, sortBy, type ConnectionArgs, type SearchFields } from "../connection.js";
import { count, requireGid } from "./common.js";

// Basic code discounts: what Afterglow creates for rewards and referrals. Codes are unique per shop
// (case-insensitively), so a duplicate is refused with a userError, never silently reused.

interface BasicInput {
  title?: string | null;
  code?: string | null;
  startsAt?: string | null;
  endsAt?: string | null;
  usageLimit?: number | null;
  appliesOncePerCustomer?: boolean | null;
  tags?: string[] | null;
  context?: { all?: string | null; customers?: { add?: string[] | null } | null; customerSegments?: unknown } | null;
  customerGets?: {
    value?: { percentage?: number | null; discountAmount?: { amount: string; appliesOnEachItem?: boolean | null } | null; discountOnQuantity?: unknown } | null;
    items?: { all?: boolean | null; products?: unknown; collections?: unknown } | null;
  } | null;
  minimumRequirement?: {
    subtotal?: { greaterThanOrEqualToSubtotal?: string | null } | null;
    quantity?: { greaterThanOrEqualToQuantity?: string | null } | null;
  } | null;
  combinesWith?: { orderDiscounts?: boolean | null; productDiscounts?: boolean | null; shippingDiscounts?: boolean | null } | null;
}

type UserError = { field: string[]; message: string; code: string; extraInfo: string | null };

function findByCode(ctx: ResolverContext, code: string): DiscountRecord | undefined {
  const wanted = code.trim().toLowerCase();
  for (const d of ctx.state.discounts.values()) if (d.codes.some((c) => c.code.toLowerCase() === wanted)) return d;
  return undefined;
}

function status(d: DiscountRecord): "ACTIVE" | "EXPIRED" | "SCHEDULED" {
  const now = Date.now();
  if (Date.parse(d.startsAt) > now) return "SCHEDULED";
  if (d.endsAt && Date.parse(d.endsAt) <= now) return "EXPIRED";
  if (d.usageLimit != null && d.codes.reduce((s, c) => s + c.asyncUsageCount, 0) >= d.usageLimit) return "EXPIRED";
  return "ACTIVE";
}

function summary(d: DiscountRecord, currency: string): string {
  const value = d.freeShipping
    ? "Free shipping"
    : d.percentage != null
      ? `${Math.round(d.percentage * 10000) / 100}% off`
      : `${restAmount(d.amountMinor ?? 0, currency)} ${currency} off`;
  const parts = [`${value} entire order`];
  if (d.minimumSubtotalMinor != null) parts.push(`Minimum purchase of ${restAmount(d.minimumSubtotalMinor, currency)} ${currency}`);
  if (d.customerIds) parts.push(`For ${d.customerIds.length} customer${d.customerIds.length === 1 ? "" : "s"}`);
  if (d.usageLimit != null) parts.push(`Limit of ${d.usageLimit} use${d.usageLimit === 1 ? "" : "s"}`);
  if (d.appliesOncePerCustomer) parts.push("One use per customer");
  return parts.join(" • ");
}

/** The DiscountCodeBasic object of a stored discount (a plain view; nested connections are methods). */
export function discountCodeBasicView(d: DiscountRecord, ctx: ResolverContext): Record<string, unknown> {
  if (d.freeShipping) return freeShippingView(d, ctx);
  return basicView(d, ctx);
}

function basicView(d: DiscountRecord, ctx: ResolverContext) {
  const currency = ctx.state.shop.currencyCode;
  const usage = d.codes.reduce((s, c) => s + c.asyncUsageCount, 0);
  return {
    __typename: "DiscountCodeBasic",
    title: d.title,
    status: status(d),
    startsAt: d.startsAt,
    endsAt: d.endsAt,
    createdAt: d.createdAt,
    updatedAt: d.updatedAt,
    usageLimit: d.usageLimit,
    appliesOncePerCustomer: d.appliesOncePerCustomer,
    asyncUsageCount: usage,
    tags: d.tags,
    summary: summary(d, currency),
    shortSummary: summary(d, currency).split(" • ")[0],
    discountClasses: ["ORDER"],
    discountClass: "ORDER",
    combinesWith: { ...d.combinesWith, productDiscountsWithTagsOnSameCartLine: null },
    hasTimelineComment: false,
    recurringCycleLimit: null,
    totalSales: null,
    codesCount: count(d.codes.length),
    codes: (args: ConnectionArgs) =>
      paginate(
        d.codes.map((c) => ({ __typename: "DiscountRedeemCode", ...c })),
        args,
        (c) => c.id,
        { bulk: ctx.bulk },
      ),
    customerGets: {
      appliesOnOneTimePurchase: true,
      appliesOnSubscription: false,
      value:
        d.percentage != null
          ? { __typename: "DiscountPercentage", percentage: d.percentage }
          : { __typename: "DiscountAmount", amount: moneyV2(d.amountMinor ?? 0, currency), appliesOnEachItem: d.appliesOnEachItem },
      items: { __typename: "AllDiscountItems", allItems: true },
    },
    context: d.customerIds
      ? { __typename: "DiscountCustomers", customers: d.customerIds.map((id) => ctx.state.customers.get(id)).filter(Boolean) }
      : { __typename: "DiscountBuyerSelectionAll", all: "ALL" },
    customerSelection: d.customerIds
      ? { __typename: "DiscountCustomers", customers: d.customerIds.map((id) => ctx.state.customers.get(id)).filter(Boolean) }
      : { __typename: "DiscountCustomerAll", allCustomers: true },
    minimumRequirement:
      d.minimumSubtotalMinor != null
        ? { __typename: "DiscountMinimumSubtotal", greaterThanOrEqualToSubtotal: moneyV2(d.minimumSubtotalMinor, currency) }
        : d.minimumQuantity != null
          ? { __typename: "DiscountMinimumQuantity", greaterThanOrEqualToQuantity: String(d.minimumQuantity) }
          : null,
  };
}

function validate(input: BasicInput, ctx: ResolverContext, root = "basicCodeDiscount"): { errors: UserError[]; customerIds: string[] | null } {
  const errors: UserError[] = [];
  const at = (...f: string[]) => [root, ...f];
  const freeShipping = root === "freeShippingCodeDiscount";
  const err = (field: string[], message: string, code: string) => errors.push({ field, message, code, extraInfo: null });
  if (!input.title?.trim()) err(at("title"), "Title can't be blank", "BLANK");
  if (!input.code?.trim()) err(at("code"), "Code can't be blank", "BLANK");
  else if (input.code.length > 255) err(at("code"), "Code is too long (maximum is 255 characters)", "TOO_LONG");
  else if (/[\r\n]/.test(input.code)) err(at("code"), "Code cannot contain newline characters.", "INVALID");
  else if (findByCode(ctx, input.code)) err(at("code"), "Code must be unique. Please try a different code.", "TAKEN");
  const value = input.customerGets?.value;
  if (freeShipping) {
    // Free shipping has a destination instead of customer gets.
  } else if (!input.customerGets || !value) err(at("customerGets"), "Customer gets can't be blank", "BLANK");
  else if (value.percentage != null && (value.percentage <= 0 || value.percentage > 1)) {
    err(at("customerGets", "value", "percentage"), "Value must be between 0.0 and 1.0", "VALUE_OUTSIDE_RANGE");
  } else if (value.discountAmount) {
    try {
      if (toMinor(value.discountAmount.amount, ctx.state.shop.currencyCode) <= 0)
        err(at("customerGets", "value", "discountAmount", "amount"), "Value must be greater than 0", "GREATER_THAN");
    } catch {
      err(at("customerGets", "value", "discountAmount", "amount"), "Value is invalid", "INVALID");
    }
  } else if (value.percentage == null) err(at("customerGets", "value"), "Value can't be blank", "BLANK");
  if (input.customerGets && !input.customerGets.items) err(at("customerGets", "items"), "Items can't be blank", "BLANK");
  if (input.startsAt && input.endsAt && Date.parse(input.endsAt) <= Date.parse(input.startsAt))
    err(at("endsAt"), "Ends at needs to be after starts_at", "END_DATE_BEFORE_START_DATE");
  if (input.usageLimit != null && input.usageLimit < 1) err(at("usageLimit"), "Usage limit must be greater than 0", "GREATER_THAN");
  let customerIds: string[] | null = null;
  const add = input.context?.customers?.add;
  if (add) {
    customerIds = [];
    for (const [i, g] of add.entries()) {
      const parsed = parseGid(g);
      if (!parsed || parsed.type !== "Customer" || !ctx.state.customers.has(parsed.id))
        err(at("context", "customers", "add", String(i)), "Customer does not exist", "INVALID");
      else customerIds.push(parsed.id);
    }
  }
  return { errors, customerIds };
}

function discountCodeBasicCreate(_s: unknown, args: { basicCodeDiscount: BasicInput }, ctx: ResolverContext) {
  return createCodeDiscount(args.basicCodeDiscount, ctx, "basicCodeDiscount");
}

function discountCodeFreeShippingCreate(_s: unknown, args: { freeShippingCodeDiscount: BasicInput }, ctx: ResolverContext) {
  return createCodeDiscount(args.freeShippingCodeDiscount, ctx, "freeShippingCodeDiscount");
}

function freeShippingView(d: DiscountRecord, ctx: ResolverContext): Record<string, unknown> {
  const { customerGets: _customerGets, ...rest } = basicView(d, ctx);
  return {
    ...rest,
    __typename: "DiscountCodeFreeShipping",
    summary: summary(d, ctx.state.shop.currencyCode),
    shortSummary: "Free shipping",
    discountClasses: ["SHIPPING"],
    discountClass: "SHIPPING",
    destinationSelection: { __typename: "DiscountCountryAll", allCountries: true },
    appliesOnOneTimePurchase: true,
    appliesOnSubscription: false,
    maximumShippingPrice: null,
  };
}

function createCodeDiscount(input: BasicInput, ctx: ResolverContext, root: "basicCodeDiscount" | "freeShippingCodeDiscount") {
  const { errors, customerIds } = validate(input, ctx, root);
  if (errors.length > 0) return { codeDiscountNode: null, userErrors: errors };
  const now = nowIso();
  const freeShipping = root === "freeShippingCodeDiscount";
  const value: NonNullable<NonNullable<BasicInput["customerGets"]>["value"]> = freeShipping ? {} : input.customerGets!.value!;
  const record: DiscountRecord = {
    __typename: "DiscountCodeNode",
    id: newNumericId(),
    title: input.title!.trim(),
    codes: [{ id: newNumericId(), code: input.code!.trim(), asyncUsageCount: 0 }],
    startsAt: input.startsAt ?? now,
    endsAt: input.endsAt ?? null,
    percentage: value.percentage ?? null,
    amountMinor: value.discountAmount ? toMinor(value.discountAmount.amount, ctx.state.shop.currencyCode) : null,
    appliesOnEachItem: value.discountAmount?.appliesOnEachItem ?? false,
    freeShipping,
    customerIds,
    usageLimit: input.usageLimit ?? null,
    appliesOncePerCustomer: input.appliesOncePerCustomer ?? false,
    combinesWith: {
      orderDiscounts: input.combinesWith?.orderDiscounts ?? false,
      productDiscounts: input.combinesWith?.productDiscounts ?? false,
      shippingDiscounts: input.combinesWith?.shippingDiscounts ?? false,
    },
    minimumSubtotalMinor: input.minimumRequirement?.subtotal?.greaterThanOrEqualToSubtotal
      ? toMinor(input.minimumRequirement.subtotal.greaterThanOrEqualToSubtotal, ctx.state.shop.currencyCode)
      : null,
    minimumQuantity: input.minimumRequirement?.quantity?.greaterThanOrEqualToQuantity
      ? Number(input.minimumRequirement.quantity.greaterThanOrEqualToQuantity)
      : null,
    tags: input.tags ?? [],
    metafields: [],
    createdAt: now,
    updatedAt: now,
  };
  ctx.state.discounts.set(record.id, record);
  return { codeDiscountNode: record, userErrors: [] };
}

function discountSearchFields(): SearchFields<DiscountRecord> {
  return {
    default: (d) => [d.title, ...d.codes.map((c) => c.code)],
    code: (d) => d.codes.map((c) => c.code),
    title: (d) => d.title,
    status: (d) => status(d).toLowerCase(),
    type: () => "basic",
    discount_type: () => "code",
    method: () => "code",
    starts_at: (d) => d.startsAt,
    ends_at: (d) => d.endsAt,
    created_at: (d) => d.createdAt,
    updated_at: (d) => d.updatedAt,
    times_used: (d) => d.codes.reduce((s, c) => s + c.asyncUsageCount, 0),
  };
}

/** Deletes a code discount by its DiscountCodeNode id; an unknown id answers a userError, as Shopify does. */
function discountCodeDelete(_s: unknown, args: { id: string }, ctx: ResolverContext) {
  const parsed = parseGid(args.id);
  if (!parsed || parsed.type !== "DiscountCodeNode" || !ctx.state.discounts.has(parsed.id)) {
    return { deletedCodeDiscountId: null, userErrors: [{ field: ["id"], message: "Discount does not exist", code: "INVALID", extraInfo: null }] };
  }
  ctx.state.discounts.delete(parsed.id);
  return { deletedCodeDiscountId: args.id, userErrors: [] };
}

export const discountResolvers: ResolverMap = {
  "Mutation.discountCodeBasicCreate": discountCodeBasicCreate,
  "Mutation.discountCodeDelete": discountCodeDelete,
  "Mutation.discountCodeFreeShippingCreate": discountCodeFreeShippingCreate,
  "QueryRoot.codeDiscountNodeByCode": (_s, args: { code: string }, ctx) => findByCode(ctx, args.code) ?? null,
  "QueryRoot.codeDiscountNode": (_s, args: { id: string }, ctx) => {
    const { type, id } = requireGid(args.id);
    return type === "DiscountCodeNode" ? (ctx.state.discounts.get(id) ?? null) : null;
  },
  "QueryRoot.discountNode": (_s, args: { id: string }, ctx) => {
    const { type, id } = requireGid(args.id);
    const d = type === "DiscountCodeNode" || type === "DiscountNode" ? ctx.state.discounts.get(id) : undefined;
    return d ? { ...d, __typename: "DiscountNode" } : null;
  },
  "QueryRoot.discountNodes": (_s, args: ConnectionArgs & { query?: string }, ctx) => {
    const list = sortBy([...ctx.state.discounts.values()].filter(searchFilter(args.query, discountSearchFields())));
    return paginate(
      list.map((d) => ({ ...d, __typename: "DiscountNode" as const })),
      args,
      (d) => d.id,
      { bulk: ctx.bulk },
    );
  },
  "QueryRoot.codeDiscountNodes": (_s, args: ConnectionArgs & { query?: string }, ctx) =>
    paginate(sortBy([...ctx.state.discounts.values()].filter(searchFilter(args.query, discountSearchFields()))), args, (d) => d.id, { bulk: ctx.bulk }),
  "QueryRoot.discountNodesCount": (_s, args: { query?: string }, ctx) =>
    count([...ctx.state.discounts.values()].filter(searchFilter(args.query, discountSearchFields())).length),
  "QueryRoot.discountCodesCount": (_s, args: { query?: string }, ctx) =>
    count([...ctx.state.discounts.values()].filter(searchFilter(args.query, discountSearchFields())).reduce((s, d) => s + d.codes.length, 0)),
  "DiscountCodeNode.id": (d: DiscountRecord) => `gid://shopify/DiscountCodeNode/${d.id}`,
  "DiscountNode.id": (d: DiscountRecord) => `gid://shopify/DiscountCodeNode/${d.id}`,
  "DiscountCodeNode.codeDiscount": (d: DiscountRecord, _a, ctx) => discountCodeBasicView(d, ctx),
  "DiscountNode.discount": (d: DiscountRecord, _a, ctx) => discountCodeBasicView(d, ctx),
  "DiscountRedeemCode.id": (c: { id: string }) => `gid://shopify/DiscountRedeemCode/${c.id}`,
};

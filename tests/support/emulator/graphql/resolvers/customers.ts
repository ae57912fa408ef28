import { GraphQLError } from "graphql";
import { moneyV2 } from "../../money.js";
import { customerTotals, type CustomerRecord, type OrderRecord } from "../../store.js";
import type { ResolverContext, ResolverMap } from "../context.js";
import { paginate, searchFilter, sortBy, type ConnectionArgs, type SearchFields } from "../connection.js";
import { count, mailingAddress, requireGid } from "./common.js";
import { orderSearchFields, sortOrders } from "./orders.js";

export function customerSearchFields(ctx: ResolverContext): SearchFields<CustomerRecord> {
  const totals = (c: CustomerRecord) => customerTotals(ctx.state, c.id);
  return {
    default: (c) => [c.email ?? "", c.firstName ?? "", c.lastName ?? "", `${c.firstName ?? ""} ${c.lastName ?? ""}`],
    id: (c) => c.id,
    email: (c) => c.email,
    first_name: (c) => c.firstName,
    last_name: (c) => c.lastName,
    phone: (c) => c.phone,
    tag: (c) => c.tags,
    tag_not: () => null,
    state: (c) => c.state.toLowerCase(),
    locale: (c) => c.locale,
    country: (c) => c.defaultAddress?.country ?? null,
    created_at: (c) => c.createdAt,
    updated_at: (c) => c.updatedAt,
    orders_count: (c) => totals(c).count,
    amount_spent: (c) => totals(c).spentMinor / 100,
    accepts_marketing: (c) => String(c.emailMarketingConsent.marketingState === "SUBSCRIBED"),
    email_marketing_state: (c) => c.emailMarketingConsent.marketingState.toLowerCase(),
  };
}

function sortCustomers(list: CustomerRecord[], sortKey: string | null | undefined, ctx: ResolverContext): CustomerRecord[] {
  switch (sortKey) {
    case "CREATED_AT":
      return sortBy(list, (c) => c.createdAt);
    case "UPDATED_AT":
      return sortBy(list, (c) => c.updatedAt);
    case "NAME":
      return sortBy(list, (c) => `${c.firstName ?? ""} ${c.lastName ?? ""}`.toLowerCase());
    case "LAST_ORDER_DATE":
      return sortBy(list, (c) => customerTotals(ctx.state, c.id).lastOrder?.createdAt ?? "");
    default:
      return sortBy(list);
  }
}

function displayName(c: CustomerRecord): string {
  const name = [c.firstName, c.lastName].filter(Boolean).join(" ");
  return name || c.email || c.phone || "";
}

export const customerResolvers: ResolverMap = {
  "QueryRoot.customer": (_s, args: { id: string }, ctx) => {
    const { type, id } = requireGid(args.id);
    return type === "Customer" ? (ctx.state.customers.get(id) ?? null) : null;
  },
  "QueryRoot.customers": (_s, args: ConnectionArgs & { query?: string; sortKey?: string }, ctx) => {
    const filter = searchFilter(args.query, customerSearchFields(ctx));
    return paginate(sortCustomers([...ctx.state.customers.values()].filter(filter), args.sortKey, ctx), args, (c) => c.id, { bulk: ctx.bulk });
  },
  "QueryRoot.customersCount": (_s, args: { query?: string; limit?: number }, ctx) => {
    const n = [...ctx.state.customers.values()].filter(searchFilter(args.query, customerSearchFields(ctx))).length;
    return args.limit != null && n > args.limit ? { count: args.limit, precision: "AT_LEAST" } : count(n);
  },
  "QueryRoot.customerByIdentifier": (_s, args: { identifier: { id?: string; emailAddress?: string; phoneNumber?: string; customId?: unknown } }, ctx) => {
    const i = args.identifier;
    if (i.id) return ctx.state.customers.get(requireGid(i.id).id) ?? null;
    if (i.emailAddress) return [...ctx.state.customers.values()].find((c) => c.email?.toLowerCase() === i.emailAddress!.toLowerCase()) ?? null;
    if (i.phoneNumber) return [...ctx.state.customers.values()].find((c) => c.phone === i.phoneNumber) ?? null;
    throw new GraphQLError("Customer identifier must have one of id, emailAddress, phoneNumber or customId.", { extensions: { code: "BAD_REQUEST" } });
  },
  "Customer.displayName": (c: CustomerRecord) => displayName(c),
  "Customer.numberOfOrders": (c: CustomerRecord, _a, ctx) => String(customerTotals(ctx.state, c.id).count),
  "Customer.amountSpent": (c: CustomerRecord, _a, ctx) => moneyV2(customerTotals(ctx.state, c.id).spentMinor, ctx.state.shop.currencyCode),
  "Customer.lastOrder": (c: CustomerRecord, _a, ctx) => customerTotals(ctx.state, c.id).lastOrder,
  "Customer.emailMarketingConsent": (c: CustomerRecord) => (c.email ? c.emailMarketingConsent : null),
  "Customer.defaultEmailAddress": (c: CustomerRecord) =>
    c.email
      ? {
          emailAddress: c.email,
          marketingState: c.emailMarketingConsent.marketingState === "REDACTED" ? "NOT_SUBSCRIBED" : c.emailMarketingConsent.marketingState,
          marketingOptInLevel: c.emailMarketingConsent.marketingOptInLevel,
          marketingUpdatedAt: c.emailMarketingConsent.consentUpdatedAt,
          validFormat: /^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(c.email),
          openTrackingLevel: "UNKNOWN",
        }
      : null,
  "Customer.defaultPhoneNumber": (c: CustomerRecord) =>
    c.phone ? { phoneNumber: c.phone, marketingState: "NOT_SUBSCRIBED", marketingOptInLevel: null } : null,
  "Customer.validEmailAddress": (c: CustomerRecord) => Boolean(c.email && /^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(c.email)),
  "Customer.defaultAddress": (c: CustomerRecord) => mailingAddress(c.defaultAddress, c.id),
  "Customer.addresses": (c: CustomerRecord) => (c.defaultAddress ? [mailingAddress(c.defaultAddress, c.id)] : []),
  "Customer.addressesV2": (c: CustomerRecord, args: ConnectionArgs, ctx) =>
    paginate(c.defaultAddress ? [{ ...mailingAddress(c.defaultAddress, c.id)!, id: c.id }] : [], args, (a) => a.id, { bulk: ctx.bulk }),
  "Customer.orders": (c: CustomerRecord, args: ConnectionArgs & { query?: string; sortKey?: string }, ctx) => {
    const filter = searchFilter<OrderRecord>(args.query, orderSearchFields(ctx));
    const list = [...ctx.state.orders.values()].filter((o) => o.customerId === c.id && filter(o));
    return paginate(sortOrders(list, args.sortKey), args, (o) => o.id, { bulk: ctx.bulk });
  },
  "Customer.lifetimeDuration": (c: CustomerRecord) => {
    const days = Math.floor((Date.now() - Date.parse(c.createdAt)) / 86_400_000);
    return days < 1
      ? "less than a day"
      : days < 31
        ? `${days} days`
        : days < 365
          ? `about ${Math.round(days / 30)} months`
          : `about ${Math.round(days / 365)} years`;
  },
  "Customer.canDelete": (c: CustomerRecord, _a, ctx) => customerTotals(ctx.state, c.id).count === 0,
  "Customer.image": (c: CustomerRecord) => ({ url: `https://cdn.shopify.com/s/images/avatar/${c.id}.png`, altText: null, width: 64, height: 64 }),
};

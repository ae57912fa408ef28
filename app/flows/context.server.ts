// Gathers what a flow may look at for one event: the stored order state, the shop, and — only when a flow
// asks about them — the customer and the products from the Admin API, and, when a run plans an award_points
// step in "program" or "multiplier" mode, the order's points under the program's earn rules (one Admin API read
// of the order's lines, none once the program itself has awarded the order). The dispatcher, which only checks
// triggers and conditions, never asks for the earn. Reads only this shop's rows.
import { PRODUCT_FACTS, CUSTOMER_FACTS } from "~/shopify/admin-api/operations/customers";
import { adminClientFor } from "~/shopify/admin-api/shop-client.server";
import { prisma } from "~/db/db.server";
import { loadProgram } from "~/loyalty/program.server";
import { quoteProgramEarn } from "~/loyalty/program-earn.server";
import { loadOrderState } from "~/orders/order-events.server";
import { toMinorUnits } from "~/lib/money";
import type { OrderState } from "~/orders/order-state";
import type { FlowContext, FlowCustomerFacts, FlowEventKind, FlowOrderFacts } from "./context";
import type { FlowDefinition } from "./definition";

export interface FlowEventInput {
  kind: FlowEventKind;
  key: string;
  subjectGid: string;
  occurredAt: string;
  payload: Record<string, unknown>;
}

/** Which Admin API look-ups the given flows need. */
export interface ContextNeeds {
  customer: boolean;
  products: boolean;
  /** The order's points under the program's earn rules (award_points in "program" or "multiplier" mode). */
  orderEarn: boolean;
  /** Only "program" steps want it: they award nothing while the program is on, so no look-up then. */
  orderEarnOnlyWhenProgramOff?: boolean;
}

const CUSTOMER_FIELDS = /^customer\./;
const PRODUCT_FIELDS = new Set(["order.collections", "order.productTags"]);

/** A step whose points are the program's earn, or a multiple of it. */
function usesProgramEarn(step: { type: string; params?: unknown }): boolean {
  const mode = (step.params as { mode?: unknown } | undefined)?.mode;
  return step.type === "award_points" && (mode === "program" || mode === "multiplier");
}

/**
 * Which Admin API look-ups the flows need: for their trigger and conditions (the dispatcher), or also for planning
 * their actions (`planning`: the runner and the editor's test run) — the program's earn reads the order's lines.
 */
export function contextNeeds(definitions: FlowDefinition[], planning = false): ContextNeeds {
  const needs: ContextNeeds = { customer: false, products: false, orderEarn: false };
  let multiplies = false;
  for (const d of definitions) {
    if (planning && d.actions.some(usesProgramEarn)) needs.orderEarn = true;
    if (planning && d.actions.some((step) => usesProgramEarn(step) && (step.params as { mode?: unknown }).mode === "multiplier")) multiplies = true;
    if (d.trigger.type === "order.first" || d.trigger.type === "order.nth") needs.customer = true;
    for (const group of d.conditions.groups) {
      for (const c of group.conditions) {
        if (CUSTOMER_FIELDS.test(c.field)) needs.customer = true;
        if (PRODUCT_FIELDS.has(c.field)) needs.products = true;
      }
    }
  }
  if (needs.orderEarn && !multiplies) needs.orderEarnOnlyWhenProgramOff = true;
  return needs;
}

export async function buildFlowContext(shop: string, event: FlowEventInput, needs: ContextNeeds): Promise<FlowContext> {
  const shopRow = await prisma.shop.findUnique({ where: { domain: shop }, select: { currencyCode: true, ianaTimezone: true } });
  const orderGid = orderGidOf(event);
  const state = orderGid ? await loadOrderState(shop, orderGid) : null;
  const row = orderGid ? await prisma.orderState.findUnique({ where: { shop_orderGid: { shop, orderGid } }, select: { refundedMinor: true } }) : null;
  let order = state?.attributes ? orderFacts(state, row?.refundedMinor ?? 0) : null;
  const customerGid =
    state?.attributes?.customerGid ?? stringField(event.payload, "customerGid") ?? (event.subjectGid.includes("/Customer/") ? event.subjectGid : null);

  let customer: FlowCustomerFacts | null = null;
  if (customerGid) {
    customer = {
      gid: customerGid,
      email: state?.attributes?.email ?? stringField(event.payload, "email"),
      firstName: null,
      locale: state?.attributes?.locale ?? null,
      tags: [],
      ordersCount: 0,
      amountSpent: { minor: 0, currency: shopRow?.currencyCode ?? "USD" },
    };
    if (needs.customer) customer = { ...customer, ...(await fetchCustomer(shop, customerGid)) };
  }
  if (order && needs.products && order.productGids.length > 0) order = { ...order, ...(await fetchProducts(shop, order.productGids)) };

  return {
    shop: { domain: shop, currency: shopRow?.currencyCode ?? "USD", timezone: shopRow?.ianaTimezone ?? "UTC" },
    event: { kind: event.kind, key: event.key, subjectGid: event.subjectGid, occurredAt: event.occurredAt, payload: event.payload },
    order,
    customer,
    survey: event.kind === "survey.answered" ? surveyOf(event.payload) : null,
    tier: event.kind === "tier.changed" ? tierOf(event.payload) : null,
    review: event.kind === "review.submitted" ? reviewOf(event.payload) : null,
    loyalty: await loyaltyFacts(shop, order, customerGid, needs.orderEarn, needs.orderEarnOnlyWhenProgramOff ?? false),
  };
}

/** The program (its defaults until the shop saves one) and, when a step needs it, what it gives the order. */
async function loyaltyFacts(
  shop: string,
  order: FlowOrderFacts | null,
  customerGid: string | null,
  withEarn: boolean,
  onlyWhenProgramOff: boolean,
): Promise<FlowContext["loyalty"]> {
  if (!withEarn || !order) return { programOn: (await loadProgram(shop)).enabled, orderEarn: null };
  // The default flow on a shop whose program is on: its step awards nothing, so the order's lines are not read.
  if (onlyWhenProgramOff && (await loadProgram(shop)).enabled) return { programOn: true, orderEarn: null };
  const quote = await quoteProgramEarn(shop, order.gid, customerGid);
  if (!quote) return { programOn: (await loadProgram(shop)).enabled, orderEarn: null };
  return {
    programOn: quote.programOn,
    orderEarn: { points: quote.points, skip: quote.skip, rule: quote.rule, rounding: quote.rounding, awardedByProgram: quote.awardedByProgram },
  };
}

function orderGidOf(event: FlowEventInput): string | null {
  if (event.subjectGid.includes("/Order/")) return event.subjectGid;
  return stringField(event.payload, "orderGid");
}

function stringField(payload: Record<string, unknown>, name: string): string | null {
  const value = payload[name];
  return typeof value === "string" && value ? value : null;
}

export function orderFacts(state: OrderState, refundedMinor: number): FlowOrderFacts | null {
  const a = state.attributes;
  if (!a) return null;
  const lines = a.lineItems;
  const paidMinor = a.totalMinor;
  return {
    gid: state.orderGid,
    name: a.name,
    currency: a.currency,
    totalMinor: a.totalMinor,
    subtotalMinor: a.subtotalMinor,
    refundedMinor,
    itemCount: lines.reduce((n, li) => n + li.quantity, 0),
    productGids: [...new Set(lines.map((li) => li.productGid).filter((g): g is string => g !== null))],
    collectionGids: [],
    productTags: [],
    vendors: [...new Set(lines.map((li) => li.vendor).filter((v): v is string => v !== null && v !== ""))],
    discountCodes: a.discountCodes,
    tags: a.tags,
    shippingCountry: a.shippingCountry ?? null,
    salesChannel: a.sourceName,
    paid: state.paid,
    fulfilled: state.fulfilled,
    cancelled: state.cancelledAt !== null,
    fullyRefunded: paidMinor > 0 && refundedMinor >= paidMinor,
    createdAt: a.createdAt,
  };
}

async function fetchCustomer(shop: string, gid: string): Promise<Partial<FlowCustomerFacts>> {
  const client = await adminClientFor(shop);
  const { customer } = await client.request(CUSTOMER_FACTS, { id: gid }, { idempotent: true });
  if (!customer) return {};
  return {
    email: customer.defaultEmailAddress?.emailAddress ?? null,
    firstName: customer.firstName,
    locale: customer.locale,
    tags: customer.tags,
    ordersCount: Number(customer.numberOfOrders),
    amountSpent: { minor: toMinorUnits(customer.amountSpent.amount, customer.amountSpent.currencyCode), currency: customer.amountSpent.currencyCode },
  };
}

async function fetchProducts(shop: string, gids: string[]): Promise<Pick<FlowOrderFacts, "productTags" | "collectionGids">> {
  const client = await adminClientFor(shop);
  const { nodes } = await client.request(PRODUCT_FACTS, { ids: gids.slice(0, 50) }, { idempotent: true });
  const tags = new Set<string>();
  const collections = new Set<string>();
  for (const node of nodes) {
    if (!node) continue;
    node.tags.forEach((t) => tags.add(t));
    node.collections.nodes.forEach((c) => collections.add(c.id));
  }
  return { productTags: [...tags], collectionGids: [...collections] };
}

function surveyOf(payload: Record<string, unknown>): FlowContext["survey"] {
  const score = typeof payload.score === "number" ? payload.score : null;
  return { questionId: String(payload.questionId ?? ""), score, answer: String(payload.answer ?? score ?? "") };
}

function tierOf(payload: Record<string, unknown>): FlowContext["tier"] {
  const direction = payload.direction === "down" ? "down" : "up";
  return { from: typeof payload.from === "string" ? payload.from : null, to: String(payload.to ?? ""), direction };
}

function reviewOf(payload: Record<string, unknown>): FlowContext["review"] {
  return { rating: Number(payload.rating ?? 0), productGid: String(payload.productGid ?? "") };
}

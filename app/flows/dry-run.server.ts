// The editor's test run: what would this (possibly unsaved) definition do for one of the shop's recent orders?
// It builds the event the trigger listens to from the stored order state and asks the pure engine for its plan.
// Nothing is written and no action runs. Every query filters by shop.
import { prisma } from "~/db/db.server";
import { loadOrderState } from "~/orders/order-events.server";
import type { OrderState } from "~/orders/order-state";
import { now } from "~/lib/time/clock.server";
import type { FlowContext, FlowEventKind } from "./context";
import { buildFlowContext, contextNeeds, type FlowEventInput } from "./context.server";
import type { FlowDefinition, FlowTrigger, MatchMode } from "./definition";
import { planFlowRun } from "./engine";
import { formatMoney } from "~/lib/money-format";
import { eventKindFor } from "./triggers";

export interface DryRunResult {
  order: { gid: string; name: string };
  event: {
    kind: FlowEventKind;
    /** Made up for the test (a review, a survey answer, a tier change …) rather than taken from the order. */
    synthetic: boolean;
    /** What the test assumed, in the merchant's words. */
    notes: string[];
  };
  /** The trigger matched and the conditions passed: a real event like this would start a run. */
  matched: boolean;
  trigger: { matched: boolean; reason: string };
  conditions: {
    passed: boolean;
    match: MatchMode;
    groups: { passed: boolean; match: MatchMode; results: { field: string; operator: string; passed: boolean; reason: string }[] }[];
  };
  steps: { index: number; type: string; summary: string; skip?: string; runAt: string }[];
}

export class DryRunOrderNotFoundError extends Error {
  override name = "DryRunOrderNotFoundError";
  constructor(orderGid: string) {
    super(`no order ${orderGid} in this shop`);
  }
}

export interface RecentOrder {
  orderGid: string;
  name: string;
  total: string;
  currency: string;
  createdAt: string;
}

/** The shop's latest orders the app knows about, for the test-run picker. */
export async function recentOrders(shop: string, limit = 20): Promise<RecentOrder[]> {
  const rows = await prisma.orderState.findMany({
    where: { shop, name: { not: null } },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: limit,
    select: { orderGid: true, name: true, totalMinor: true, currency: true, orderCreatedAt: true, createdAt: true },
  });
  return rows.map((row) => ({
    orderGid: row.orderGid,
    name: row.name ?? row.orderGid,
    total: row.currency && row.totalMinor !== null ? formatMoney(row.totalMinor, row.currency) : "",
    currency: row.currency ?? "",
    createdAt: (row.orderCreatedAt ?? row.createdAt).toISOString(),
  }));
}

interface TestEvent {
  input: FlowEventInput;
  synthetic: boolean;
  notes: string[];
}

const DONE_FACT: Partial<Record<FlowEventKind, { done: (state: OrderState) => boolean; verb: string }>> = {
  "order.placed": { done: (state) => state.placed, verb: "placed" },
  "order.paid": { done: (state) => state.paid, verb: "paid" },
  "order.fulfilled": { done: (state) => state.fulfilled, verb: "fulfilled" },
  "order.cancelled": { done: (state) => state.cancelledAt !== null, verb: "cancelled" },
};

/** The event the trigger listens to, about this order (or its customer), as if it happened now. */
function testEvent(trigger: FlowTrigger, state: OrderState, at: string): TestEvent {
  const kind = eventKindFor(trigger);
  const a = state.attributes;
  const name = a?.name ?? state.orderGid;
  const customerGid = a?.customerGid ?? null;
  const who = { customerGid, email: a?.email ?? null };
  const key = `dry-run:${kind}:${state.orderGid}`;
  const onOrder = (payload: Record<string, unknown>, synthetic: boolean, notes: string[]): TestEvent => ({
    input: { kind, key, subjectGid: state.orderGid, occurredAt: at, payload: { orderGid: state.orderGid, ...who, ...payload } },
    synthetic,
    notes,
  });
  const onCustomer = (payload: Record<string, unknown>, notes: string[]): TestEvent => ({
    input: { kind, key, subjectGid: customerGid ?? state.orderGid, occurredAt: at, payload: { ...who, ...payload } },
    synthetic: true,
    notes: customerGid ? notes : [...notes, `Order ${name} has no customer (guest checkout).`],
  });

  const fact = DONE_FACT[kind];
  if (fact) {
    const notes = fact.done(state) ? [] : [`Order ${name} hasn't been ${fact.verb}; the test pretends it was ${fact.verb} just now.`];
    return onOrder({}, false, notes);
  }
  switch (kind) {
    case "refund.issued":
      return onOrder({ refundGid: "gid://shopify/Refund/0", amountMinor: a?.totalMinor ?? 0, currency: a?.currency ?? null, lineItems: [] }, true, [
        `A made-up refund of the whole order ${name}.`,
      ]);
    case "survey.answered": {
      const questionId = (trigger.type === "survey.answered" && trigger.questionId) || "nps";
      return onOrder({ questionId, score: 5, answer: "5" }, true, [`A made-up answer to survey question ${questionId} with score 5, on order ${name}.`]);
    }
    case "review.submitted": {
      const rating = trigger.type === "review.submitted" ? (trigger.minRating ?? trigger.maxRating ?? 5) : 5;
      const productGid = a?.lineItems.find((line) => line.productGid)?.productGid ?? "";
      return onOrder({ rating, productGid }, true, [`A made-up ${rating}★ review of a product from order ${name}.`]);
    }
    case "tier.changed": {
      const direction = trigger.type === "tier.changed" && trigger.direction === "down" ? "down" : "up";
      return onCustomer({ from: null, to: "the next tier", direction }, [`A made-up tier change (${direction}) for the customer of order ${name}.`]);
    }
    case "customer.winback": {
      const days = trigger.type === "customer.winback" ? trigger.days : 90;
      return onCustomer({ days, lastOrderGid: state.orderGid, lastOrderAt: a?.createdAt ?? at }, [
        `The customer of order ${name}, as if they had not ordered for ${days} days.`,
      ]);
    }
    case "checkout.abandoned": {
      const delayMinutes = trigger.type === "checkout.abandoned" ? trigger.delayMinutes : 60;
      return onCustomer(
        {
          checkoutToken: "test-checkout",
          recoveryUrl: null,
          totalMinor: a?.totalMinor ?? 0,
          currency: a?.currency ?? null,
          lineCount: a?.lineItems.length ?? 0,
          delayMinutes,
        },
        [`A made-up checkout of the customer of order ${name}, left ${delayMinutes} minutes ago, with no recovery link.`],
      );
    }
    default: {
      const what = kind === "customer.birthday" ? "birthday" : kind === "customer.anniversary" ? "first-order anniversary" : "new customer account";
      return onCustomer({}, [`A made-up ${what} for the customer of order ${name}, without the order.`]);
    }
  }
}

/** Builds the context as the dispatcher would; without the Admin API it carries on with what is stored. */
async function contextFor(shop: string, definition: FlowDefinition, event: TestEvent): Promise<FlowContext> {
  try {
    return await buildFlowContext(shop, event.input, contextNeeds([definition], true));
  } catch (error) {
    event.notes.push(
      `Customer, product and order details couldn't be loaded from Shopify (${(error as Error).message}); they are treated as empty, and the program's points for the order are not worked out.`,
    );
    return buildFlowContext(shop, event.input, { customer: false, products: false, orderEarn: false });
  }
}

export async function dryRunFlow(shop: string, definition: FlowDefinition, orderGid: string): Promise<DryRunResult> {
  const state = await loadOrderState(shop, orderGid);
  if (!state?.attributes) throw new DryRunOrderNotFoundError(orderGid);
  const event = testEvent(definition.trigger, state, now().toISOString());
  const ctx = await contextFor(shop, definition, event);
  const plan = planFlowRun(definition, ctx);
  return {
    order: { gid: orderGid, name: state.attributes.name },
    event: { kind: event.input.kind, synthetic: event.synthetic, notes: event.notes },
    matched: plan.matched,
    trigger: plan.trigger,
    conditions: {
      passed: plan.conditions.passed,
      match: definition.conditions.match,
      groups: plan.conditions.groups.map((group, g) => ({
        passed: group.passed,
        match: definition.conditions.groups[g]?.match ?? "all",
        results: group.results.map((r) => ({ field: r.field, operator: r.operator, passed: r.passed, reason: r.reason })),
      })),
    },
    steps: plan.steps.map((step) => ({
      index: step.index,
      type: step.type,
      summary: step.summary,
      runAt: step.runAt,
      ...(step.skipped ? { skip: step.skipped } : {}),
    })),
  };
}

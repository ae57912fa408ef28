// Whether one event starts a flow with this trigger, and why (for the run log and the editor's test run).
import { type FlowContext, type FlowEventKind } from "./context";
import { type FlowTrigger } from "./trigger-schema";

export interface TriggerMatch {
  matched: boolean;
  reason: string;
}

const EVENT_LABELS: Record<FlowEventKind, string> = {
  "order.placed": "order placed",
  "order.paid": "order paid",
  "order.fulfilled": "order fulfilled",
  "order.cancelled": "order cancelled",
  "refund.issued": "refund issued",
  "customer.created": "customer created",
  "review.submitted": "review submitted",
  "survey.answered": "survey answered",
  "tier.changed": "tier changed",
  "customer.birthday": "customer birthday",
  "customer.anniversary": "first-order anniversary",
  "customer.winback": "customer win-back",
  "checkout.abandoned": "checkout abandoned",
};

/** The event kind each trigger listens to (order.first / order.nth: the one their `on` names). */
export function eventKindFor(trigger: FlowTrigger): FlowEventKind {
  switch (trigger.type) {
    case "order.refunded":
      return "refund.issued";
    case "order.first":
    case "order.nth":
      return trigger.on === "placed" ? "order.placed" : "order.paid";
    default:
      return trigger.type;
  }
}

export function ordinal(n: number): string {
  const teen = n % 100 >= 11 && n % 100 <= 13;
  const suffix = teen ? "th" : (({ 1: "st", 2: "nd", 3: "rd" } as Record<number, string>)[n % 10] ?? "th");
  return `${n}${suffix}`;
}

const HAPPENED: Record<
  "order.placed" | "order.paid" | "order.fulfilled" | "order.cancelled" | "order.refunded" | "customer.created" | "customer.birthday" | "customer.anniversary",
  (order: string) => string
> = {
  "order.placed": (order) => `order ${order} was placed`,
  "order.paid": (order) => `order ${order} was paid`,
  "order.fulfilled": (order) => `order ${order} was fulfilled`,
  "order.cancelled": (order) => `order ${order} was cancelled`,
  "order.refunded": (order) => `a refund was issued on order ${order}`,
  "customer.created": () => "a customer account was created",
  "customer.birthday": () => "it is the customer's birthday",
  "customer.anniversary": () => "it is the anniversary of the customer's first order",
};

const yes = (reason: string): TriggerMatch => ({ matched: true, reason });
const no = (reason: string): TriggerMatch => ({ matched: false, reason });

function orderNumberMatch(n: number, ctx: FlowContext): TriggerMatch {
  const order = ctx.order?.name ?? "";
  if (!ctx.customer) return no(`order ${order} has no customer (guest checkout)`);
  // ordersCount includes the order that triggered the event.
  const count = ctx.customer.ordersCount;
  return count === n
    ? yes(`order ${order} is the customer's ${ordinal(n)} order`)
    : no(`order ${order} is the customer's ${ordinal(count)} order, not their ${ordinal(n)}`);
}

function reviewMatch(trigger: Extract<FlowTrigger, { type: "review.submitted" }>, ctx: FlowContext): TriggerMatch {
  if (!ctx.review) return no("the event has no review");
  const { rating } = ctx.review;
  if (trigger.minRating !== undefined && rating < trigger.minRating) return no(`review rated ${rating}★ is below ${trigger.minRating}★`);
  if (trigger.maxRating !== undefined && rating > trigger.maxRating) return no(`review rated ${rating}★ is above ${trigger.maxRating}★`);
  return yes(`a review rated ${rating}★ was submitted`);
}

function surveyMatch(trigger: Extract<FlowTrigger, { type: "survey.answered" }>, ctx: FlowContext): TriggerMatch {
  if (!ctx.survey) return no("the event has no survey answer");
  const { questionId } = ctx.survey;
  if (trigger.questionId && trigger.questionId !== questionId) return no(`survey question ${questionId} is not ${trigger.questionId}`);
  return yes(`survey question ${questionId} was answered`);
}

function tierMatch(trigger: Extract<FlowTrigger, { type: "tier.changed" }>, ctx: FlowContext): TriggerMatch {
  if (!ctx.tier) return no("the event has no tier change");
  const { direction, to } = ctx.tier;
  if (trigger.direction !== "any" && trigger.direction !== direction)
    return no(`tier went ${direction} to ${to}; the flow is for tiers going ${trigger.direction}`);
  return yes(`tier went ${direction} to ${to}`);
}

/**
 * The win-back scan records one event per lapsed customer and flow period (payload.days), so a 30-day flow
 * ignores the 90-day event for the same customer instead of sending a second offer.
 */
function winbackMatch(trigger: Extract<FlowTrigger, { type: "customer.winback" }>, ctx: FlowContext): TriggerMatch {
  const days = ctx.event.payload.days;
  if (typeof days !== "number") return no("the win-back event says nothing about how long the customer has been away");
  return days === trigger.days ? yes(`customer has not ordered for ${days} days`) : no(`the win-back event is for ${days} days, the flow for ${trigger.days}`);
}

/** One abandoned-checkout event per checkout and delay (payload.delayMinutes): a flow answers only its own delay. */
function checkoutMatch(trigger: Extract<FlowTrigger, { type: "checkout.abandoned" }>, ctx: FlowContext): TriggerMatch {
  const delay = ctx.event.payload.delayMinutes;
  if (typeof delay !== "number") return no("the abandoned-checkout event does not say how long the checkout waited");
  return delay === trigger.delayMinutes
    ? yes(`the checkout has had no order for ${delay} minutes since its last change`)
    : no(`the abandoned-checkout event is for ${delay} minutes, the flow for ${trigger.delayMinutes}`);
}

export function triggerMatches(trigger: FlowTrigger, ctx: FlowContext): TriggerMatch {
  const kind = eventKindFor(trigger);
  if (ctx.event.kind !== kind) return no(`event is "${EVENT_LABELS[ctx.event.kind]}", the flow starts on "${EVENT_LABELS[kind]}"`);
  if (kind.startsWith("order.") || kind === "refund.issued") {
    if (!ctx.order) return no(`the "${EVENT_LABELS[kind]}" event has no order`);
  }
  switch (trigger.type) {
    case "order.first":
      return orderNumberMatch(1, ctx);
    case "order.nth":
      return orderNumberMatch(trigger.n, ctx);
    case "review.submitted":
      return reviewMatch(trigger, ctx);
    case "survey.answered":
      return surveyMatch(trigger, ctx);
    case "tier.changed":
      return tierMatch(trigger, ctx);
    case "customer.winback":
      return winbackMatch(trigger, ctx);
    case "checkout.abandoned":
      return checkoutMatch(trigger, ctx);
    default:
      return yes(HAPPENED[trigger.type](ctx.order?.name ?? ""));
  }
}

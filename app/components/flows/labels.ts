// Words for the flow editor: triggers, condition fields and operators as a merchant reads them. Pure.
import type { ConditionField } from "~/flows/condition-fields";
import { TRIGGER_LABELS, type FlowTrigger, type FlowTriggerType } from "~/flows/trigger-schema";
import { ordinal } from "~/flows/triggers";
import { formatShopTime } from "~/lib/time/format";

export const TRIGGER_OPTIONS = (Object.keys(TRIGGER_LABELS) as FlowTriggerType[]).map((type) => ({ value: type, label: TRIGGER_LABELS[type] }));

/** "When a customer's 2nd order is paid". Tolerates a half-set trigger (a blank flow, a missing n). */
export function describeTrigger(trigger: Partial<FlowTrigger> & { type: string }): string {
  const t = trigger as Record<string, unknown>;
  const on = t.on === "placed" ? "placed" : "paid";
  switch (trigger.type) {
    case "order.placed":
      return "When an order is placed";
    case "order.paid":
      return "When an order is paid";
    case "order.fulfilled":
      return "When an order is fulfilled";
    case "order.cancelled":
      return "When an order is cancelled";
    case "order.refunded":
      return "When a refund is issued";
    case "order.first":
      return `When a customer's first order is ${on}`;
    case "order.nth":
      return typeof t.n === "number" ? `When a customer's ${ordinal(t.n)} order is ${on}` : `When a customer's nth order is ${on}`;
    case "customer.created":
      return "When a customer account is created";
    case "review.submitted": {
      const min = typeof t.minRating === "number" ? t.minRating : 1;
      const max = typeof t.maxRating === "number" ? t.maxRating : 5;
      return min === 1 && max === 5 ? "When a review is submitted" : `When a review rated ${min}–${max}★ is submitted`;
    }
    case "survey.answered":
      return typeof t.questionId === "string" && t.questionId ? `When survey question "${t.questionId}" is answered` : "When a survey is answered";
    case "tier.changed":
      return t.direction === "up"
        ? "When a customer moves up a tier"
        : t.direction === "down"
          ? "When a customer moves down a tier"
          : "When a customer's tier changes";
    case "customer.birthday":
      return "On a customer's birthday";
    case "customer.anniversary":
      return "On the anniversary of a customer's first order";
    case "customer.winback":
      return typeof t.days === "number" ? `${t.days} days after a customer's last order` : "When a customer hasn't ordered for a while";
    case "checkout.abandoned":
      return typeof t.delayMinutes === "number" ? `${t.delayMinutes} minutes after a checkout is left without an order` : "When a checkout is abandoned";
    default:
      return String(t.type);
  }
}

export const CONDITION_FIELD_LABELS: Record<ConditionField, string> = {
  "order.total": "Order total",
  "order.subtotal": "Order subtotal",
  "customer.amountSpent": "Customer's total spent",
  "order.itemCount": "Number of items in the order",
  "customer.ordersCount": "Customer's number of orders",
  "survey.score": "Survey score",
  "order.products": "Products in the order",
  "order.collections": "Collections in the order",
  "order.productTags": "Product tags in the order",
  "order.vendors": "Vendors in the order",
  "order.discountCodes": "Discount codes used",
  "customer.tags": "Customer tags",
  "order.shippingCountry": "Shipping country",
  "customer.locale": "Customer language",
  "order.salesChannel": "Sales channel",
};

export const OPERATOR_LABELS: Record<string, string> = {
  gte: "is at least",
  gt: "is more than",
  lte: "is at most",
  lt: "is less than",
  eq: "is exactly",
  between: "is between",
  includesAny: "includes any of",
  includesAll: "includes all of",
  includesNone: "includes none of",
  in: "is one of",
  notIn: "is not one of",
};

/** Hints for list values: what to type, comma-separated. */
export const LIST_HINTS: Partial<Record<ConditionField, string>> = {
  "order.products": "Product IDs like gid://shopify/Product/123, separated by commas",
  "order.collections": "Collection IDs like gid://shopify/Collection/123, separated by commas",
  "order.productTags": "Tags, separated by commas",
  "order.vendors": "Vendor names, separated by commas",
  "order.discountCodes": "Discount codes, separated by commas",
  "customer.tags": "Tags, separated by commas",
  "order.shippingCountry": "Two-letter country codes like SI, AT, separated by commas",
  "customer.locale": "Language codes like sl or sl-SI, separated by commas",
  "order.salesChannel": "Channels like web or pos, separated by commas",
};

export const RUN_STATUS_TONE: Record<string, "success" | "info" | "attention" | "warning" | "critical" | undefined> = {
  completed: "success",
  running: "info",
  waiting: "attention",
  skipped: undefined,
  stopped: "warning",
  failed: "critical",
  cancelled: undefined,
  held_out: undefined,
};

export const STEP_STATUS_TONE: Record<string, "success" | "info" | "attention" | "warning" | "critical" | undefined> = {
  done: "success",
  skipped: undefined,
  waiting: "attention",
  awaiting_approval: "attention",
  failed: "critical",
  cancelled: undefined,
};

/** The engine's reasons are sentence fragments ("order #1001 was paid"); shown alone they start upper case. */
export function sentence(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** In the shop's time zone, so the server's and the browser's rendering agree. */
export function formatWhen(iso: string, timeZone: string): string {
  return formatShopTime(iso, timeZone);
}

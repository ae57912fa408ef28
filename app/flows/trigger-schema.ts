// What starts a flow, as stored in a definition. flows/triggers.ts decides whether an event matches one.
import { z } from "zod";
import { discriminatorMessage, optional, wholeNumber } from "./schema-parts";

const on = z.enum(["placed", "paid"], { errorMap: () => ({ message: "Choose placed or paid" }) }).default("paid");
const rating = wholeNumber({ min: 1, max: 5, message: "Choose a rating from 1 to 5" });

export const triggerSchema = z
  .discriminatedUnion(
    "type",
    [
      z.object({ type: z.literal("order.placed") }),
      z.object({ type: z.literal("order.paid") }),
      z.object({ type: z.literal("order.fulfilled") }),
      z.object({ type: z.literal("order.cancelled") }),
      z.object({ type: z.literal("order.refunded") }),
      z.object({ type: z.literal("order.first"), on }),
      z.object({
        type: z.literal("order.nth"),
        n: wholeNumber({ min: 2, max: 1000, message: "Enter a whole number of 2 or more (use First order for 1)", maxMessage: "Enter at most 1000" }),
        on,
      }),
      z.object({ type: z.literal("customer.created") }),
      z.object({ type: z.literal("review.submitted"), minRating: rating.optional(), maxRating: rating.optional() }),
      z.object({
        type: z.literal("survey.answered"),
        questionId: optional(z.string({ invalid_type_error: "Choose a survey question" }).trim().max(64, "Choose a survey question")),
      }),
      z.object({
        type: z.literal("tier.changed"),
        direction: z.enum(["up", "down", "any"], { errorMap: () => ({ message: "Choose up, down or any" }) }).default("any"),
      }),
      z.object({ type: z.literal("customer.birthday") }),
      z.object({ type: z.literal("customer.anniversary") }),
      z.object({
        type: z.literal("customer.winback"),
        days: wholeNumber({ min: 1, max: 3650, message: "Enter a whole number of days of at least 1", maxMessage: "Enter at most 3650 days" }),
      }),
      z.object({
        type: z.literal("checkout.abandoned"),
        // Minutes after the checkout's last change with no order (15 minutes to 72 hours).
        delayMinutes: wholeNumber({
          min: 15,
          max: 4320,
          message: "Enter a delay of at least 15 minutes",
          maxMessage: "Enter at most 4320 minutes (72 hours)",
        }).default(60),
      }),
    ],
    { errorMap: discriminatorMessage("Choose a trigger") },
  )
  .superRefine((trigger, ctx) => {
    if (trigger.type !== "review.submitted" || trigger.minRating === undefined || trigger.maxRating === undefined) return;
    if (trigger.minRating > trigger.maxRating) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ["maxRating"], message: "The highest rating can't be below the lowest" });
    }
  });

export type FlowTrigger = z.infer<typeof triggerSchema>;
export type FlowTriggerType = FlowTrigger["type"];

export const TRIGGER_LABELS: Record<FlowTriggerType, string> = {
  "order.placed": "Order placed",
  "order.paid": "Order paid",
  "order.fulfilled": "Order fulfilled",
  "order.cancelled": "Order cancelled",
  "order.refunded": "Order refunded",
  "order.first": "First order",
  "order.nth": "Nth order",
  "customer.created": "Customer created",
  "review.submitted": "Review submitted",
  "survey.answered": "Survey answered",
  "tier.changed": "Tier changed",
  "customer.birthday": "Customer birthday",
  "customer.anniversary": "First-order anniversary",
  "customer.winback": "Customer win-back",
  "checkout.abandoned": "Checkout abandoned",
};

/** Triggers about one order as it moves through its life; a run on one stops if the order is cancelled. */
const ORDER_PROGRESS: readonly FlowTriggerType[] = ["order.placed", "order.paid", "order.fulfilled", "order.first", "order.nth"];

export function isOrderProgressTrigger(trigger: FlowTrigger): boolean {
  return ORDER_PROGRESS.includes(trigger.type);
}

/** Whether runs of this trigger carry an order (surveys are answered about an order on its thank-you page). */
export function triggerHasOrder(trigger: FlowTrigger): boolean {
  return isOrderProgressTrigger(trigger) || ["order.cancelled", "order.refunded", "survey.answered"].includes(trigger.type);
}

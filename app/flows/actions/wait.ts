// wait: pause the run. Days are calendar days in the shop's time zone, so "7 days at 10:00" lands at 10:00
// local time even across a daylight-saving change; hours are exact elapsed time.
import { z } from "zod";
import { type FlowActionSpec } from "../action-registry";
import { addLocalDays, formatLocalShort, instantOf, localDateTime } from "~/lib/time/zoned-time";
import { wholeNumber } from "../schema-parts";

export const waitParams = z
  .object({
    amount: wholeNumber({ min: 1, max: 365, message: "Enter a whole number of at least 1", maxMessage: "Wait at most 365" }),
    unit: z.enum(["hours", "days"], { errorMap: () => ({ message: "Choose hours or days" }) }),
    at: z
      .string({ invalid_type_error: "Enter a time like 10:00" })
      .regex(/^([01]\d|2[0-3]):[0-5]\d$/, "Enter a time like 10:00")
      .optional(),
  })
  .superRefine((params, ctx) => {
    if (params.at !== undefined && params.unit !== "days") {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ["at"], message: "A time of day only works with a wait in days" });
    }
  });
export type WaitParams = z.infer<typeof waitParams>;

const HOUR_MS = 3_600_000;

/** When a wait that starts at `from` ends, in the shop's IANA `timeZone`. */
export function waitUntil(wait: WaitParams, from: Date, timeZone: string): Date {
  if (wait.unit === "hours") return new Date(from.getTime() + wait.amount * HOUR_MS);
  const day = addLocalDays(localDateTime(from.getTime(), timeZone), wait.amount);
  if (!wait.at) return instantOf(day, timeZone);
  const [hour = 0, minute = 0] = wait.at.split(":").map(Number);
  return instantOf({ ...day, hour, minute, second: 0, millisecond: 0 }, timeZone);
}

export const wait: FlowActionSpec<WaitParams> = {
  type: "wait",
  label: "Wait",
  params: waitParams,
  plan(params, ctx, clock) {
    const until = waitUntil(params, clock.at, ctx.shop.timezone);
    const unit = params.amount === 1 ? params.unit.slice(0, -1) : params.unit;
    const when = `${formatLocalShort(until, ctx.shop.timezone, clock.at)} ${ctx.shop.timezone}`;
    return {
      summary: `Wait ${params.amount} ${unit} (until ${when})`,
      delay: { amount: params.amount, unit: params.unit, ...(params.at ? { at: params.at } : {}), until: until.toISOString() },
    };
  },
};

// Zod pieces shared by triggers, conditions and actions. Each carries the one short message the editor shows
// next to the field, whatever went wrong (missing, wrong type, out of range).
import { z } from "zod";
import { amountProblem } from "~/lib/money-format";

export function wholeNumber(options: { min: number; max: number; message: string; maxMessage?: string }) {
  const { min, max, message } = options;
  return z
    .number({ required_error: message, invalid_type_error: message })
    .int(message)
    .min(min, message)
    .max(max, options.maxMessage ?? message);
}

export function text(options: { max: number; message: string; maxMessage?: string }) {
  return z
    .string({ required_error: options.message, invalid_type_error: options.message })
    .trim()
    .min(1, options.message)
    .max(options.max, options.maxMessage ?? `Keep it to ${options.max} characters or fewer`);
}

/** "eur" is accepted and stored as "EUR". */
export const currencyCode = z
  .string({ required_error: "Choose a currency", invalid_type_error: "Choose a currency" })
  .trim()
  .regex(/^[A-Za-z]{3}$/, "Use a three-letter currency code like EUR")
  .transform((code) => code.toUpperCase());

/** A non-negative decimal string; whether its decimals fit a currency is checked where the currency is known. */
export const decimalAmount = z
  .string({ required_error: "Enter an amount like 50.00", invalid_type_error: "Enter an amount like 50.00" })
  .trim()
  .regex(/^\d+(?:\.\d+)?$/, "Enter an amount like 50.00");

export const money = z
  .object({ amount: decimalAmount, currency: currencyCode }, { required_error: "Enter an amount", invalid_type_error: "Enter an amount" })
  .superRefine((value, ctx) => {
    const problem = amountProblem(value.amount, value.currency);
    if (problem) ctx.addIssue({ code: z.ZodIssueCode.custom, path: ["amount"], message: problem });
  });
export type Money = z.infer<typeof money>;

/** Adds the currency-fit message at `path` when both an amount and a currency are known. */
export function checkAmountFits(ctx: z.RefinementCtx, amount: string | undefined, currency: string | undefined, path: string[]): void {
  if (amount === undefined || currency === undefined) return;
  const problem = amountProblem(amount, currency);
  if (problem) ctx.addIssue({ code: z.ZodIssueCode.custom, path, message: problem });
}

/** Zod messages for a bad discriminator ("Choose a trigger") while other issues keep their own message. */
export function discriminatorMessage(message: string): z.ZodErrorMap {
  return (issue, ctx) => ({
    message: issue.code === z.ZodIssueCode.invalid_union_discriminator || issue.code === z.ZodIssueCode.invalid_type ? message : ctx.defaultError,
  });
}

/** Editors send "" for a cleared optional field; treat it as not set rather than as a wrong value. */
export function optional<T extends z.ZodTypeAny>(schema: T) {
  return z.preprocess((value) => (typeof value === "string" && value.trim() === "" ? undefined : value), schema.optional());
}

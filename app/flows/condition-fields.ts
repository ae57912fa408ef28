// The fields a condition can test, which operators each allows and what value each operator takes. Shared by
// the definition schema (flows/definition.ts) and the evaluator (flows/conditions.ts).
import { z } from "zod";
import { money, wholeNumber, type Money } from "./schema-parts";

export const MONEY_FIELDS = ["order.total", "order.subtotal", "customer.amountSpent"] as const;
export const NUMBER_FIELDS = ["order.itemCount", "customer.ordersCount", "survey.score"] as const;
export const LIST_FIELDS = ["order.products", "order.collections", "order.productTags", "order.vendors", "order.discountCodes", "customer.tags"] as const;
export const TEXT_FIELDS = ["order.shippingCountry", "customer.locale", "order.salesChannel"] as const;
export const CONDITION_FIELDS = [...MONEY_FIELDS, ...NUMBER_FIELDS, ...LIST_FIELDS, ...TEXT_FIELDS] as const;

export const COMPARISONS = ["gte", "gt", "lte", "lt", "eq"] as const;
export const LIST_OPERATORS = ["includesAny", "includesAll", "includesNone"] as const;
export const TEXT_OPERATORS = ["in", "notIn"] as const;

export type MoneyField = (typeof MONEY_FIELDS)[number];
export type NumberField = (typeof NUMBER_FIELDS)[number];
export type ListField = (typeof LIST_FIELDS)[number];
export type TextField = (typeof TEXT_FIELDS)[number];
export type ConditionField = (typeof CONDITION_FIELDS)[number];
export type Comparison = (typeof COMPARISONS)[number];
export type ListOperator = (typeof LIST_OPERATORS)[number];
export type TextOperator = (typeof TEXT_OPERATORS)[number];

export type Condition =
  | { field: MoneyField; operator: Comparison; value: Money }
  | { field: MoneyField; operator: "between"; value: { min: Money; max: Money } }
  | { field: NumberField; operator: Comparison; value: number }
  | { field: NumberField; operator: "between"; value: { min: number; max: number } }
  | { field: ListField; operator: ListOperator; value: string[] }
  | { field: TextField; operator: TextOperator; value: string[] };

export type FieldKind = "money" | "number" | "list" | "text";

export function fieldKind(field: ConditionField): FieldKind {
  if ((MONEY_FIELDS as readonly string[]).includes(field)) return "money";
  if ((NUMBER_FIELDS as readonly string[]).includes(field)) return "number";
  if ((LIST_FIELDS as readonly string[]).includes(field)) return "list";
  return "text";
}

export function operatorsFor(field: ConditionField): readonly string[] {
  const kind = fieldKind(field);
  if (kind === "list") return LIST_OPERATORS;
  if (kind === "text") return TEXT_OPERATORS;
  return [...COMPARISONS, "between"];
}

function range<T extends z.ZodTypeAny>(bound: T, inOrder: (min: z.infer<T>, max: z.infer<T>) => string | null) {
  return z
    .object({ min: bound, max: bound }, { required_error: "Enter a minimum and a maximum", invalid_type_error: "Enter a minimum and a maximum" })
    .superRefine((value, ctx) => {
      const problem = inOrder(value.min, value.max);
      if (problem) ctx.addIssue({ code: z.ZodIssueCode.custom, message: problem });
    });
}

const count = wholeNumber({ min: 0, max: 1_000_000_000, message: "Enter a whole number of 0 or more" });
const score = wholeNumber({ min: 0, max: 10, message: "Enter a whole score from 0 to 10" });

function words(options: { item: z.ZodType<string, z.ZodTypeDef, unknown>; message: string }) {
  return z
    .array(options.item, { required_error: options.message, invalid_type_error: options.message })
    .min(1, options.message)
    .max(250, "Use at most 250 values");
}

const word = (message: string) =>
  z.string({ required_error: message, invalid_type_error: message }).trim().min(1, message).max(255, "Keep each value to 255 characters or fewer");
const gid = (type: string) =>
  z.string({ invalid_type_error: `Choose a ${type.toLowerCase()}` }).regex(new RegExp(`^gid://shopify/${type}/\\d+$`), `Choose a ${type.toLowerCase()}`);

const LIST_VALUES: Record<ListField, z.ZodTypeAny> = {
  "order.products": words({ item: gid("Product"), message: "Choose at least one product" }),
  "order.collections": words({ item: gid("Collection"), message: "Choose at least one collection" }),
  "order.productTags": words({ item: word("Enter a tag"), message: "Enter at least one tag" }),
  "order.vendors": words({ item: word("Enter a vendor"), message: "Enter at least one vendor" }),
  "order.discountCodes": words({ item: word("Enter a discount code"), message: "Enter at least one discount code" }),
  "customer.tags": words({ item: word("Enter a tag"), message: "Enter at least one tag" }),
};

const TEXT_VALUES: Record<TextField, z.ZodTypeAny> = {
  "order.shippingCountry": words({
    item: z
      .string({ invalid_type_error: "Use two-letter country codes like SI" })
      .trim()
      .regex(/^[A-Za-z]{2}$/, "Use two-letter country codes like SI")
      .transform((code) => code.toUpperCase()),
    message: "Choose at least one country",
  }),
  "customer.locale": words({
    item: z
      .string({ invalid_type_error: "Use language codes like sl or sl-SI" })
      .trim()
      .regex(/^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$/, "Use language codes like sl or sl-SI"),
    message: "Choose at least one language",
  }),
  "order.salesChannel": words({ item: word("Enter a sales channel"), message: "Choose at least one sales channel" }),
};

const DECIMAL = /^\d+(?:\.\d+)?$/;

const moneyRange = range(money, (min, max) => {
  if (min.currency !== max.currency) return "Use the same currency for both amounts";
  // Refinements also run when an amount already failed its own check; compare only well-formed ones.
  const wellFormed = DECIMAL.test(min.amount) && DECIMAL.test(max.amount);
  return wellFormed && compareDecimal(min.amount, max.amount) > 0 ? "The minimum can't be above the maximum" : null;
});
const countRange = (bound: typeof count) => range(bound, (min, max) => (min > max ? "The minimum can't be above the maximum" : null));

/** The schema for a condition's value, or undefined when the operator doesn't apply to the field. */
export function valueSchema(field: ConditionField, operator: string): z.ZodTypeAny | undefined {
  if (!operatorsFor(field).includes(operator)) return undefined;
  switch (fieldKind(field)) {
    case "money":
      return operator === "between" ? moneyRange : money;
    case "number": {
      const bound = field === "survey.score" ? score : count;
      return operator === "between" ? countRange(bound) : bound;
    }
    case "list":
      return LIST_VALUES[field as ListField];
    case "text":
      return TEXT_VALUES[field as TextField];
  }
}

/** Compares two non-negative decimal strings exactly: "50" vs "49.99" → 1. */
export function compareDecimal(a: string, b: string): number {
  const [aWhole = "0", aFraction = ""] = a.split(".");
  const [bWhole = "0", bFraction = ""] = b.split(".");
  const width = Math.max(aFraction.length, bFraction.length);
  const left = BigInt(aWhole + aFraction.padEnd(width, "0"));
  const right = BigInt(bWhole + bFraction.padEnd(width, "0"));
  return left === right ? 0 : left > right ? 1 : -1;
}

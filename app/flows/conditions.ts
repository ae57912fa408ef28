// Decides whether a flow's conditions hold for one event, with a reason per condition a merchant can read in
// the run log ("order total €45.00 is below €50.00"). Every condition is evaluated (no short-circuit) so the
// log explains the whole picture.
import { toMinorUnits } from "~/lib/money";
import {
  fieldKind,
  type Comparison,
  type Condition,
  type ConditionField,
  type ListField,
  type MoneyField,
  type NumberField,
  type TextField,
} from "./condition-fields";
import { type FlowContext, type MoneyValue } from "./context";
import { type FlowConditions, type MatchMode } from "./definition";
import { formatMoney } from "~/lib/money-format";

export interface ConditionResult {
  field: ConditionField;
  operator: string;
  passed: boolean;
  reason: string;
}
export interface ConditionGroupResult {
  passed: boolean;
  results: ConditionResult[];
}
export interface ConditionsResult {
  passed: boolean;
  groups: ConditionGroupResult[];
}

/** A fact that isn't there: no order on this event, no customer (guest checkout), no survey answer. */
type Fact<T> = { value: T } | { missing: string };

const NO_ORDER = { missing: "there is no order for this event" };
const NO_CUSTOMER = { missing: "there is no customer for this event" };

const COMPARE: Record<Comparison, { test: (fact: number, wanted: number) => boolean; yes: string; no: string }> = {
  gte: { test: (a, b) => a >= b, yes: "is at least", no: "is below" },
  gt: { test: (a, b) => a > b, yes: "is above", no: "is not above" },
  lte: { test: (a, b) => a <= b, yes: "is at most", no: "is above" },
  lt: { test: (a, b) => a < b, yes: "is below", no: "is not below" },
  eq: { test: (a, b) => a === b, yes: "is exactly", no: "is not" },
};

function compare(label: string, fact: number, operator: Comparison | "between", value: unknown, show: (n: number) => string, wanted: (v: unknown) => number) {
  if (operator === "between") {
    const range = value as { min: unknown; max: unknown };
    const [min, max] = [wanted(range.min), wanted(range.max)];
    const passed = fact >= min && fact <= max;
    return { passed, reason: `${label} ${show(fact)} ${passed ? "is" : "is not"} between ${show(min)} and ${show(max)}` };
  }
  const rule = COMPARE[operator];
  const passed = rule.test(fact, wanted(value));
  return { passed, reason: `${label} ${show(fact)} ${passed ? rule.yes : rule.no} ${show(wanted(value))}` };
}

const MONEY: Record<MoneyField, { label: string; fact: (ctx: FlowContext) => Fact<MoneyValue> }> = {
  "order.total": { label: "order total", fact: (ctx) => (ctx.order ? { value: { minor: ctx.order.totalMinor, currency: ctx.order.currency } } : NO_ORDER) },
  "order.subtotal": {
    label: "order subtotal",
    fact: (ctx) => (ctx.order ? { value: { minor: ctx.order.subtotalMinor, currency: ctx.order.currency } } : NO_ORDER),
  },
  "customer.amountSpent": { label: "customer's total spent", fact: (ctx) => (ctx.customer ? { value: ctx.customer.amountSpent } : NO_CUSTOMER) },
};

function evaluateMoney(condition: Extract<Condition, { field: MoneyField }>, ctx: FlowContext) {
  const { label, fact } = MONEY[condition.field];
  const found = fact(ctx);
  if ("missing" in found) return { passed: false, reason: found.missing };
  const currency = condition.operator === "between" ? condition.value.min.currency : condition.value.currency;
  // Amounts in different currencies are not comparable without a rate; never guess one.
  if (found.value.currency !== currency) return { passed: false, reason: `${label} is in ${found.value.currency}, the condition is in ${currency}` };
  const wanted = (money: unknown) => {
    const { amount } = money as { amount: string };
    return toMinorUnits(amount, currency);
  };
  return compare(label, found.value.minor, condition.operator, condition.value, (minor) => formatMoney(minor, currency), wanted);
}

const NUMBERS: Record<NumberField, { label: string; fact: (ctx: FlowContext) => Fact<number> }> = {
  "order.itemCount": { label: "order item count", fact: (ctx) => (ctx.order ? { value: ctx.order.itemCount } : NO_ORDER) },
  "customer.ordersCount": { label: "customer's order count", fact: (ctx) => (ctx.customer ? { value: ctx.customer.ordersCount } : NO_CUSTOMER) },
  "survey.score": {
    label: "survey score",
    fact: (ctx) => {
      if (!ctx.survey) return { missing: "there is no survey answer for this event" };
      return ctx.survey.score === null ? { missing: "the survey answer has no score" } : { value: ctx.survey.score };
    },
  },
};

function evaluateNumber(condition: Extract<Condition, { field: NumberField }>, ctx: FlowContext) {
  const { label, fact } = NUMBERS[condition.field];
  const found = fact(ctx);
  if ("missing" in found) return { passed: false, reason: found.missing };
  return compare(label, found.value, condition.operator, condition.value, String, Number);
}

interface ListSpec {
  subject: "order" | "customer";
  /** How to say "has one", "has several", "has no one", "has none of several" for this list. */
  words: [string, string, string, string];
  /** Shopify compares tags, vendors and codes case-insensitively; ids exactly. */
  foldCase: boolean;
  fact: (ctx: FlowContext) => Fact<string[]>;
}

type OrderFacts = NonNullable<FlowContext["order"]>;
const orderList = (words: ListSpec["words"], foldCase: boolean, pick: (order: OrderFacts) => string[]): ListSpec => ({
  subject: "order",
  words,
  foldCase,
  fact: (ctx) => (ctx.order ? { value: pick(ctx.order) } : NO_ORDER),
});

const LISTS: Record<ListField, ListSpec> = {
  "order.products": orderList(["product", "products", "no product", "none of the products"], false, (order) => order.productGids),
  "order.collections": orderList(
    ["a product from collection", "products from collections", "no product from collection", "no products from collections"],
    false,
    (order) => order.collectionGids,
  ),
  "order.productTags": orderList(["a product tagged", "products tagged", "no product tagged", "no products tagged"], true, (order) => order.productTags),
  "order.vendors": orderList(
    ["a product from vendor", "products from vendors", "no product from vendor", "no products from vendors"],
    true,
    (order) => order.vendors,
  ),
  "order.discountCodes": orderList(["discount code", "discount codes", "no discount code", "none of the discount codes"], true, (order) => order.discountCodes),
  "customer.tags": {
    subject: "customer",
    words: ["tag", "tags", "no tag", "none of the tags"],
    foldCase: true,
    fact: (ctx) => (ctx.customer ? { value: ctx.customer.tags } : NO_CUSTOMER),
  },
};

function evaluateList(condition: Extract<Condition, { field: ListField }>, ctx: FlowContext) {
  const spec = LISTS[condition.field];
  const found = spec.fact(ctx);
  if ("missing" in found) return { passed: false, reason: found.missing };
  const fold = (value: string) => (spec.foldCase ? value.trim().toLowerCase() : value.trim());
  const held = new Set(found.value.map(fold));
  const present = condition.value.filter((wanted) => held.has(fold(wanted)));
  const absent = condition.value.filter((wanted) => !held.has(fold(wanted)));
  const [one, several, noOne, noneOf] = spec.words;
  const has = (values: string[]) => `${spec.subject} has ${values.length === 1 ? one : several} ${values.join(", ")}`;
  const hasNo = (values: string[]) => `${spec.subject} has ${values.length === 1 ? noOne : noneOf} ${values.join(", ")}`;
  switch (condition.operator) {
    case "includesAny":
      return present.length > 0 ? { passed: true, reason: has(present) } : { passed: false, reason: hasNo(condition.value) };
    case "includesAll":
      return absent.length === 0 ? { passed: true, reason: has(condition.value) } : { passed: false, reason: hasNo(absent) };
    case "includesNone":
      return present.length === 0 ? { passed: true, reason: hasNo(condition.value) } : { passed: false, reason: has(present) };
  }
}

const TEXTS: Record<
  TextField,
  { label: string; missing: string; fact: (ctx: FlowContext) => Fact<string | null>; matches: (fact: string, wanted: string) => boolean }
> = {
  "order.shippingCountry": {
    label: "shipping country",
    missing: "order has no shipping country",
    fact: (ctx) => (ctx.order ? { value: ctx.order.shippingCountry } : NO_ORDER),
    matches: (fact, wanted) => fact.toUpperCase() === wanted.toUpperCase(),
  },
  "customer.locale": {
    label: "customer language",
    missing: "customer has no language set",
    fact: (ctx) => (ctx.customer ? { value: ctx.customer.locale } : NO_CUSTOMER),
    // "sl" covers "sl-SI": a language chosen in the editor matches every regional variant of it.
    matches: (fact, wanted) => fact.toLowerCase() === wanted.toLowerCase() || fact.toLowerCase().startsWith(`${wanted.toLowerCase()}-`),
  },
  "order.salesChannel": {
    label: "sales channel",
    missing: "order has no sales channel",
    fact: (ctx) => (ctx.order ? { value: ctx.order.salesChannel } : NO_ORDER),
    matches: (fact, wanted) => fact.toLowerCase() === wanted.toLowerCase(),
  },
};

function evaluateText(condition: Extract<Condition, { field: TextField }>, ctx: FlowContext) {
  const spec = TEXTS[condition.field];
  const found = spec.fact(ctx);
  if ("missing" in found) return { passed: false, reason: found.missing };
  const wanted = condition.value.length === 1 ? condition.value[0] : `one of ${condition.value.join(", ")}`;
  // An unknown country or language is in no list: "not in" holds, "in" does not.
  if (found.value === null) return { passed: condition.operator === "notIn", reason: spec.missing };
  const fact = found.value;
  const isIn = condition.value.some((value) => spec.matches(fact, value));
  return { passed: isIn === (condition.operator === "in"), reason: `${spec.label} ${fact} ${isIn ? "is" : "is not"} ${wanted}` };
}

export function evaluateCondition(condition: Condition, ctx: FlowContext): ConditionResult {
  const kind = fieldKind(condition.field);
  const outcome =
    kind === "money"
      ? evaluateMoney(condition as Extract<Condition, { field: MoneyField }>, ctx)
      : kind === "number"
        ? evaluateNumber(condition as Extract<Condition, { field: NumberField }>, ctx)
        : kind === "list"
          ? evaluateList(condition as Extract<Condition, { field: ListField }>, ctx)
          : evaluateText(condition as Extract<Condition, { field: TextField }>, ctx);
  return { field: condition.field, operator: condition.operator, ...outcome };
}

const holds = (match: MatchMode, passes: boolean[]) => (match === "all" ? passes.every(Boolean) : passes.some(Boolean));

export function evaluateConditions(conditions: FlowConditions, ctx: FlowContext): ConditionsResult {
  const groups = conditions.groups.map((group) => {
    const results = group.conditions.map((condition) => evaluateCondition(condition, ctx));
    return {
      passed: holds(
        group.match,
        results.map((result) => result.passed),
      ),
      results,
    };
  });
  // No conditions means the trigger alone decides.
  const passed =
    groups.length === 0 ||
    holds(
      conditions.match,
      groups.map((group) => group.passed),
    );
  return { passed, groups };
}

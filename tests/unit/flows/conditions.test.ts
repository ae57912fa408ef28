import { describe, expect, it } from "vitest";
import type { Condition } from "~/flows/condition-fields";
import { evaluateCondition, evaluateConditions } from "~/flows/conditions";
import type { FlowConditions } from "~/flows/definition";
import { COLLECTION, customerFacts, flowContext, orderFacts, PRODUCT_A, PRODUCT_B, type ContextOverrides } from "./builders";

const cond = (field: string, operator: string, value: unknown) => ({ field, operator, value }) as Condition;
const eur = (amount: string) => ({ amount, currency: "EUR" });
const eurRange = (min: string, max: string) => ({ min: eur(min), max: eur(max) });

type Row = [string, string, unknown, ContextOverrides, boolean, string];

/** Facts: order total €49.90, subtotal €45.90, 3 items; customer spent €120.00 over 1 order; survey score 4. */
const facts: ContextOverrides = { survey: { questionId: "nps", score: 4, answer: "4" } };

interface Case {
  field: string;
  operator: string;
  value: unknown;
  over: ContextOverrides;
  passed: boolean;
  reason: string;
}
const cases = (rows: Row[]): Case[] => rows.map(([field, operator, value, over, passed, reason]) => ({ field, operator, value, over, passed, reason }));

function check({ field, operator, value, over, passed, reason }: Case) {
  const result = evaluateCondition(cond(field, operator, value), flowContext({ ...facts, ...over }));
  expect(result).toEqual({ field, operator, passed, reason });
}

describe("money conditions", () => {
  it.each(
    cases([
      ["order.total", "gte", eur("49.90"), {}, true, "order total €49.90 is at least €49.90"],
      ["order.total", "gte", eur("50.00"), {}, false, "order total €49.90 is below €50.00"],
      ["order.total", "gt", eur("49.89"), {}, true, "order total €49.90 is above €49.89"],
      ["order.total", "gt", eur("49.90"), {}, false, "order total €49.90 is not above €49.90"],
      ["order.total", "lte", eur("49.90"), {}, true, "order total €49.90 is at most €49.90"],
      ["order.total", "lte", eur("49.89"), {}, false, "order total €49.90 is above €49.89"],
      ["order.total", "lt", eur("50"), {}, true, "order total €49.90 is below €50.00"],
      ["order.total", "lt", eur("49.9"), {}, false, "order total €49.90 is not below €49.90"],
      ["order.total", "eq", eur("49.90"), {}, true, "order total €49.90 is exactly €49.90"],
      ["order.total", "eq", eur("49.91"), {}, false, "order total €49.90 is not €49.91"],
      ["order.total", "between", eurRange("49.90", "60.00"), {}, true, "order total €49.90 is between €49.90 and €60.00"],
      ["order.total", "between", eurRange("50.00", "60.00"), {}, false, "order total €49.90 is not between €50.00 and €60.00"],
      ["order.subtotal", "gte", eur("45.90"), {}, true, "order subtotal €45.90 is at least €45.90"],
      ["order.subtotal", "gte", eur("46"), {}, false, "order subtotal €45.90 is below €46.00"],
      ["order.subtotal", "gt", eur("45"), {}, true, "order subtotal €45.90 is above €45.00"],
      ["order.subtotal", "gt", eur("45.90"), {}, false, "order subtotal €45.90 is not above €45.90"],
      ["order.subtotal", "lte", eur("45.90"), {}, true, "order subtotal €45.90 is at most €45.90"],
      ["order.subtotal", "lte", eur("45"), {}, false, "order subtotal €45.90 is above €45.00"],
      ["order.subtotal", "lt", eur("45.91"), {}, true, "order subtotal €45.90 is below €45.91"],
      ["order.subtotal", "lt", eur("45.90"), {}, false, "order subtotal €45.90 is not below €45.90"],
      ["order.subtotal", "eq", eur("45.9"), {}, true, "order subtotal €45.90 is exactly €45.90"],
      ["order.subtotal", "eq", eur("45"), {}, false, "order subtotal €45.90 is not €45.00"],
      ["order.subtotal", "between", eurRange("40", "45.90"), {}, true, "order subtotal €45.90 is between €40.00 and €45.90"],
      ["order.subtotal", "between", eurRange("10", "20"), {}, false, "order subtotal €45.90 is not between €10.00 and €20.00"],
      ["customer.amountSpent", "gte", eur("100"), {}, true, "customer's total spent €120.00 is at least €100.00"],
      ["customer.amountSpent", "gte", eur("500"), {}, false, "customer's total spent €120.00 is below €500.00"],
      ["customer.amountSpent", "gt", eur("119.99"), {}, true, "customer's total spent €120.00 is above €119.99"],
      ["customer.amountSpent", "gt", eur("120"), {}, false, "customer's total spent €120.00 is not above €120.00"],
      ["customer.amountSpent", "lte", eur("120"), {}, true, "customer's total spent €120.00 is at most €120.00"],
      ["customer.amountSpent", "lte", eur("100"), {}, false, "customer's total spent €120.00 is above €100.00"],
      ["customer.amountSpent", "lt", eur("1000"), {}, true, "customer's total spent €120.00 is below €1,000.00"],
      ["customer.amountSpent", "lt", eur("120"), {}, false, "customer's total spent €120.00 is not below €120.00"],
      ["customer.amountSpent", "eq", eur("120.00"), {}, true, "customer's total spent €120.00 is exactly €120.00"],
      ["customer.amountSpent", "eq", eur("12.00"), {}, false, "customer's total spent €120.00 is not €12.00"],
      ["customer.amountSpent", "between", eurRange("100", "200"), {}, true, "customer's total spent €120.00 is between €100.00 and €200.00"],
      ["customer.amountSpent", "between", eurRange("0", "119.99"), {}, false, "customer's total spent €120.00 is not between €0.00 and €119.99"],
      // Zero-decimal and three-decimal currencies compare in their own minor units.
      [
        "order.total",
        "gte",
        { amount: "1000", currency: "JPY" },
        { order: orderFacts({ currency: "JPY", totalMinor: 1200 }) },
        true,
        "order total ¥1,200 is at least ¥1,000",
      ],
      [
        "order.total",
        "lt",
        { amount: "1.250", currency: "KWD" },
        { order: orderFacts({ currency: "KWD", totalMinor: 1249 }) },
        true,
        "order total KWD\u00a01.249 is below KWD\u00a01.250",
      ],
      // Amounts above 2^53 cents still format exactly.
      [
        "order.total",
        "gte",
        eur("1000000"),
        { order: orderFacts({ totalMinor: 9007199254740991 }) },
        true,
        "order total €90,071,992,547,409.91 is at least €1,000,000.00",
      ],
    ]),
  )("GIVEN $field $operator $value THEN $reason", check);

  it.each(
    cases([
      ["order.total", "gte", eur("50"), { order: null }, false, "there is no order for this event"],
      ["order.subtotal", "between", eurRange("1", "2"), { order: null }, false, "there is no order for this event"],
      ["customer.amountSpent", "gte", eur("50"), { customer: null }, false, "there is no customer for this event"],
    ]),
  )("GIVEN $field $operator $value THEN $reason", check);

  it.each(
    cases([
      ["order.total", "gte", eur("1"), { order: orderFacts({ currency: "USD" }) }, false, "order total is in USD, the condition is in EUR"],
      ["order.total", "lte", eur("1000"), { order: orderFacts({ currency: "USD" }) }, false, "order total is in USD, the condition is in EUR"],
      [
        "order.subtotal",
        "between",
        eurRange("0", "1000"),
        { order: orderFacts({ currency: "USD" }) },
        false,
        "order subtotal is in USD, the condition is in EUR",
      ],
      [
        "customer.amountSpent",
        "gte",
        eur("1"),
        { customer: customerFacts({ amountSpent: { minor: 50000, currency: "GBP" } }) },
        false,
        "customer's total spent is in GBP, the condition is in EUR",
      ],
    ]),
  )("GIVEN $field $operator $value THEN $reason", check);
});

describe("number conditions", () => {
  const surveyOf = (score: number | null) => ({ survey: { questionId: "nps", score, answer: "" } });
  it.each(
    cases([
      ["order.itemCount", "gte", 3, {}, true, "order item count 3 is at least 3"],
      ["order.itemCount", "gte", 4, {}, false, "order item count 3 is below 4"],
      ["order.itemCount", "gt", 2, {}, true, "order item count 3 is above 2"],
      ["order.itemCount", "gt", 3, {}, false, "order item count 3 is not above 3"],
      ["order.itemCount", "lte", 3, {}, true, "order item count 3 is at most 3"],
      ["order.itemCount", "lte", 2, {}, false, "order item count 3 is above 2"],
      ["order.itemCount", "lt", 4, {}, true, "order item count 3 is below 4"],
      ["order.itemCount", "lt", 3, {}, false, "order item count 3 is not below 3"],
      ["order.itemCount", "eq", 3, {}, true, "order item count 3 is exactly 3"],
      ["order.itemCount", "eq", 1, {}, false, "order item count 3 is not 1"],
      ["order.itemCount", "between", { min: 1, max: 3 }, {}, true, "order item count 3 is between 1 and 3"],
      ["order.itemCount", "between", { min: 4, max: 9 }, {}, false, "order item count 3 is not between 4 and 9"],
      ["customer.ordersCount", "gte", 1, {}, true, "customer's order count 1 is at least 1"],
      ["customer.ordersCount", "gte", 2, {}, false, "customer's order count 1 is below 2"],
      ["customer.ordersCount", "gt", 0, {}, true, "customer's order count 1 is above 0"],
      ["customer.ordersCount", "gt", 1, {}, false, "customer's order count 1 is not above 1"],
      ["customer.ordersCount", "lte", 1, {}, true, "customer's order count 1 is at most 1"],
      ["customer.ordersCount", "lte", 0, {}, false, "customer's order count 1 is above 0"],
      ["customer.ordersCount", "lt", 2, {}, true, "customer's order count 1 is below 2"],
      ["customer.ordersCount", "lt", 1, {}, false, "customer's order count 1 is not below 1"],
      ["customer.ordersCount", "eq", 1, {}, true, "customer's order count 1 is exactly 1"],
      ["customer.ordersCount", "eq", 5, {}, false, "customer's order count 1 is not 5"],
      ["customer.ordersCount", "between", { min: 1, max: 1 }, {}, true, "customer's order count 1 is between 1 and 1"],
      ["customer.ordersCount", "between", { min: 2, max: 5 }, {}, false, "customer's order count 1 is not between 2 and 5"],
      ["survey.score", "gte", 4, {}, true, "survey score 4 is at least 4"],
      ["survey.score", "gte", 9, {}, false, "survey score 4 is below 9"],
      ["survey.score", "gt", 3, {}, true, "survey score 4 is above 3"],
      ["survey.score", "gt", 4, {}, false, "survey score 4 is not above 4"],
      ["survey.score", "lte", 6, {}, true, "survey score 4 is at most 6"],
      ["survey.score", "lte", 6, surveyOf(7), false, "survey score 7 is above 6"],
      ["survey.score", "lt", 5, {}, true, "survey score 4 is below 5"],
      ["survey.score", "lt", 4, {}, false, "survey score 4 is not below 4"],
      ["survey.score", "eq", 0, surveyOf(0), true, "survey score 0 is exactly 0"],
      ["survey.score", "eq", 10, {}, false, "survey score 4 is not 10"],
      ["survey.score", "between", { min: 0, max: 6 }, {}, true, "survey score 4 is between 0 and 6"],
      ["survey.score", "between", { min: 9, max: 10 }, {}, false, "survey score 4 is not between 9 and 10"],
    ]),
  )("GIVEN $field $operator $value THEN $reason", check);

  it.each(
    cases([
      ["order.itemCount", "gte", 1, { order: null }, false, "there is no order for this event"],
      ["customer.ordersCount", "eq", 1, { customer: null }, false, "there is no customer for this event"],
      ["survey.score", "lte", 6, { survey: null }, false, "there is no survey answer for this event"],
      ["survey.score", "lte", 6, surveyOf(null), false, "the survey answer has no score"],
    ]),
  )("GIVEN $field $operator $value THEN $reason", check);
});

describe("list conditions", () => {
  it.each(
    cases([
      ["order.products", "includesAny", [PRODUCT_A, "gid://shopify/Product/9"], {}, true, `order has product ${PRODUCT_A}`],
      ["order.products", "includesAny", ["gid://shopify/Product/9"], {}, false, "order has no product gid://shopify/Product/9"],
      ["order.products", "includesAll", [PRODUCT_A, PRODUCT_B], {}, true, `order has products ${PRODUCT_A}, ${PRODUCT_B}`],
      ["order.products", "includesAll", [PRODUCT_A, "gid://shopify/Product/9"], {}, false, "order has no product gid://shopify/Product/9"],
      [
        "order.products",
        "includesNone",
        ["gid://shopify/Product/9", "gid://shopify/Product/8"],
        {},
        true,
        "order has none of the products gid://shopify/Product/9, gid://shopify/Product/8",
      ],
      ["order.products", "includesNone", [PRODUCT_B], {}, false, `order has product ${PRODUCT_B}`],
      ["order.collections", "includesAny", [COLLECTION], {}, true, `order has a product from collection ${COLLECTION}`],
      ["order.collections", "includesAny", ["gid://shopify/Collection/9"], {}, false, "order has no product from collection gid://shopify/Collection/9"],
      ["order.collections", "includesAll", [COLLECTION], {}, true, `order has a product from collection ${COLLECTION}`],
      [
        "order.collections",
        "includesAll",
        [COLLECTION, "gid://shopify/Collection/9", "gid://shopify/Collection/8"],
        {},
        false,
        "order has no products from collections gid://shopify/Collection/9, gid://shopify/Collection/8",
      ],
      ["order.collections", "includesNone", ["gid://shopify/Collection/9"], {}, true, "order has no product from collection gid://shopify/Collection/9"],
      ["order.collections", "includesNone", [COLLECTION], {}, false, `order has a product from collection ${COLLECTION}`],
      ["order.productTags", "includesAny", ["summer", "winter"], {}, true, "order has a product tagged summer"],
      ["order.productTags", "includesAny", ["Winter"], {}, false, "order has no product tagged Winter"],
      ["order.productTags", "includesAll", ["GIFT", "summer"], {}, true, "order has products tagged GIFT, summer"],
      ["order.productTags", "includesAll", ["Gift", "Winter"], {}, false, "order has no product tagged Winter"],
      ["order.productTags", "includesNone", ["Winter"], {}, true, "order has no product tagged Winter"],
      ["order.productTags", "includesNone", ["Winter", "gift"], {}, false, "order has a product tagged gift"],
      ["order.vendors", "includesAny", ["ACME"], {}, true, "order has a product from vendor ACME"],
      ["order.vendors", "includesAny", ["Globex"], {}, false, "order has no product from vendor Globex"],
      ["order.vendors", "includesAll", ["acme"], {}, true, "order has a product from vendor acme"],
      ["order.vendors", "includesAll", ["Acme", "Globex"], {}, false, "order has no product from vendor Globex"],
      ["order.vendors", "includesNone", ["Globex", "Initech"], {}, true, "order has no products from vendors Globex, Initech"],
      ["order.vendors", "includesNone", ["Acme"], {}, false, "order has a product from vendor Acme"],
      ["order.discountCodes", "includesAny", ["welcome10"], {}, true, "order has discount code welcome10"],
      ["order.discountCodes", "includesAny", ["SUMMER"], {}, false, "order has no discount code SUMMER"],
      ["order.discountCodes", "includesAll", ["WELCOME10"], {}, true, "order has discount code WELCOME10"],
      ["order.discountCodes", "includesAll", ["WELCOME10", "VIP5"], {}, false, "order has no discount code VIP5"],
      ["order.discountCodes", "includesNone", ["VIP5"], {}, true, "order has no discount code VIP5"],
      ["order.discountCodes", "includesNone", ["Welcome10"], {}, false, "order has discount code Welcome10"],
      ["customer.tags", "includesAny", ["vip"], {}, true, "customer has tag vip"],
      ["customer.tags", "includesAny", ["Wholesale"], {}, false, "customer has no tag Wholesale"],
      ["customer.tags", "includesAll", ["VIP"], { customer: customerFacts({ tags: ["vip", "Gold"] }) }, true, "customer has tag VIP"],
      ["customer.tags", "includesAll", ["VIP", "Gold", "Staff"], {}, false, "customer has none of the tags Gold, Staff"],
      ["customer.tags", "includesNone", ["Wholesale"], {}, true, "customer has no tag Wholesale"],
      ["customer.tags", "includesNone", ["Wholesale", "VIP"], {}, false, "customer has tag VIP"],
    ]),
  )("GIVEN $field $operator $value THEN $reason", check);

  it.each(
    cases([
      ["order.products", "includesNone", [PRODUCT_A], { order: null }, false, "there is no order for this event"],
      ["order.discountCodes", "includesAny", ["X"], { order: null }, false, "there is no order for this event"],
      ["customer.tags", "includesNone", ["VIP"], { customer: null }, false, "there is no customer for this event"],
    ]),
  )("GIVEN $field $operator $value THEN $reason", check);

  it("GIVEN product ids THEN they match exactly, not case-insensitively", () => {
    const result = evaluateCondition(cond("order.products", "includesAny", [PRODUCT_A.toUpperCase()]), flowContext());
    expect(result.passed).toBe(false);
  });
});

describe("text conditions", () => {
  it.each(
    cases([
      ["order.shippingCountry", "in", ["SI", "HR"], {}, true, "shipping country SI is one of SI, HR"],
      ["order.shippingCountry", "in", ["si"], {}, true, "shipping country SI is si"],
      ["order.shippingCountry", "in", ["AT", "DE"], {}, false, "shipping country SI is not one of AT, DE"],
      ["order.shippingCountry", "notIn", ["AT"], {}, true, "shipping country SI is not AT"],
      ["order.shippingCountry", "notIn", ["SI"], {}, false, "shipping country SI is SI"],
      ["customer.locale", "in", ["sl"], {}, true, "customer language sl-SI is sl"],
      ["customer.locale", "in", ["sl-si"], {}, true, "customer language sl-SI is sl-si"],
      ["customer.locale", "in", ["s", "en"], {}, false, "customer language sl-SI is not one of s, en"],
      ["customer.locale", "in", ["sl-AT"], {}, false, "customer language sl-SI is not sl-AT"],
      ["customer.locale", "notIn", ["en", "de"], {}, true, "customer language sl-SI is not one of en, de"],
      ["customer.locale", "notIn", ["SL"], {}, false, "customer language sl-SI is SL"],
      ["order.salesChannel", "in", ["web", "pos"], {}, true, "sales channel web is one of web, pos"],
      ["order.salesChannel", "in", ["pos"], {}, false, "sales channel web is not pos"],
      ["order.salesChannel", "notIn", ["POS"], {}, true, "sales channel web is not POS"],
      ["order.salesChannel", "notIn", ["Web"], {}, false, "sales channel web is Web"],
    ]),
  )("GIVEN $field $operator $value THEN $reason", check);

  it.each(
    cases([
      ["order.shippingCountry", "in", ["SI"], { order: null }, false, "there is no order for this event"],
      ["customer.locale", "notIn", ["en"], { customer: null }, false, "there is no customer for this event"],
      ["order.salesChannel", "in", ["web"], { order: null }, false, "there is no order for this event"],
      // A value the order simply doesn't have: in no list, so "not in" holds.
      ["order.shippingCountry", "in", ["SI"], { order: orderFacts({ shippingCountry: null }) }, false, "order has no shipping country"],
      ["order.shippingCountry", "notIn", ["SI"], { order: orderFacts({ shippingCountry: null }) }, true, "order has no shipping country"],
      ["customer.locale", "in", ["sl"], { customer: customerFacts({ locale: null }) }, false, "customer has no language set"],
      ["order.salesChannel", "notIn", ["pos"], { order: orderFacts({ salesChannel: null }) }, true, "order has no sales channel"],
    ]),
  )("GIVEN $field $operator $value THEN $reason", check);
});

describe("evaluateConditions", () => {
  const big = cond("order.total", "gte", eur("40"));
  const small = cond("order.total", "gte", eur("100"));
  const vip = cond("customer.tags", "includesAny", ["VIP"]);
  const group = (match: "all" | "any", ...conditions: Condition[]) => ({ match, conditions });

  it.each<[string, FlowConditions, boolean, boolean[]]>([
    ["no groups", { match: "all", groups: [] }, true, []],
    ["no groups, any", { match: "any", groups: [] }, true, []],
    ["all of one group, all pass", { match: "all", groups: [group("all", big, vip)] }, true, [true]],
    ["all of one group, one fails", { match: "all", groups: [group("all", big, small)] }, false, [false]],
    ["any in a group, one passes", { match: "all", groups: [group("any", small, vip)] }, true, [true]],
    ["any in a group, none pass", { match: "all", groups: [group("any", small, small)] }, false, [false]],
    ["all groups, one fails", { match: "all", groups: [group("all", big), group("all", small)] }, false, [true, false]],
    ["any group, one passes", { match: "any", groups: [group("all", small), group("all", vip)] }, true, [false, true]],
  ])("GIVEN %s THEN passed=%s", (_name, conditions, passed, groups) => {
    const result = evaluateConditions(conditions, flowContext());
    expect(result.passed).toBe(passed);
    expect(result.groups.map((g) => g.passed)).toEqual(groups);
  });

  it("GIVEN a failing first condition THEN the others are still evaluated and explained", () => {
    const result = evaluateConditions({ match: "all", groups: [group("all", small, vip)] }, flowContext());
    expect(result.groups[0]?.results.map((r) => [r.passed, r.reason])).toEqual([
      [false, "order total €49.90 is below €100.00"],
      [true, "customer has tag VIP"],
    ]);
  });
});

import { describe, expect, it } from "vitest";
import { planFlowRun, type PlannedStep } from "~/flows/engine";
import { customerFacts, flowContext, flowDefinition, orderEarnFacts, orderFacts, PRODUCT_A, PRODUCT_B, step, type ContextOverrides } from "./builders";

/** Plans one step against the default facts (a paid €49.90 order, €45.90 subtotal, Maja tagged VIP). */
function planned(type: string, params: unknown, over: ContextOverrides = {}): PlannedStep {
  const [first] = planFlowRun(flowDefinition({ actions: [step(type, params)] }), flowContext(over)).steps;
  if (!first) throw new Error("no step planned");
  return first;
}

const jpy = (subtotalMinor: number) => ({ order: orderFacts({ currency: "JPY", subtotalMinor, totalMinor: subtotalMinor }) });
const earn = (over: Parameters<typeof orderEarnFacts>[0]) => ({ loyalty: { programOn: false, orderEarn: orderEarnFacts(over) } });
const kwd = (subtotalMinor: number) => ({ order: orderFacts({ currency: "KWD", subtotalMinor, totalMinor: subtotalMinor }) });

describe("award_points", () => {
  it.each<[string, unknown, ContextOverrides, number, string]>([
    ["fixed", { mode: "fixed", points: 50 }, {}, 50, "Award 50 points"],
    ["fixed, one point", { mode: "fixed", points: 1 }, {}, 1, "Award 1 point"],
    ["fixed, no order needed", { mode: "fixed", points: 5 }, { order: null }, 5, "Award 5 points"],
    [
      "1 per 1.00, rounded down",
      { mode: "per_currency_unit", points: 1, per: "1.00" },
      {},
      45,
      "Award 45 points (this step's own rate, not the program's rules: 1 point per €1.00 of the €45.90 subtotal)",
    ],
    [
      "2 per 5.00",
      { mode: "per_currency_unit", points: 2, per: "5" },
      {},
      18,
      "Award 18 points (this step's own rate, not the program's rules: 2 points per €5.00 of the €45.90 subtotal)",
    ],
    [
      "10 per 0.50",
      { mode: "per_currency_unit", points: 10, per: "0.50" },
      {},
      918,
      "Award 918 points (this step's own rate, not the program's rules: 10 points per €0.50 of the €45.90 subtotal)",
    ],
    [
      "JPY, 1 per 100 yen",
      { mode: "per_currency_unit", points: 1, per: "100" },
      jpy(1234),
      12,
      "Award 12 points (this step's own rate, not the program's rules: 1 point per ¥100 of the ¥1,234 subtotal)",
    ],
    [
      "KWD, 1 per 1.000",
      { mode: "per_currency_unit", points: 1, per: "1", currency: "KWD" },
      kwd(12345),
      12,
      "Award 12 points (this step's own rate, not the program's rules: 1 point per KWD\u00a01.000 of the KWD\u00a012.345 subtotal)",
    ],
    [
      "rule currency matches",
      { mode: "per_currency_unit", points: 1, per: "1.00", currency: "eur" },
      {},
      45,
      "Award 45 points (this step's own rate, not the program's rules: 1 point per €1.00 of the €45.90 subtotal)",
    ],
    [
      "a huge order stays exact",
      { mode: "per_currency_unit", points: 3, per: "10" },
      { order: orderFacts({ subtotalMinor: 9007199254740991 }) },
      27021597764222,
      "Award 27021597764222 points (this step's own rate, not the program's rules: 3 points per €10.00 of the €90,071,992,547,409.91 subtotal)",
    ],
    ["the program's points", { mode: "program" }, {}, 45, "Award 45 points (the program's earn rules: 1 per EUR)"],
    [
      "the program's points with a tier multiplier",
      { mode: "program" },
      earn({ points: 68, rule: "1 per EUR, Gold ×1.5" }),
      68,
      "Award 68 points (the program's earn rules: 1 per EUR, Gold ×1.5)",
    ],
    [
      "the program's points, JPY",
      { mode: "program" },
      { ...jpy(1234), ...earn({ points: 1234, rule: "1 per JPY" }) },
      1234,
      "Award 1234 points (the program's earn rules: 1 per JPY)",
    ],
    [
      "double: base 45 → bonus 45",
      { mode: "multiplier", factor: 2 },
      {},
      45,
      "Award 45 bonus points (2× the 45 points the program's earn rules give the order: 1 per EUR)",
    ],
    [
      "1.5×: half of 45, rounded down",
      { mode: "multiplier", factor: 1.5 },
      {},
      22,
      "Award 22 bonus points (1.5× the 45 points the program's earn rules give the order: 1 per EUR)",
    ],
    [
      "1.5× with the program rounding to nearest: half of 45 → 23",
      { mode: "multiplier", factor: 1.5 },
      earn({ rounding: "nearest" }),
      23,
      "Award 23 bonus points (1.5× the 45 points the program's earn rules give the order: 1 per EUR)",
    ],
    [
      "1.1× with the program rounding up: a tenth of 45 → 5",
      { mode: "multiplier", factor: 1.1 },
      earn({ rounding: "ceil" }),
      5,
      "Award 5 bonus points (1.1× the 45 points the program's earn rules give the order: 1 per EUR)",
    ],
    [
      "3× a tier-multiplied base of 68",
      { mode: "multiplier", factor: 3 },
      earn({ points: 68, rule: "1 per EUR, Gold ×1.5" }),
      136,
      "Award 136 bonus points (3× the 68 points the program's earn rules give the order: 1 per EUR, Gold ×1.5)",
    ],
    [
      "double while the program is on: the bonus still comes (the program awards the base itself)",
      { mode: "multiplier", factor: 2 },
      { loyalty: { programOn: true, orderEarn: orderEarnFacts() } },
      45,
      "Award 45 bonus points (2× the 45 points the program's earn rules give the order: 1 per EUR)",
    ],
  ])("GIVEN %s THEN the points are worked out exactly", (_name, params, over, points, summary) => {
    const result = planned("award_points", params, over);
    expect(result.skipped).toBeUndefined();
    expect(result.summary).toBe(summary);
    expect(result.points).toBe(points);
  });

  it.each<[string, unknown, ContextOverrides, string]>([
    [
      "the order is in another currency",
      { mode: "per_currency_unit", points: 1, per: "1.00", currency: "EUR" },
      { order: orderFacts({ currency: "USD" }) },
      "order is in USD, the rule counts EUR",
    ],
    ["the step amount doesn't fit the order currency", { mode: "per_currency_unit", points: 1, per: "0.50" }, jpy(5000), "0.50 is not a valid JPY amount"],
    ["the subtotal is below one step", { mode: "per_currency_unit", points: 1, per: "100.00" }, {}, "the subtotal earns no points"],
    ["no loyalty program", { mode: "multiplier", factor: 2 }, { loyalty: null }, "there is no loyalty program"],
    [
      "the program's rules give the order nothing",
      { mode: "multiplier", factor: 2 },
      earn({ points: 0, skip: "the order is below the minimum order" }),
      "the order is below the minimum order",
    ],
    [
      "the program's points below its minimum",
      { mode: "program" },
      earn({ points: 0, skip: "the order is below the minimum order" }),
      "the order is below the minimum order",
    ],
    [
      "the program's points while the program awards them itself",
      { mode: "program" },
      { loyalty: { programOn: true, orderEarn: orderEarnFacts() } },
      "the loyalty program is on and awards the order's points itself",
    ],
    [
      "the program's points after the program, since switched off, awarded them",
      { mode: "program" },
      earn({ awardedByProgram: true }),
      "the loyalty program already awarded the order's points",
    ],
    [
      "the program's points when Shopify could not be asked for the order",
      { mode: "program" },
      { loyalty: { programOn: false, orderEarn: null } },
      "the order's lines could not be read from Shopify, so the program's points were not worked out",
    ],
    ["the program's points without an order", { mode: "program" }, { order: null }, "there is no order for this event"],
    ["a guest checkout", { mode: "fixed", points: 10 }, { customer: null }, "there is no customer for this event"],
    ["points per amount without an order", { mode: "per_currency_unit", points: 1, per: "1" }, { order: null }, "there is no order for this event"],
    [
      "more points than a ledger entry holds",
      { mode: "per_currency_unit", points: 1000, per: "0.01" },
      { order: orderFacts({ subtotalMinor: 9007199254740991 }) },
      "that is more points than one award can hold",
    ],
  ])("GIVEN %s THEN the step is skipped", (_name, params, over, reason) => {
    const result = planned("award_points", params, over);
    expect(result.skipped).toBe(reason);
    expect(result.points ?? 0).toBe(0);
  });
});

describe("every action's summary", () => {
  it.each<[string, unknown, ContextOverrides, string, Partial<PlannedStep>]>([
    ["request_review", {}, {}, "Ask for a review of 2 products from order #1001", { details: { productGids: [PRODUCT_A, PRODUCT_B] } }],
    ["request_review", { maxProducts: 1 }, {}, "Ask for a review of 1 product from order #1001", { details: { productGids: [PRODUCT_A] } }],
    ["send_email", { template: "win-back" }, {}, 'Send the "win-back" email', {}],
    ["send_email", { template: "thank-you", subject: "Thank you, Maja" }, {}, 'Send the "thank-you" email with subject "Thank you, Maja"', {}],
    ["add_customer_tags", { tags: ["VIP", "Gold", "gold"] }, {}, "Tag the customer VIP, Gold", { details: { tags: ["Gold"] } }],
    ["remove_customer_tags", { tags: ["vip"] }, {}, "Remove tag vip from the customer", { details: { tags: ["vip"] } }],
    ["remove_customer_tags", { tags: ["VIP", "Gold"] }, {}, "Remove tags VIP, Gold from the customer", { details: { tags: ["VIP"] } }],
    ["add_order_tags", { tags: ["afterglow-review"] }, {}, "Tag order #1001 with afterglow-review", { details: { tags: ["afterglow-review"] } }],
    [
      "create_reward_discount",
      { reward: { kind: "percentage", percent: 10 }, expiresInDays: 30, emailToCustomer: true, requiresApproval: true },
      {},
      "Create a 10% discount, valid 30 days, emailed to the customer, after your approval",
      { details: { currency: "EUR" } },
    ],
    [
      "create_reward_discount",
      { reward: { kind: "fixed_amount", amount: "5" }, minimumOrder: "50", expiresInDays: 1 },
      {},
      "Create a €5.00 discount, on orders of €50.00 or more, valid 1 day",
      { details: { currency: "EUR" } },
    ],
    [
      "create_reward_discount",
      { reward: { kind: "fixed_amount", amount: "500", currency: "JPY" } },
      {},
      "Create a ¥500 discount, valid 30 days",
      { details: { currency: "JPY" } },
    ],
    ["create_reward_discount", { reward: { kind: "free_shipping" }, expiresInDays: 14 }, {}, "Create a free-shipping discount, valid 14 days", {}],
    [
      "show_thank_you_content",
      { blocks: ["thank_you", "points", "tier_progress", "survey"], survey: { questionId: "nps", kind: "nps" } },
      {},
      "Add to the thank-you page: thank-you message, points earned, tier progress, NPS survey",
      {},
    ],
    [
      "show_thank_you_content",
      { blocks: ["referral", "birthday", "review_cta"] },
      {},
      "Add to the thank-you page: referral link, birthday sign-up, review invitation",
      {},
    ],
    ["notify_merchant", { message: "Low NPS score", severity: "warning" }, {}, "Notify you (warning): Low NPS score", {}],
    ["notify_merchant", { message: "New VIP" }, {}, "Notify you (info): New VIP", {}],
    [
      "wait",
      { amount: 7, unit: "days", at: "10:00" },
      {},
      "Wait 7 days (until Tue 3 Dec 10:00 Europe/Ljubljana)",
      { delay: { amount: 7, unit: "days", at: "10:00", until: "2024-12-03T09:00:00.000Z" } },
    ],
    [
      "wait",
      { amount: 1, unit: "days" },
      {},
      "Wait 1 day (until Wed 27 Nov 10:00 Europe/Ljubljana)",
      { delay: { amount: 1, unit: "days", until: "2024-11-27T09:00:00.000Z" } },
    ],
    [
      "wait",
      { amount: 3, unit: "hours" },
      {},
      "Wait 3 hours (until Tue 26 Nov 13:00 Europe/Ljubljana)",
      { delay: { amount: 3, unit: "hours", until: "2024-11-26T12:00:00.000Z" } },
    ],
    ["wait", { amount: 1, unit: "hours" }, { shop: { timezone: "America/New_York" } }, "Wait 1 hour (until Tue 26 Nov 05:00 America/New_York)", {}],
    ["wait", { amount: 60, unit: "days" }, {}, "Wait 60 days (until Sat 25 Jan 2025 10:00 Europe/Ljubljana)", {}],
  ])("GIVEN %s %j THEN the summary reads: %s", (type, params, over, summary, extra) => {
    const result = planned(type, params, over);
    expect(result.skipped).toBeUndefined();
    expect(result.summary).toBe(summary);
    expect(result).toMatchObject(extra);
  });

  it.each<[string, unknown, ContextOverrides, string]>([
    ["request_review", {}, { order: orderFacts({ productGids: [] }) }, "order has no products to review"],
    ["request_review", {}, { customer: customerFacts({ email: null }) }, "customer has no email address"],
    ["request_review", {}, { order: null }, "there is no order for this event"],
    ["send_email", { template: "win-back" }, { customer: customerFacts({ email: null }) }, "customer has no email address"],
    ["send_email", { template: "win-back" }, { customer: null }, "there is no customer for this event"],
    ["add_customer_tags", { tags: ["vip"] }, {}, "customer already has tag vip"],
    ["remove_customer_tags", { tags: ["Gold"] }, {}, "customer has none of these tags"],
    ["add_order_tags", { tags: ["a", "b"] }, { order: orderFacts({ tags: ["A", "B"] }) }, "order already has tags a, b"],
    ["create_reward_discount", { reward: { kind: "fixed_amount", amount: "5.50" } }, { shop: { currency: "JPY" } }, "5.50 is not a valid JPY amount"],
    ["create_reward_discount", { reward: { kind: "percentage", percent: 5 } }, { customer: null }, "there is no customer for this event"],
    ["show_thank_you_content", { blocks: ["thank_you"] }, { order: null }, "there is no order for this event"],
  ])("GIVEN %s %j without what it needs THEN it is skipped", (type, params, over, reason) => {
    expect(planned(type, params, over).skipped).toBe(reason);
  });
});

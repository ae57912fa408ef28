import { describe, expect, it } from "vitest";
import { blankFlowDefinition, parseFlowDefinition } from "~/flows/definition";

/** A valid definition as the editor sends it; each row below breaks one thing. */
function valid(): Record<string, unknown> {
  return {
    schemaVersion: 1,
    trigger: { type: "order.paid" },
    conditions: {
      match: "all",
      groups: [{ match: "all", conditions: [{ field: "order.total", operator: "gte", value: { amount: "50.00", currency: "EUR" } }] }],
    },
    actions: [{ type: "award_points", params: { mode: "fixed", points: 10 } }],
  };
}
const withTrigger = (trigger: unknown) => ({ ...valid(), trigger });
const withCondition = (field: string, operator: string, value: unknown) => ({
  ...valid(),
  conditions: { match: "all", groups: [{ match: "all", conditions: [{ field, operator, value }] }] },
});
const withSteps = (...actions: unknown[]) => ({ ...valid(), actions });
const withStep = (type: string, params: unknown) => withSteps({ type, params });
const eur = (amount: string) => ({ amount, currency: "EUR" });
const C = "conditions.groups.0.conditions.0";

describe("parseFlowDefinition rejects", () => {
  it.each<[string, unknown, string, string]>([
    ["not an object", "order.paid", "definition", "A flow definition must be an object"],
    ["an array", [], "definition", "A flow definition must be an object"],
    ["a newer schema version", { ...valid(), schemaVersion: 2 }, "schemaVersion", "This flow was saved in a format this version can't read"],
    ["no trigger", { ...valid(), trigger: undefined }, "trigger", "Choose a trigger"],
    ["an unknown trigger", withTrigger({ type: "order.shipped" }), "trigger.type", "Choose a trigger"],
    ["an nth order of 1", withTrigger({ type: "order.nth", n: 1 }), "trigger.n", "Enter a whole number of 2 or more (use First order for 1)"],
    ["an nth order of 2.5", withTrigger({ type: "order.nth", n: 2.5 }), "trigger.n", "Enter a whole number of 2 or more (use First order for 1)"],
    ["an nth order as text", withTrigger({ type: "order.nth", n: "3" }), "trigger.n", "Enter a whole number of 2 or more (use First order for 1)"],
    ["an nth order without n", withTrigger({ type: "order.nth" }), "trigger.n", "Enter a whole number of 2 or more (use First order for 1)"],
    ["first order on shipped", withTrigger({ type: "order.first", on: "shipped" }), "trigger.on", "Choose placed or paid"],
    ["a review rating of 0", withTrigger({ type: "review.submitted", minRating: 0 }), "trigger.minRating", "Choose a rating from 1 to 5"],
    ["a review rating of 6", withTrigger({ type: "review.submitted", maxRating: 6 }), "trigger.maxRating", "Choose a rating from 1 to 5"],
    [
      "review ratings the wrong way round",
      withTrigger({ type: "review.submitted", minRating: 4, maxRating: 2 }),
      "trigger.maxRating",
      "The highest rating can't be below the lowest",
    ],
    ["a survey question id that is not text", withTrigger({ type: "survey.answered", questionId: 5 }), "trigger.questionId", "Choose a survey question"],
    ["a sideways tier change", withTrigger({ type: "tier.changed", direction: "sideways" }), "trigger.direction", "Choose up, down or any"],
    ["a win-back after 0 days", withTrigger({ type: "customer.winback", days: 0 }), "trigger.days", "Enter a whole number of days of at least 1"],
    ["a win-back without days", withTrigger({ type: "customer.winback" }), "trigger.days", "Enter a whole number of days of at least 1"],
    ["a match that is neither all nor any", { ...valid(), conditions: { match: "some", groups: [] } }, "conditions.match", "Choose all or any"],
    [
      "an empty group",
      { ...valid(), conditions: { match: "all", groups: [{ match: "any", conditions: [] }] } },
      "conditions.groups.0.conditions",
      "Add a condition or remove this group",
    ],
    [
      "a group match that is neither",
      { ...valid(), conditions: { match: "all", groups: [{ match: "one", conditions: [{ field: "order.itemCount", operator: "gte", value: 1 }] }] } },
      "conditions.groups.0.match",
      "Choose all or any",
    ],
    ["an unknown field", withCondition("order.weight", "gte", 1), `${C}.field`, "Choose what to check"],
    ["a list operator on money", withCondition("order.total", "includesAny", ["x"]), `${C}.operator`, "Choose how to compare"],
    ["a comparison on tags", withCondition("customer.tags", "gte", 1), `${C}.operator`, "Choose how to compare"],
    ["in on a number", withCondition("order.itemCount", "in", [1]), `${C}.operator`, "Choose how to compare"],
    ["a money amount that isn't a number", withCondition("order.total", "gte", eur("fifty")), `${C}.value`, "Enter an amount like 50.00"],
    ["a money amount as a float", withCondition("order.total", "gte", { amount: 50, currency: "EUR" }), `${C}.value`, "Enter an amount like 50.00"],
    ["a negative money amount", withCondition("order.total", "gte", eur("-5")), `${C}.value`, "Enter an amount like 50.00"],
    ["too many decimals for EUR", withCondition("order.total", "gte", eur("50.001")), `${C}.value`, "EUR amounts have at most 2 decimals"],
    ["decimals for JPY", withCondition("order.subtotal", "gte", { amount: "10.5", currency: "JPY" }), `${C}.value`, "JPY amounts have no decimals"],
    ["four decimals for KWD", withCondition("order.total", "lt", { amount: "1.2345", currency: "KWD" }), `${C}.value`, "KWD amounts have at most 3 decimals"],
    ["a money value without a currency", withCondition("order.total", "gte", { amount: "50" }), `${C}.value`, "Choose a currency"],
    [
      "a made-up currency code",
      withCondition("order.total", "gte", { amount: "50", currency: "EURO" }),
      `${C}.value`,
      "Use a three-letter currency code like EUR",
    ],
    ["a money value that is a bare number", withCondition("customer.amountSpent", "gte", 50), `${C}.value`, "Enter an amount"],
    [
      "a money range the wrong way round",
      withCondition("order.total", "between", { min: eur("60"), max: eur("50") }),
      `${C}.value`,
      "The minimum can't be above the maximum",
    ],
    [
      "a money range in two currencies",
      withCondition("order.total", "between", { min: eur("10"), max: { amount: "50", currency: "USD" } }),
      `${C}.value`,
      "Use the same currency for both amounts",
    ],
    [
      "a money range with a bad maximum",
      withCondition("order.total", "between", { min: eur("10"), max: eur("x") }),
      `${C}.value`,
      "Maximum: enter an amount like 50.00",
    ],
    ["a range given as one amount", withCondition("order.total", "between", eur("10")), `${C}.value`, "Minimum: enter an amount"],
    ["a negative count", withCondition("order.itemCount", "gte", -1), `${C}.value`, "Enter a whole number of 0 or more"],
    ["a fractional count", withCondition("customer.ordersCount", "eq", 1.5), `${C}.value`, "Enter a whole number of 0 or more"],
    [
      "a count range the wrong way round",
      withCondition("order.itemCount", "between", { min: 5, max: 2 }),
      `${C}.value`,
      "The minimum can't be above the maximum",
    ],
    [
      "a survey score of 11",
      { ...withCondition("survey.score", "lte", 11), trigger: { type: "survey.answered" } },
      `${C}.value`,
      "Enter a whole score from 0 to 10",
    ],
    ["an empty tag list", withCondition("customer.tags", "includesAny", []), `${C}.value`, "Enter at least one tag"],
    ["a blank tag", withCondition("order.productTags", "includesAll", ["  "]), `${C}.value`, "Enter a tag"],
    ["a product that isn't a product id", withCondition("order.products", "includesAny", ["123"]), `${C}.value`, "Choose a product"],
    ["a collection given as a product id", withCondition("order.collections", "includesAny", ["gid://shopify/Product/1"]), `${C}.value`, "Choose a collection"],
    ["no vendors", withCondition("order.vendors", "includesNone", "Acme"), `${C}.value`, "Enter at least one vendor"],
    ["no discount codes", withCondition("order.discountCodes", "includesAny", []), `${C}.value`, "Enter at least one discount code"],
    ["a three-letter country", withCondition("order.shippingCountry", "in", ["SVN"]), `${C}.value`, "Use two-letter country codes like SI"],
    ["a locale with spaces", withCondition("customer.locale", "in", ["sl SI"]), `${C}.value`, "Use language codes like sl or sl-SI"],
    ["no sales channels", withCondition("order.salesChannel", "notIn", []), `${C}.value`, "Choose at least one sales channel"],
    ["a survey score on an order trigger", withCondition("survey.score", "lte", 6), `${C}.field`, "Survey score only works with the Survey answered trigger"],
    ["actions that are not a list", { ...valid(), actions: { type: "wait" } }, "actions", "Add at least one action"],
    ["no actions", withSteps(), "actions", "Add at least one action"],
    ["only waits", withSteps({ type: "wait", params: { amount: 1, unit: "days" } }), "actions", "Add at least one action"],
    [
      "21 steps",
      withSteps(...Array.from({ length: 21 }, () => ({ type: "award_points", params: { mode: "fixed", points: 1 } }))),
      "actions",
      "A flow can have at most 20 steps",
    ],
    ["an unknown action", withStep("send_sms", {}), "actions.0.type", "Choose an action"],
    ["a step without a type", withSteps({ params: {} }), "actions.0.type", "Choose an action"],
    [
      "a wait as the last step",
      withSteps({ type: "award_points", params: { mode: "fixed", points: 1 } }, { type: "wait", params: { amount: 2, unit: "days" } }),
      "actions.1",
      "A flow can't end with a wait",
    ],
    ["0 points", withStep("award_points", { mode: "fixed", points: 0 }), "actions.0.params.points", "Enter a whole number of points of at least 1"],
    ["half a point", withStep("award_points", { mode: "fixed", points: 1.5 }), "actions.0.params.points", "Enter a whole number of points of at least 1"],
    ["points as text", withStep("award_points", { mode: "fixed", points: "10" }), "actions.0.params.points", "Enter a whole number of points of at least 1"],
    ["a million and one points", withStep("award_points", { mode: "fixed", points: 1_000_001 }), "actions.0.params.points", "Enter at most 1,000,000 points"],
    ["no award mode", withStep("award_points", { points: 5 }), "actions.0.params.mode", "Choose how points are awarded"],
    ["no award params at all", withSteps({ type: "award_points" }), "actions.0.params.mode", "Choose how points are awarded"],
    ["points per nothing", withStep("award_points", { mode: "per_currency_unit", points: 1, per: "0.00" }), "actions.0.params.per", "Enter an amount above 0"],
    [
      "points per a malformed amount",
      withStep("award_points", { mode: "per_currency_unit", points: 1, per: "1,00" }),
      "actions.0.params.per",
      "Enter an amount like 50.00",
    ],
    [
      "points per yen with decimals",
      withStep("award_points", { mode: "per_currency_unit", points: 1, per: "1.5", currency: "JPY" }),
      "actions.0.params.per",
      "JPY amounts have no decimals",
    ],
    [
      "a multiplier of 1",
      withStep("award_points", { mode: "multiplier", factor: 1 }),
      "actions.0.params.factor",
      "Enter a multiplier above 1 and up to 10, like 2 or 1.5",
    ],
    [
      "a multiplier of 11",
      withStep("award_points", { mode: "multiplier", factor: 11 }),
      "actions.0.params.factor",
      "Enter a multiplier above 1 and up to 10, like 2 or 1.5",
    ],
    [
      "a multiplier with 3 decimals",
      withStep("award_points", { mode: "multiplier", factor: 1.125 }),
      "actions.0.params.factor",
      "Use at most 2 decimals, like 1.25",
    ],
    [
      "points per amount on a customer trigger",
      { ...withStep("award_points", { mode: "per_currency_unit", points: 1, per: "1" }), trigger: { type: "customer.created" } },
      "actions.0",
      "This step needs an order; choose an order trigger like Order paid",
    ],
    [
      "a review request on a birthday",
      { ...withStep("request_review", {}), trigger: { type: "customer.birthday" } },
      "actions.0",
      "This step needs an order; choose an order trigger like Order paid",
    ],
    [
      "order tags on a tier change",
      { ...withStep("add_order_tags", { tags: ["x"] }), trigger: { type: "tier.changed", direction: "up" } },
      "actions.0",
      "This step needs an order; choose an order trigger like Order paid",
    ],
    [
      "thank-you content on a review",
      { ...withStep("show_thank_you_content", { blocks: ["thank_you"] }), trigger: { type: "review.submitted" } },
      "actions.0",
      "This step needs an order; choose an order trigger like Order paid",
    ],
    ["11 products to review", withStep("request_review", { maxProducts: 11 }), "actions.0.params.maxProducts", "Choose 1 to 10 products"],
    ["no email template", withStep("send_email", {}), "actions.0.params.template", "Choose an email template"],
    ["an email template with spaces", withStep("send_email", { template: "win back" }), "actions.0.params.template", "Choose an email template"],
    [
      "a 201-character subject",
      withStep("send_email", { template: "win-back", subject: "x".repeat(201) }),
      "actions.0.params.subject",
      "Keep the subject to 200 characters or fewer",
    ],
    ["no tags", withStep("add_customer_tags", { tags: [] }), "actions.0.params.tags", "Add at least one tag"],
    ["tags missing", withStep("remove_customer_tags", {}), "actions.0.params.tags", "Add at least one tag"],
    ["21 tags", withStep("add_order_tags", { tags: Array.from({ length: 21 }, (_, i) => `t${i}`) }), "actions.0.params.tags", "Use at most 20 tags"],
    ["a tag with a comma", withStep("add_customer_tags", { tags: ["ok", "a,b"] }), "actions.0.params.tags.1", "Tags can't contain commas"],
    ["a 41-character tag", withStep("add_customer_tags", { tags: ["x".repeat(41)] }), "actions.0.params.tags.0", "Keep each tag to 40 characters or fewer"],
    ["a blank tag in the list", withStep("add_order_tags", { tags: [" "] }), "actions.0.params.tags.0", "Enter a tag"],
    ["no discount kind", withStep("create_reward_discount", { reward: { percent: 10 } }), "actions.0.params.reward.kind", "Choose a kind of discount"],
    ["no reward at all", withStep("create_reward_discount", {}), "actions.0.params.reward", "Choose a kind of discount"],
    [
      "0 percent off",
      withStep("create_reward_discount", { reward: { kind: "percentage", percent: 0 } }),
      "actions.0.params.reward.percent",
      "Enter a whole percentage from 1 to 100",
    ],
    [
      "101 percent off",
      withStep("create_reward_discount", { reward: { kind: "percentage", percent: 101 } }),
      "actions.0.params.reward.percent",
      "Enter a whole percentage from 1 to 100",
    ],
    [
      "a zero amount off",
      withStep("create_reward_discount", { reward: { kind: "fixed_amount", amount: "0" } }),
      "actions.0.params.reward.amount",
      "Enter an amount above 0",
    ],
    [
      "yen with decimals off",
      withStep("create_reward_discount", { reward: { kind: "fixed_amount", amount: "5.5", currency: "JPY" } }),
      "actions.0.params.reward.amount",
      "JPY amounts have no decimals",
    ],
    [
      "a minimum order that isn't an amount",
      withStep("create_reward_discount", { reward: { kind: "free_shipping" }, minimumOrder: "lots" }),
      "actions.0.params.minimumOrder",
      "Enter an amount like 50.00",
    ],
    [
      "a 400-day discount",
      withStep("create_reward_discount", { reward: { kind: "free_shipping" }, expiresInDays: 400 }),
      "actions.0.params.expiresInDays",
      "Enter 1 to 365 days",
    ],
    [
      "approval as text",
      withStep("create_reward_discount", { reward: { kind: "free_shipping" }, requiresApproval: "yes" }),
      "actions.0.params.requiresApproval",
      "Choose yes or no",
    ],
    ["no thank-you blocks", withStep("show_thank_you_content", { blocks: [] }), "actions.0.params.blocks", "Choose at least one block"],
    [
      "an unknown thank-you block",
      withStep("show_thank_you_content", { blocks: ["thank_you", "banner"] }),
      "actions.0.params.blocks.1",
      "Choose a block from the list",
    ],
    ["a survey block without a question", withStep("show_thank_you_content", { blocks: ["survey"] }), "actions.0.params.survey", "Set up the survey question"],
    [
      "a CES survey",
      withStep("show_thank_you_content", { blocks: ["survey"], survey: { questionId: "q1", kind: "ces" } }),
      "actions.0.params.survey.kind",
      "Choose NPS, satisfaction or source",
    ],
    [
      "a survey question id with spaces",
      withStep("show_thank_you_content", { blocks: ["survey"], survey: { questionId: "Q 1", kind: "nps" } }),
      "actions.0.params.survey.questionId",
      "Use lowercase letters, digits, - or _ for the question id",
    ],
    [
      "a 501-character thank-you message",
      withStep("show_thank_you_content", { blocks: ["thank_you"], message: "x".repeat(501) }),
      "actions.0.params.message",
      "Keep the message to 500 characters or fewer",
    ],
    ["an empty notification", withStep("notify_merchant", { message: " " }), "actions.0.params.message", "Enter the message you want to see"],
    ["an error severity", withStep("notify_merchant", { message: "Hi", severity: "error" }), "actions.0.params.severity", "Choose info or warning"],
    [
      "a wait of 0 days",
      withSteps({ type: "wait", params: { amount: 0, unit: "days" } }, { type: "notify_merchant", params: { message: "x" } }),
      "actions.0.params.amount",
      "Enter a whole number of at least 1",
    ],
    [
      "a wait of 366 days",
      withSteps({ type: "wait", params: { amount: 366, unit: "days" } }, { type: "notify_merchant", params: { message: "x" } }),
      "actions.0.params.amount",
      "Wait at most 365",
    ],
    [
      "a wait in weeks",
      withSteps({ type: "wait", params: { amount: 1, unit: "weeks" } }, { type: "notify_merchant", params: { message: "x" } }),
      "actions.0.params.unit",
      "Choose hours or days",
    ],
    [
      "a wait until 25:00",
      withSteps({ type: "wait", params: { amount: 1, unit: "days", at: "25:00" } }, { type: "notify_merchant", params: { message: "x" } }),
      "actions.0.params.at",
      "Enter a time like 10:00",
    ],
    [
      "a wait until 9:00",
      withSteps({ type: "wait", params: { amount: 1, unit: "days", at: "9:00" } }, { type: "notify_merchant", params: { message: "x" } }),
      "actions.0.params.at",
      "Enter a time like 10:00",
    ],
    [
      "a time of day on an hours wait",
      withSteps({ type: "wait", params: { amount: 3, unit: "hours", at: "10:00" } }, { type: "notify_merchant", params: { message: "x" } }),
      "actions.0.params.at",
      "A time of day only works with a wait in days",
    ],
  ])("GIVEN %s THEN %s: %s", (_name, definition, key, message) => {
    const result = parseFlowDefinition(definition);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors[key]).toBe(message);
  });

  it("GIVEN several problems THEN each field gets its own error", () => {
    const result = parseFlowDefinition({
      schemaVersion: 1,
      trigger: { type: "order.nth", n: 1 },
      conditions: {
        match: "all",
        groups: [{ match: "all", conditions: [{ field: "order.total", operator: "gte", value: { amount: "50.001", currency: "EUR" } }] }],
      },
      actions: [
        { type: "award_points", params: { mode: "fixed", points: 0 } },
        { type: "wait", params: { amount: 1, unit: "hours", at: "10:00" } },
      ],
    });
    expect(result).toEqual({
      ok: false,
      errors: {
        "trigger.n": "Enter a whole number of 2 or more (use First order for 1)",
        "conditions.groups.0.conditions.0.value": "EUR amounts have at most 2 decimals",
        "actions.0.params.points": "Enter a whole number of points of at least 1",
        "actions.1.params.at": "A time of day only works with a wait in days",
        "actions.1": "A flow can't end with a wait",
      },
    });
  });
});

describe("parseFlowDefinition accepts", () => {
  it("GIVEN a valid definition THEN it comes back with defaults filled in and values tidied", () => {
    const result = parseFlowDefinition({
      schemaVersion: 1,
      trigger: { type: "order.first" },
      conditions: {
        groups: [
          {
            conditions: [
              { field: "order.total", operator: "between", value: { min: { amount: " 10 ", currency: "eur" }, max: { amount: "99.99", currency: "EUR" } } },
              { field: "order.shippingCountry", operator: "in", value: ["si", "HR"] },
            ],
          },
        ],
      },
      actions: [
        { type: "request_review" },
        { type: "send_email", params: { template: "thank-you", subject: "" } },
        { type: "add_customer_tags", params: { tags: [" VIP ", "vip", "Gold"] } },
        { type: "create_reward_discount", params: { reward: { kind: "fixed_amount", amount: "5", currency: "usd" } } },
        { type: "wait", params: { amount: 2, unit: "days", at: "09:30" } },
        { type: "notify_merchant", params: { message: "  First order!  " } },
      ],
    });
    expect(result).toEqual({
      ok: true,
      definition: {
        schemaVersion: 1,
        trigger: { type: "order.first", on: "paid" },
        conditions: {
          match: "all",
          groups: [
            {
              match: "all",
              conditions: [
                { field: "order.total", operator: "between", value: { min: { amount: "10", currency: "EUR" }, max: { amount: "99.99", currency: "EUR" } } },
                { field: "order.shippingCountry", operator: "in", value: ["SI", "HR"] },
              ],
            },
          ],
        },
        actions: [
          { type: "request_review", params: { maxProducts: 3 } },
          { type: "send_email", params: { template: "thank-you" } },
          { type: "add_customer_tags", params: { tags: ["VIP", "Gold"] } },
          {
            type: "create_reward_discount",
            params: { reward: { kind: "fixed_amount", amount: "5", currency: "USD" }, expiresInDays: 30, emailToCustomer: false, requiresApproval: false },
          },
          { type: "wait", params: { amount: 2, unit: "days", at: "09:30" } },
          { type: "notify_merchant", params: { message: "First order!", severity: "info" } },
        ],
      },
    });
  });

  it.each<[string, unknown]>([
    ["a tier trigger without a direction", { type: "tier.changed" }],
    ["a review trigger with equal bounds", { type: "review.submitted", minRating: 3, maxRating: 3 }],
    ["a survey trigger for any question", { type: "survey.answered", questionId: "" }],
    ["a refund trigger", { type: "order.refunded" }],
  ])("GIVEN %s THEN it parses", (_name, trigger) => {
    expect(parseFlowDefinition({ ...valid(), trigger }).ok).toBe(true);
  });

  it("GIVEN a survey score condition on the survey trigger THEN it parses", () => {
    const result = parseFlowDefinition({ ...withCondition("survey.score", "lte", 6), trigger: { type: "survey.answered" } });
    expect(result.ok).toBe(true);
  });

  it("GIVEN a definition with no conditions key THEN it means no conditions", () => {
    const result = parseFlowDefinition({ schemaVersion: 1, trigger: { type: "order.paid" }, actions: [{ type: "request_review" }] });
    expect(result.ok && result.definition.conditions).toEqual({ match: "all", groups: [] });
  });

  it("GIVEN the blank definition THEN the only thing missing is an action", () => {
    expect(parseFlowDefinition(blankFlowDefinition())).toEqual({ ok: false, errors: { actions: "Add at least one action" } });
  });
});

describe("an email step's values come from the trigger and the steps before it", () => {
  const reward = (params: Record<string, unknown> = {}) => ({
    type: "create_reward_discount",
    params: { reward: { kind: "percentage", percent: 15 }, ...params },
  });
  const email = (template: string) => ({ type: "send_email", params: { template } });
  const winback = (...actions: unknown[]) => ({ ...valid(), trigger: { type: "customer.winback", days: 90 }, actions });

  it("GIVEN a reward step before the win-back email THEN the flow saves", () => {
    expect(parseFlowDefinition(winback(reward(), email("win-back"))).ok).toBe(true);
  });

  it.each<[string, unknown[], string]>([
    ["no reward step at all", [email("win-back")], "actions.0.params.template"],
    ["the reward step after the email", [email("win-back"), reward()], "actions.0.params.template"],
    ["a reward that waits for approval", [reward({ requiresApproval: true }), email("win-back")], "actions.1.params.template"],
    [
      "a reward-code email with only a points step",
      [{ type: "award_points", params: { mode: "fixed", points: 5 } }, email("reward-code")],
      "actions.1.params.template",
    ],
  ])("GIVEN %s THEN the email step's template is refused, naming what is missing", (_name, actions, key) => {
    const result = parseFlowDefinition(winback(...actions));
    expect(result.ok).toBe(false);
    const errors = result.ok ? {} : result.errors;
    expect(Object.keys(errors)).toEqual([key]);
    expect(errors[key]).toMatch(/shows a reward code and the reward's value, which this flow does not make before it: add a "Create a reward discount" step/);
  });

  it("GIVEN the points-expiring email in a flow THEN it is refused: no step knows when points expire", () => {
    const result = parseFlowDefinition(withStep("send_email", { template: "points-expiring" }));
    expect(result).toEqual({
      ok: false,
      errors: {
        "actions.0.params.template":
          'The "points-expiring" email shows the date the customer\'s points expire, which this flow does not make before it: no step of a flow provides it',
      },
    });
  });

  it("GIVEN the points-balance email THEN any trigger gives it the balance", () => {
    expect(parseFlowDefinition(withStep("send_email", { template: "points-balance" })).ok).toBe(true);
  });
});

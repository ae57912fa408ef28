// The referral fraud rules and the decision at the end of the refund window, by table.
import { describe, expect, it } from "vitest";
import { checkReferral, normaliseEmail, rewardDecision, type ReferralFacts } from "~/referrals/fraud";

describe("normaliseEmail", () => {
  it.each([
    ["Maja@Example.si", "maja@example.si"],
    [" maja+shop@example.si ", "maja@example.si"],
    ["m.a.j.a+x@gmail.com", "maja@gmail.com"],
    ["maja@googlemail.com", "maja@gmail.com"],
    ["m.aja@example.si", "m.aja@example.si"], // dots only matter outside Gmail
    ["not-an-address", null],
    ["@example.si", null],
    ["maja@localhost", null],
    ["", null],
    [null, null],
  ])("%j → %j", (input, expected) => {
    expect(normaliseEmail(input)).toBe(expected);
  });
});

const facts = (
  patch: { advocate?: Partial<ReferralFacts["advocate"]>; friend?: Partial<ReferralFacts["friend"]>; code?: Partial<ReferralFacts["code"]> } = {},
): ReferralFacts => ({
  advocate: { customerGid: "gid://shopify/Customer/1", emails: ["maja@example.si"], shippingKeys: ["key-maja"], ...patch.advocate },
  friend: { customerGid: "gid://shopify/Customer/2", email: "jan@example.si", shippingKey: "key-jan", earlierPaidOrders: 0, ...patch.friend },
  code: { usageLimit: 20, referralsSoFar: 3, ...patch.code },
});

describe("checkReferral", () => {
  it.each([
    ["a new friend", facts(), null],
    ["the advocate themself", facts({ friend: { customerGid: "gid://shopify/Customer/1" } }), "self_referral_customer"],
    ["the advocate's e-mail in another case", facts({ friend: { email: "MAJA@example.si" } }), "self_referral_email"],
    ["the advocate's e-mail with a +tag", facts({ friend: { email: "maja+2@example.si" } }), "self_referral_email"],
    [
      "one of the advocate's other e-mails",
      facts({ advocate: { emails: ["maja@example.si", "maja.work@example.com"] }, friend: { email: "maja.work@example.com" } }),
      "self_referral_email",
    ],
    ["the advocate's shipping address", facts({ friend: { shippingKey: "key-maja" } }), "self_referral_address"],
    ["an unknown shipping address", facts({ friend: { shippingKey: null }, advocate: { shippingKeys: [] } }), null],
    ["a guest friend (no customer, no e-mail)", facts({ friend: { customerGid: null, email: null } }), null],
    ["a code at its limit", facts({ code: { usageLimit: 3, referralsSoFar: 3 } }), "code_limit"],
    ["a code one below its limit", facts({ code: { usageLimit: 4, referralsSoFar: 3 } }), null],
    ["a returning customer", facts({ friend: { earlierPaidOrders: 2 } }), "not_a_new_customer"],
    [
      "self-referral and over the limit (self-referral reported)",
      facts({ friend: { customerGid: "gid://shopify/Customer/1" }, code: { referralsSoFar: 99 } }),
      "self_referral_customer",
    ],
  ])("GIVEN %s THEN %s", (_name, input, rule) => {
    const check = checkReferral(input);
    expect(check.ok ? null : check.rule).toBe(rule);
    if (!check.ok) expect(check.reason.length).toBeGreaterThan(10);
  });
});

describe("rewardDecision", () => {
  const due = 1_000_000;
  const paid = { paid: true, cancelled: false, totalMinor: 3600, refundedMinor: 0 };
  it.each([
    ["before the window ends", paid, due - 1, { action: "wait", untilMs: due }],
    ["at the end, paid", paid, due, { action: "reward", revenueMinor: 3600 }],
    ["partly refunded", { ...paid, refundedMinor: 1000 }, due, { action: "reward", revenueMinor: 2600 }],
    ["refunded in full", { ...paid, refundedMinor: 3600 }, due, { action: "reject", rule: "refunded" }],
    ["cancelled", { ...paid, cancelled: true }, due, { action: "reject", rule: "cancelled" }],
    ["never paid", { ...paid, paid: false }, due, { action: "reject", rule: "not_paid" }],
    ["a free order (nothing to refund)", { ...paid, totalMinor: 0 }, due, { action: "reward", revenueMinor: 0 }],
    ["gone", null, due, { action: "reject", rule: "order_unknown" }],
  ])("GIVEN %s THEN %j", (_name, order, at, expected) => {
    expect(rewardDecision(order, due, at)).toMatchObject(expected);
  });
});

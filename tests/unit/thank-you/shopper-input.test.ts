// What the shopper API takes from an extension: order ids, the token's customer, birthdays. Tables of good and
// bad input.
import { describe, expect, it } from "vitest";
import { parseBirthday } from "~/thank-you/birthday";
import { customerGidFrom, orderGidFrom } from "~/thank-you/order-id";

describe("orderGidFrom", () => {
  it.each([
    ["gid://shopify/OrderIdentity/820982911946154508", "gid://shopify/Order/820982911946154508"],
    ["gid://shopify/Order/820982911946154508", "gid://shopify/Order/820982911946154508"],
    ["820982911946154508", "gid://shopify/Order/820982911946154508"],
    [" gid://shopify/Order/12 ", "gid://shopify/Order/12"],
    ["gid://shopify/Product/12", null],
    ["gid://shopify/Order/", null],
    ["gid://shopify/Order/0", null],
    ["gid://shopify/Order/12abc", null],
    ["123456789012345678901", null],
    ["", null],
    [12, null],
    [null, null],
  ] as const)("%j → %j", (input, expected) => {
    expect(orderGidFrom(input)).toBe(expected);
  });
});

describe("customerGidFrom (the session token's sub)", () => {
  it.each([
    ["gid://shopify/Customer/7", "gid://shopify/Customer/7"],
    ["7", null], // an admin user id, not a customer
    ["gid://shopify/StaffMember/7", null],
    ["", null],
    [undefined, null],
  ] as const)("%j → %j", (sub, expected) => {
    expect(customerGidFrom(sub)).toBe(expected);
  });
});

describe("parseBirthday", () => {
  it.each([
    ["03-14", "03-14"],
    ["02-29", "02-29"],
    ["12-31", "12-31"],
    [" 01-01 ", "01-01"],
    ["02-30", null],
    ["04-31", null],
    ["13-01", null],
    ["00-10", null],
    ["3-14", null],
    ["1990-03-14", null],
    ["", null],
    [314, null],
  ] as const)("%j → %j", (input, expected) => {
    expect(parseBirthday(input)).toBe(expected);
  });
});

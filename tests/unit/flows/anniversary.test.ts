import { describe, expect, it } from "vitest";
import { anniversariesOn, anniversaryEventKey, celebratedOn } from "~/flows/anniversary";

const LJ = "Europe/Ljubljana";
const first = (customerGid: string, iso: string) => ({ customerGid, firstOrderAt: new Date(iso) });

describe("anniversariesOn", () => {
  it.each([
    ["two years to the day", "2024-03-15T10:00:00Z", "2026-03-15T08:00:00Z", 2],
    ["the day before", "2024-03-15T10:00:00Z", "2026-03-14T08:00:00Z", null],
    ["the same day of the first order's own year", "2026-03-15T07:00:00Z", "2026-03-15T20:00:00Z", null],
    // 22:30 UTC on 30 June is 00:30 on 1 July in Ljubljana: the anniversary is 1 July, in the shop's zone.
    ["a first order just after local midnight, on the UTC day before", "2024-06-30T22:30:00Z", "2025-06-30T12:00:00Z", null],
    ["… celebrated on the local day", "2024-06-30T22:30:00Z", "2025-07-01T10:00:00Z", 1],
    ["… from local midnight (still 30 June in UTC)", "2024-06-30T22:30:00Z", "2025-06-30T22:30:00Z", 1],
    ["29 Feb on 28 Feb in a year without one", "2024-02-29T10:00:00Z", "2025-02-28T10:00:00Z", 1],
    ["29 Feb not on 1 Mar", "2024-02-29T10:00:00Z", "2025-03-01T10:00:00Z", null],
    ["29 Feb not on 28 Feb in a leap year", "2024-02-29T10:00:00Z", "2028-02-28T10:00:00Z", null],
    ["29 Feb on 29 Feb in a leap year", "2024-02-29T10:00:00Z", "2028-02-29T10:00:00Z", 4],
    ["a 28 Feb first order on 28 Feb only (not twice)", "2023-02-28T10:00:00Z", "2025-02-28T10:00:00Z", 2],
  ])("GIVEN %s THEN %s", (_name, firstAt, at, years) => {
    const found = anniversariesOn(new Date(at), LJ, [first("gid://shopify/Customer/1", firstAt)]);
    if (years === null) expect(found).toEqual([]);
    else expect(found).toEqual([{ customerGid: "gid://shopify/Customer/1", firstOrderAt: new Date(firstAt), years, year: Number(at.slice(0, 4)) }]);
  });

  it("GIVEN several customers THEN only today's, each with their years", () => {
    const at = new Date("2026-05-10T09:00:00Z");
    const found = anniversariesOn(at, LJ, [
      first("gid://shopify/Customer/1", "2020-05-10T09:00:00Z"),
      first("gid://shopify/Customer/2", "2025-05-10T09:00:00Z"),
      first("gid://shopify/Customer/3", "2025-05-11T09:00:00Z"),
    ]);
    expect(found.map((a) => [a.customerGid, a.years])).toEqual([
      ["gid://shopify/Customer/1", 6],
      ["gid://shopify/Customer/2", 1],
    ]);
  });

  it("GIVEN the key THEN once per customer and year", () => {
    expect(anniversaryEventKey("gid://shopify/Customer/1", 2026)).toBe("customer.anniversary:gid://shopify/Customer/1:2026");
    expect(celebratedOn(new Date("2027-02-28T12:00:00Z"), LJ)).toEqual({ year: 2027, days: ["02-28", "02-29"] });
  });
});

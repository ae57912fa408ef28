import { describe, expect, it } from "vitest";
import { perksForTierChange } from "~/loyalty/tier-perks";

const TIERS = [
  { handle: "member", name: "Member", entryPoints: 0, freeShipping: false },
  { handle: "silver", name: "Silver", entryPoints: 50, freeShipping: true },
  { handle: "gold", name: "Gold", entryPoints: 300, freeShipping: false },
];
const C = "gid://shopify/Customer/1";

describe("perksForTierChange", () => {
  it.each([
    [
      "up into Silver",
      { to: "silver", direction: "up" },
      { handle: "silver", points: 50, freeShipping: true, pointsKey: `tier-entry:${C}:silver`, freeShippingKey: `tier-free-shipping:${C}:silver` },
    ],
    ["up into Gold (skipping Silver): Gold's perks only", { to: "gold", direction: "up" }, { handle: "gold", points: 300, freeShipping: false }],
    ["down into Silver", { to: "silver", direction: "down" }, null],
    ["out of every tier", { to: null, direction: "down" }, null],
    ["up into a tier without perks", { to: "member", direction: "up" }, null],
    ["up into a tier that no longer exists", { to: "platinum", direction: "up" }, null],
  ])("GIVEN a move %s THEN %j", (_name, change, expected) => {
    const grant = perksForTierChange({ customerGid: C, ...change }, TIERS);
    if (expected === null) expect(grant).toBeNull();
    else expect(grant).toMatchObject(expected);
  });

  it("GIVEN the same customer and tier THEN the same keys (the ledger and reward codes hold one of each)", () => {
    const first = perksForTierChange({ customerGid: C, to: "silver", direction: "up" }, TIERS);
    const again = perksForTierChange({ customerGid: C, to: "silver", direction: "up" }, TIERS);
    expect([again?.pointsKey, again?.freeShippingKey]).toEqual([first?.pointsKey, first?.freeShippingKey]);
  });
});

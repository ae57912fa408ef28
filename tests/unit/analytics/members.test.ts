// Loyalty members vs the other customers of a period, on hand-computed cases.
import { describe, expect, it } from "vitest";
import { memberComparison, type CustomerTally } from "~/analytics/members";

const t = (member: boolean, orders: number, netSalesMinor: number, ordersToDate: number): CustomerTally => ({ member, orders, netSalesMinor, ordersToDate });

describe("memberComparison", () => {
  it("GIVEN three members and two others THEN each side's repeat rate and AOV are its own", () => {
    const result = memberComparison(
      [
        t(true, 2, 5000, 2), // two orders in the period: a repeat customer
        t(true, 1, 1999, 3), // one order now, two before: repeat
        t(true, 1, 1000, 1), // first and only order: not repeat
        t(false, 1, 4000, 1),
        t(false, 1, 2001, 1),
      ],
      "EUR",
    );
    // Members: 4 orders, 79.99; AOV 7999 / 4 = 1999.75 → 2000 (half up); repeat 2 / 3 = 0.6667.
    expect(result.members).toEqual({ customers: 3, orders: 4, netSales: "79.99", averageOrderValue: "20.00", repeatCustomers: 2, repeatCustomerRate: 0.6667 });
    // Others: 2 orders, 60.01; AOV 6001 / 2 = 3000.5 → 3001; nobody repeats.
    expect(result.nonMembers).toEqual({ customers: 2, orders: 2, netSales: "60.01", averageOrderValue: "30.01", repeatCustomers: 0, repeatCustomerRate: 0 });
  });

  it("GIVEN no members THEN their side is empty: no AOV and no rate (null, not 0)", () => {
    const result = memberComparison([t(false, 3, 900, 3)], "JPY");
    expect(result.members).toEqual({ customers: 0, orders: 0, netSales: "0", averageOrderValue: null, repeatCustomers: 0, repeatCustomerRate: null });
    expect(result.nonMembers).toEqual({ customers: 1, orders: 3, netSales: "900", averageOrderValue: "300", repeatCustomers: 1, repeatCustomerRate: 1 });
  });

  it("GIVEN a tally without orders in the period THEN it is not one of the period's customers", () => {
    const result = memberComparison([t(true, 0, 0, 5), t(true, 1, 1250, 1)], "KWD");
    expect(result.members).toMatchObject({ customers: 1, orders: 1, netSales: "1.250", averageOrderValue: "1.250", repeatCustomerRate: 0 });
  });

  it("GIVEN a fully refunded order (net sales 0) THEN it still counts as an order and lowers the AOV", () => {
    const result = memberComparison([t(true, 1, 0, 1), t(true, 1, 3000, 2)], "EUR");
    expect(result.members).toMatchObject({ orders: 2, netSales: "30.00", averageOrderValue: "15.00", repeatCustomerRate: 0.5 });
  });
});

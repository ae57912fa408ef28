// Loyalty members against everyone else, for one period, without I/O. A member is a customer with a loyalty
// account or any entry in the points ledger (app/loyalty); guests are neither. For each side, by the METRICS.md
// rules the KPI cards use: the customers who ordered in the period, their orders and net sales there, average
// order value (net sales ÷ orders, rounded half up to the minor unit) and repeat customer rate (customers with
// ≥ 2 qualifying orders dated on or before the period's end ÷ customers). Money in minor units, decimal strings
// out. Pure.
import { minorToDecimal } from "~/lib/money-format";
import { ratio, roundHalfUp } from "./rounding";

/** One customer who ordered in the period: qualifying orders only. */
export interface CustomerTally {
  member: boolean;
  /** Orders dated in the period and their net sales (minor units). */
  orders: number;
  netSalesMinor: number;
  /** Orders dated on or before the period's end (the period's included). */
  ordersToDate: number;
}

export interface GroupFigures {
  customers: number;
  orders: number;
  netSales: string;
  averageOrderValue: string | null;
  repeatCustomers: number;
  repeatCustomerRate: number | null;
}

export interface MemberComparison {
  members: GroupFigures;
  nonMembers: GroupFigures;
}

function group(tallies: CustomerTally[], currency: string): GroupFigures {
  let orders = 0;
  let sales = 0;
  let repeat = 0;
  let customers = 0;
  for (const t of tallies) {
    if (t.orders <= 0) continue; // did not order in the period: not one of its customers
    customers += 1;
    orders += t.orders;
    sales += t.netSalesMinor;
    if (t.ordersToDate >= 2) repeat += 1;
  }
  return {
    customers,
    orders,
    netSales: minorToDecimal(sales, currency),
    averageOrderValue: orders === 0 ? null : minorToDecimal(roundHalfUp(sales, orders), currency),
    repeatCustomers: repeat,
    repeatCustomerRate: ratio(repeat, customers),
  };
}

export function memberComparison(tallies: Iterable<CustomerTally>, currency: string): MemberComparison {
  const all = [...tallies];
  return {
    members: group(
      all.filter((t) => t.member),
      currency,
    ),
    nonMembers: group(
      all.filter((t) => !t.member),
      currency,
    ),
  };
}

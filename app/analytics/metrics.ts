// The retention metrics of ../shared/METRICS.md for one period, from a shop's orders. One pass over the orders,
// then one over the customers: linear in the shop's history, so a dashboard can afford it. Pure.
import { minorToDecimal } from "~/lib/money-format";
import { addDays, dateOfDay, dayNumber, InvalidDateError, monthNumber, monthOf, monthOfNumber, type CalendarDate, type CalendarMonth } from "./calendar";
import { ratio, roundHalfUp } from "./rounding";

export interface MetricOrder {
  /** processedAt as a calendar date in the shop's time zone. */
  date: CalendarDate;
  /** The customer's GID; null for a guest checkout. */
  customerId: string | null;
  /** currentSubtotalPriceSet.shopMoney in the shop currency's minor units. */
  netSalesMinor: number;
  test: boolean;
  /** Cancelled at any time (cancelledAt set). */
  cancelled: boolean;
}

export interface Period {
  from: CalendarDate;
  to: CalendarDate;
}

export interface Cohort {
  month: CalendarMonth;
  customers: number;
  /** retained[k - 1] = share of the cohort with a qualifying order in month + k. */
  retained: number[];
}

export interface RetentionMetrics {
  from: CalendarDate;
  to: CalendarDate;
  currency: string;
  orders: number;
  netSales: string;
  averageOrderValue: string | null;
  customers: number;
  newCustomers: number;
  returningCustomers: number;
  customersAtStart: number;
  customersAtEnd: number;
  retentionRate: number | null;
  churnRate: number | null;
  repeatCustomerRate: number | null;
  purchaseFrequency: number | null;
  averageCustomerLifetimeValue: string | null;
  cohorts: Cohort[];
}

export const DEFAULT_ACTIVITY_WINDOW_DAYS = 365;

export class InvalidPeriodError extends Error {
  override name = "InvalidPeriodError";
}

/** Checks a period (real dates, from ≤ to) and returns its day numbers; throws InvalidPeriodError otherwise. */
export function periodDays(period: Period): { from: number; to: number } {
  try {
    const from = dayNumber(period.from);
    const to = dayNumber(period.to);
    if (from > to) throw new InvalidPeriodError(`from (${period.from}) is after to (${period.to})`);
    return { from, to };
  } catch (error) {
    if (error instanceof InvalidDateError) throw new InvalidPeriodError(error.message);
    throw error;
  }
}

/** The period of the same length that ends the day before `period` starts ("compare to previous period"). */
export function previousPeriod(period: Period): Period {
  const { from, to } = periodDays(period);
  const length = to - from + 1;
  return { from: addDays(period.from, -length), to: addDays(period.from, -1) };
}

/**
 * What the metrics of a period are made of: counts and sums only, so a database can compute them (the loader
 * does, in SQL) and `metricsFromCounts` turns them into the figures with the page's rounding and null rules.
 */
export interface PeriodCounts {
  /** Qualifying orders dated in P, guests included, their net sales, and those of them with a customer. */
  orders: number;
  netSalesMinor: number;
  ordersWithCustomer: number;
  /** Customers with an order in P; of them, those whose first qualifying order is in P, and those with ≥ 2 orders up to `to`. */
  customers: number;
  newCustomers: number;
  repeatCustomers: number;
  /** Customers active on the day before `from`, on `to`, and on the first but not the second. */
  activeAtStart: number;
  activeAtEnd: number;
  churned: number;
  /** Customers with an order up to `to`, and the net sales of those orders. */
  lifetimeCustomers: number;
  lifetimeSalesMinor: number;
  /** Per month of the period with first-time customers: how many, and how many of them ordered in each later month of the period. */
  cohorts: { month: CalendarMonth; customers: number; activeLater: number[] }[];
}

interface CustomerTally {
  firstDay: number;
  inPeriod: boolean;
  ordersToDate: number;
  salesToDate: number;
  activeAtStart: boolean;
  activeAtEnd: boolean;
  /** Month numbers (within the months of the period) in which the customer ordered. */
  months: Set<number>;
}

/** The activity window in days, checked (a whole number ≥ 1; 365 by default). */
export function activityWindow(days: number | undefined): number {
  const window = days ?? DEFAULT_ACTIVITY_WINDOW_DAYS;
  if (!Number.isInteger(window) || window < 1) throw new InvalidPeriodError("the activity window must be a whole number of days ≥ 1");
  return window;
}

export function retentionMetrics(orders: Iterable<MetricOrder>, period: Period, options: { currency: string; activityWindowDays?: number }): RetentionMetrics {
  return metricsFromCounts(periodCounts(orders, period, options.activityWindowDays), period, options);
}

/** The counts of `period` from a shop's orders: one pass over the orders, then one over the customers. */
export function periodCounts(orders: Iterable<MetricOrder>, period: Period, activityWindowDays?: number): PeriodCounts {
  const { from, to } = periodDays(period);
  const window = activityWindow(activityWindowDays);
  const startDay = from - 1;
  const firstMonth = monthNumber(monthOf(period.from));
  const lastMonth = monthNumber(monthOf(period.to));

  const dayCache = new Map<string, number>();
  const dayOf = (date: string) => {
    let day = dayCache.get(date);
    if (day === undefined) dayCache.set(date, (day = dayNumber(date)));
    return day;
  };

  let orderCount = 0;
  let netSales = 0;
  let ordersWithCustomer = 0;
  const tallies = new Map<string, CustomerTally>();

  for (const order of orders) {
    if (order.test || order.cancelled) continue;
    const day = dayOf(order.date);
    const inPeriod = day >= from && day <= to;
    if (inPeriod) {
      orderCount += 1;
      netSales += order.netSalesMinor;
    }
    if (order.customerId === null) continue;
    if (inPeriod) ordersWithCustomer += 1;
    let tally = tallies.get(order.customerId);
    if (!tally) {
      tally = { firstDay: day, inPeriod: false, ordersToDate: 0, salesToDate: 0, activeAtStart: false, activeAtEnd: false, months: new Set() };
      tallies.set(order.customerId, tally);
    }
    if (day < tally.firstDay) tally.firstDay = day;
    if (inPeriod) tally.inPeriod = true;
    if (day <= to) {
      tally.ordersToDate += 1;
      tally.salesToDate += order.netSalesMinor;
    }
    if (day <= startDay && day > startDay - window) tally.activeAtStart = true;
    if (day <= to && day > to - window) tally.activeAtEnd = true;
    const month = monthNumber(monthOf(order.date));
    if (month >= firstMonth && month <= lastMonth) tally.months.add(month);
  }

  const counts: PeriodCounts = {
    orders: orderCount,
    netSalesMinor: netSales,
    ordersWithCustomer,
    customers: 0,
    newCustomers: 0,
    repeatCustomers: 0,
    activeAtStart: 0,
    activeAtEnd: 0,
    churned: 0,
    lifetimeCustomers: 0,
    lifetimeSalesMinor: 0,
    cohorts: [],
  };
  const cohortMembers = new Map<number, CustomerTally[]>();
  for (const tally of tallies.values()) {
    if (tally.inPeriod) {
      counts.customers += 1;
      if (tally.firstDay >= from) counts.newCustomers += 1;
      if (tally.ordersToDate >= 2) counts.repeatCustomers += 1;
    }
    if (tally.activeAtStart) {
      counts.activeAtStart += 1;
      if (!tally.activeAtEnd) counts.churned += 1;
    }
    if (tally.activeAtEnd) counts.activeAtEnd += 1;
    if (tally.ordersToDate > 0) {
      counts.lifetimeCustomers += 1;
      counts.lifetimeSalesMinor += tally.salesToDate;
    }
    const firstMonthOfCustomer = monthNumber(monthOf(dateOfDay(tally.firstDay)));
    if (firstMonthOfCustomer >= firstMonth && firstMonthOfCustomer <= lastMonth) {
      const members = cohortMembers.get(firstMonthOfCustomer) ?? [];
      members.push(tally);
      cohortMembers.set(firstMonthOfCustomer, members);
    }
  }

  counts.cohorts = [...cohortMembers.keys()]
    .sort((a, b) => a - b)
    .map((month) => {
      const members = cohortMembers.get(month) ?? [];
      const activeLater: number[] = [];
      for (let later = month + 1; later <= lastMonth; later++) activeLater.push(members.filter((member) => member.months.has(later)).length);
      return { month: monthOfNumber(month), customers: members.length, activeLater };
    });
  return counts;
}

/** The figures of METRICS.md from a period's counts: money as decimal strings, rates rounded half up, nulls for 0 divisors. */
export function metricsFromCounts(counts: PeriodCounts, period: Period, options: { currency: string; activityWindowDays?: number }): RetentionMetrics {
  const { from, to } = periodDays(period);
  const window = activityWindow(options.activityWindowDays);
  const currency = options.currency;
  const money = (minor: number) => minorToDecimal(minor, currency);
  const { orders, netSalesMinor, customers, newCustomers } = counts;
  return {
    from: period.from,
    to: period.to,
    currency,
    orders,
    netSales: money(netSalesMinor),
    averageOrderValue: orders === 0 ? null : money(roundHalfUp(netSalesMinor, orders)),
    customers,
    newCustomers,
    returningCustomers: customers - newCustomers,
    customersAtStart: counts.activeAtStart,
    customersAtEnd: counts.activeAtEnd,
    retentionRate: to - from + 1 > window ? null : ratio(counts.activeAtEnd - newCustomers, counts.activeAtStart),
    churnRate: ratio(counts.churned, counts.activeAtStart),
    repeatCustomerRate: ratio(counts.repeatCustomers, customers),
    purchaseFrequency: ratio(counts.ordersWithCustomer, customers),
    averageCustomerLifetimeValue: counts.lifetimeCustomers === 0 ? null : money(roundHalfUp(counts.lifetimeSalesMinor, counts.lifetimeCustomers)),
    cohorts: counts.cohorts
      .filter((cohort) => cohort.customers > 0)
      .map((cohort) => ({ month: cohort.month, customers: cohort.customers, retained: cohort.activeLater.map((n) => ratio(n, cohort.customers) ?? 0) })),
  };
}

export interface SurveyScore {
  date: CalendarDate;
  score: number;
}

/** NPS of the answers dated in the period: % promoters (9–10) − % detractors (0–6), rounded to a whole number. */
export function netPromoterScore(answers: Iterable<SurveyScore>, period: Period): { nps: number | null; answers: number; distribution: number[] } {
  const { from, to } = periodDays(period);
  const distribution = new Array<number>(11).fill(0);
  let count = 0;
  let promoters = 0;
  let detractors = 0;
  for (const answer of answers) {
    const day = dayNumber(answer.date);
    if (day < from || day > to || !Number.isInteger(answer.score) || answer.score < 0 || answer.score > 10) continue;
    count += 1;
    distribution[answer.score] = (distribution[answer.score] ?? 0) + 1;
    if (answer.score >= 9) promoters += 1;
    else if (answer.score <= 6) detractors += 1;
  }
  return { nps: count === 0 ? null : roundHalfUp((promoters - detractors) * 100, count), answers: count, distribution };
}

/** CSAT of the answers dated in the period: the share of 4s and 5s on a 1–5 scale. */
export function customerSatisfaction(answers: Iterable<SurveyScore>, period: Period): { csat: number | null; answers: number; distribution: number[] } {
  const { from, to } = periodDays(period);
  const distribution = new Array<number>(5).fill(0);
  let count = 0;
  let satisfied = 0;
  for (const answer of answers) {
    const day = dayNumber(answer.date);
    if (day < from || day > to || !Number.isInteger(answer.score) || answer.score < 1 || answer.score > 5) continue;
    count += 1;
    distribution[answer.score - 1] = (distribution[answer.score - 1] ?? 0) + 1;
    if (answer.score >= 4) satisfied += 1;
  }
  return { csat: ratio(satisfied, count), answers: count, distribution };
}

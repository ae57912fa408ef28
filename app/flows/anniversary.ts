// First-order anniversaries (the `customer.anniversary` flow trigger, recorded by the daily scan beside birthdays).
// Pure: which customers celebrate today, in the shop's time zone.
//
// The rules:
// - A customer's first order is their earliest order that is not cancelled (imported history included): an order
//   that was cancelled never started the relationship, so the next one counts.
// - The anniversary is that order's month and day in the shop's time zone, from the first full year on.
// - A first order on 29 February is celebrated on 28 February in years without one (as birthdays are).
// - Once per customer and year: the event's key carries the year.
import { localDateTime } from "~/lib/time/zoned-time";

const pad = (n: number) => String(n).padStart(2, "0");
const isLeap = (year: number) => (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;

/** The local date in `timeZone` at `at`: year and "MM-DD". */
export function localMonthDay(at: Date, timeZone: string): { year: number; monthDay: string } {
  const local = localDateTime(at.getTime(), timeZone);
  return { year: local.year, monthDay: `${pad(local.month)}-${pad(local.day)}` };
}

/** The month-days celebrated today (29 Feb also on 28 Feb off leap years). */
export function celebratedOn(at: Date, timeZone: string): { year: number; days: string[] } {
  const { year, monthDay } = localMonthDay(at, timeZone);
  return { year, days: monthDay === "02-28" && !isLeap(year) ? ["02-28", "02-29"] : [monthDay] };
}

export interface FirstOrder {
  customerGid: string;
  /** When the customer's first non-cancelled order was placed. */
  firstOrderAt: Date;
}

export interface Anniversary extends FirstOrder {
  /** Whole years since the first order (1 on the first anniversary). */
  years: number;
  year: number;
}

/** The customers whose first-order anniversary is today in the shop's time zone. */
export function anniversariesOn(at: Date, timeZone: string, firstOrders: readonly FirstOrder[]): Anniversary[] {
  const today = celebratedOn(at, timeZone);
  const out: Anniversary[] = [];
  for (const first of firstOrders) {
    const placed = localMonthDay(first.firstOrderAt, timeZone);
    const years = today.year - placed.year;
    if (years >= 1 && today.days.includes(placed.monthDay)) out.push({ ...first, years, year: today.year });
  }
  return out;
}

export const anniversaryEventKey = (customerGid: string, year: number) => `customer.anniversary:${customerGid}:${year}`;

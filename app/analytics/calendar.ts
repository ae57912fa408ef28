// Shop-local calendar dates as plain values. Metrics compare dates, never instants: an order belongs to the day
// its shop's clocks showed when it was processed, whatever daylight saving did. Pure.
import { instantOf, localDateTime } from "~/lib/time/zoned-time";

/** "YYYY-MM-DD". */
export type CalendarDate = string;
/** "YYYY-MM". */
export type CalendarMonth = string;

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 86_400_000;

export class InvalidDateError extends Error {
  override name = "InvalidDateError";
}

/** Days since 1970-01-01 of a calendar date; throws InvalidDateError for anything but a real YYYY-MM-DD date. */
export function dayNumber(date: CalendarDate): number {
  const match = DATE.exec(date);
  if (!match) throw new InvalidDateError(`not a date (YYYY-MM-DD): ${JSON.stringify(date)}`);
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const ms = Date.UTC(year, month - 1, day);
  const check = new Date(ms);
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) {
    throw new InvalidDateError(`no such date: ${date}`);
  }
  return Math.round(ms / DAY_MS);
}

/** The calendar date of a day number. */
export function dateOfDay(day: number): CalendarDate {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

export function addDays(date: CalendarDate, days: number): CalendarDate {
  return dateOfDay(dayNumber(date) + days);
}

/** The date the shop's clocks showed at `instant`. */
export function shopLocalDate(instant: Date, timeZone: string): CalendarDate {
  const local = localDateTime(instant.getTime(), timeZone);
  return `${String(local.year).padStart(4, "0")}-${String(local.month).padStart(2, "0")}-${String(local.day).padStart(2, "0")}`;
}

export function monthOf(date: CalendarDate): CalendarMonth {
  return date.slice(0, 7);
}

/** Months since January 1970 (for month arithmetic). */
export function monthNumber(month: CalendarMonth): number {
  return Number(month.slice(0, 4)) * 12 + Number(month.slice(5, 7)) - 1;
}

export function monthOfNumber(value: number): CalendarMonth {
  return `${String(Math.floor(value / 12)).padStart(4, "0")}-${String((value % 12) + 1).padStart(2, "0")}`;
}

/**
 * The first instant of a shop-local date: local midnight, or, where the clocks skip midnight, the moment they
 * jump. The day `date` is the instants from this one up to (not including) that of the next date.
 */
export function startOfShopDay(date: CalendarDate, timeZone: string): Date {
  dayNumber(date);
  const [year, month, day] = date.split("-").map(Number) as [number, number, number];
  return instantOf({ year, month, day, hour: 0, minute: 0, second: 0, millisecond: 0 }, timeZone);
}

/** The first day of a month ("2026-03" → "2026-03-01"). */
export function firstDayOf(month: CalendarMonth): CalendarDate {
  return `${month}-01`;
}

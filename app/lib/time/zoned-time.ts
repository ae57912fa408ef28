// Wall-clock arithmetic in a shop's IANA time zone: "7 days later at 10:00" must mean 10:00 in Ljubljana on that
// day, whatever daylight saving did in between. @date-fns/tz reads the zone (wall clock and offset at an instant).
import { TZDate, tzOffset } from "@date-fns/tz";

export interface LocalDateTime {
  year: number;
  /** 1–12 */
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  millisecond: number;
}

const knownZones = new Set<string>();

/** `timeZone`, or a RangeError for a zone Intl does not know (TZDate would answer NaN for every field). */
function checkedZone(timeZone: string): string {
  if (!knownZones.has(timeZone)) {
    new Intl.DateTimeFormat("en-US", { timeZone }); // throws RangeError: Invalid time zone
    knownZones.add(timeZone);
  }
  return timeZone;
}

/** The wall-clock reading in `timeZone` at `instant` (ms since epoch). */
export function localDateTime(instant: number, timeZone: string): LocalDateTime {
  const local = new TZDate(instant, checkedZone(timeZone));
  return {
    year: local.getFullYear(),
    month: local.getMonth() + 1,
    day: local.getDate(),
    hour: local.getHours(),
    minute: local.getMinutes(),
    second: local.getSeconds(),
    millisecond: local.getMilliseconds(),
  };
}

function wallMs(local: LocalDateTime): number {
  return Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute, local.second, local.millisecond);
}

/** Local time minus UTC at `instant`, in ms (Ljubljana in summer: +7,200,000). */
function offsetAt(instant: number, timeZone: string): number {
  return tzOffset(checkedZone(timeZone), new Date(instant)) * 60_000;
}

const DAY_MS = 86_400_000;

/**
 * Custom rule kept: TZDate's own constructor moves a gap time forward by the gap (02:30 → 03:30) and in Ljubljana's
 * fall-back takes the later reading, where flows need the jump instant and the earlier reading (wait-until tests).
 *
 * The instant the clocks in `timeZone` read `local`. When they read it twice (autumn fall-back) the earlier one;
 * when never (spring-forward gap) the first instant after the gap, i.e. the moment the clocks jump.
 */
export function instantOf(local: LocalDateTime, timeZone: string): Date {
  const wall = wallMs(local);
  const before = offsetAt(wall - DAY_MS, timeZone);
  const after = offsetAt(wall + DAY_MS, timeZone);
  const readsWall = (instant: number) => instant + offsetAt(instant, timeZone) === wall;
  const candidates = [wall - before, wall - after].filter(readsWall);
  if (candidates.length > 0) return new Date(Math.min(...candidates));

  // In a gap: wall - after reads earlier than wanted, wall - before reads later. Search for the jump, to the
  // second.
  let low = Math.floor((wall - after) / 1000);
  let high = Math.ceil((wall - before) / 1000);
  while (high - low > 1) {
    const middle = Math.floor((low + high) / 2);
    if (middle * 1000 + offsetAt(middle * 1000, timeZone) >= wall) high = middle;
    else low = middle;
  }
  return new Date(high * 1000);
}

/** The same clock reading `days` calendar days later (month and year ends handled by Date.UTC). */
export function addLocalDays(local: LocalDateTime, days: number): LocalDateTime {
  const date = new Date(Date.UTC(local.year, local.month - 1, local.day + days));
  return { ...local, year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate() };
}

const labelFormatters = new Map<string, Intl.DateTimeFormat>();

/** "Tue 3 Dec 10:00" in the shop's zone; the year is added when it differs from `reference`'s. */
export function formatLocalShort(instant: Date, timeZone: string, reference: Date): string {
  let formatter = labelFormatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat("en-GB", {
      timeZone,
      hourCycle: "h23",
      weekday: "short",
      day: "numeric",
      month: "short",
      hour: "2-digit",
      minute: "2-digit",
    });
    labelFormatters.set(timeZone, formatter);
  }
  const parts = formatter.formatToParts(instant);
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? "";
  const year = localDateTime(instant.getTime(), timeZone).year;
  const showYear = year !== localDateTime(reference.getTime(), timeZone).year;
  return `${part("weekday")} ${part("day")} ${part("month")}${showYear ? ` ${year}` : ""} ${part("hour")}:${part("minute")}`;
}

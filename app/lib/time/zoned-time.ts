// Wall-clock arithmetic in a shop's IANA time zone with nothing but Intl: "7 days later at 10:00" must mean
// 10:00 in Ljubljana on that day, whatever daylight saving did in between.

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

const partFormatters = new Map<string, Intl.DateTimeFormat>();

function partsFormatter(timeZone: string): Intl.DateTimeFormat {
  let formatter = partFormatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
    partFormatters.set(timeZone, formatter);
  }
  return formatter;
}

/** The wall-clock reading in `timeZone` at `instant` (ms since epoch). */
export function localDateTime(instant: number, timeZone: string): LocalDateTime {
  const fields: Record<string, number> = {};
  for (const part of partsFormatter(timeZone).formatToParts(instant)) {
    if (part.type !== "literal") fields[part.type] = Number(part.value);
  }
  return {
    year: fields.year ?? 0,
    month: fields.month ?? 1,
    day: fields.day ?? 1,
    hour: fields.hour ?? 0,
    minute: fields.minute ?? 0,
    second: fields.second ?? 0,
    millisecond: ((instant % 1000) + 1000) % 1000,
  };
}

function wallMs(local: LocalDateTime): number {
  return Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute, local.second, local.millisecond);
}

/** Local time minus UTC at `instant`, in ms (Ljubljana in summer: +7,200,000). */
function offsetAt(instant: number, timeZone: string): number {
  return wallMs(localDateTime(instant, timeZone)) - instant;
}

const DAY_MS = 86_400_000;

/**
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
  // second (zone offsets are whole seconds).
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

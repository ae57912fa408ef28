// The app's "now". Real time, plus an offset that only the sandbox can set ("advance the clock"), so delayed
// flow steps and pending windows can be seen to run without waiting days. Everything that decides whether a
// delay has passed (the database job queue, waits, pending points) reads this clock, never Date.now().
import { prisma } from "~/db/db.server";

const CLOCK_ROW = "global";

declare global {
  // One offset per process; survives Vite's module reloads in development.
  var afterglowClockOffsetMs: number | undefined;
}

/** The app's current time. */
export function now(): Date {
  return new Date(Date.now() + (globalThis.afterglowClockOffsetMs ?? 0));
}

export function clockOffsetMs(): number {
  return globalThis.afterglowClockOffsetMs ?? 0;
}

/** Reads the stored offset (at start-up: a sandbox restarted after advancing keeps its time). */
export async function loadClockOffset(): Promise<number> {
  const row = await prisma.clockOffset.findUnique({ where: { id: CLOCK_ROW } });
  globalThis.afterglowClockOffsetMs = (row?.offsetSeconds ?? 0) * 1000;
  return globalThis.afterglowClockOffsetMs;
}

/** Moves the app's time forward (sandbox only: the caller checks). Answers the new offset in ms. */
export async function advanceClock(seconds: number): Promise<number> {
  if (!Number.isInteger(seconds) || seconds <= 0) throw new RangeError("advance the clock by a positive whole number of seconds");
  const row = await prisma.clockOffset.upsert({
    where: { id: CLOCK_ROW },
    create: { id: CLOCK_ROW, offsetSeconds: seconds },
    update: { offsetSeconds: { increment: seconds } },
  });
  globalThis.afterglowClockOffsetMs = row.offsetSeconds * 1000;
  return globalThis.afterglowClockOffsetMs;
}

/** Back to real time (tests, "reset the sandbox"). */
export async function resetClock(): Promise<void> {
  await prisma.clockOffset.deleteMany({ where: { id: CLOCK_ROW } });
  globalThis.afterglowClockOffsetMs = 0;
}

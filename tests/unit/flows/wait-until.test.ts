import { describe, expect, it } from "vitest";
import { waitUntil, type WaitParams } from "~/flows/engine";

const LJUBLJANA = "Europe/Ljubljana";
const NEW_YORK = "America/New_York";

describe("waitUntil", () => {
  it.each<[string, string, WaitParams, string, string]>([
    // Hours are elapsed time: the clock change does not stretch or shrink them.
    ["3 hours across spring-forward", LJUBLJANA, { amount: 3, unit: "hours" }, "2024-03-31T00:30:00.000Z", "2024-03-31T03:30:00.000Z"],
    ["3 hours across fall-back", LJUBLJANA, { amount: 3, unit: "hours" }, "2024-10-27T00:30:00.000Z", "2024-10-27T03:30:00.000Z"],
    ["1 hour across spring-forward", NEW_YORK, { amount: 1, unit: "hours" }, "2024-03-10T06:30:00.000Z", "2024-03-10T07:30:00.000Z"],
    // Days keep the local wall-clock time, whatever the offset did meanwhile.
    ["7 days into summer time (10:00 CET → 10:00 CEST)", LJUBLJANA, { amount: 7, unit: "days" }, "2024-03-28T09:00:00.000Z", "2024-04-04T08:00:00.000Z"],
    ["7 days into winter time (10:00 CEST → 10:00 CET)", LJUBLJANA, { amount: 7, unit: "days" }, "2024-10-24T08:00:00.000Z", "2024-10-31T09:00:00.000Z"],
    ["1 day across spring-forward (10:00 EST → 10:00 EDT)", NEW_YORK, { amount: 1, unit: "days" }, "2024-03-09T15:00:00.000Z", "2024-03-10T14:00:00.000Z"],
    ["1 day across fall-back (10:00 EDT → 10:00 EST)", NEW_YORK, { amount: 1, unit: "days" }, "2024-11-02T14:00:00.000Z", "2024-11-03T15:00:00.000Z"],
    ["seconds and milliseconds are kept", LJUBLJANA, { amount: 1, unit: "days" }, "2024-03-30T09:15:42.123Z", "2024-03-31T08:15:42.123Z"],
    ["days count local dates, not UTC ones (00:30 local)", LJUBLJANA, { amount: 1, unit: "days" }, "2024-11-26T23:30:00.000Z", "2024-11-27T23:30:00.000Z"],
    ["over the year end", LJUBLJANA, { amount: 1, unit: "days" }, "2024-12-31T10:00:00.000Z", "2025-01-01T10:00:00.000Z"],
    ["over a leap day", NEW_YORK, { amount: 1, unit: "days" }, "2024-02-28T17:00:00.000Z", "2024-02-29T17:00:00.000Z"],
    // "at" picks the local time of day on the target date.
    ["7 days at 10:00", LJUBLJANA, { amount: 7, unit: "days", at: "10:00" }, "2024-11-26T15:45:00.000Z", "2024-12-03T09:00:00.000Z"],
    ["7 days at 10:00 into summer time", LJUBLJANA, { amount: 7, unit: "days", at: "10:00" }, "2024-03-27T20:00:00.000Z", "2024-04-03T08:00:00.000Z"],
    ["1 day at 23:59 in New York", NEW_YORK, { amount: 1, unit: "days", at: "23:59" }, "2024-07-01T12:00:00.000Z", "2024-07-03T03:59:00.000Z"],
    ["1 day at 00:00", LJUBLJANA, { amount: 1, unit: "days", at: "00:00" }, "2024-07-01T12:00:00.000Z", "2024-07-01T22:00:00.000Z"],
    // A local time that doesn't exist (the spring-forward gap) moves to the first instant after the gap.
    ["at 02:30 on the spring-forward night", LJUBLJANA, { amount: 1, unit: "days", at: "02:30" }, "2024-03-30T09:00:00.000Z", "2024-03-31T01:00:00.000Z"],
    ["same time of day, landing in the gap", LJUBLJANA, { amount: 1, unit: "days" }, "2024-03-30T01:30:00.000Z", "2024-03-31T01:00:00.000Z"],
    [
      "at 02:30 on the spring-forward night in New York",
      NEW_YORK,
      { amount: 1, unit: "days", at: "02:30" },
      "2024-03-09T15:00:00.000Z",
      "2024-03-10T07:00:00.000Z",
    ],
    // A local time that happens twice (fall-back) is the first of the two.
    ["at 02:30 on the fall-back night", LJUBLJANA, { amount: 1, unit: "days", at: "02:30" }, "2024-10-26T09:00:00.000Z", "2024-10-27T00:30:00.000Z"],
    ["at 01:30 on the fall-back night in New York", NEW_YORK, { amount: 1, unit: "days", at: "01:30" }, "2024-11-02T14:00:00.000Z", "2024-11-03T05:30:00.000Z"],
    ["UTC has no surprises", "UTC", { amount: 30, unit: "days", at: "08:00" }, "2024-03-15T12:00:00.000Z", "2024-04-14T08:00:00.000Z"],
  ])("GIVEN %s (%s) THEN it ends at the right instant", (_name, timeZone, wait, from, until) => {
    expect(waitUntil(wait, new Date(from), timeZone).toISOString()).toBe(until);
  });
});

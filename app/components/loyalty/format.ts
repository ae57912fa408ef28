// How the loyalty pages write numbers, money, dates and the ledger's words. Pure, shared by the pages.
import { formatMoney } from "~/lib/money-format";
import { toMinorUnits } from "~/lib/money";
import { formatShopTime } from "~/lib/time/format";

// `n + 0` turns −0 into 0: the server would print "-0" where the browser (given 0 by JSON) prints "0", and the
// page would fail to hydrate. Locale pinned for the same reason.
const whole = (n: number) => (n + 0).toLocaleString("en-US");
export const points = (n: number) => `${whole(n)} ${Math.abs(n) === 1 ? "point" : "points"}`;
export const count = (n: number) => whole(n);
export const signed = (n: number) => `${n > 0 ? "+" : n < 0 ? "−" : ""}${whole(Math.abs(n))}`;

export function money(amount: string, currency: string): string {
  try {
    return formatMoney(toMinorUnits(amount, currency), currency);
  } catch {
    return `${amount} ${currency}`;
  }
}

export function rewardValue(kind: string, value: string, currency: string): string {
  if (kind === "percentage") return `${value}% off`;
  if (kind === "fixed_amount") return `${money(value, currency)} off`;
  return "Free shipping";
}

export const REWARD_KIND_LABELS: Record<string, string> = {
  percentage: "Percentage off",
  fixed_amount: "Amount off",
  free_shipping: "Free shipping",
};

const ENTRY_LABELS: Record<string, string> = {
  earn: "Earned",
  approve: "Approved",
  redeem: "Redeemed",
  reverse: "Reversed",
  expire: "Expired",
  adjust: "Adjusted",
};

export const entryLabel = (kind: string) => ENTRY_LABELS[kind] ?? kind;

/** "3 Jul 2026, 14:05" in the shop's time zone (the one formatter every admin page uses). */
export const dateTime = (iso: string, timeZone: string): string => formatShopTime(iso, timeZone);

/** "Tue 3 Jul" for a YYYY-MM-DD day. */
export function day(date: string): string {
  const [y, m, d] = date.split("-").map(Number) as [number, number, number];
  return new Intl.DateTimeFormat("en-GB", { timeZone: "UTC", weekday: "short", day: "numeric", month: "short" }).format(new Date(Date.UTC(y, m - 1, d)));
}

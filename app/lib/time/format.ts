// One way to show a moment to the merchant: in the shop's time zone, with the locale pinned, so the server's
// rendering and the browser's hydration agree whatever their own zone and language ("14 Dec 2026, 20:27").
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat("en-GB", {
      timeZone,
      day: "numeric",
      month: "short",
      year: "numeric",
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

export function formatShopTime(at: string | Date, timeZone: string): string {
  return formatterFor(timeZone).format(typeof at === "string" ? new Date(at) : at);
}

/** "7 days 3 hours" — how far the sandbox's clock runs ahead of real time. */
export function formatOffsetHours(hours: number): string {
  const days = Math.floor(hours / 24);
  const rest = hours % 24;
  return [days ? `${days} day${days === 1 ? "" : "s"}` : "", rest ? `${rest} hour${rest === 1 ? "" : "s"}` : ""].filter(Boolean).join(" ");
}

// The app's "now" in the shop's time zone, as every admin page shows it (label formatted on the server by
// time/shop-clock.server.ts, so the pages agree with each other and with hydration).
import { Text } from "@shopify/polaris";
import { formatOffsetHours } from "~/lib/time/format";

export interface ShopClockView {
  label: string;
  timeZone: string;
  offsetHours: number;
}

export function ShopClockText({ clock, prefix = "Now" }: { clock: ShopClockView; prefix?: string }) {
  return (
    <Text as="p" tone="subdued">
      {prefix}: {clock.label} ({clock.timeZone}){clock.offsetHours > 0 ? ` · sandbox clock, ${formatOffsetHours(clock.offsetHours)} ahead of real time` : ""}
    </Text>
  );
}

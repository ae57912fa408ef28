// Does this flow pay? Treated vs held-out customers over the chosen window after their first run: the two
// metrics per side, the uplift with its 95 % interval (or "too small to conclude"), and revenue attributed.
import { Badge, BlockStack, Button, ButtonGroup, Card, DataTable, InlineStack, Text } from "@shopify/polaris";
import type { FlowUplift } from "~/flows/uplift.server";
import { UPLIFT_WINDOWS, type Difference } from "~/flows/uplift";
import { formatMoney } from "~/lib/money-format";

const percent = (value: number | null) => (value === null ? "—" : `${(value * 100).toFixed(1)} %`);
const points = (value: number | null) => (value === null ? "—" : `${value >= 0 ? "+" : ""}${(value * 100).toFixed(1)} pts`);

function money(value: number | null, currency: string, signed = false): string {
  if (value === null) return "—";
  const text = formatMoney(Math.round(value), currency);
  return signed && value >= 0 ? `+${text}` : text;
}

function verdictBadge(d: Difference) {
  if (d.verdict === "uplift") return <Badge tone="success">Uplift</Badge>;
  if (d.verdict === "downlift") return <Badge tone="critical">Worse</Badge>;
  return <Badge>Too small to conclude</Badge>;
}

/** `onWindow` changes the page's ?window= (keeping the embedded app's other query parameters). */
export function UpliftCard({ uplift, holdoutPercent, onWindow }: { uplift: FlowUplift; holdoutPercent: number; onWindow: (days: number) => void }) {
  const { treated, heldOut, repeatRate, netSales, currency } = uplift;
  const interval = (d: Difference, format: (v: number | null) => string) => (d.low === null ? "—" : `${format(d.low)} to ${format(d.high)}`);
  return (
    <Card>
      <BlockStack gap="300">
        <InlineStack align="space-between" blockAlign="center">
          <Text as="h2" variant="headingMd">
            Does this flow pay?
          </Text>
          <ButtonGroup variant="segmented">
            {UPLIFT_WINDOWS.map((days) => (
              <Button key={days} onClick={() => onWindow(days)} pressed={uplift.windowDays === days}>
                {`${days} days`}
              </Button>
            ))}
          </ButtonGroup>
        </InlineStack>
        <Text as="p" tone="subdued">
          {`Customers the flow acted on vs customers it held out${holdoutPercent > 0 ? ` (holdout now ${holdoutPercent} %)` : " (no holdout set: every customer gets the steps, so nothing is compared)"}, over the ${uplift.windowDays} days after each one's first run. Counted: orders that are not test orders and not cancelled; net sales after discounts and refunds, without shipping and tax. Customers whose ${uplift.windowDays} days have not ended yet (${uplift.pendingCustomers}) are not counted.`}
        </Text>
        <DataTable
          columnContentTypes={["text", "numeric", "numeric", "numeric"]}
          headings={["", "Customers", "Ordered again", "Net sales per customer"]}
          rows={[
            ["Treated", treated.customers, percent(treated.repeatRate), money(treated.netSalesPerCustomerMinor, currency)],
            ["Held out", heldOut.customers, percent(heldOut.repeatRate), money(heldOut.netSalesPerCustomerMinor, currency)],
          ]}
        />
        <BlockStack gap="200">
          <InlineStack gap="200" blockAlign="center">
            <Text as="span" fontWeight="semibold">
              {`Repeat-purchase rate: ${points(repeatRate.difference)}`}
            </Text>
            {verdictBadge(repeatRate)}
          </InlineStack>
          <Text as="p" tone="subdued">{`95 % interval ${interval(repeatRate, points)}. ${repeatRate.note}`}</Text>
          <InlineStack gap="200" blockAlign="center">
            <Text as="span" fontWeight="semibold">
              {`Net sales per customer: ${money(netSales.difference, currency, true)}`}
            </Text>
            {verdictBadge(netSales)}
          </InlineStack>
          <Text as="p" tone="subdued">{`95 % interval ${interval(netSales, (v) => money(v, currency, true))}. ${netSales.note}`}</Text>
        </BlockStack>
        <Text as="p">
          {`Revenue attributed: ${money(uplift.attributedRevenueMinor, currency)} from ${uplift.attributedOrders} ${uplift.attributedOrders === 1 ? "order" : "orders"} by treated customers within ${uplift.windowDays} days after their run. Some of it would have come without the flow — the uplift above is the part the flow caused.`}
        </Text>
        {uplift.codeOrders > 0 && (
          <Text as="p">{`Orders that used a discount code this flow made: ${uplift.codeOrders}, ${money(uplift.codeRevenueMinor, currency)} net sales (any time).`}</Text>
        )}
      </BlockStack>
    </Card>
  );
}

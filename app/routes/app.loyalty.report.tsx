import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData, useNavigate } from "@remix-run/react";
import { BlockStack, Card, DataTable, InlineGrid, Layout, Page, Select, Text } from "@shopify/polaris";
import { count, day, signed } from "~/components/loyalty/format";
import { LoyaltySections } from "~/components/loyalty/LoyaltySections";
import { StatCard } from "~/components/loyalty/StatCard";
import { formatMoney } from "~/lib/money-format";
import { REPORT_PERIODS } from "~/loyalty/admin-report";
import { loyaltyReport } from "~/loyalty/admin-report.server";
import { authenticate } from "~/shopify/shopify.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  return loyaltyReport(session.shop, Number(new URL(request.url).searchParams.get("days") ?? 30));
};

export default function LoyaltyReport() {
  const { days, rows, totals, outstanding, valuation, currency, timeZone } = useLoaderData<typeof loader>();
  const navigate = useNavigate();
  const perPoint = valuation.method === "reward" ? formatMoney(valuation.valueMinor, currency) : null;
  const liability = valuation.liabilityMinor !== null ? formatMoney(valuation.liabilityMinor, currency) : `${count(outstanding.points)} points`;
  const basis =
    valuation.method === "reward"
      ? `Valued at ${perPoint} per ${count(valuation.pointsCost)} points, from “${valuation.rewardName}”, the cheapest fixed-amount reward (there is no point value setting).`
      : "Points only: add a fixed-amount reward to value points in money (there is no point value setting).";
  return (
    <Page
      backAction={{ content: "Loyalty", url: "/app/loyalty" }}
      title="Points report"
      subtitle={`Points accounting per day, in the shop's time zone (${timeZone}).`}
    >
      <BlockStack gap="400">
        <LoyaltySections current="report" />
        <Layout>
          <Layout.Section>
            <InlineGrid columns={{ xs: 1, sm: 2, md: 4 }} gap="400">
              <StatCard label="Outstanding liability" value={liability} help={basis} />
              <StatCard
                label="Spendable points"
                value={count(outstanding.points)}
                help={`Held by ${count(outstanding.customers)} ${outstanding.customers === 1 ? "customer" : "customers"}`}
              />
              <StatCard label="Pending points" value={count(outstanding.pending)} help="Not a liability until approved" />
              <StatCard
                label="Owed by customers"
                value={count(outstanding.debt)}
                help={`${count(outstanding.customersInDebt)} negative ${outstanding.customersInDebt === 1 ? "balance" : "balances"} (refunds after spending)`}
              />
            </InlineGrid>
          </Layout.Section>
          <Layout.Section>
            <Card padding="0">
              <div style={{ padding: "16px 16px 8px", display: "flex", justifyContent: "space-between", alignItems: "end", gap: 16 }}>
                <Text as="h2" variant="headingMd">
                  Points by day
                </Text>
                <div style={{ minWidth: 180 }}>
                  <Select
                    label="Period"
                    labelInline
                    options={REPORT_PERIODS.map((d) => ({ label: `Last ${d} days`, value: String(d) }))}
                    value={String(days)}
                    onChange={(value) => navigate(`/app/loyalty/report?days=${value}`)}
                  />
                </div>
              </div>
              <DataTable
                columnContentTypes={["text", "numeric", "numeric", "numeric", "numeric", "numeric", "numeric"]}
                headings={["Day", "Earned", "Approved", "Redeemed", "Reversed", "Expired", "Adjusted"]}
                rows={rows.map((r) => [
                  day(r.date),
                  count(r.earned),
                  count(r.approved),
                  count(r.redeemed),
                  count(r.reversed),
                  count(r.expired),
                  signed(r.adjusted),
                ])}
                totals={[
                  "",
                  count(totals.earned),
                  count(totals.approved),
                  count(totals.redeemed),
                  count(totals.reversed),
                  count(totals.expired),
                  signed(totals.adjusted),
                ]}
                showTotalsInFooter
                increasedTableDensity
              />
            </Card>
          </Layout.Section>
          <Layout.Section>
            <Text as="p" tone="subdued" variant="bodySm">
              Earned: points given for orders, sign-ups and birthdays (pending or at once). Approved: pending points that became spendable. Redeemed: spent on
              rewards, less points given back when a code could not be created. Reversed: taken back by refunds and cancellations. Expired: lost after
              inactivity. Adjusted: changes by staff.
            </Text>
          </Layout.Section>
        </Layout>
      </BlockStack>
    </Page>
  );
}

import { data, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, isRouteErrorResponse, useLoaderData, useNavigation, useRouteError, useSubmit } from "@remix-run/react";
import {
  Badge,
  Banner,
  BlockStack,
  Box,
  Button,
  Card,
  Checkbox,
  DataTable,
  InlineGrid,
  InlineStack,
  Layout,
  Page,
  Select,
  SkeletonBodyText,
  Text,
  TextField,
} from "@shopify/polaris";
import vizStyles from "@shopify/polaris-viz/build/esm/styles.css?url";
import { useState } from "react";
import { PRESETS, type Kpi } from "~/analytics/analytics-page";
import { heatCell, vizSeries, type ChartMonth } from "~/analytics/charts";
import { ChartCard } from "~/components/analytics/ChartCard";
import { analyticsPage } from "~/analytics/analytics-page.server";
import type { Cohort } from "~/analytics/metrics";
import type { GroupFigures, MemberComparison } from "~/analytics/members";
import type { Attribution, SurveyComment } from "~/analytics/survey-figures";
import type { MonthFigures } from "~/analytics/monthly-series.server";
import { toMinorUnits } from "~/lib/money";
import { formatMoney } from "~/lib/money-format";
import { boundary } from "@shopify/shopify-app-remix/server";
import { authenticate } from "~/shopify/shopify.server";

export const links = () => [{ rel: "stylesheet", href: vizStyles }];

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const page = await analyticsPage(session.shop, new URL(request.url).searchParams);
  return data(page, { status: page.ok ? 200 : 422 });
};

export default function Analytics() {
  const page = useLoaderData<typeof loader>();
  const navigation = useNavigation();
  const loading = navigation.state === "loading" && navigation.location.pathname === "/app/analytics";
  const csvHref = `/app/analytics/csv?${new URLSearchParams(page.query.preset === "custom" ? { preset: "custom", from: page.query.from, to: page.query.to } : { preset: page.query.preset }).toString()}${page.query.compare ? "" : "&compare=0"}`;
  return (
    <Page
      title="Analytics"
      subtitle={`Retention figures in the shop's time zone (${page.timeZone})`}
      secondaryActions={page.ok ? [{ content: "Download CSV", onAction: () => void downloadCsv(csvHref) }] : []}
    >
      <BlockStack gap="400">
        <PeriodPicker key={`${page.query.preset}-${page.query.from}-${page.query.to}-${page.query.compare}`} />
        {!page.ok ? (
          <Banner tone="critical" title="Check the period">
            <p>The figures are shown once the custom period has a valid start and end date.</p>
          </Banner>
        ) : loading ? (
          <Card>
            <SkeletonBodyText lines={6} />
          </Card>
        ) : page.current.orders === 0 ? (
          <Card>
            <Box paddingBlock="800">
              <BlockStack gap="200" inlineAlign="center">
                <Text as="h2" variant="headingMd">
                  No orders in this period
                </Text>
                <Text as="p" tone="subdued" alignment="center">
                  No qualifying orders (not test orders, never cancelled) between {page.period.from} and {page.period.to}. Choose a longer period, or import the
                  shop&apos;s order history from the dashboard.
                </Text>
              </BlockStack>
            </Box>
          </Card>
        ) : (
          <Layout>
            <Layout.Section>
              <Box paddingInline={{ xs: "400", sm: "0" }}>
                <Text as="p" tone="subdued">
                  {page.period.from} to {page.period.to}
                  {page.previousPeriod ? `, compared with ${page.previousPeriod.from} to ${page.previousPeriod.to}` : ""}
                </Text>
              </Box>
            </Layout.Section>
            <Layout.Section>
              <InlineGrid columns={{ xs: 1, sm: 2, md: 3, lg: 4 }} gap="400">
                {page.kpis.map((kpi) => (
                  <KpiCard key={kpi.key} kpi={kpi} />
                ))}
              </InlineGrid>
            </Layout.Section>
            <Layout.Section>
              <Charts chart={page.chart} currency={page.currency} />
            </Layout.Section>
            <Layout.Section>
              <MonthsCard months={page.months} currency={page.currency} />
            </Layout.Section>
            <Layout.Section>
              <MembersCard members={page.members} currency={page.currency} />
            </Layout.Section>
            <Layout.Section>
              <SurveyCard nps={page.surveys.nps} csat={page.surveys.csat} />
            </Layout.Section>
            <Layout.Section>
              <InlineGrid columns={{ xs: 1, md: 2 }} gap="400">
                <AttributionCard attribution={page.surveys.attribution} />
                <CommentsCard comments={page.surveys.comments} />
              </InlineGrid>
            </Layout.Section>
            <Layout.Section>
              <CohortCard cohorts={page.cohorts} />
            </Layout.Section>
          </Layout>
        )}
      </BlockStack>
    </Page>
  );
}

/** Downloads through fetch, which carries the session token (a plain link would not be authenticated). */
async function downloadCsv(href: string) {
  try {
    const response = await fetch(href);
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    const name = /filename="([^"]+)"/.exec(response.headers.get("Content-Disposition") ?? "")?.[1] ?? "afterglow-analytics.csv";
    const url = URL.createObjectURL(await response.blob());
    Object.assign(document.createElement("a"), { href: url, download: name }).click();
    URL.revokeObjectURL(url);
  } catch (error) {
    window.shopify?.toast.show(`Download failed: ${(error as Error).message}`, { isError: true });
  }
}

function PeriodPicker() {
  const page = useLoaderData<typeof loader>();
  const submit = useSubmit();
  const [preset, setPreset] = useState<string>(page.query.preset);
  const [from, setFrom] = useState(page.query.from);
  const [to, setTo] = useState(page.query.to);
  const [compare, setCompare] = useState(page.query.compare);
  const errors = page.ok ? {} : page.errors;
  const go = (next: { preset?: string; compare?: boolean }) => {
    const p = next.preset ?? preset;
    const c = next.compare ?? compare;
    if (p === "custom") return; // applied with the button
    submit({ preset: p, ...(c ? {} : { compare: "0" }) }, { method: "get" });
  };
  return (
    <Card>
      <Form method="get">
        <BlockStack gap="300">
          <InlineStack gap="400" blockAlign="end" wrap>
            <div style={{ minWidth: 180 }}>
              <Select
                label="Period"
                name="preset"
                options={PRESETS.map((p) => ({ label: p.label, value: p.value }))}
                value={preset}
                onChange={(value) => {
                  setPreset(value);
                  go({ preset: value });
                }}
              />
            </div>
            {preset === "custom" && (
              <>
                <div style={{ minWidth: 160 }}>
                  <TextField
                    label="From"
                    name="from"
                    type="text"
                    placeholder="YYYY-MM-DD"
                    autoComplete="off"
                    value={from}
                    onChange={setFrom}
                    error={errors.from}
                  />
                </div>
                <div style={{ minWidth: 160 }}>
                  <TextField label="To" name="to" type="text" placeholder="YYYY-MM-DD" autoComplete="off" value={to} onChange={setTo} error={errors.to} />
                </div>
                <Button submit variant="primary">
                  Apply
                </Button>
              </>
            )}
          </InlineStack>
          {!compare && <input type="hidden" name="compare" value="0" />}
          <Checkbox
            label="Compare to previous period (the same number of days just before)"
            checked={compare}
            onChange={(value) => {
              setCompare(value);
              go({ compare: value });
            }}
          />
        </BlockStack>
      </Form>
    </Card>
  );
}

function KpiCard({ kpi }: { kpi: Kpi }) {
  return (
    <Card>
      <BlockStack gap="100">
        <Text as="h3" variant="bodySm" tone="subdued">
          {kpi.label}
        </Text>
        <InlineStack gap="200" blockAlign="center">
          <Text as="p" variant="headingLg">
            {kpi.value}
          </Text>
          {kpi.change && <Badge tone={kpi.tone === "subdued" ? undefined : kpi.tone}>{kpi.change}</Badge>}
        </InlineStack>
        {kpi.previous !== null && (
          <Text as="p" variant="bodySm" tone="subdued">
            Previous period: {kpi.previous}
          </Text>
        )}
        <Text as="p" variant="bodySm" tone="subdued">
          {kpi.help}
        </Text>
      </BlockStack>
    </Card>
  );
}

function Distribution({ label, counts, first }: { label: string; counts: number[]; first: number }) {
  const max = Math.max(1, ...counts);
  return (
    <BlockStack gap="100">
      <Text as="h4" variant="bodySm" tone="subdued">
        {label}
      </Text>
      <div
        style={{ display: "flex", gap: 4, alignItems: "flex-end", height: 64 }}
        role="img"
        aria-label={`${label}: ${counts.map((n, i) => `${i + first}: ${n}`).join(", ")}`}
      >
        {counts.map((n, i) => (
          <div key={i} style={{ flex: 1, textAlign: "center", fontSize: 11 }}>
            <div style={{ height: Math.round((n / max) * 44), background: "var(--p-color-bg-fill-info)", borderRadius: 2 }} title={`${i + first}: ${n}`} />
            <div>{i + first}</div>
          </div>
        ))}
      </div>
    </BlockStack>
  );
}

function SurveyCard({
  nps,
  csat,
}: {
  nps: { nps: number | null; answers: number; distribution: number[] };
  csat: { csat: number | null; answers: number; distribution: number[] };
}) {
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          Survey answers
        </Text>
        <InlineGrid columns={{ xs: 1, md: 2 }} gap="400">
          <BlockStack gap="200">
            <Text as="p">
              <Text as="span" fontWeight="semibold">
                NPS {nps.nps === null ? "—" : nps.nps}
              </Text>{" "}
              from {nps.answers} {nps.answers === 1 ? "answer" : "answers"} (% of 9–10 minus % of 0–6)
            </Text>
            {nps.answers > 0 ? (
              <Distribution label="Answers per score (0–10)" counts={nps.distribution} first={0} />
            ) : (
              <Text as="p" tone="subdued">
                No NPS answers in this period.
              </Text>
            )}
          </BlockStack>
          <BlockStack gap="200">
            <Text as="p">
              <Text as="span" fontWeight="semibold">
                CSAT {csat.csat === null ? "—" : `${Math.round(csat.csat * 100)}%`}
              </Text>{" "}
              from {csat.answers} {csat.answers === 1 ? "answer" : "answers"} (share of 4 and 5)
            </Text>
            {csat.answers > 0 ? (
              <Distribution label="Answers per score (1–5)" counts={csat.distribution} first={1} />
            ) : (
              <Text as="p" tone="subdued">
                No CSAT answers in this period.
              </Text>
            )}
          </BlockStack>
        </InlineGrid>
      </BlockStack>
    </Card>
  );
}

function Charts({ chart, currency }: { chart: ChartMonth[]; currency: string }) {
  const viz = vizSeries(chart, currency);
  return (
    <InlineGrid columns={{ xs: 1, md: 2 }} gap="400">
      <ChartCard
        title="Net sales per month"
        description="Qualifying orders' net sales, as the Net sales card counts them"
        type="line"
        series={viz.netSales}
        format="money"
        currency={currency}
      />
      <ChartCard
        title="Average order value per month"
        description="Net sales ÷ orders of each month"
        type="line"
        series={viz.averageOrderValue}
        format="money"
        currency={currency}
      />
      <ChartCard
        title="New and returning customers per month"
        description="New: first order ever in that month; returning: ordered before it too"
        type="stackedBar"
        series={viz.customers}
        format="count"
        currency={currency}
      />
      <ChartCard
        title="Retention and churn per month"
        description="Each month as its own period: retention (E − N) ÷ S, churn = active at its start, not at its end"
        type="line"
        series={viz.retention}
        format="percent"
        currency={currency}
      />
    </InlineGrid>
  );
}

function MembersCard({ members, currency }: { members: MemberComparison; currency: string }) {
  const money = (decimal: string | null) => (decimal === null ? "—" : formatMoney(toMinorUnits(decimal, currency), currency));
  const rate = (share: number | null) => (share === null ? "—" : `${Math.round(share * 1000) / 10}%`);
  const side = (title: string, g: GroupFigures) => (
    <BlockStack gap="100">
      <Text as="h3" variant="headingSm">
        {title}
      </Text>
      <Text as="p">
        Repeat customer rate{" "}
        <Text as="span" fontWeight="semibold">
          {rate(g.repeatCustomerRate)}
        </Text>
      </Text>
      <Text as="p">
        Average order value{" "}
        <Text as="span" fontWeight="semibold">
          {money(g.averageOrderValue)}
        </Text>
      </Text>
      <Text as="p" variant="bodySm" tone="subdued">
        {g.customers} {g.customers === 1 ? "customer" : "customers"}, {g.orders} {g.orders === 1 ? "order" : "orders"} in the period
      </Text>
    </BlockStack>
  );
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          Loyalty members and other customers
        </Text>
        <Text as="p" tone="subdued" variant="bodySm">
          Members: customers with a loyalty account or points in the ledger (today). Customers who ordered in the period, guests not counted; repeat rate and
          AOV as on the cards above.
        </Text>
        <InlineGrid columns={{ xs: 1, sm: 2 }} gap="400">
          {side("Loyalty members", members.members)}
          {side("Not members", members.nonMembers)}
        </InlineGrid>
      </BlockStack>
    </Card>
  );
}

function AttributionCard({ attribution }: { attribution: Attribution }) {
  const max = Math.max(1, ...attribution.options.map((o) => o.count));
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          How did you hear about us?
        </Text>
        <Text as="p" tone="subdued" variant="bodySm">
          {attribution.answers} {attribution.answers === 1 ? "answer" : "answers"} to the thank-you page question in this period
        </Text>
        {attribution.answers === 0 ? (
          <Text as="p" tone="subdued">
            No answers to this question in this period.
          </Text>
        ) : (
          <BlockStack gap="200">
            {attribution.options.map((o) => (
              <div key={o.option}>
                <InlineStack align="space-between" gap="200">
                  <Text as="span">{o.label}</Text>
                  <Text as="span" tone="subdued" numeric>
                    {o.count} ({o.share === null ? "—" : `${Math.round(o.share * 100)}%`})
                  </Text>
                </InlineStack>
                <div aria-hidden style={{ height: 6, borderRadius: 3, background: "var(--p-color-bg-surface-secondary)", marginTop: 2 }}>
                  <div style={{ width: `${(o.count / max) * 100}%`, height: 6, borderRadius: 3, background: "var(--p-color-bg-fill-info)" }} />
                </div>
              </div>
            ))}
          </BlockStack>
        )}
      </BlockStack>
    </Card>
  );
}

function CommentsCard({ comments }: { comments: SurveyComment[] }) {
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          Latest survey comments
        </Text>
        {comments.length === 0 ? (
          <Text as="p" tone="subdued">
            No comments with the survey answers in this period.
          </Text>
        ) : (
          <BlockStack gap="300">
            {comments.map((c, i) => (
              <BlockStack key={i} gap="050">
                <Text as="p" variant="bodySm" tone="subdued">
                  {c.date} · {c.answer}
                </Text>
                {/* Plain text: React escapes it; line breaks kept, long words wrap. */}
                <p style={{ whiteSpace: "pre-line", overflowWrap: "anywhere", margin: 0 }}>{c.comment}</p>
              </BlockStack>
            ))}
          </BlockStack>
        )}
      </BlockStack>
    </Card>
  );
}

function MonthsCard({ months, currency }: { months: MonthFigures[]; currency: string }) {
  const money = (decimal: string | null) => (decimal === null ? "—" : formatMoney(toMinorUnits(decimal, currency), currency));
  return (
    <Card padding="0">
      <Box padding="400" paddingBlockEnd="200">
        <Text as="h2" variant="headingMd">
          By month
        </Text>
      </Box>
      <DataTable
        columnContentTypes={["text", "numeric", "numeric", "numeric", "numeric"]}
        headings={["Month", "Orders", "Net sales", "Average order value", "Customers"]}
        rows={months.map((m) => [m.month, m.orders, money(m.netSales), money(m.averageOrderValue), m.customers])}
        increasedTableDensity
      />
    </Card>
  );
}

function CohortCard({ cohorts }: { cohorts: Cohort[] }) {
  const width = Math.max(0, ...cohorts.map((c) => c.retained.length));
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          Cohorts
        </Text>
        <Text as="p" tone="subdued" variant="bodySm">
          Customers by the month of their first order, and the share who ordered again 1, 2, … months later. The darker the cell, the larger the share.
        </Text>
        {cohorts.length === 0 ? (
          <Text as="p">No customer placed a first order in this period.</Text>
        ) : (
          <>
            <HeatLegend />
            <Box overflowX="scroll">
              <table style={{ borderCollapse: "collapse", fontSize: 13, fontVariantNumeric: "tabular-nums" }}>
                <caption style={visuallyHidden}>Share of each first-order month&apos;s customers who ordered again in a later month</caption>
                <thead>
                  <tr>
                    <th scope="col" style={cellStyle}>
                      First order
                    </th>
                    <th scope="col" style={cellStyle}>
                      Customers
                    </th>
                    {Array.from({ length: width }, (_, k) => (
                      <th key={k} scope="col" style={{ ...cellStyle, textAlign: "right" }}>
                        <abbr title={`${k + 1} ${k === 0 ? "month" : "months"} later`}>+{k + 1}</abbr>
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {cohorts.map((c) => (
                    <tr key={c.month}>
                      <th scope="row" style={{ ...cellStyle, fontWeight: 400 }}>
                        {c.month}
                      </th>
                      <td style={{ ...cellStyle, textAlign: "right" }}>{c.customers}</td>
                      {Array.from({ length: width }, (_, k) => {
                        const share = c.retained[k];
                        return (
                          <td key={k} style={{ ...cellStyle, textAlign: "right", ...(share === undefined ? {} : heatCell(share)) }}>
                            {share === undefined ? "" : `${Math.round(share * 100)}%`}
                          </td>
                        );
                      })}
                    </tr>
                  ))}
                </tbody>
              </table>
            </Box>
          </>
        )}
      </BlockStack>
    </Card>
  );
}

function HeatLegend() {
  return (
    <InlineStack gap="200" blockAlign="center">
      <Text as="span" variant="bodySm" tone="subdued">
        0%
      </Text>
      <div
        aria-hidden
        style={{ width: 120, height: 10, borderRadius: 2, background: `linear-gradient(to right, ${heatCell(0).background}, ${heatCell(1).background})` }}
      />
      <Text as="span" variant="bodySm" tone="subdued">
        100% ordered again
      </Text>
    </InlineStack>
  );
}

const visuallyHidden = { position: "absolute" as const, width: 1, height: 1, overflow: "hidden", clip: "rect(0 0 0 0)", whiteSpace: "nowrap" as const };

const cellStyle = { padding: "6px 10px", borderBottom: "1px solid var(--p-color-border-secondary)", whiteSpace: "nowrap" as const, textAlign: "left" as const };

export function ErrorBoundary() {
  const error = useRouteError();
  // Shopify's own responses (re-authentication) are rendered the way the app's layout does.
  if (isRouteErrorResponse(error)) return boundary.error(error);
  const message = error instanceof Error ? error.message : "Unknown error";
  return (
    <Page title="Analytics">
      <Banner tone="critical" title="The figures could not be loaded">
        <p>{message}. Reload the page to try again; nothing was changed.</p>
      </Banner>
    </Page>
  );
}

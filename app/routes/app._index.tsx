import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link as RemixLink, useLoaderData } from "@remix-run/react";
import { Badge, BlockStack, Card, DataTable, InlineGrid, Layout, Page, Text } from "@shopify/polaris";
import { loadDashboard } from "~/shops/dashboard.server";
import { authenticate } from "~/shopify.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  return loadDashboard(session.shop);
};

const STATUS_TONE = { processed: "success", failed: "critical", received: "info", dead: "critical" } as const;

export default function Dashboard() {
  const { shop, events, counts } = useLoaderData<typeof loader>();
  return (
    <Page title="Dashboard">
      <Layout>
        <Layout.Section>
          <InlineGrid columns={{ xs: 1, md: 3 }} gap="400">
            <Metric label="Events received (24 h)" value={counts.last24h} />
            <Metric label="Processed" value={counts.processed} />
            <Metric label="Failed" value={counts.failed} />
          </InlineGrid>
        </Layout.Section>
        <Layout.Section>
          <Card>
            <BlockStack gap="300">
              <Text as="h2" variant="headingMd">
                Latest order events
              </Text>
              {events.length === 0 ? (
                <Text as="p" tone="subdued">
                  No events yet. Orders placed in your shop appear here within seconds.
                </Text>
              ) : (
                <DataTable
                  columnContentTypes={["text", "text", "text"]}
                  headings={["Topic", "Received", "Status"]}
                  rows={events.map((event) => [
                    event.topic,
                    new Date(event.receivedAt).toLocaleString(),
                    <Badge key={event.id} tone={STATUS_TONE[event.status as keyof typeof STATUS_TONE]}>
                      {event.status}
                    </Badge>,
                  ])}
                />
              )}
              <RemixLink to="/app/activity">See all activity</RemixLink>
            </BlockStack>
          </Card>
        </Layout.Section>
        <Layout.Section variant="oneThird">
          <Card>
            <BlockStack gap="200">
              <Text as="h2" variant="headingMd">
                {shop?.name ?? "Your shop"}
              </Text>
              <Text as="p" tone="subdued">
                {shop?.domain}
              </Text>
              <Text as="p">Currency: {shop?.currencyCode ?? "—"}</Text>
              <Text as="p">Time zone: {shop?.ianaTimezone ?? "—"}</Text>
            </BlockStack>
          </Card>
        </Layout.Section>
      </Layout>
    </Page>
  );
}

function Metric({ label, value }: { label: string; value: number }) {
  return (
    <Card>
      <BlockStack gap="100">
        <Text as="p" tone="subdued">
          {label}
        </Text>
        <Text as="p" variant="heading2xl">
          {value.toLocaleString()}
        </Text>
      </BlockStack>
    </Card>
  );
}

import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { BlockStack, Card, EmptyState, Layout, Page, ResourceItem, ResourceList, Text } from "@shopify/polaris";
import { listDataExports } from "~/privacy/privacy.server";
import { authenticate } from "~/shopify.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const exports = await listDataExports(session.shop);
  return { exports: exports.map((e) => ({ ...e, createdAt: e.createdAt.toISOString() })) };
};

export default function Privacy() {
  const { exports } = useLoaderData<typeof loader>();
  return (
    <Page title="Privacy requests" subtitle="Customer data requests from Shopify, ready to download and send to the customer.">
      <Layout>
        <Layout.Section>
          <Card padding="0">
            {exports.length === 0 ? (
              <EmptyState heading="No data requests" image="">
                <p>When a customer asks for their data, Shopify tells Afterglow and the export appears here.</p>
              </EmptyState>
            ) : (
              <ResourceList
                items={exports}
                renderItem={(item) => (
                  <ResourceItem id={item.id} url={`/app/privacy/${item.id}`} accessibilityLabel={`Download the export for ${item.email ?? item.customerGid}`}>
                    <BlockStack gap="100">
                      <Text as="h3" variant="bodyMd" fontWeight="semibold">
                        {item.email ?? item.customerGid ?? "Unknown customer"}
                      </Text>
                      <Text as="p" tone="subdued">
                        Request {item.requestKey} · {item.createdAt.slice(0, 10)} · Download JSON
                      </Text>
                    </BlockStack>
                  </ResourceItem>
                )}
              />
            )}
          </Card>
        </Layout.Section>
      </Layout>
    </Page>
  );
}

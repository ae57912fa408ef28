import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { BlockStack, Button, Card, InlineStack, Layout, Page, ResourceItem, ResourceList, Text } from "@shopify/polaris";
import { EmptyCard } from "~/components/EmptyCard";
import { useState } from "react";
import { listDataExports } from "~/privacy/privacy.server";
import { authenticate } from "~/shopify/shopify.server";

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
              <EmptyCard heading="No data requests">When a customer asks for their data, Shopify tells Afterglow and the export appears here.</EmptyCard>
            ) : (
              <ResourceList
                items={exports}
                renderItem={(item) => (
                  <ResourceItem id={item.id} onClick={() => {}} accessibilityLabel={`Export for ${item.email ?? item.customerGid}`}>
                    <InlineStack align="space-between" blockAlign="center">
                      <BlockStack gap="100">
                        <Text as="h3" variant="bodyMd" fontWeight="semibold">
                          {item.email ?? item.customerGid ?? "Unknown customer"}
                        </Text>
                        <Text as="p" tone="subdued">
                          Request {item.requestKey} · {item.createdAt.slice(0, 10)}
                        </Text>
                      </BlockStack>
                      <DownloadButton id={item.id} />
                    </InlineStack>
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

/** Downloads through fetch, which carries the session token (a plain link would not be authenticated). */
function DownloadButton({ id }: { id: string }) {
  const [busy, setBusy] = useState(false);
  const download = async () => {
    setBusy(true);
    try {
      const response = await fetch(`/app/privacy/${id}`);
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      const url = URL.createObjectURL(await response.blob());
      const link = Object.assign(document.createElement("a"), { href: url, download: `afterglow-data-export-${id}.json` });
      link.click();
      URL.revokeObjectURL(url);
    } catch (error) {
      window.shopify?.toast.show(`Download failed: ${(error as Error).message}`, { isError: true });
    } finally {
      setBusy(false);
    }
  };
  return (
    <Button onClick={download} loading={busy}>
      Download JSON
    </Button>
  );
}

import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { useFetcher, useLoaderData } from "@remix-run/react";
import { Badge, Banner, BlockStack, Button, Card, IndexTable, InlineStack, Layout, Page, Text } from "@shopify/polaris";
import { useEffect, useRef } from "react";
import { ACTION_LABELS, type SandboxOrderAction } from "~/sandbox/order-actions";
import { requireSandbox } from "~/sandbox/sandbox.server";
import { sandboxShopAction, sandboxShopPage } from "~/sandbox/shop-page.server";
import { authenticate } from "~/shopify/shopify.server";
import { formatOffsetHours } from "~/lib/time/format";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  requireSandbox();
  return sandboxShopPage(session.shop);
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  requireSandbox();
  const answer = await sandboxShopAction(session.shop, await request.formData());
  return data(answer.body, { status: answer.status });
};

const STEPS = [
  ["1h", "+ 1 hour"],
  ["1d", "+ 1 day"],
  ["7d", "+ 7 days"],
  ["30d", "+ 30 days"],
  ["90d", "+ 90 days"],
] as const;

export default function SandboxShop() {
  const { clock, orders } = useLoaderData<typeof loader>();
  const fetcher = useFetcher<typeof action>();
  const clockFetcher = useFetcher<typeof action>();
  const answer = fetcher.state === "idle" ? fetcher.data : undefined;
  const outcome = answer && "outcome" in answer ? answer.outcome : undefined;
  const error = answer && "error" in answer ? answer.error : undefined;
  const advanced = clockFetcher.data && "advanced" in clockFetcher.data ? clockFetcher.data.advanced : undefined;
  const current = advanced && advanced.now > clock.now ? advanced : clock;
  const clockError = clockFetcher.data && "error" in clockFetcher.data ? clockFetcher.data.error : undefined;

  // One toast per answer (the banner stays until the next action).
  const toasted = useRef<unknown>(undefined);
  useEffect(() => {
    if (!answer || toasted.current === answer) return;
    toasted.current = answer;
    if (outcome) window.shopify?.toast.show(outcome.toast);
    else if (error) window.shopify?.toast.show(error, { isError: true });
  }, [answer, outcome, error]);

  const pending = (intent: string, orderId?: string) =>
    fetcher.state !== "idle" && fetcher.formData?.get("intent") === intent && (orderId === undefined || fetcher.formData?.get("orderId") === orderId);
  const act = (intent: SandboxOrderAction, orderId: string) => fetcher.submit({ intent, orderId }, { method: "post" });

  return (
    <Page title="Sandbox shop" subtitle="Act as the shop's customers and staff: the emulated Shopify sends real, signed webhooks to the app.">
      <Layout>
        <Layout.Section>
          <Card>
            <BlockStack gap="300">
              <InlineStack align="space-between" blockAlign="center">
                <Text as="h2" variant="headingMd">
                  Orders
                </Text>
                <Button variant="primary" loading={pending("place")} onClick={() => fetcher.submit({ intent: "place" }, { method: "post" })}>
                  Place sample order
                </Button>
              </InlineStack>
              <Text as="p" tone="subdued">
                A sample order is placed and paid by one of the demo customers (Slovenian, Turkish and English shoppers). Act on any recent order below; each
                change reaches the app as Shopify&apos;s webhooks within a second.
              </Text>
              {outcome && (
                <Banner tone="success" title={outcome.title}>
                  <BlockStack gap="100">
                    {outcome.placed && (
                      <Text as="p">
                        {outcome.placed.total} {outcome.placed.currency} by {outcome.placed.email ?? "a guest"}
                      </Text>
                    )}
                    <Text as="p">{outcome.detail}</Text>
                  </BlockStack>
                </Banner>
              )}
              {error && (
                <Banner tone="critical" title="Nothing changed">
                  <Text as="p">{error}</Text>
                </Banner>
              )}
            </BlockStack>
          </Card>
        </Layout.Section>
        <Layout.Section>
          <Card padding="0">
            {!orders.ok ? (
              <Banner tone="critical" title="The orders could not be loaded">
                <Text as="p">{orders.error}</Text>
              </Banner>
            ) : (
              <IndexTable
                resourceName={{ singular: "order", plural: "orders" }}
                itemCount={orders.orders.length}
                selectable={false}
                emptyState={
                  <BlockStack gap="200" inlineAlign="center">
                    <Text as="p" tone="subdued">
                      No orders yet: place a sample order.
                    </Text>
                  </BlockStack>
                }
                headings={[
                  { title: "Order" },
                  { title: "Customer" },
                  { title: "Total", alignment: "end" },
                  { title: "Payment" },
                  { title: "Fulfillment" },
                  { title: `Created (${clock.timeZone})` },
                  { title: "Actions" },
                ]}
              >
                {orders.orders.map((order, index) => (
                  <IndexTable.Row id={order.id} key={order.id} position={index}>
                    <IndexTable.Cell>
                      <InlineStack gap="200" blockAlign="center" wrap={false}>
                        <Text as="span" fontWeight="semibold">
                          {order.name}
                        </Text>
                        {order.cancelled && <Badge tone="critical">Cancelled</Badge>}
                      </InlineStack>
                    </IndexTable.Cell>
                    <IndexTable.Cell>{order.customer}</IndexTable.Cell>
                    <IndexTable.Cell>
                      <Text as="span" alignment="end" numeric>
                        {order.totalText}
                      </Text>
                    </IndexTable.Cell>
                    <IndexTable.Cell>
                      <Badge tone={order.financialStatus === "paid" ? "success" : undefined}>{order.financialStatus}</Badge>
                    </IndexTable.Cell>
                    <IndexTable.Cell>
                      <Badge tone={order.fulfillmentStatus === "unfulfilled" ? "attention" : order.fulfillmentStatus === "delivered" ? "success" : undefined}>
                        {order.fulfillmentStatus}
                      </Badge>
                    </IndexTable.Cell>
                    <IndexTable.Cell>{order.created}</IndexTable.Cell>
                    <IndexTable.Cell>
                      <InlineStack gap="100" wrap={false}>
                        {order.actions.map((intent) => (
                          <Button
                            key={intent}
                            size="slim"
                            tone={intent === "delete" ? "critical" : undefined}
                            variant={intent === "delete" ? "plain" : undefined}
                            accessibilityLabel={`${ACTION_LABELS[intent]} ${order.name}`}
                            loading={pending(intent, order.id)}
                            disabled={fetcher.state !== "idle" && !pending(intent, order.id)}
                            onClick={() => act(intent, order.id)}
                          >
                            {ACTION_LABELS[intent]}
                          </Button>
                        ))}
                      </InlineStack>
                    </IndexTable.Cell>
                  </IndexTable.Row>
                ))}
              </IndexTable>
            )}
          </Card>
        </Layout.Section>
        <Layout.Section>
          <Card>
            <BlockStack gap="300">
              <Text as="h2" variant="headingMd">
                Clock
              </Text>
              <Text as="p" tone="subdued">
                Flows wait in days (a review request 7 days after fulfilment, win-back after 90 days). Move the sandbox&apos;s time forward and whatever has
                come due runs now.
              </Text>
              <Text as="p">
                Sandbox time: <strong>{current.label}</strong> ({current.timeZone})
                {current.offsetHours > 0 ? `, ${formatOffsetHours(current.offsetHours)} ahead of real time` : ", real time"}
              </Text>
              {clockError && (
                <Text as="p" tone="critical">
                  {clockError}
                </Text>
              )}
              <InlineStack gap="200">
                {STEPS.map(([by, label]) => (
                  <Button
                    key={by}
                    loading={clockFetcher.state !== "idle" && clockFetcher.formData?.get("by") === by}
                    onClick={() => clockFetcher.submit({ intent: "advance", by }, { method: "post" })}
                  >
                    {label}
                  </Button>
                ))}
              </InlineStack>
            </BlockStack>
          </Card>
        </Layout.Section>
      </Layout>
    </Page>
  );
}

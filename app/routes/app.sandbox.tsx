import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { useFetcher, useLoaderData } from "@remix-run/react";
import { Banner, BlockStack, Button, Card, InlineStack, Layout, Page, Text } from "@shopify/polaris";
import { changeSampleOrder, placeSampleOrder, type SampleOrderAction } from "~/sandbox/sample-orders.server";
import { requireSandbox } from "~/sandbox/sandbox.server";
import { advanceSandboxClock, sandboxClock } from "~/sandbox/clock.server";
import { authenticate } from "~/shopify.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  requireSandbox();
  return { shop: session.shop, clock: sandboxClock() };
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  requireSandbox();
  const form = await request.formData();
  const intent = String(form.get("intent"));
  if (intent === "place") return { placed: await placeSampleOrder(session.shop) };
  if (intent === "advance") return { advanced: await advanceSandboxClock(String(form.get("by"))) };
  const orderId = String(form.get("orderId"));
  await changeSampleOrder(session.shop, orderId, intent as SampleOrderAction);
  return { changed: { orderId, intent } };
};

export default function SandboxShop() {
  const { clock } = useLoaderData<typeof loader>();
  const fetcher = useFetcher<typeof action>();
  const clockFetcher = useFetcher<typeof action>();
  const advanced = clockFetcher.data && "advanced" in clockFetcher.data ? clockFetcher.data.advanced : undefined;
  const current = advanced ?? clock;
  const placed = fetcher.data && "placed" in fetcher.data ? fetcher.data.placed : undefined;
  const busy = fetcher.state !== "idle";
  return (
    <Page title="Sandbox shop" subtitle="Act as the shop's customers: the emulated Shopify sends real, signed webhooks to the app.">
      <Layout>
        <Layout.Section>
          <Card>
            <BlockStack gap="300">
              <Text as="h2" variant="headingMd">
                Orders
              </Text>
              <Text as="p" tone="subdued">
                A sample order is placed and paid by one of the demo customers (Slovenian, Turkish and English
                shoppers). orders/create and orders/paid arrive within a second.
              </Text>
              <fetcher.Form method="post">
                <input type="hidden" name="intent" value="place" />
                <Button submit variant="primary" loading={busy}>
                  Place sample order
                </Button>
              </fetcher.Form>
              {placed && (
                <Banner tone="success" title={`Order ${placed.name} placed`}>
                  <BlockStack gap="200">
                    <Text as="p">
                      {placed.total} {placed.currency} by {placed.email}
                    </Text>
                    <InlineStack gap="200">
                      {(["fulfill", "refund", "cancel"] as const).map((intent) => (
                        <fetcher.Form method="post" key={intent}>
                          <input type="hidden" name="intent" value={intent} />
                          <input type="hidden" name="orderId" value={placed.id} />
                          <Button submit>{intent[0]!.toUpperCase() + intent.slice(1)}</Button>
                        </fetcher.Form>
                      ))}
                    </InlineStack>
                  </BlockStack>
                </Banner>
              )}
            </BlockStack>
          </Card>
        </Layout.Section>
        <Layout.Section>
          <Card>
            <BlockStack gap="300">
              <Text as="h2" variant="headingMd">
                Clock
              </Text>
              <Text as="p" tone="subdued">
                Flows wait in days (a review request 7 days after fulfilment, win-back after 90 days). Move the
                sandbox's time forward and whatever has come due runs now.
              </Text>
              <Text as="p">
                Sandbox time: <strong>{new Date(current.now).toUTCString()}</strong>
                {current.offsetHours > 0 ? ` (${formatOffset(current.offsetHours)} ahead of real time)` : " (real time)"}
              </Text>
              <InlineStack gap="200">
                {(["1h", "1d", "7d", "30d", "90d"] as const).map((by) => (
                  <clockFetcher.Form method="post" key={by}>
                    <input type="hidden" name="intent" value="advance" />
                    <input type="hidden" name="by" value={by} />
                    <Button submit loading={clockFetcher.state !== "idle" && clockFetcher.formData?.get("by") === by}>
                      {`+ ${by.replace("h", " hour").replace("d", " days").replace("1 days", "1 day")}`}
                    </Button>
                  </clockFetcher.Form>
                ))}
              </InlineStack>
            </BlockStack>
          </Card>
        </Layout.Section>
      </Layout>
    </Page>
  );
}

function formatOffset(hours: number): string {
  const days = Math.floor(hours / 24);
  const rest = hours % 24;
  return [days ? `${days} day${days === 1 ? "" : "s"}` : "", rest ? `${rest} hour${rest === 1 ? "" : "s"}` : ""].filter(Boolean).join(" ");
}

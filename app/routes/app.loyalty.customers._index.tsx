import type { LoaderFunctionArgs } from "@remix-run/node";
import { Form, useLoaderData, useNavigation } from "@remix-run/react";
import { Badge, BlockStack, Button, Card, IndexTable, InlineStack, Layout, Link, Page, Pagination, Text, TextField } from "@shopify/polaris";
import { EmptyCard } from "~/components/EmptyCard";
import { useState } from "react";
import { count, dateTime } from "~/components/loyalty/format";
import { LoyaltySections } from "~/components/loyalty/LoyaltySections";
import { searchLoyaltyCustomers } from "~/loyalty/admin-customers.server";
import { findShop } from "~/shops/shops.server";
import { authenticate } from "~/shopify/shopify.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const url = new URL(request.url);
  const [result, shop] = await Promise.all([
    searchLoyaltyCustomers(session.shop, { query: url.searchParams.get("q") ?? "", page: Number(url.searchParams.get("page") ?? 1) }),
    findShop(session.shop),
  ]);
  return { ...result, timeZone: shop?.ianaTimezone ?? "UTC" };
};

export default function LoyaltyCustomers() {
  const { customers, query, page, pages, total, timeZone } = useLoaderData<typeof loader>();
  const navigation = useNavigation();
  const [q, setQ] = useState(query);
  const pageUrl = (p: number) => `/app/loyalty/customers?${new URLSearchParams({ ...(query ? { q: query } : {}), page: String(p) })}`;
  return (
    <Page backAction={{ content: "Loyalty", url: "/app/loyalty" }} title="Customers" subtitle="Everyone with points: balance, pending points and tier.">
      <BlockStack gap="400">
        <LoyaltySections current="customers" />
        <Layout>
          <Layout.Section>
            <Card>
              <Form method="get" action="/app/loyalty/customers">
                <InlineStack gap="200" blockAlign="end" wrap={false}>
                  <div style={{ flexGrow: 1 }}>
                    <TextField
                      label="Search by e-mail or customer ID"
                      name="q"
                      autoComplete="off"
                      value={q}
                      onChange={setQ}
                      clearButton
                      onClearButtonClick={() => setQ("")}
                    />
                  </div>
                  <Button submit loading={navigation.state === "loading"}>
                    Search
                  </Button>
                </InlineStack>
              </Form>
            </Card>
          </Layout.Section>
          <Layout.Section>
            {customers.length === 0 ? (
              <Card>
                <EmptyCard heading={query ? `No customer matches “${query}”` : "No customers with points yet"}>
                  {query ? "Try part of the e-mail address." : "Customers appear here when they earn their first points."}
                </EmptyCard>
              </Card>
            ) : (
              <Card padding="0">
                <IndexTable
                  resourceName={{ singular: "customer", plural: "customers" }}
                  itemCount={customers.length}
                  selectable={false}
                  headings={[
                    { title: "Customer" },
                    { title: "Points", alignment: "end" },
                    { title: "Pending", alignment: "end" },
                    { title: "Tier" },
                    { title: "Last activity" },
                  ]}
                >
                  {customers.map((c, index) => (
                    <IndexTable.Row id={c.id} key={c.id} position={index}>
                      <IndexTable.Cell>
                        <Link url={`/app/loyalty/customers/${c.id}`} removeUnderline>
                          <Text as="span" fontWeight="semibold">
                            {c.email ?? `Customer ${c.id}`}
                          </Text>
                        </Link>
                      </IndexTable.Cell>
                      <IndexTable.Cell>
                        <Text as="span" alignment="end" numeric tone={c.points < 0 ? "critical" : undefined}>
                          {count(c.points)}
                        </Text>
                      </IndexTable.Cell>
                      <IndexTable.Cell>
                        <Text as="span" alignment="end" numeric>
                          {count(c.pending)}
                        </Text>
                      </IndexTable.Cell>
                      <IndexTable.Cell>
                        {c.tier ? (
                          <Badge tone="info">{c.tier}</Badge>
                        ) : (
                          <Text as="span" tone="subdued">
                            —
                          </Text>
                        )}
                      </IndexTable.Cell>
                      <IndexTable.Cell>{c.lastActivityAt ? dateTime(c.lastActivityAt, timeZone) : "—"}</IndexTable.Cell>
                    </IndexTable.Row>
                  ))}
                </IndexTable>
                <div style={{ padding: "12px 16px" }}>
                  <InlineStack align="space-between" blockAlign="center">
                    <Text as="span" tone="subdued">
                      {`${count(total)} ${total === 1 ? "customer" : "customers"}`}
                    </Text>
                    <Pagination
                      hasPrevious={page > 1}
                      previousURL={pageUrl(page - 1)}
                      hasNext={page < pages}
                      nextURL={pageUrl(page + 1)}
                      label={`Page ${page} of ${pages}`}
                    />
                  </InlineStack>
                </div>
              </Card>
            )}
          </Layout.Section>
        </Layout>
      </BlockStack>
    </Page>
  );
}

import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { useFetcher, useLoaderData } from "@remix-run/react";
import {
  Badge,
  Banner,
  BlockStack,
  Button,
  Card,
  Checkbox,
  DataTable,
  FormLayout,
  InlineGrid,
  InlineStack,
  Layout,
  Page,
  Pagination,
  Text,
  TextField,
} from "@shopify/polaris";
import { useEffect, useState } from "react";
import { count, dateTime, entryLabel, signed } from "~/components/loyalty/format";
import { StatCard } from "~/components/loyalty/StatCard";
import type { FieldErrors } from "~/loyalty/admin-forms";
import { adjustFromForm, customerGidOf, loadLoyaltyCustomer } from "~/loyalty/admin-customers.server";
import { findShop } from "~/shops/shops.server";
import { authenticate } from "~/shopify/shopify.server";

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const gid = customerGidOf(params.customerId ?? "");
  if (!gid) throw new Response("Customer not found", { status: 404 });
  const page = Number(new URL(request.url).searchParams.get("page") ?? 1);
  const [customer, shop] = await Promise.all([loadLoyaltyCustomer(session.shop, gid, page), findShop(session.shop)]);
  if (!customer) throw new Response("Customer not found", { status: 404 });
  return { ...customer, timeZone: shop?.ianaTimezone ?? "UTC" };
};

/** Who made the adjustment: the signed-in staff member when the session knows them, else "staff". */
function staffOf(session: { onlineAccessInfo?: { associated_user?: { email?: string; first_name?: string; last_name?: string } } }): string {
  const user = session.onlineAccessInfo?.associated_user;
  const name = [user?.first_name, user?.last_name].filter(Boolean).join(" ");
  return (user?.email || name || "staff").slice(0, 100);
}

export const action = async ({ request, params }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const gid = customerGidOf(params.customerId ?? "");
  if (!gid || !(await loadLoyaltyCustomer(session.shop, gid))) throw new Response("Customer not found", { status: 404 });
  const body = (await request.json().catch(() => null)) as Record<string, unknown> | null;
  if (!body || body.intent !== "adjust") return data({ errors: { form: "Unknown action" } }, { status: 400 });
  const outcome = await adjustFromForm(session.shop, gid, body, staffOf(session));
  return outcome.ok ? { adjusted: outcome.balance } : data({ errors: outcome.errors }, { status: 422 });
};

type Answer = { adjusted?: number; errors?: FieldErrors };

const newKey = () => (globalThis.crypto?.randomUUID?.() ?? `${Date.now()}-${Math.random().toString(36).slice(2)}`).replace(/[^\w-]/g, "");

export default function LoyaltyCustomer() {
  const { customer, entries, redemptions, page, pages, timeZone } = useLoaderData<typeof loader>();
  const adjust = useFetcher<Answer>();
  const [points, setPoints] = useState("");
  const [reason, setReason] = useState("");
  const [allowNegative, setAllowNegative] = useState(false);
  // One key per form shown: a double click or a retried request adjusts once.
  const [key, setKey] = useState(newKey);
  const errors = (adjust.state === "idle" && adjust.data?.errors) || {};

  useEffect(() => {
    if (adjust.state === "idle" && adjust.data?.adjusted !== undefined) {
      window.shopify?.toast.show("Points adjusted");
      setPoints("");
      setReason("");
      setAllowNegative(false);
      setKey(newKey());
    }
  }, [adjust.state, adjust.data]);

  const title = customer.email ?? `Customer ${customer.id}`;
  const pageUrl = (p: number) => `/app/loyalty/customers/${customer.id}?page=${p}`;
  return (
    <Page
      backAction={{ content: "Customers", url: "/app/loyalty/customers" }}
      title={title}
      titleMetadata={customer.tier ? <Badge tone="info">{customer.tier}</Badge> : undefined}
      subtitle={`Customer ${customer.id}`}
    >
      <Layout>
        <Layout.Section>
          <InlineGrid columns={{ xs: 1, sm: 3 }} gap="400">
            <StatCard
              label="Spendable points"
              value={count(customer.points)}
              help={customer.points < 0 ? "A debt: points spent, then the order refunded" : undefined}
            />
            <StatCard label="Pending points" value={count(customer.pending)} help="Spendable once the refund window passes" />
            <StatCard label="Tier" value={customer.tier ?? "None"} help={customer.tierSince ? `Since ${dateTime(customer.tierSince, timeZone)}` : undefined} />
          </InlineGrid>
        </Layout.Section>
        <Layout.Section>
          <Card padding="0">
            <div style={{ padding: "16px 16px 0" }}>
              <Text as="h2" variant="headingMd">
                Points history
              </Text>
            </div>
            <DataTable
              columnContentTypes={["text", "text", "numeric", "text"]}
              headings={["When", "What", "Points", "Why"]}
              rows={entries.map((e) => [
                dateTime(e.at, timeZone),
                <InlineStack key="what" gap="100" wrap={false}>
                  <Text as="span">{entryLabel(e.kind)}</Text>
                  {e.pendingNow && <Badge tone="attention">Pending</Badge>}
                </InlineStack>,
                signed(e.points),
                [e.reason, e.staff ? `by ${e.staff}` : null, e.availableAt && e.pendingNow ? `spendable ${dateTime(e.availableAt, timeZone)}` : null]
                  .filter(Boolean)
                  .join(" · "),
              ])}
            />
            {pages > 1 && (
              <div style={{ padding: "12px 16px" }}>
                <Pagination
                  hasPrevious={page > 1}
                  previousURL={pageUrl(page - 1)}
                  hasNext={page < pages}
                  nextURL={pageUrl(page + 1)}
                  label={`Page ${page} of ${pages}`}
                />
              </div>
            )}
          </Card>
        </Layout.Section>
        <Layout.Section variant="oneThird">
          <BlockStack gap="400">
            <Card>
              <BlockStack gap="300">
                <Text as="h2" variant="headingMd">
                  Adjust points
                </Text>
                {errors.form && <Banner tone="critical">{errors.form}</Banner>}
                <FormLayout>
                  <TextField
                    label="Points"
                    autoComplete="off"
                    inputMode="numeric"
                    placeholder="50 or -50"
                    value={points}
                    onChange={setPoints}
                    error={errors.points}
                    helpText="Positive adds, negative takes away."
                  />
                  <TextField
                    label="Reason"
                    autoComplete="off"
                    multiline={2}
                    value={reason}
                    onChange={setReason}
                    error={errors.reason}
                    helpText="Shown in the customer's history."
                  />
                  <Checkbox label="Allow a negative balance" checked={allowNegative} onChange={setAllowNegative} />
                </FormLayout>
                <InlineStack align="end">
                  <Button
                    variant="primary"
                    loading={adjust.state !== "idle"}
                    onClick={() => adjust.submit({ intent: "adjust", points, reason, allowNegative, key }, { method: "post", encType: "application/json" })}
                  >
                    Adjust points
                  </Button>
                </InlineStack>
              </BlockStack>
            </Card>
            <Card>
              <BlockStack gap="200">
                <Text as="h2" variant="headingMd">
                  Rewards redeemed
                </Text>
                {redemptions.length === 0 && (
                  <Text as="p" tone="subdued">
                    None yet.
                  </Text>
                )}
                {redemptions.map((r) => (
                  <BlockStack key={r.id} gap="050">
                    <InlineStack align="space-between">
                      <Text as="span" fontWeight="semibold">
                        {r.reward}
                      </Text>
                      <Badge tone={r.status === "created" ? "success" : r.status === "refunded" ? "critical" : "attention"}>
                        {r.status === "created" ? "Code created" : r.status === "refunded" ? "Points returned" : "Creating code"}
                      </Badge>
                    </InlineStack>
                    <Text as="span" tone="subdued" variant="bodySm">
                      {`${dateTime(r.at, timeZone)} · ${count(r.points)} points${r.code ? ` · ${r.code}` : ""}`}
                    </Text>
                  </BlockStack>
                ))}
              </BlockStack>
            </Card>
          </BlockStack>
        </Layout.Section>
      </Layout>
    </Page>
  );
}

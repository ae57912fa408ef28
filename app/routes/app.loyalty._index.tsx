import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { useFetcher, useLoaderData } from "@remix-run/react";
import { Banner, BlockStack, Button, InlineGrid, InlineStack, Layout, List, Page, Text } from "@shopify/polaris";
import { useEffect, useState } from "react";
import { count, points } from "~/components/loyalty/format";
import { LoyaltySections } from "~/components/loyalty/LoyaltySections";
import { PastOrdersCard } from "~/components/loyalty/PastOrdersCard";
import { PROGRAM_FIELD_LABELS, ProgramSettings } from "~/components/loyalty/ProgramSettings";
import { StatCard } from "~/components/loyalty/StatCard";
import type { FieldErrors, ProgramForm } from "~/loyalty/admin-forms";
import { loadLoyaltyOverview, saveProgramSettings, turnOffDoubleEarnFlow } from "~/loyalty/admin-program.server";
import { authenticate } from "~/shopify/shopify.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  return loadLoyaltyOverview(session.shop);
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const body = (await request.json().catch(() => null)) as Record<string, unknown> | null;
  if (!body || typeof body !== "object") return data({ errors: { form: "Send the settings as JSON" } }, { status: 400 });
  if (body.intent === "save") {
    const saved = await saveProgramSettings(session.shop, body);
    return saved.ok ? { saved: true } : data({ errors: saved.errors }, { status: 422 });
  }
  if (body.intent === "turnOffFlow") {
    if (!(await turnOffDoubleEarnFlow(session.shop, String(body.flowId ?? "")))) throw new Response("Flow not found", { status: 404 });
    return { flowOff: true };
  }
  return data({ errors: { intent: "Unknown action" } }, { status: 400 });
};

type Answer = { saved?: boolean; flowOff?: boolean; errors?: FieldErrors };

export default function LoyaltyOverview() {
  const { program, currency, stats, doubleEarnFlows } = useLoaderData<typeof loader>();
  const save = useFetcher<Answer>();
  const flowSwitch = useFetcher<Answer>();
  const [form, setForm] = useState<ProgramForm>(program);
  const [baseline, setBaseline] = useState(() => JSON.stringify(program));
  if (baseline !== JSON.stringify(program)) {
    // Saved (or changed elsewhere): start again from what is stored now.
    setBaseline(JSON.stringify(program));
    setForm(program);
  }
  const dirty = JSON.stringify(form) !== JSON.stringify(program);
  const errors = (save.state === "idle" && save.data?.errors) || {};
  const errorCount = Object.keys(errors).length;

  useEffect(() => {
    if (save.state === "idle" && save.data?.saved) window.shopify?.toast.show("Loyalty settings saved");
  }, [save.state, save.data]);

  const submit = () => save.submit({ intent: "save", ...form } as never, { method: "post", encType: "application/json" });
  const earnsTwice = form.enabled && doubleEarnFlows.length > 0;

  return (
    <Page
      title="Loyalty"
      subtitle="Points for purchases, tiers and rewards, mirrored to each customer in Shopify."
      primaryAction={{ content: "Save", id: "loyalty-save", onAction: submit, loading: save.state !== "idle", disabled: !dirty }}
      secondaryActions={[{ content: "Discard", onAction: () => setForm(program), disabled: !dirty }]}
    >
      <BlockStack gap="400">
        <LoyaltySections current="overview" />
        <Layout>
          {errorCount > 0 && (
            <Layout.Section>
              <Banner tone="critical" title={`${errorCount} ${errorCount === 1 ? "field needs" : "fields need"} attention`}>
                <List>
                  {Object.entries(errors).map(([field, message]) => (
                    <List.Item key={field}>{`${PROGRAM_FIELD_LABELS[field] ?? field}: ${message}`}</List.Item>
                  ))}
                </List>
              </Banner>
            </Layout.Section>
          )}
          {earnsTwice && (
            <Layout.Section>
              <Banner tone="warning" title="Customers would earn points twice">
                <BlockStack gap="200">
                  <Text as="p">
                    {doubleEarnFlows.map((f) => `“${f.name}”`).join(", ")} also awards points when an order is paid. With the program on as well, each order
                    earns twice. Turn the flow off to let the program alone award points for purchases.
                  </Text>
                  <InlineStack gap="200">
                    {doubleEarnFlows.map((f) => (
                      <Button
                        key={f.id}
                        loading={flowSwitch.state !== "idle"}
                        onClick={() => flowSwitch.submit({ intent: "turnOffFlow", flowId: f.id }, { method: "post", encType: "application/json" })}
                      >
                        {`Turn off “${f.name}”`}
                      </Button>
                    ))}
                    <Button url="/app/flows" variant="plain">
                      Review flows
                    </Button>
                  </InlineStack>
                </BlockStack>
              </Banner>
            </Layout.Section>
          )}
          <Layout.Section>
            <InlineGrid columns={{ xs: 1, sm: 2, md: 4 }} gap="400">
              <StatCard label="Members" value={count(stats.members)} help={`${count(stats.tiers)} tiers · ${count(stats.rewards)} rewards`} />
              <StatCard
                label="Spendable points"
                value={count(stats.spendable)}
                help={stats.customersInDebt > 0 ? `${points(stats.debt)} owed by ${count(stats.customersInDebt)} customers` : "Outstanding, approved"}
              />
              <StatCard label="Pending points" value={count(stats.pending)} help="Waiting out the refund window" />
              <StatCard label="Redeemed, 30 days" value={count(stats.redeemed30d)} help={`${count(stats.redemptions30d)} rewards`} />
            </InlineGrid>
          </Layout.Section>
          <Layout.Section>
            <ProgramSettings form={form} currency={currency} errors={errors} onChange={(patch) => setForm((f) => ({ ...f, ...patch }))} />
          </Layout.Section>
          <Layout.Section>
            <PastOrdersCard />
          </Layout.Section>
        </Layout>
      </BlockStack>
    </Page>
  );
}

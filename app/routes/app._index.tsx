import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Link as RemixLink, useFetcher, useLoaderData } from "@remix-run/react";
import { Badge, Banner, BlockStack, Button, Card, DataTable, InlineGrid, InlineStack, Layout, Page, Text } from "@shopify/polaris";
import {
  approveReward,
  AttentionItemNotFoundError,
  attentionItems,
  cancelReward,
  declineReward,
  markNotificationRead,
  retryReward,
  type RewardDecision,
} from "~/rewards/approvals.server";
import { formatWhen } from "~/components/flows/labels";
import { ShopClockText } from "~/components/ShopClockText";
import { latestBackfillRun } from "~/backfill/backfill.server";
import { backfillView } from "~/backfill/view";
import { HistoryImportCard } from "~/components/HistoryImportCard";
import { cancelRedemption, RedemptionNotFoundError, retryRedemption, stuckRedemptions, type RedemptionDecision } from "~/loyalty/redemption.server";
import { loadDashboard } from "~/shops/dashboard.server";
import { authenticate } from "~/shopify/shopify.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const [dashboard, attention, redemptions, importRun] = await Promise.all([
    loadDashboard(session.shop),
    attentionItems(session.shop),
    stuckRedemptions(session.shop),
    latestBackfillRun(session.shop),
  ]);
  return { ...dashboard, attention: { ...attention, redemptions }, historyImport: backfillView(importRun) };
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const form = await request.formData();
  const intent = String(form.get("intent"));
  const id = String(form.get("id") ?? "");
  if (!id) return Response.json({ errors: { id: "Choose an item" } }, { status: 422 });
  const act = REWARD_INTENTS[intent] ?? REDEMPTION_INTENTS[intent];
  if (!act && intent !== "read") return Response.json({ errors: { intent: "Unknown action" } }, { status: 422 });
  try {
    if (!act) {
      await markNotificationRead(session.shop, id);
      return { done: intent, id };
    }
    const decision = await act(session.shop, id);
    if (!decision.ok)
      return Response.json({ errors: { id: decision.reason }, rewardStatus: "reward" in decision ? decision.reward.status : null }, { status: 422 });
    return { done: intent, id };
  } catch (error) {
    if (error instanceof AttentionItemNotFoundError || error instanceof RedemptionNotFoundError) throw new Response("Not found", { status: 404 });
    throw error;
  }
};

const REWARD_INTENTS: Record<string, ((shop: string, id: string) => Promise<RewardDecision>) | undefined> = {
  approve: approveReward,
  decline: declineReward,
  retry: retryReward,
  cancel: cancelReward,
};

const REDEMPTION_INTENTS: Record<string, ((shop: string, id: string) => Promise<RedemptionDecision>) | undefined> = {
  "redemption-retry": retryRedemption,
  "redemption-cancel": cancelRedemption,
};

const STATUS_TONE = { processed: "success", failed: "critical", received: "info", dead: "critical" } as const;

export default function Dashboard() {
  const { shop, events, counts, attention, clock, historyImport } = useLoaderData<typeof loader>();
  return (
    <Page title="Dashboard">
      <Layout>
        {(attention.awaiting.length > 0 || attention.failed.length > 0 || attention.redemptions.length > 0 || attention.notifications.length > 0) && (
          <Layout.Section>
            <Attention attention={attention} />
          </Layout.Section>
        )}
        <Layout.Section>
          <HistoryImportCard initial={historyImport} />
        </Layout.Section>
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
                    formatWhen(event.receivedAt, shop?.ianaTimezone ?? "UTC"),
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
              <ShopClockText clock={clock} />
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
          {value.toLocaleString("en-US")}
        </Text>
      </BlockStack>
    </Card>
  );
}

type AttentionData = ReturnType<typeof useLoaderData<typeof loader>>["attention"];

function Attention({ attention }: { attention: AttentionData }) {
  const fetcher = useFetcher<typeof action>();
  const button = (intent: string, id: string, label: string, primary = false) => (
    <fetcher.Form method="post">
      <input type="hidden" name="intent" value={intent} />
      <input type="hidden" name="id" value={id} />
      <Button submit variant={primary ? "primary" : undefined} loading={fetcher.state !== "idle" && fetcher.formData?.get("id") === id}>
        {label}
      </Button>
    </fetcher.Form>
  );
  const answer = fetcher.state === "idle" ? (fetcher.data as { errors?: { id?: string; intent?: string }; rewardStatus?: string } | undefined) : undefined;
  // A reward Shopify refused is listed below with its reason: no second banner for it.
  const refused = answer?.errors && answer.rewardStatus !== "failed" ? answer.errors : null;
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          Needs your attention
        </Text>
        {refused && (
          <Banner tone="critical" title="That did not work">
            <p>{refused.id ?? refused.intent}</p>
          </Banner>
        )}
        {attention.failed.map((reward) => (
          <Banner key={reward.id} tone="critical" title={`Reward not created: ${offerText(reward)}`}>
            <BlockStack gap="200">
              <Text as="p">
                For {reward.email ?? "a customer"} · code {reward.code} · {reward.title}
              </Text>
              <Text as="p" tone="subdued">
                {reward.error}
              </Text>
              <Text as="p">
                Retry creates the code in Shopify now, valid from today, and e-mails it if the flow said so. Cancel drops it: the customer gets nothing.
              </Text>
              <InlineStack gap="200">
                {button("retry", reward.id, "Retry", true)}
                {button("cancel", reward.id, "Cancel reward")}
              </InlineStack>
            </BlockStack>
          </Banner>
        ))}
        {attention.redemptions.map((redemption) => (
          <Banner key={redemption.id} tone="critical" title={`Points spent, code not created yet: ${redemption.points} points`}>
            <BlockStack gap="200">
              <Text as="p">For {redemption.customer} · the app keeps trying; the last attempt said:</Text>
              <Text as="p" tone="subdued">
                {redemption.error}
              </Text>
              <Text as="p">
                Retry asks Shopify for the code now. Cancel gives the {redemption.points} points back to the customer (once) and creates no code.
              </Text>
              <InlineStack gap="200">
                {button("redemption-retry", redemption.id, "Retry", true)}
                {button("redemption-cancel", redemption.id, "Cancel and give points back")}
              </InlineStack>
            </BlockStack>
          </Banner>
        ))}
        {attention.awaiting.map((reward) => (
          <Banner key={reward.id} tone="warning" title={`Reward waiting for approval: ${offerText(reward)}`}>
            <BlockStack gap="200">
              <Text as="p">
                For {reward.email ?? "a customer"} · {reward.title}
              </Text>
              <InlineStack gap="200">
                {button("approve", reward.id, "Approve and send", true)}
                {button("decline", reward.id, "Decline")}
              </InlineStack>
            </BlockStack>
          </Banner>
        ))}
        {attention.notifications.map((note) => (
          <Banner key={note.id} tone={note.severity === "warning" ? "warning" : "info"}>
            <InlineStack gap="300" align="space-between" blockAlign="center">
              <Text as="p">{note.message}</Text>
              {button("read", note.id, "Mark as read")}
            </InlineStack>
          </Banner>
        ))}
      </BlockStack>
    </Card>
  );
}

function offerText(reward: { kind: string; value: string; currency: string | null }): string {
  if (reward.kind === "percentage") return `${reward.value}% off`;
  if (reward.kind === "free_shipping") return "free shipping";
  return `${reward.value} ${reward.currency ?? ""} off`;
}

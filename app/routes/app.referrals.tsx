import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData, useNavigate, useSearchParams } from "@remix-run/react";
import { Badge, BlockStack, Card, DataTable, InlineGrid, Layout, Page, Tabs, Text } from "@shopify/polaris";
import { EmptyCard } from "~/components/EmptyCard";
import { formatMoney } from "~/flows/money-format";
import { loadReferralsPage, parseReferralStatus, type ReferralRow } from "~/referrals/admin.server";
import { authenticate } from "~/shopify.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const status = parseReferralStatus(new URL(request.url).searchParams.get("status"));
  return { status, ...(await loadReferralsPage(session.shop, status)) };
};

const TABS = [
  { id: "all", content: "All" },
  { id: "pending", content: "Waiting out the refund window" },
  { id: "rewarded", content: "Rewarded" },
  { id: "rejected", content: "Rejected" },
] as const;

const TONE = { pending: "attention", rewarded: "success", rejected: "critical", reversed: "warning" } as const;
const LABEL = { pending: "Pending", rewarded: "Rewarded", rejected: "Rejected", reversed: "Reversed" } as const;

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;
const day = (iso: string) => new Date(iso).toLocaleDateString("en-GB", { day: "numeric", month: "short", year: "numeric", timeZone: "UTC" });

export default function Referrals() {
  const { status, referrals, counts, revenue, codes, program } = useLoaderData<typeof loader>();
  const [searchParams] = useSearchParams();
  const navigate = useNavigate();
  const selected = Math.max(0, TABS.findIndex((tab) => tab.id === (status ?? "all")));
  const select = (index: number) => {
    const next = new URLSearchParams(searchParams);
    const id = TABS[index]!.id;
    if (id === "all") next.delete("status");
    else next.set("status", id);
    navigate(`?${next.toString()}`);
  };
  const reward = program.reward.kind === "points" ? `${program.reward.points} points` : `a ${program.reward.percent}% discount code`;
  const total = Object.values(counts).reduce<number>((sum, n) => sum + (n ?? 0), 0);

  return (
    <Page title="Referrals" subtitle="Customers share their code on the thank-you page; friends get a discount, and the customer is rewarded once the friend's order is past the refund window.">
      <Layout>
        <Layout.Section>
          <InlineGrid columns={{ xs: 1, md: 3 }} gap="400">
            <Card>
              <BlockStack gap="200">
                <Text as="h2" variant="headingSm">
                  Referred revenue
                </Text>
                <Text as="p" variant="headingLg">
                  {revenue.length === 0 ? "—" : revenue.map((r) => formatMoney(r.minor, r.currency)).join(" · ")}
                </Text>
                <Text as="p" tone="subdued">
                  {plural((counts.pending ?? 0) + (counts.rewarded ?? 0), "friend's order", "friends' orders")}, pending and rewarded
                </Text>
              </BlockStack>
            </Card>
            <Card>
              <BlockStack gap="200">
                <Text as="h2" variant="headingSm">
                  Referrals
                </Text>
                <Text as="p" variant="headingLg">
                  {total}
                </Text>
                <Text as="p" tone="subdued">
                  {counts.rewarded ?? 0} rewarded · {counts.pending ?? 0} pending · {counts.rejected ?? 0} rejected
                </Text>
              </BlockStack>
            </Card>
            <Card>
              <BlockStack gap="200">
                <Text as="h2" variant="headingSm">
                  How it works
                </Text>
                <Text as="p">
                  Friends get {program.friendPercent}% off their first order. The customer gets {reward} {program.windowDays} days after the friend&apos;s order is paid.
                </Text>
                <Text as="p" tone="subdued">
                  {plural(codes.active ?? 0, "code", "codes")} shared, each good for {program.usageLimit} friends. Self-referrals and repeat customers are not rewarded.
                </Text>
              </BlockStack>
            </Card>
          </InlineGrid>
        </Layout.Section>
        <Layout.Section>
          <Card padding="0">
            <Tabs tabs={TABS.map((tab) => ({ ...tab, content: tab.id === "all" ? tab.content : `${tab.content} (${counts[tab.id] ?? 0})` }))} selected={selected} onSelect={select} />
            {referrals.length === 0 ? (
              <EmptyCard heading="No referrals yet">
                Add the referral block to the thank-you page (a flow&apos;s &ldquo;Show thank-you page content&rdquo; action) so customers can share their code.
              </EmptyCard>
            ) : (
              <DataTable
                columnContentTypes={["text", "text", "text", "text", "numeric", "text", "text"]}
                headings={["Friend's order", "Code", "Customer", "Friend", "Revenue", "State", "Reward"]}
                rows={referrals.map((r) => row(r))}
              />
            )}
          </Card>
        </Layout.Section>
      </Layout>
    </Page>
  );
}

function row(r: ReferralRow) {
  const status = r.status as keyof typeof TONE;
  return [
    r.friendOrderName ?? r.friendOrderGid.replace("gid://shopify/Order/", "#"),
    r.code,
    r.advocate,
    r.friend,
    r.currency ? formatMoney(r.revenueMinor, r.currency) : "—",
    <BlockStack key="s" gap="100" inlineAlign="start">
      <Badge tone={TONE[status]}>{LABEL[status] ?? r.status}</Badge>
      {r.reason && (
        <Text as="span" variant="bodySm" tone="subdued">
          {r.reason.replace(/^[a-z_]+: /, "")}
        </Text>
      )}
    </BlockStack>,
    r.rewardedAt ? `Rewarded ${day(r.rewardedAt)}` : r.status === "pending" && r.rewardAt ? `Due ${day(r.rewardAt)}` : "—",
  ];
}

import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { useActionData, useFetcher, useLoaderData, useNavigate, useSearchParams } from "@remix-run/react";
import { Badge, Banner, BlockStack, Button, ButtonGroup, Card, DataTable, InlineGrid, Layout, Page, Tabs, Text } from "@shopify/polaris";
import { EmptyCard } from "~/components/EmptyCard";
import { ReferralSettingsCard } from "~/components/referrals/ReferralSettingsCard";
import { formatMoney } from "~/lib/money-format";
import { loadReferralsPage, parseReferralStatus, type ReferralCodeProblem, type ReferralRow } from "~/referrals/admin.server";
import {
  cancelReferralCode,
  cancelReferralReward,
  ReferralItemNotFoundError,
  retryReferralCode,
  retryReferralReward,
  type ReferralDecision,
} from "~/referrals/recovery.server";
import { saveReferralSettings } from "~/referrals/codes.server";
import { referralSettingsForm } from "~/referrals/settings";
import { authenticate } from "~/shopify/shopify.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const status = parseReferralStatus(new URL(request.url).searchParams.get("status"));
  const page = await loadReferralsPage(session.shop, status);
  return { status, ...page, settings: referralSettingsForm(page.program) };
};

const INTENTS: Record<string, ((shop: string, id: string) => Promise<ReferralDecision>) | undefined> = {
  "retry-code": retryReferralCode,
  "cancel-code": cancelReferralCode,
  "retry-referral": retryReferralReward,
  "cancel-referral": cancelReferralReward,
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const form = await request.formData();
  const intent = String(form.get("intent") ?? "");
  if (intent === "save-settings") {
    const saved = await saveReferralSettings(session.shop, Object.fromEntries(form));
    if (!saved.ok) return Response.json({ ok: false, reason: "Check the highlighted fields", errors: saved.errors }, { status: 422 });
    return { ok: true as const, intent, id: "" };
  }
  const id = String(form.get("id") ?? "");
  const act = INTENTS[intent];
  if (!act) return Response.json({ ok: false, reason: "Unknown action", errors: { intent: "Unknown action" } }, { status: 422 });
  if (!id) return Response.json({ ok: false, reason: "Choose an item", errors: { id: "Choose an item" } }, { status: 422 });
  try {
    const decision = await act(session.shop, id);
    if (!decision.ok) return Response.json({ ok: false, reason: decision.reason, errors: { id: decision.reason } }, { status: 422 });
    return { ok: true as const, intent, id };
  } catch (error) {
    if (error instanceof ReferralItemNotFoundError) throw new Response("Not found", { status: 404 });
    throw error;
  }
};

const TABS = [
  { id: "all", content: "All" },
  { id: "pending", content: "Waiting out the refund window" },
  { id: "rewarded", content: "Rewarded" },
  { id: "rejected", content: "Rejected" },
  { id: "failed", content: "Reward failed" },
] as const;

const TONE = {
  pending: "attention",
  rewarded: "success",
  rejected: "critical",
  reversed: "warning",
  failed: "critical",
  cancelled: undefined,
  creating: "attention",
} as const;
const LABEL = {
  pending: "Pending",
  rewarded: "Rewarded",
  rejected: "Rejected",
  reversed: "Reversed",
  failed: "Reward failed",
  cancelled: "Cancelled",
  creating: "Creation interrupted",
} as const;

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;
const day = (iso: string) => new Date(iso).toLocaleDateString("en-GB", { day: "numeric", month: "short", year: "numeric", timeZone: "UTC" });

export default function Referrals() {
  const { status, referrals, counts, revenue, codes, program, codeProblems, settings } = useLoaderData<typeof loader>();
  const answer = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  const navigate = useNavigate();
  const selected = Math.max(
    0,
    TABS.findIndex((tab) => tab.id === (status ?? "all")),
  );
  const select = (index: number) => {
    const next = new URLSearchParams(searchParams);
    const id = TABS[index]!.id;
    if (id === "all") next.delete("status");
    else next.set("status", id);
    navigate(`?${next.toString()}`);
  };
  const reward = program.reward.kind === "points" ? `${program.reward.points} points` : `a ${program.reward.percent}% discount code`;
  const friend = program.friendDiscount;
  const friendGets = friend.type === "percentage" ? `${friend.percent}%` : formatMoney(friend.amountMinor, friend.currency);
  const minimum = program.minimumOrderMinor > 0 ? ` on orders from ${formatMoney(program.minimumOrderMinor, program.currency)}` : "";
  const total = Object.values(counts).reduce<number>((sum, n) => sum + (n ?? 0), 0);

  return (
    <Page
      title="Referrals"
      subtitle="Customers share their code on the thank-you page; friends get a discount, and the customer is rewarded once the friend's order is past the refund window."
    >
      <Layout>
        {answer && !answer.ok && "reason" in answer && (
          <Layout.Section>
            <Banner tone="critical">{answer.reason}</Banner>
          </Layout.Section>
        )}
        {codeProblems.length > 0 && (
          <Layout.Section>
            <Card padding="0">
              <BlockStack gap="200">
                <div style={{ padding: "16px 16px 0" }}>
                  <Text as="h2" variant="headingSm">
                    Referral codes Shopify did not create
                  </Text>
                  <Text as="p" tone="subdued">
                    Retry asks Shopify to create the code now (one that an earlier attempt did create is used as is). Cancel gives up: the customer is not
                    offered a code.
                  </Text>
                </div>
                <DataTable
                  columnContentTypes={["text", "text", "text", "text"]}
                  headings={["Code", "Customer", "State", ""]}
                  rows={codeProblems.map((c) => codeRow(c))}
                />
              </BlockStack>
            </Card>
          </Layout.Section>
        )}
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
                {program.enabled ? (
                  <Text as="p">
                    Friends get {friendGets} off their first order{minimum}. The customer gets {reward} {program.windowDays} days after the friend&apos;s order
                    is paid (for new codes; each code keeps the terms it was made with).
                  </Text>
                ) : (
                  <Text as="p">The program is off: no new codes are made and shoppers see no referral block. Codes already shared still work.</Text>
                )}
                <Text as="p" tone="subdued">
                  {plural(codes.active ?? 0, "code", "codes")} shared, each good for {program.usageLimit} friends. Self-referrals and repeat customers are not
                  rewarded.
                </Text>
              </BlockStack>
            </Card>
          </InlineGrid>
        </Layout.Section>
        <Layout.Section>
          <ReferralSettingsCard initial={settings} currency={program.currency} saved={program.saved} />
        </Layout.Section>
        <Layout.Section>
          <Card padding="0">
            <Tabs
              tabs={TABS.map((tab) => ({ ...tab, content: tab.id === "all" ? tab.content : `${tab.content} (${counts[tab.id] ?? 0})` }))}
              selected={selected}
              onSelect={select}
            />
            {referrals.length === 0 ? (
              <EmptyCard heading="No referrals yet">
                Add the referral block to the thank-you page (a flow&apos;s &ldquo;Show thank-you page content&rdquo; action) so customers can share their code.
              </EmptyCard>
            ) : (
              <DataTable
                columnContentTypes={["text", "text", "text", "text", "numeric", "text", "text", "text"]}
                headings={["Friend's order", "Code", "Customer", "Friend", "Revenue", "State", "Reward", ""]}
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
    r.canRetry || r.canCancel ? <Actions key="a" id={r.id} kind="referral" retry="Retry reward" cancel="Cancel reward" /> : "",
  ];
}

function codeRow(c: ReferralCodeProblem) {
  const status = c.status as keyof typeof TONE;
  return [
    c.code,
    c.advocate,
    <BlockStack key="s" gap="100" inlineAlign="start">
      <Badge tone={TONE[status]}>{c.status === "failed" ? "Not created" : (LABEL[status] ?? c.status)}</Badge>
      <Text as="span" variant="bodySm" tone="subdued">
        {c.reason}
      </Text>
    </BlockStack>,
    c.canRetry || c.canCancel ? <Actions key="a" id={c.id} kind="code" retry="Retry" cancel="Cancel code" /> : "",
  ];
}

function Actions({ id, kind, retry, cancel }: { id: string; kind: "code" | "referral"; retry: string; cancel: string }) {
  const fetcher = useFetcher<typeof action>();
  const busy = fetcher.state !== "idle";
  const failed = fetcher.data && !fetcher.data.ok && "reason" in fetcher.data ? fetcher.data.reason : null;
  const send = (intent: string) => fetcher.submit({ intent: `${intent}-${kind}`, id }, { method: "post" });
  return (
    <BlockStack gap="100">
      <ButtonGroup>
        <Button size="slim" loading={busy && fetcher.formData?.get("intent") === `retry-${kind}`} disabled={busy} onClick={() => send("retry")}>
          {retry}
        </Button>
        <Button size="slim" tone="critical" variant="plain" disabled={busy} onClick={() => send("cancel")}>
          {cancel}
        </Button>
      </ButtonGroup>
      {failed && (
        <Text as="span" variant="bodySm" tone="critical">
          {failed}
        </Text>
      )}
    </BlockStack>
  );
}

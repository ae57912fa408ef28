import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { useFetcher, useLoaderData } from "@remix-run/react";
import { Badge, BlockStack, Button, Card, IndexTable, InlineStack, Layout, Page, Text } from "@shopify/polaris";
import { EmptyCard } from "~/components/EmptyCard";
import { useEffect, useState } from "react";
import { count, money, rewardValue } from "~/components/loyalty/format";
import { LoyaltySections } from "~/components/loyalty/LoyaltySections";
import { blankReward, RewardForm } from "~/components/loyalty/RewardForm";
import type { FieldErrors, RewardForm as RewardFormData } from "~/loyalty/admin-forms";
import { createRewardFromForm, deleteReward, loadRewardsPage, setRewardEnabled, updateRewardFromForm } from "~/loyalty/admin-rewards.server";
import { authenticate } from "~/shopify/shopify.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  return loadRewardsPage(session.shop);
};

const notFound = () => new Response("Reward not found", { status: 404 });

export const action = async ({ request }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const shop = session.shop;
  const body = (await request.json().catch(() => null)) as Record<string, unknown> | null;
  if (!body || typeof body !== "object") return data({ errors: { form: "Send the reward as JSON" } }, { status: 400 });
  const id = String(body.id ?? "");
  switch (body.intent) {
    case "create": {
      const created = await createRewardFromForm(shop, body);
      return created.ok ? { saved: created.id } : data({ errors: created.errors }, { status: 422 });
    }
    case "update": {
      const updated = await updateRewardFromForm(shop, id, body);
      if (!updated) throw notFound();
      return updated.ok ? { saved: updated.id } : data({ errors: updated.errors }, { status: 422 });
    }
    case "toggle":
      if (!(await setRewardEnabled(shop, id, body.enabled === true))) throw notFound();
      return { toggled: id };
    case "delete": {
      const outcome = await deleteReward(shop, id);
      if (!outcome) throw notFound();
      return { removed: outcome };
    }
    default:
      return data({ errors: { intent: "Unknown action" } }, { status: 400 });
  }
};

type Answer = { saved?: string; removed?: "deleted" | "disabled"; errors?: FieldErrors };
type Reward = ReturnType<typeof useLoaderData<typeof loader>>["rewards"][number];

const formOf = (r: Reward): RewardFormData => ({
  name: r.name,
  kind: r.kind,
  value: r.value,
  pointsCost: String(r.pointsCost),
  minimumOrder: r.minimumOrder ?? "",
  expiresInDays: String(r.expiresInDays),
  enabled: r.enabled,
});

export default function LoyaltyRewards() {
  const { rewards, currency } = useLoaderData<typeof loader>();
  const save = useFetcher<Answer>();
  const [form, setForm] = useState<RewardFormData>(blankReward);
  const [editing, setEditing] = useState<Reward | null>(null);
  const errors = (save.state === "idle" && save.data?.errors) || {};

  useEffect(() => {
    if (save.state === "idle" && save.data?.saved) {
      window.shopify?.toast.show(editing ? "Reward saved" : "Reward added");
      setForm(blankReward());
      setEditing(null);
    }
    // Only when an answer arrives.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [save.state, save.data]);

  const submit = () =>
    save.submit({ intent: editing ? "update" : "create", id: editing?.id ?? null, ...form } as never, { method: "post", encType: "application/json" });
  const edit = (reward: Reward) => {
    setEditing(reward);
    setForm(formOf(reward));
    window.scrollTo({ top: 0, behavior: "smooth" });
  };

  return (
    <Page
      backAction={{ content: "Loyalty", url: "/app/loyalty" }}
      title="Rewards"
      subtitle="What points buy: each redemption creates a single-use discount code for the customer in Shopify."
    >
      <BlockStack gap="400">
        <LoyaltySections current="rewards" />
        <Layout>
          <Layout.Section>
            <RewardForm
              form={form}
              currency={currency}
              errors={errors}
              editing={editing?.name ?? null}
              busy={save.state !== "idle"}
              onChange={(patch) => setForm((f) => ({ ...f, ...patch }))}
              onSubmit={submit}
              onCancel={() => {
                setEditing(null);
                setForm(blankReward());
              }}
            />
          </Layout.Section>
          <Layout.Section>
            {rewards.length === 0 ? (
              <Card>
                <EmptyCard heading="No rewards yet">
                  Add a reward above: customers see it in their account and on the thank-you page, and redeem it with their points.
                </EmptyCard>
              </Card>
            ) : (
              <Card padding="0">
                <IndexTable
                  resourceName={{ singular: "reward", plural: "rewards" }}
                  itemCount={rewards.length}
                  selectable={false}
                  headings={[
                    { title: "Reward" },
                    { title: "Costs", alignment: "end" },
                    { title: "Conditions" },
                    { title: "Redeemed", alignment: "end" },
                    { title: "Status" },
                    { title: "" },
                  ]}
                >
                  {rewards.map((r, index) => (
                    <RewardRow key={r.id} reward={r} index={index} currency={currency} onEdit={() => edit(r)} />
                  ))}
                </IndexTable>
              </Card>
            )}
          </Layout.Section>
        </Layout>
      </BlockStack>
    </Page>
  );
}

function RewardRow({ reward, index, currency, onEdit }: { reward: Reward; index: number; currency: string; onEdit(): void }) {
  const fetcher = useFetcher<Answer>();
  const pending = fetcher.json as { intent?: string; enabled?: boolean } | undefined;
  const enabled = pending?.intent === "toggle" ? pending.enabled === true : reward.enabled;
  const conditions = [reward.minimumOrder ? `Orders from ${money(reward.minimumOrder, currency)}` : "Any order", `valid ${reward.expiresInDays} days`].join(
    ", ",
  );
  return (
    <IndexTable.Row id={reward.id} position={index}>
      <IndexTable.Cell>
        <BlockStack gap="050">
          <Text as="span" fontWeight="semibold">
            {reward.name}
          </Text>
          <Text as="span" tone="subdued" variant="bodySm">
            {rewardValue(reward.kind, reward.value, currency)}
          </Text>
        </BlockStack>
      </IndexTable.Cell>
      <IndexTable.Cell>
        <Text as="span" alignment="end" numeric>
          {`${count(reward.pointsCost)} points`}
        </Text>
      </IndexTable.Cell>
      <IndexTable.Cell>{conditions}</IndexTable.Cell>
      <IndexTable.Cell>
        <Text as="span" alignment="end" numeric>
          {count(reward.redeemed)}
        </Text>
      </IndexTable.Cell>
      <IndexTable.Cell>
        <Badge tone={enabled ? "success" : undefined}>{enabled ? "On" : "Off"}</Badge>
      </IndexTable.Cell>
      <IndexTable.Cell>
        <InlineStack gap="200" align="end" wrap={false}>
          <Button variant="plain" onClick={onEdit} accessibilityLabel={`Edit ${reward.name}`}>
            Edit
          </Button>
          <Button
            variant="plain"
            onClick={() => fetcher.submit({ intent: "toggle", id: reward.id, enabled: !enabled }, { method: "post", encType: "application/json" })}
            accessibilityLabel={`${enabled ? "Turn off" : "Turn on"} ${reward.name}`}
          >
            {enabled ? "Turn off" : "Turn on"}
          </Button>
          <Button
            variant="plain"
            tone="critical"
            loading={pending?.intent === "delete"}
            onClick={() => fetcher.submit({ intent: "delete", id: reward.id }, { method: "post", encType: "application/json" })}
            accessibilityLabel={`Delete ${reward.name}`}
          >
            Delete
          </Button>
        </InlineStack>
      </IndexTable.Cell>
    </IndexTable.Row>
  );
}

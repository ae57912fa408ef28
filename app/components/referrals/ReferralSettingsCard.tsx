import { useFetcher } from "@remix-run/react";
import { Banner, BlockStack, Button, Card, Checkbox, FormLayout, InlineStack, Select, Text, TextField } from "@shopify/polaris";
import { useState } from "react";
import type { ReferralFieldErrors, ReferralSettingsForm } from "~/referrals/settings";

type Answer = { ok: true; intent: string } | { ok: false; reason?: string; errors?: ReferralFieldErrors };

const FRIEND_TYPES = [
  { label: "Percentage off", value: "percentage" },
  { label: "Fixed amount off", value: "fixed_amount" },
];
const REWARD_KINDS = [
  { label: "Loyalty points", value: "points" },
  { label: "A percentage discount code", value: "code" },
];

/** The referral program's settings: what friends and customers get. Saved settings apply to codes made from now on. */
export function ReferralSettingsCard({ initial, currency, saved }: { initial: ReferralSettingsForm; currency: string; saved: boolean }) {
  const fetcher = useFetcher<Answer>();
  const [form, setForm] = useState(initial);
  // The page's data is re-read after every submission: take it only when the stored settings really changed, so
  // an answer with field errors leaves what the merchant typed in place.
  const [baseline, setBaseline] = useState(() => JSON.stringify(initial));
  if (baseline !== JSON.stringify(initial)) {
    setBaseline(JSON.stringify(initial));
    setForm(initial);
  }
  const set = <K extends keyof ReferralSettingsForm>(key: K, value: ReferralSettingsForm[K]) => setForm((f) => ({ ...f, [key]: value }));
  const answer = fetcher.state === "idle" ? fetcher.data : undefined;
  const errors: ReferralFieldErrors = answer && !answer.ok ? (answer.errors ?? {}) : {};
  const percentFriend = form.friendDiscountType === "percentage";
  const points = form.advocateRewardKind === "points";
  const save = () => fetcher.submit({ intent: "save-settings", ...form, enabled: form.enabled ? "on" : "" }, { method: "post" });
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          Referral program settings
        </Text>
        <Text as="p" tone="subdued">
          Each referral code keeps the terms it was made with: changes here apply to codes made after saving. Codes already shared keep working on their own
          terms, and their referrals are still rewarded.
          {saved ? "" : " These are the terms the app started with; nothing is saved yet."}
        </Text>
        {answer?.ok && <Banner tone="success">Saved. New referral codes get these terms.</Banner>}
        <FormLayout>
          <Checkbox
            label="Referral program on"
            helpText="When off, no new codes are made and shoppers see no referral block on the thank-you and order status pages."
            checked={form.enabled}
            onChange={(enabled) => set("enabled", enabled)}
            error={errors.enabled}
          />
          <FormLayout.Group>
            <Select
              label="Friend's discount"
              options={FRIEND_TYPES}
              value={form.friendDiscountType}
              onChange={(v) => set("friendDiscountType", v as ReferralSettingsForm["friendDiscountType"])}
              error={errors.friendDiscountType}
            />
            <TextField
              label={percentFriend ? "Percent off the friend's order" : `Amount off the friend's order (${currency})`}
              autoComplete="off"
              value={form.friendDiscountValue}
              suffix={percentFriend ? "%" : currency}
              onChange={(v) => set("friendDiscountValue", v)}
              error={errors.friendDiscountValue}
            />
          </FormLayout.Group>
          <FormLayout.Group>
            <Select
              label="Customer's reward"
              options={REWARD_KINDS}
              value={form.advocateRewardKind}
              onChange={(v) => set("advocateRewardKind", v as ReferralSettingsForm["advocateRewardKind"])}
              error={errors.advocateRewardKind}
            />
            <TextField
              label={points ? "Points" : "Percent off (reward code, valid 60 days)"}
              autoComplete="off"
              value={form.advocateRewardValue}
              suffix={points ? "points" : "%"}
              onChange={(v) => set("advocateRewardValue", v)}
              error={errors.advocateRewardValue}
            />
          </FormLayout.Group>
          <FormLayout.Group>
            <TextField
              label="Friends per code"
              type="number"
              autoComplete="off"
              value={form.usageLimit}
              onChange={(v) => set("usageLimit", v)}
              error={errors.usageLimit}
              helpText="Shopify's usage limit on each code."
            />
            <TextField
              label="Friend's minimum order"
              autoComplete="off"
              value={form.minimumOrder}
              suffix={currency}
              placeholder="No minimum"
              onChange={(v) => set("minimumOrder", v)}
              error={errors.minimumOrder}
              helpText="Subtotal the friend's order must reach for the code to apply."
            />
            <TextField
              label="Hold period"
              type="number"
              autoComplete="off"
              value={form.holdDays}
              suffix="days"
              onChange={(v) => set("holdDays", v)}
              error={errors.holdDays}
              helpText="After the friend's order is paid, before the customer is rewarded; an order cancelled or refunded in full by then earns nothing."
            />
          </FormLayout.Group>
        </FormLayout>
        <InlineStack align="end">
          <Button variant="primary" loading={fetcher.state !== "idle"} onClick={save}>
            Save settings
          </Button>
        </InlineStack>
      </BlockStack>
    </Card>
  );
}

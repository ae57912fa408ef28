import { BlockStack, Button, Card, Checkbox, Divider, FormLayout, InlineError, InlineStack, Select, Text, TextField } from "@shopify/polaris";
import { TIER_FREE_SHIPPING_DAYS } from "~/loyalty/tier-perks";
import type { FieldErrors, TierRowForm, TiersForm } from "~/loyalty/admin-forms";

interface Props {
  form: TiersForm;
  currency: string;
  errors: FieldErrors;
  /** Customers in each tier now, by handle. */
  members: Record<string, number>;
  onChange(form: TiersForm): void;
}

const BASES = [
  { label: "Amount spent (paid orders, less refunds)", value: "spent" },
  { label: "Points earned", value: "points" },
];
const WINDOWS = [
  { label: "Since they joined", value: "lifetime" },
  { label: "In the last 12 months", value: "rolling12" },
];
const POLICIES = [
  { label: "Keep the tier until the end of next year", value: "end_of_next_period" },
  { label: "Move down as soon as they no longer qualify", value: "reevaluate" },
  { label: "Never move customers down", value: "never" },
];

const blankTier = (): TierRowForm => ({ handle: "", name: "", threshold: "", earnMultiplier: "1", perks: "", freeShipping: false, entryPoints: "" });

/** The tier rules: how a tier is reached and kept, and each tier's threshold, earning multiplier and perks. */
export function TierEditor({ form, currency, errors, members, onChange }: Props) {
  const setRow = (index: number, patch: Partial<TierRowForm>) => onChange({ ...form, tiers: form.tiers.map((t, i) => (i === index ? { ...t, ...patch } : t)) });
  const spent = form.tierBasis === "spent";
  return (
    <BlockStack gap="400">
      <Card>
        <BlockStack gap="300">
          <Text as="h2" variant="headingMd">
            How customers reach a tier
          </Text>
          <FormLayout>
            <FormLayout.Group>
              <Select
                label="Measured by"
                options={BASES}
                value={form.tierBasis}
                onChange={(tierBasis) => onChange({ ...form, tierBasis })}
                error={errors.tierBasis}
              />
              <Select
                label="Counted"
                options={WINDOWS}
                value={form.tierWindow}
                onChange={(tierWindow) => onChange({ ...form, tierWindow })}
                error={errors.tierWindow}
              />
            </FormLayout.Group>
            <Select
              label="When a customer no longer qualifies"
              options={POLICIES}
              value={form.downgradePolicy}
              onChange={(downgradePolicy) => onChange({ ...form, downgradePolicy })}
              error={errors.downgradePolicy}
              helpText="Upgrades always apply at once."
            />
          </FormLayout>
        </BlockStack>
      </Card>
      <Card>
        <BlockStack gap="400">
          <InlineStack align="space-between" blockAlign="center">
            <Text as="h2" variant="headingMd">
              Tiers
            </Text>
            <Button onClick={() => onChange({ ...form, tiers: [...form.tiers, blankTier()] })} disabled={form.tiers.length >= 10}>
              Add tier
            </Button>
          </InlineStack>
          {form.tiers.length === 0 && (
            <Text as="p" tone="subdued">
              No tiers yet. Add one to reward your best customers with more points per purchase and perks.
            </Text>
          )}
          {errors.tiers && <InlineError message={errors.tiers} fieldID="tiers" />}
          {form.tiers.map((tier, i) => (
            <BlockStack key={i} gap="200">
              <Divider />
              <InlineStack align="space-between" blockAlign="center">
                <InlineStack gap="200" blockAlign="center">
                  <Text as="h3" variant="headingSm">
                    {tier.name.trim() || `Tier ${i + 1}`}
                  </Text>
                  {tier.handle && (
                    <Text as="span" variant="bodySm" tone="subdued">
                      {`${(members[tier.handle] ?? 0).toLocaleString("en-US")} customers · tag afterglow-tier-${tier.handle}`}
                    </Text>
                  )}
                </InlineStack>
                <Button
                  variant="plain"
                  tone="critical"
                  onClick={() => onChange({ ...form, tiers: form.tiers.filter((_, j) => j !== i) })}
                  accessibilityLabel={`Remove tier ${tier.name.trim() || i + 1}`}
                >
                  Remove
                </Button>
              </InlineStack>
              <FormLayout>
                <FormLayout.Group condensed>
                  <TextField label="Name" autoComplete="off" value={tier.name} onChange={(name) => setRow(i, { name })} error={errors[`tiers.${i}.name`]} />
                  <TextField
                    label={spent ? "Reached at (spent)" : "Reached at (points)"}
                    autoComplete="off"
                    inputMode="decimal"
                    prefix={spent ? currency : undefined}
                    suffix={spent ? undefined : "points"}
                    value={tier.threshold}
                    onChange={(threshold) => setRow(i, { threshold })}
                    error={errors[`tiers.${i}.threshold`]}
                  />
                  <TextField
                    label="Points multiplier"
                    autoComplete="off"
                    inputMode="decimal"
                    helpText="1.5 = half as many points again"
                    value={tier.earnMultiplier}
                    onChange={(earnMultiplier) => setRow(i, { earnMultiplier })}
                    error={errors[`tiers.${i}.earnMultiplier`]}
                  />
                </FormLayout.Group>
                <FormLayout.Group condensed>
                  <TextField
                    label="Points on reaching the tier"
                    autoComplete="off"
                    inputMode="numeric"
                    suffix="points"
                    placeholder="0"
                    helpText="Once per customer, the first time they reach this tier."
                    value={tier.entryPoints}
                    onChange={(entryPoints) => setRow(i, { entryPoints })}
                    error={errors[`tiers.${i}.entryPoints`]}
                  />
                  <Checkbox
                    label="Free-shipping code on reaching the tier"
                    helpText={`Once per customer: a single-use free-shipping discount code, valid ${TIER_FREE_SHIPPING_DAYS} days, created in Shopify when they first reach this tier.`}
                    checked={tier.freeShipping}
                    onChange={(freeShipping) => setRow(i, { freeShipping })}
                    error={errors[`tiers.${i}.freeShipping`]}
                  />
                </FormLayout.Group>
                <TextField
                  label="Perks"
                  autoComplete="off"
                  multiline={2}
                  placeholder="One per line, like Early access to sales"
                  helpText="Shown to customers as text; the points multiplier, entry points and free-shipping code above are what the app applies."
                  value={tier.perks}
                  onChange={(perks) => setRow(i, { perks })}
                />
              </FormLayout>
            </BlockStack>
          ))}
        </BlockStack>
      </Card>
    </BlockStack>
  );
}

import { BlockStack, Button, Card, Checkbox, FormLayout, InlineStack, Select, Text, TextField } from "@shopify/polaris";
import type { FieldErrors, RewardForm as RewardFormData } from "~/loyalty/admin-forms";
import { REWARD_KIND_LABELS } from "./format";

interface Props {
  form: RewardFormData;
  currency: string;
  errors: FieldErrors;
  editing: string | null;
  busy: boolean;
  onChange(patch: Partial<RewardFormData>): void;
  onSubmit(): void;
  onCancel(): void;
}

export const blankReward = (): RewardFormData => ({
  name: "",
  kind: "fixed_amount",
  value: "",
  pointsCost: "",
  minimumOrder: "",
  expiresInDays: "30",
  enabled: true,
});

/** Adding a reward, or changing one: its discount, its price in points, its conditions. */
export function RewardForm({ form, currency, errors, editing, busy, onChange, onSubmit, onCancel }: Props) {
  const text = (key: "name" | "value" | "pointsCost" | "minimumOrder" | "expiresInDays") => ({
    value: form[key],
    onChange: (value: string) => onChange({ [key]: value }),
    error: errors[key],
    autoComplete: "off",
  });
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          {editing ? `Edit ${editing}` : "Add a reward"}
        </Text>
        <FormLayout>
          <FormLayout.Group>
            <TextField label="Name" placeholder="5 € off your next order" {...text("name")} />
            <Select
              label="Discount"
              options={Object.entries(REWARD_KIND_LABELS).map(([value, label]) => ({ value, label }))}
              value={form.kind}
              onChange={(kind) => onChange({ kind })}
              error={errors.kind}
            />
            {form.kind !== "free_shipping" && (
              <TextField
                label={form.kind === "percentage" ? "Percent off" : "Amount off"}
                inputMode="decimal"
                prefix={form.kind === "fixed_amount" ? currency : undefined}
                suffix={form.kind === "percentage" ? "%" : undefined}
                {...text("value")}
              />
            )}
          </FormLayout.Group>
          <FormLayout.Group>
            <TextField label="Costs" type="number" min={1} suffix="points" {...text("pointsCost")} />
            <TextField label="Minimum order" inputMode="decimal" prefix={currency} placeholder="None" {...text("minimumOrder")} />
            <TextField label="Code valid for" type="number" min={1} max={365} suffix="days" {...text("expiresInDays")} />
          </FormLayout.Group>
          <Checkbox label="Customers can redeem it" checked={form.enabled} onChange={(enabled) => onChange({ enabled })} />
        </FormLayout>
        <InlineStack gap="200" align="end">
          {editing && <Button onClick={onCancel}>Cancel</Button>}
          <Button variant="primary" onClick={onSubmit} loading={busy}>
            {editing ? "Save reward" : "Add reward"}
          </Button>
        </InlineStack>
      </BlockStack>
    </Card>
  );
}

import { BlockStack, Card, Checkbox, FormLayout, InlineError, Select, Text, TextField } from "@shopify/polaris";
import type { FieldErrors, ProgramForm } from "~/loyalty/admin-forms";

interface Props {
  form: ProgramForm;
  currency: string;
  errors: FieldErrors;
  onChange(patch: Partial<ProgramForm>): void;
}

/** What the error banner calls each field. */
export const PROGRAM_FIELD_LABELS: Record<string, string> = {
  enabled: "Program",
  pointsPerUnit: "Points per currency unit",
  rounding: "Rounding",
  minimumOrder: "Minimum order",
  excludedProducts: "Products that earn no points",
  excludedCollections: "Collections that earn no points",
  pendingDays: "Days points stay pending",
  pendingFrom: "Pending from",
  expiryMonths: "Expiry",
  birthdayPoints: "Birthday points",
  signupPoints: "Sign-up points",
};

/** The program's earning rules: rate, what counts, rounding, minimum, exclusions, pending window, expiry, bonuses. */
export function ProgramSettings({ form, currency, errors, onChange }: Props) {
  const field = <K extends keyof ProgramForm>(key: K) => ({
    value: form[key] as string,
    onChange: (value: string) => onChange({ [key]: value } as Partial<ProgramForm>),
    error: errors[key],
    autoComplete: "off",
  });
  return (
    <BlockStack gap="400">
      <Card>
        <BlockStack gap="300">
          <Text as="h2" variant="headingMd">
            Program
          </Text>
          <Checkbox
            label="Customers earn points on paid orders"
            helpText="On: the program awards each paid order the points its rules below give. Off: the flow “Earn points on paid orders”, while it is on, awards the same points by these rules. Flow steps that add points (a bonus such as double points, or a fixed number) are given either way."
            checked={form.enabled}
            onChange={(enabled) => onChange({ enabled })}
          />
          {errors.enabled && <InlineError message={errors.enabled} fieldID="enabled" />}
        </BlockStack>
      </Card>
      <Card>
        <BlockStack gap="300">
          <Text as="h2" variant="headingMd">
            Earning
          </Text>
          <FormLayout>
            <FormLayout.Group>
              <TextField label={`Points per 1 ${currency}`} inputMode="decimal" helpText="Like 1, 0.5 or 10." {...field("pointsPerUnit")} />
              <Select
                label="Rounding"
                options={[
                  { label: "Round down", value: "floor" },
                  { label: "Round to nearest", value: "nearest" },
                  { label: "Round up", value: "ceil" },
                ]}
                value={form.rounding}
                onChange={(rounding) => onChange({ rounding })}
                error={errors.rounding}
              />
              <TextField
                label="Minimum order"
                prefix={currency}
                inputMode="decimal"
                placeholder="No minimum"
                helpText="Subtotal after discounts."
                {...field("minimumOrder")}
              />
            </FormLayout.Group>
          </FormLayout>
          <BlockStack gap="100">
            <Text as="p" variant="bodyMd">
              Points are earned on the subtotal after discounts, plus:
            </Text>
            <Checkbox label="Shipping" checked={form.includeShipping} onChange={(includeShipping) => onChange({ includeShipping })} />
            <Checkbox label="Tax" checked={form.includeTax} onChange={(includeTax) => onChange({ includeTax })} />
            <Checkbox label="Gift card purchases" checked={form.includeGiftCards} onChange={(includeGiftCards) => onChange({ includeGiftCards })} />
          </BlockStack>
          <FormLayout>
            <FormLayout.Group>
              <TextField
                label="Products that earn no points"
                multiline={2}
                placeholder="Product IDs, like 8012345678"
                helpText="IDs from the product's admin URL, separated by commas."
                {...field("excludedProducts")}
              />
              <TextField
                label="Collections that earn no points"
                multiline={2}
                placeholder="Collection IDs"
                helpText="Every product in these collections."
                {...field("excludedCollections")}
              />
            </FormLayout.Group>
          </FormLayout>
        </BlockStack>
      </Card>
      <Card>
        <BlockStack gap="300">
          <Text as="h2" variant="headingMd">
            Pending, expiry and bonuses
          </Text>
          <FormLayout>
            <FormLayout.Group>
              <TextField
                label="Days points stay pending"
                type="number"
                min={0}
                max={365}
                helpText="Your refund window; 0 = spendable at once."
                {...field("pendingDays")}
              />
              <Select
                label="Pending from"
                options={[
                  { label: "When the order is paid", value: "paid" },
                  { label: "When the order is fulfilled", value: "fulfilled" },
                ]}
                value={form.pendingFrom}
                onChange={(pendingFrom) => onChange({ pendingFrom })}
                error={errors.pendingFrom}
              />
            </FormLayout.Group>
            <FormLayout.Group>
              <TextField
                label="Points expire after months without activity"
                type="number"
                min={0}
                max={120}
                helpText="0 = points never expire. Customers are e-mailed 14 days before."
                {...field("expiryMonths")}
              />
              <TextField label="Birthday points" type="number" min={0} {...field("birthdayPoints")} />
              <TextField label="Sign-up points" type="number" min={0} {...field("signupPoints")} />
            </FormLayout.Group>
          </FormLayout>
        </BlockStack>
      </Card>
    </BlockStack>
  );
}

// The flow's holdout share: customers kept out of the actions so the Uplift card can tell whether the flow pays.
import { BlockStack, Button, Card, InlineStack, Text, TextField } from "@shopify/polaris";
import { MAX_HOLDOUT_PERCENT, SUGGESTED_OFFER_HOLDOUT_PERCENT } from "~/flows/holdout";
import type { ErrorLookup } from "./errors";

interface Props {
  value: string;
  /** The flow gives an offer (a discount code): suggest a holdout when it has none. */
  givesOffer: boolean;
  onChange: (value: string) => void;
  errors: ErrorLookup;
}

export function HoldoutSection({ value, givesOffer, onChange, errors }: Props) {
  const none = value.trim() === "" || Number(value) === 0;
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          Holdout group
        </Text>
        <TextField
          label="Hold out this share of customers"
          type="number"
          min={0}
          max={MAX_HOLDOUT_PERCENT}
          suffix="%"
          autoComplete="off"
          value={value}
          onChange={onChange}
          error={errors.at("holdoutPercent")}
          helpText={`0 to ${MAX_HOLDOUT_PERCENT} %. A customer in the holdout gets a run in the log marked "held out" and none of the steps; the same customer always stays on the same side. Comparing them with the others shows whether the flow pays.`}
        />
        {givesOffer && none && (
          <InlineStack gap="200" blockAlign="center">
            <Text as="span" tone="subdued">
              This flow gives an offer: holding out {SUGGESTED_OFFER_HOLDOUT_PERCENT} % shows whether the discount brings orders that would not have come
              anyway.
            </Text>
            <Button onClick={() => onChange(String(SUGGESTED_OFFER_HOLDOUT_PERCENT))}>{`Hold out ${SUGGESTED_OFFER_HOLDOUT_PERCENT} %`}</Button>
          </InlineStack>
        )}
      </BlockStack>
    </Card>
  );
}

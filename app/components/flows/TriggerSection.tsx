import { BlockStack, Card, FormLayout, Select, Text, TextField } from "@shopify/polaris";
import type { FlowTrigger } from "~/flows/trigger-schema";
import { numberOrText, type TriggerDraft } from "~/flows/editor-draft";
import type { ErrorLookup } from "./errors";
import { describeTrigger, TRIGGER_OPTIONS } from "./labels";

const ON_OPTIONS = [
  { label: "Paid", value: "paid" },
  { label: "Placed", value: "placed" },
];
const RATING_OPTIONS = [{ label: "Any", value: "" }, ...[1, 2, 3, 4, 5].map((n) => ({ label: `${n}★`, value: String(n) }))];
const DIRECTION_OPTIONS = [
  { label: "Up or down", value: "any" },
  { label: "Up", value: "up" },
  { label: "Down", value: "down" },
];

interface Props {
  trigger: TriggerDraft;
  onChange: (trigger: TriggerDraft) => void;
  errors: ErrorLookup;
}

export function TriggerSection({ trigger, onChange, errors }: Props) {
  const set = (patch: Partial<TriggerDraft>) => onChange({ ...trigger, ...patch });
  const preview = {
    ...trigger,
    n: numberOrText(trigger.n),
    days: numberOrText(trigger.days),
    minRating: numberOrText(trigger.minRating),
    maxRating: numberOrText(trigger.maxRating),
  };
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          Trigger
        </Text>
        <FormLayout>
          <Select
            label="Start this flow"
            options={TRIGGER_OPTIONS}
            value={trigger.type}
            onChange={(type) => set({ type })}
            error={errors.at("trigger") ?? errors.at("trigger.type")}
            helpText={describeTrigger(preview as unknown as FlowTrigger)}
          />
          {(trigger.type === "order.first" || trigger.type === "order.nth") && (
            <FormLayout.Group>
              {trigger.type === "order.nth" && (
                <TextField
                  label="Which order of the customer"
                  type="number"
                  min={2}
                  autoComplete="off"
                  value={trigger.n}
                  onChange={(n) => set({ n })}
                  error={errors.at("trigger.n")}
                  helpText="2 for the second order, 3 for the third …"
                />
              )}
              <Select
                label="Count the order when it is"
                options={ON_OPTIONS}
                value={trigger.on}
                onChange={(on) => set({ on: on === "placed" ? "placed" : "paid" })}
                error={errors.at("trigger.on")}
              />
            </FormLayout.Group>
          )}
          {trigger.type === "review.submitted" && (
            <FormLayout.Group>
              <Select
                label="Lowest rating"
                options={RATING_OPTIONS}
                value={trigger.minRating}
                onChange={(minRating) => set({ minRating })}
                error={errors.at("trigger.minRating")}
              />
              <Select
                label="Highest rating"
                options={RATING_OPTIONS}
                value={trigger.maxRating}
                onChange={(maxRating) => set({ maxRating })}
                error={errors.at("trigger.maxRating")}
              />
            </FormLayout.Group>
          )}
          {trigger.type === "survey.answered" && (
            <TextField
              label="Survey question ID"
              autoComplete="off"
              value={trigger.questionId}
              onChange={(questionId) => set({ questionId })}
              error={errors.at("trigger.questionId")}
              helpText="Leave empty for any question, or enter the ID set in the thank-you step (like nps)."
            />
          )}
          {trigger.type === "tier.changed" && (
            <Select
              label="When the tier goes"
              options={DIRECTION_OPTIONS}
              value={trigger.direction}
              onChange={(direction) => set({ direction: direction as TriggerDraft["direction"] })}
              error={errors.at("trigger.direction")}
            />
          )}
          {trigger.type === "customer.winback" && (
            <TextField
              label="Days since the customer's last order"
              type="number"
              min={1}
              autoComplete="off"
              value={trigger.days}
              onChange={(days) => set({ days })}
              error={errors.at("trigger.days")}
              suffix="days"
            />
          )}
          {trigger.type === "checkout.abandoned" && (
            <TextField
              label="Minutes after the checkout's last change with no order"
              type="number"
              min={15}
              max={4320}
              autoComplete="off"
              value={trigger.delayMinutes}
              onChange={(delayMinutes) => set({ delayMinutes })}
              error={errors.at("trigger.delayMinutes")}
              suffix="minutes"
              helpText="15 minutes to 72 hours (4320). Checked again just before the flow acts: an order since stops it. Once per checkout."
            />
          )}
        </FormLayout>
      </BlockStack>
    </Card>
  );
}

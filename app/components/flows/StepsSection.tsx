import { ActionList, BlockStack, Box, Button, ButtonGroup, Card, InlineError, InlineStack, Popover, Text } from "@shopify/polaris";
import { useState } from "react";
import { move, newStep, type StepDraft } from "~/flows/editor-draft";
import type { ErrorLookup } from "./errors";
import { StepParams } from "./StepParams";

export interface ActionType {
  type: string;
  label: string;
}

interface Props {
  steps: StepDraft[];
  actionTypes: ActionType[];
  onChange: (steps: StepDraft[]) => void;
  errors: ErrorLookup;
}

export function StepsSection({ steps, actionTypes, onChange, errors }: Props) {
  const [adding, setAdding] = useState(false);
  const label = (type: string) => actionTypes.find((a) => a.type === type)?.label ?? type;
  const setStep = (index: number, step: StepDraft) => onChange(steps.map((s, i) => (i === index ? step : s)));
  const listError = errors.at("actions");
  return (
    <Card>
      <BlockStack gap="400">
        <BlockStack gap="100">
          <Text as="h2" variant="headingMd">
            Steps
          </Text>
          <Text as="p" tone="subdued">
            Run in order. A wait pauses the run; the conditions are checked again when it ends.
          </Text>
        </BlockStack>
        {listError && <InlineError message={listError} fieldID="flow-steps" />}
        {steps.length === 0 && (
          <Text as="p" tone="subdued">
            No steps yet. Add what the flow should do.
          </Text>
        )}
        {steps.map((step, index) => {
          const stepError = errors.at(`actions.${index}`) ?? errors.at(`actions.${index}.type`);
          return (
            <Box key={step.key} padding="400" borderWidth="025" borderColor="border" borderRadius="200">
              <BlockStack gap="300">
                <InlineStack align="space-between" blockAlign="center" gap="200">
                  <Text as="h3" variant="headingSm">
                    {`Step ${index + 1} · ${label(step.type)}`}
                  </Text>
                  <ButtonGroup>
                    <Button
                      size="slim"
                      disabled={index === 0}
                      onClick={() => onChange(move(steps, index, -1))}
                      accessibilityLabel={`Move step ${index + 1} up`}
                    >
                      Move up
                    </Button>
                    <Button
                      size="slim"
                      disabled={index === steps.length - 1}
                      onClick={() => onChange(move(steps, index, 1))}
                      accessibilityLabel={`Move step ${index + 1} down`}
                    >
                      Move down
                    </Button>
                    <Button
                      size="slim"
                      tone="critical"
                      onClick={() => onChange(steps.filter((_, i) => i !== index))}
                      accessibilityLabel={`Remove step ${index + 1}`}
                    >
                      Remove
                    </Button>
                  </ButtonGroup>
                </InlineStack>
                {stepError && <InlineError message={stepError} fieldID={`flow-step-${index}`} />}
                <StepParams step={step} path={`actions.${index}.params`} onChange={(next) => setStep(index, next)} errors={errors} />
              </BlockStack>
            </Box>
          );
        })}
        <InlineStack>
          <Popover
            active={adding}
            autofocusTarget="first-node"
            onClose={() => setAdding(false)}
            activator={
              <Button disclosure onClick={() => setAdding((open) => !open)}>
                Add step
              </Button>
            }
          >
            <ActionList
              actionRole="menuitem"
              items={actionTypes.map((action) => ({
                content: action.label,
                onAction: () => {
                  setAdding(false);
                  onChange([...steps, newStep(action.type)]);
                },
              }))}
            />
          </Popover>
        </InlineStack>
      </BlockStack>
    </Card>
  );
}

import { BlockStack, Box, Button, Card, Divider, FormLayout, InlineError, InlineGrid, InlineStack, Select, Text, TextField } from "@shopify/polaris";
import { Fragment } from "react";
import { CONDITION_FIELDS, fieldKind, operatorsFor, type ConditionField } from "~/flows/condition-fields";
import type { MatchMode } from "~/flows/definition";
import { newCondition, newGroup, withField, type ConditionDraft, type GroupDraft } from "~/flows/editor-draft";
import type { ErrorLookup } from "./errors";
import { CONDITION_FIELD_LABELS, LIST_HINTS, OPERATOR_LABELS } from "./labels";

const FIELD_OPTIONS = CONDITION_FIELDS.map((field) => ({ value: field, label: CONDITION_FIELD_LABELS[field] }));

interface Props {
  match: MatchMode;
  groups: GroupDraft[];
  currency: string;
  onChange: (next: { match: MatchMode; groups: GroupDraft[] }) => void;
  errors: ErrorLookup;
}

export function ConditionsSection({ match, groups, currency, onChange, errors }: Props) {
  const setGroups = (next: GroupDraft[]) => onChange({ match, groups: next });
  const setGroup = (index: number, group: GroupDraft) => setGroups(groups.map((g, i) => (i === index ? group : g)));
  const topError = errors.at("conditions") ?? errors.at("conditions.groups") ?? errors.at("conditions.match");
  return (
    <Card>
      <BlockStack gap="400">
        <BlockStack gap="100">
          <Text as="h2" variant="headingMd">
            Conditions
          </Text>
          <Text as="p" tone="subdued">
            {groups.length === 0 ? "No conditions: the flow runs every time the trigger happens." : "The flow only runs when these hold."}
          </Text>
        </BlockStack>
        {topError && <InlineError message={topError} fieldID="flow-conditions" />}
        {groups.length > 1 && (
          <Select
            label="Between groups"
            options={[
              { label: "Every group must match", value: "all" },
              { label: "Any one group is enough", value: "any" },
            ]}
            value={match}
            onChange={(value) => onChange({ match: value === "any" ? "any" : "all", groups })}
          />
        )}
        {groups.map((group, g) => (
          <ConditionGroup
            key={group.key}
            index={g}
            group={group}
            currency={currency}
            onChange={(next) => setGroup(g, next)}
            onRemove={() => setGroups(groups.filter((_, i) => i !== g))}
            errors={errors}
          />
        ))}
        <InlineStack>
          <Button onClick={() => setGroups([...groups, newGroup(currency)])}>{groups.length === 0 ? "Add a condition" : "Add condition group"}</Button>
        </InlineStack>
      </BlockStack>
    </Card>
  );
}

interface GroupProps {
  index: number;
  group: GroupDraft;
  currency: string;
  onChange: (group: GroupDraft) => void;
  onRemove: () => void;
  errors: ErrorLookup;
}

function ConditionGroup({ index, group, currency, onChange, onRemove, errors }: GroupProps) {
  const base = `conditions.groups.${index}`;
  const setCondition = (c: number, condition: ConditionDraft) => onChange({ ...group, conditions: group.conditions.map((x, i) => (i === c ? condition : x)) });
  const groupError = errors.at(base) ?? errors.at(`${base}.conditions`) ?? errors.at(`${base}.match`);
  return (
    <Box padding="400" borderWidth="025" borderColor="border" borderRadius="200" background="bg-surface-secondary">
      <BlockStack gap="300">
        <InlineStack align="space-between" blockAlign="center" gap="200">
          <Text as="h3" variant="headingSm">
            Group {index + 1}
          </Text>
          <Button variant="plain" tone="critical" onClick={onRemove}>
            Remove group
          </Button>
        </InlineStack>
        {group.conditions.length > 1 && (
          <Select
            label="Within this group"
            options={[
              { label: "Every condition must hold", value: "all" },
              { label: "Any one condition is enough", value: "any" },
            ]}
            value={group.match}
            onChange={(value) => onChange({ ...group, match: value === "any" ? "any" : "all" })}
          />
        )}
        {groupError && <InlineError message={groupError} fieldID={`${base}-conditions`} />}
        {group.conditions.map((condition, c) => (
          <Fragment key={condition.key}>
            {c > 0 && <Divider />}
            <ConditionRow
              index={c}
              path={`${base}.conditions.${c}`}
              condition={condition}
              onChange={(next) => setCondition(c, next)}
              onRemove={() => onChange({ ...group, conditions: group.conditions.filter((_, i) => i !== c) })}
              errors={errors}
            />
          </Fragment>
        ))}
        <InlineStack>
          <Button onClick={() => onChange({ ...group, conditions: [...group.conditions, newCondition(currency)] })}>Add condition</Button>
        </InlineStack>
      </BlockStack>
    </Box>
  );
}

interface RowProps {
  index: number;
  path: string;
  condition: ConditionDraft;
  onChange: (condition: ConditionDraft) => void;
  onRemove: () => void;
  errors: ErrorLookup;
}

function ConditionRow({ index, path, condition, onChange, onRemove, errors }: RowProps) {
  const set = (patch: Partial<ConditionDraft>) => onChange({ ...condition, ...patch });
  const known = (CONDITION_FIELDS as readonly string[]).includes(condition.field);
  const operators = known ? operatorsFor(condition.field) : [];
  const rowError = errors.at(path);
  return (
    <BlockStack gap="200">
      <InlineStack align="space-between" blockAlign="center">
        <Text as="h4" variant="bodySm" tone="subdued">
          Condition {index + 1}
        </Text>
        <Button variant="plain" tone="critical" onClick={onRemove} accessibilityLabel={`Remove condition ${index + 1}`}>
          Remove
        </Button>
      </InlineStack>
      <InlineGrid columns={{ xs: 1, md: 2 }} gap="300">
        <Select
          label="Field"
          options={FIELD_OPTIONS}
          placeholder={known ? undefined : "Choose what to check"}
          value={known ? condition.field : ""}
          onChange={(field) => onChange(withField(condition, field as ConditionField))}
          error={errors.at(`${path}.field`)}
        />
        <Select
          label="Comparison"
          options={operators.map((op) => ({ value: op, label: OPERATOR_LABELS[op] ?? op }))}
          placeholder={operators.includes(condition.operator) ? undefined : "Choose how to compare"}
          value={operators.includes(condition.operator) ? condition.operator : ""}
          onChange={(operator) => set({ operator })}
          error={errors.at(`${path}.operator`)}
        />
      </InlineGrid>
      {known && <ConditionValue condition={condition} set={set} error={errors.under(`${path}.value`)} />}
      {rowError && <InlineError message={rowError} fieldID={`${path}-row`} />}
    </BlockStack>
  );
}

interface ValueProps {
  condition: ConditionDraft;
  set: (patch: Partial<ConditionDraft>) => void;
  error: string | undefined;
}

/** The value control that fits the field: amount + currency, a number, or a comma-separated list. */
function ConditionValue({ condition, set, error }: ValueProps) {
  const between = condition.operator === "between";
  switch (fieldKind(condition.field)) {
    case "money":
      return (
        <FormLayout>
          <FormLayout.Group condensed>
            <TextField
              label={between ? "From" : "Amount"}
              autoComplete="off"
              inputMode="decimal"
              placeholder="50.00"
              value={condition.amount}
              onChange={(amount) => set({ amount })}
              error={error}
            />
            {between && (
              <TextField
                label="To"
                autoComplete="off"
                inputMode="decimal"
                placeholder="100.00"
                value={condition.maxAmount}
                onChange={(maxAmount) => set({ maxAmount })}
              />
            )}
            <TextField
              label="Currency"
              autoComplete="off"
              maxLength={3}
              value={condition.currency}
              onChange={(currency) => set({ currency: currency.toUpperCase() })}
            />
          </FormLayout.Group>
        </FormLayout>
      );
    case "number":
      return (
        <FormLayout>
          <FormLayout.Group condensed>
            <TextField
              label={between ? "From" : "Value"}
              type="number"
              autoComplete="off"
              value={condition.number}
              onChange={(number) => set({ number })}
              error={error}
            />
            {between && <TextField label="To" type="number" autoComplete="off" value={condition.maxNumber} onChange={(maxNumber) => set({ maxNumber })} />}
          </FormLayout.Group>
        </FormLayout>
      );
    default:
      return (
        <TextField
          label="Values"
          autoComplete="off"
          value={condition.list}
          onChange={(list) => set({ list })}
          error={error}
          helpText={LIST_HINTS[condition.field]}
        />
      );
  }
}

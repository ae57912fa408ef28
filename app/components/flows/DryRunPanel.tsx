// "Test with an order": what the flow as it is on screen (saved or not) would do for one of the shop's recent
// orders. Nothing runs; the server answers with the trigger's and each condition's reason and the planned steps.
import { useFetcher } from "@remix-run/react";
import { Banner, BlockStack, Box, Button, Card, InlineStack, List, Select, Text } from "@shopify/polaris";
import { useState } from "react";
import type { DryRunResult, RecentOrder } from "~/flows/dry-run.server";
import type { FieldErrors } from "./errors";
import { CONDITION_FIELD_LABELS, formatWhen, sentence } from "./labels";

interface Props {
  orders: RecentOrder[];
  definition: unknown;
  timeZone: string;
  stepLabel: (type: string) => string;
}

export function DryRunPanel({ orders, definition, timeZone, stepLabel }: Props) {
  const fetcher = useFetcher<{ dryRun?: DryRunResult; errors?: FieldErrors }>();
  const [orderGid, setOrderGid] = useState(orders[0]?.orderGid ?? "");
  const result = fetcher.data?.dryRun;
  const errors = fetcher.data?.errors;
  const test = () => fetcher.submit({ intent: "dryRun", orderGid, definition } as never, { method: "post", encType: "application/json" });
  return (
    <Card>
      <BlockStack gap="300">
        <BlockStack gap="100">
          <Text as="h2" variant="headingMd">
            Test with an order
          </Text>
          <Text as="p" tone="subdued">
            See what this flow, as it is on screen, would do for a recent order. Nothing is sent or changed.
          </Text>
        </BlockStack>
        {orders.length === 0 ? (
          <Text as="p" tone="subdued">
            No orders yet. Once your shop has orders, you can test the flow against them here.
          </Text>
        ) : (
          <BlockStack gap="200">
            <Select
              label="Order"
              options={orders.map((o) => ({ value: o.orderGid, label: `${o.name} · ${o.total} · ${formatWhen(o.createdAt, timeZone)}` }))}
              value={orderGid}
              onChange={setOrderGid}
              error={errors?.orderGid}
            />
            <InlineStack>
              <Button onClick={test} loading={fetcher.state !== "idle"} disabled={!orderGid}>
                Test
              </Button>
            </InlineStack>
          </BlockStack>
        )}
        {errors && !errors.orderGid && (
          <Banner tone="critical" title="Fix the flow before testing it">
            <p>{Object.values(errors)[0]}</p>
          </Banner>
        )}
        {result && <DryRunOutcome result={result} stepLabel={stepLabel} />}
      </BlockStack>
    </Card>
  );
}

function Mark({ passed }: { passed: boolean }) {
  return (
    <Text as="span" tone={passed ? "success" : "critical"} fontWeight="bold">
      {passed ? "✓" : "✗"}
    </Text>
  );
}

function DryRunOutcome({ result, stepLabel }: { result: DryRunResult; stepLabel: (type: string) => string }) {
  const { trigger, conditions, steps } = result;
  return (
    <BlockStack gap="300">
      <Banner
        tone={result.matched ? "success" : "warning"}
        title={result.matched ? `Order ${result.order.name} would start a run` : `Order ${result.order.name} would not start a run`}
      >
        {result.event.notes.length > 0 && (
          <BlockStack gap="100">
            {result.event.notes.map((note) => (
              <p key={note}>{note}</p>
            ))}
          </BlockStack>
        )}
      </Banner>
      <BlockStack gap="100">
        <Text as="h3" variant="headingSm">
          Trigger
        </Text>
        <Text as="p">
          <Mark passed={trigger.matched} /> {sentence(trigger.reason)}
        </Text>
      </BlockStack>
      <BlockStack gap="100">
        <Text as="h3" variant="headingSm">
          Conditions
        </Text>
        {conditions.groups.length === 0 ? (
          <Text as="p" tone="subdued">
            No conditions.
          </Text>
        ) : (
          conditions.groups.map((group, g) => (
            <BlockStack gap="100" key={g}>
              <Text as="p" fontWeight="semibold">
                <Mark passed={group.passed} /> Group {g + 1} ({group.match === "all" ? "every condition must hold" : "any condition is enough"})
              </Text>
              {group.results.map((r, c) => (
                <Box key={c} paddingInlineStart="400">
                  <Text as="p">
                    <Mark passed={r.passed} /> {CONDITION_FIELD_LABELS[r.field as keyof typeof CONDITION_FIELD_LABELS] ?? r.field}: {r.reason}
                  </Text>
                </Box>
              ))}
            </BlockStack>
          ))
        )}
      </BlockStack>
      <BlockStack gap="100">
        <Text as="h3" variant="headingSm">
          {result.matched ? "Steps that would run" : "Steps that would run if it matched"}
        </Text>
        <List type="number">
          {steps.map((step) => (
            <List.Item key={step.index}>
              {step.summary || stepLabel(step.type)}
              {step.skip && (
                <Text as="span" tone="subdued">
                  {` — skipped: ${step.skip}`}
                </Text>
              )}
            </List.Item>
          ))}
        </List>
      </BlockStack>
    </BlockStack>
  );
}

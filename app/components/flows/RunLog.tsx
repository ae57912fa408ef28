// The flow's latest runs: status, when, which event, why; each opens to its steps.
import { useFetcher, useRevalidator } from "@remix-run/react";
import { Badge, BlockStack, Box, Button, ButtonGroup, Card, Collapsible, Divider, InlineError, InlineStack, Text } from "@shopify/polaris";
import { Fragment, useState } from "react";
import { ShopClockText, type ShopClockView } from "~/components/ShopClockText";
import type { RunLogEntry } from "~/flows/flow-editor.server";
import { formatWhen, RUN_STATUS_TONE, sentence, STEP_STATUS_TONE } from "./labels";

const EVENT_WORDS: Record<string, string> = {
  "order.placed": "Order placed",
  "order.paid": "Order paid",
  "order.fulfilled": "Order fulfilled",
  "order.cancelled": "Order cancelled",
  "refund.issued": "Refund issued",
  "customer.created": "Customer created",
  "review.submitted": "Review submitted",
  "survey.answered": "Survey answered",
  "tier.changed": "Tier changed",
  "customer.birthday": "Birthday",
  "customer.anniversary": "Anniversary",
  "customer.winback": "Win-back",
  "checkout.abandoned": "Checkout abandoned",
};

interface Props {
  runs: RunLogEntry[];
  timeZone: string;
  clock: ShopClockView;
}

export function RunLog({ runs, timeZone, clock }: Props) {
  const revalidator = useRevalidator();
  return (
    <Card>
      <BlockStack gap="300">
        <InlineStack align="space-between" blockAlign="center">
          <Text as="h2" variant="headingMd">
            Run log
          </Text>
          <Button variant="plain" onClick={() => revalidator.revalidate()} loading={revalidator.state !== "idle"}>
            Refresh
          </Button>
        </InlineStack>
        <ShopClockText clock={clock} />
        {runs.length === 0 ? (
          <Text as="p" tone="subdued">
            No runs yet. Runs appear here when the trigger happens while the flow is on.
          </Text>
        ) : (
          <BlockStack gap="200">
            {runs.map((run, index) => (
              <Fragment key={run.id}>
                {index > 0 && <Divider />}
                <RunRow run={run} timeZone={timeZone} />
              </Fragment>
            ))}
          </BlockStack>
        )}
      </BlockStack>
    </Card>
  );
}

function RunRow({ run, timeZone }: { run: RunLogEntry; timeZone: string }) {
  const [open, setOpen] = useState(false);
  const why = run.reason ?? run.trigger;
  const act = useFetcher<{ errors?: Record<string, string> }>();
  const busy = act.state !== "idle";
  const submit = (intent: "retryRun" | "cancelRun") => act.submit({ intent, runId: run.id }, { method: "post", encType: "application/json" });
  const title = `${EVENT_WORDS[run.eventKind] ?? run.eventKind} · ${run.subject}`;
  return (
    // A named group: a screen reader (and a test) can tell one run's steps and buttons from the next run's.
    <div role="group" aria-label={title}>
      <BlockStack gap="100">
        <InlineStack align="space-between" blockAlign="center" gap="200">
          <InlineStack gap="200" blockAlign="center">
            <Badge tone={RUN_STATUS_TONE[run.status]}>{run.status}</Badge>
            <Text as="span" fontWeight="semibold">
              {title}
            </Text>
            <Text as="span" tone="subdued">
              {formatWhen(run.createdAt, timeZone)} · version {run.flowVersion}
            </Text>
          </InlineStack>
          {run.steps.length > 0 && (
            <Button variant="plain" disclosure={open ? "up" : "down"} onClick={() => setOpen((o) => !o)} ariaExpanded={open} ariaControls={`run-${run.id}`}>
              {open ? "Hide steps" : `Show steps (${run.steps.length})`}
            </Button>
          )}
        </InlineStack>
        {why && (
          <Text as="p" tone="subdued">
            {sentence(why)}
          </Text>
        )}
        {(run.actions.retry || run.actions.cancel) && (
          <BlockStack gap="100">
            <Text as="p" tone="subdued">
              {run.actions.retry
                ? "Retry runs it again from the step it stopped at; steps that already ran are not repeated. Cancel ends it here: the steps after it never run, and what already ran stays done."
                : "Cancel ends the wait: the steps after it never run, and what already ran stays done."}
            </Text>
            <ButtonGroup>
              {run.actions.retry && (
                <Button size="slim" onClick={() => submit("retryRun")} disabled={busy}>
                  Retry run
                </Button>
              )}
              <Button size="slim" tone="critical" onClick={() => submit("cancelRun")} disabled={busy}>
                Cancel run
              </Button>
            </ButtonGroup>
            {act.data?.errors?.runId && <InlineError fieldID={`run-${run.id}-actions`} message={act.data.errors.runId} />}
          </BlockStack>
        )}
        <Collapsible id={`run-${run.id}`} open={open}>
          <Box paddingBlockStart="200" paddingInlineStart="400">
            <BlockStack gap="150">
              {run.steps.map((step) => (
                <BlockStack gap="050" key={step.index}>
                  <InlineStack gap="200" blockAlign="center">
                    <Text as="span" tone="subdued">
                      {step.index + 1}.
                    </Text>
                    <Badge tone={STEP_STATUS_TONE[step.status]}>{step.status.replace("_", " ")}</Badge>
                    <Text as="span">{step.summary}</Text>
                  </InlineStack>
                  {step.error && (
                    <Text as="p" tone="critical">
                      {step.error}
                    </Text>
                  )}
                </BlockStack>
              ))}
            </BlockStack>
          </Box>
        </Collapsible>
      </BlockStack>
    </div>
  );
}

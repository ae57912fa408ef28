import { useFetcher } from "@remix-run/react";
import { Badge, BlockStack, Button, Card, IndexTable, Link, Text } from "@shopify/polaris";
import type { FlowTrigger } from "~/flows/trigger-schema";
import type { FieldErrors } from "./errors";
import { describeTrigger, formatWhen } from "./labels";

interface FlowRowData {
  id: string;
  name: string;
  enabled: boolean;
  version: number;
  runsLast30Days: number;
  updatedAt: string;
  trigger: unknown;
}

export function FlowList({ flows, timeZone }: { flows: FlowRowData[]; timeZone: string }) {
  return (
    <Card padding="0">
      <IndexTable
        resourceName={{ singular: "flow", plural: "flows" }}
        itemCount={flows.length}
        selectable={false}
        headings={[
          { title: "Name" },
          { title: "Trigger" },
          { title: "Status" },
          { title: "Runs (30 days)", alignment: "end" },
          { title: "Version", alignment: "end" },
          { title: "" },
        ]}
      >
        {flows.map((flow, index) => (
          <FlowRow key={flow.id} flow={flow} index={index} timeZone={timeZone} />
        ))}
      </IndexTable>
    </Card>
  );
}

function FlowRow({ flow, index, timeZone }: { flow: FlowRowData; index: number; timeZone: string }) {
  const fetcher = useFetcher<{ errors?: FieldErrors }>();
  // Show the switch's new position while the request is on its way.
  const pending = fetcher.formData?.get("enabled");
  const enabled = pending === undefined || pending === null ? flow.enabled : pending === "true";
  const error = fetcher.state === "idle" ? fetcher.data?.errors?.enabled : undefined;
  return (
    <IndexTable.Row id={flow.id} position={index}>
      <IndexTable.Cell>
        <BlockStack gap="050">
          <Link url={`/app/flows/${flow.id}`} removeUnderline>
            <Text as="span" fontWeight="semibold">
              {flow.name}
            </Text>
          </Link>
          <Text as="span" tone="subdued" variant="bodySm">
            Edited {formatWhen(flow.updatedAt, timeZone)}
          </Text>
        </BlockStack>
      </IndexTable.Cell>
      <IndexTable.Cell>{describeTrigger(flow.trigger as FlowTrigger)}</IndexTable.Cell>
      <IndexTable.Cell>
        <Badge tone={enabled ? "success" : undefined}>{enabled ? "On" : "Off"}</Badge>
      </IndexTable.Cell>
      <IndexTable.Cell>
        <Text as="span" alignment="end" numeric>
          {flow.runsLast30Days.toLocaleString("en-US")}
        </Text>
      </IndexTable.Cell>
      <IndexTable.Cell>
        <Text as="span" alignment="end" numeric>
          {flow.version}
        </Text>
      </IndexTable.Cell>
      <IndexTable.Cell>
        <BlockStack gap="100" inlineAlign="end">
          <fetcher.Form method="post">
            <input type="hidden" name="intent" value="toggle" />
            <input type="hidden" name="id" value={flow.id} />
            <input type="hidden" name="enabled" value={String(!enabled)} />
            <Button submit size="slim" accessibilityLabel={`${enabled ? "Turn off" : "Turn on"} ${flow.name}`}>
              {enabled ? "Turn off" : "Turn on"}
            </Button>
          </fetcher.Form>
          {error && (
            <Text as="span" tone="critical" variant="bodySm">
              {error}
            </Text>
          )}
        </BlockStack>
      </IndexTable.Cell>
    </IndexTable.Row>
  );
}

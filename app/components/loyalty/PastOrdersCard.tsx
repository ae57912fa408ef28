import { useFetcher } from "@remix-run/react";
import { Banner, BlockStack, Button, Card, InlineStack, Modal, Text } from "@shopify/polaris";
import { useEffect, useState } from "react";
import { previewSentence, type RetroAwardView, type RetroPreview } from "~/loyalty/retroactive";
import { count, points } from "./format";

type Status = { historyImported: boolean; award: RetroAwardView | null };
type Answer = { preview?: RetroPreview; award?: RetroAwardView; errors?: Record<string, string> };

const ROUTE = "/app/loyalty/past-orders";

/**
 * "Points for past orders": a merchant's opt-in to award points for the orders the history import brought in.
 * Preview first, then "Award N points to M customers" behind a confirmation, then the result (polled while the
 * award runs).
 */
export function PastOrdersCard() {
  const status = useFetcher<Status>();
  const preview = useFetcher<Answer>();
  const award = useFetcher<Answer>();
  const [confirming, setConfirming] = useState(false);

  useEffect(() => {
    if (status.state === "idle" && !status.data) status.load(ROUTE);
  }, [status]);
  const current = award.data?.award ?? status.data?.award ?? null;
  useEffect(() => {
    if (!current?.active) return;
    const timer = setTimeout(() => status.load(ROUTE), 2000);
    return () => clearTimeout(timer);
  }, [current, status]);
  useEffect(() => {
    if (award.state === "idle" && award.data?.award) {
      setConfirming(false);
      status.load(ROUTE);
    }
  }, [award.state, award.data, status]);

  const shown = preview.data?.preview;
  const errors = { ...(preview.data?.errors ?? {}), ...(award.data?.errors ?? {}) };
  const post = (fetcher: typeof preview, intent: string) => fetcher.submit({ intent }, { method: "post", action: ROUTE, encType: "application/json" });
  const historyImported = status.data?.historyImported ?? false;
  const canAward = shown && shown.points > 0 && !current?.active;

  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          Points for past orders
        </Text>
        <Text as="p" tone="subdued">
          Imported orders earn no points by themselves. You can award them once, by the program&apos;s earn rules at the base rate: paid orders with a customer,
          placed before the history import, that have not earned points yet, less what their refunds took back. Imported orders carry no shipping, tax,
          gift-card or collection details, so those settings and collection rules don&apos;t apply to them. The points are spendable at once; no flow, Shopify
          Flow trigger or e-mail is started by them. Each order earns at most once, however often you award.
        </Text>
        {status.data && !historyImported && (
          <Banner tone="info">Import the shop&apos;s order history first (dashboard, History import): past orders are the ones it brings in.</Banner>
        )}
        {Object.entries(errors).map(([field, message]) => (
          <Banner key={field} tone="critical">
            {message}
          </Banner>
        ))}
        {shown && (
          <Text as="p" variant="headingSm">
            {previewSentence(shown)}
          </Text>
        )}
        {current && (
          <Banner tone={current.tone} title={current.title}>
            <BlockStack gap="100">
              <Text as="p">{current.result}</Text>
              {current.skipped && <Text as="p">{current.skipped}</Text>}
            </BlockStack>
          </Banner>
        )}
        <InlineStack gap="200">
          <Button onClick={() => post(preview, "preview")} loading={preview.state !== "idle"} disabled={!historyImported}>
            Preview
          </Button>
          {canAward && (
            <Button variant="primary" onClick={() => setConfirming(true)}>
              {`Award ${points(shown.points)} to ${count(shown.customers)} ${shown.customers === 1 ? "customer" : "customers"}`}
            </Button>
          )}
        </InlineStack>
      </BlockStack>
      {shown && (
        <Modal
          open={confirming}
          onClose={() => setConfirming(false)}
          title="Award points for past orders?"
          primaryAction={{
            content: `Award ${points(shown.points)}`,
            loading: award.state !== "idle",
            onAction: () => post(award, "award"),
          }}
          secondaryActions={[{ content: "Cancel", onAction: () => setConfirming(false) }]}
        >
          <Modal.Section>
            <Text as="p">
              {`${previewSentence(shown)} The points land in each customer's balance at once and can't be taken back in bulk. Orders that earned points in the meantime are left out, so the final figure may be a little lower.`}
            </Text>
          </Modal.Section>
        </Modal>
      )}
    </Card>
  );
}

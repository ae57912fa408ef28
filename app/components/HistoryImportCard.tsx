import { useEffect } from "react";
import { useFetcher } from "@remix-run/react";
import { Banner, BlockStack, Button, Card, InlineStack, ProgressBar, Text } from "@shopify/polaris";
import type { BackfillView } from "~/backfill/view";

const ENDPOINT = "/app/history-import";

/**
 * The shop's order history import: progress while it runs, the reason when it failed, Retry. `initial` comes with the
 * page (so the card is drawn with it, not after a second request); the card polls for progress while a run is under way.
 */
export function HistoryImportCard({ initial }: { initial?: BackfillView }) {
  const reader = useFetcher<{ view: BackfillView }>();
  const retry = useFetcher<{ view: BackfillView }>();
  const view = retry.data?.view ?? reader.data?.view ?? initial;
  const { load, state } = reader;

  useEffect(() => {
    if (state === "idle" && !reader.data && !initial) load(ENDPOINT);
  }, [load, state, reader.data, initial]);
  useEffect(() => {
    if (!view?.poll) return;
    const timer = setTimeout(() => load(ENDPOINT), 2_000);
    return () => clearTimeout(timer);
  }, [view, load]);

  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          History import
        </Text>
        {!view ? (
          <Text as="p" tone="subdued">
            Loading…
          </Text>
        ) : (
          <>
            <Text as="p">
              {view.title}
              {view.counts ? ` · ${view.counts}` : ""}
            </Text>
            {view.progress !== null && (
              <ProgressBar progress={view.progress} tone={view.tone === "critical" ? "critical" : view.tone === "success" ? "success" : "highlight"} />
            )}
            <Text as="p" tone="subdued">
              Past orders count for tiers, referrals, win-back and the metrics. Imported orders earn no points and start no flows or e-mails.
            </Text>
            {view.reason && (
              <Banner tone="critical" title="Reason">
                <p>{view.reason}</p>
              </Banner>
            )}
            {view.windowNote && (
              <Banner tone="warning" title="Older orders missing">
                <p>{view.windowNote}</p>
              </Banner>
            )}
            {view.canRetry && (
              <InlineStack>
                <retry.Form method="post" action={ENDPOINT}>
                  <input type="hidden" name="intent" value="retry" />
                  <Button submit loading={retry.state !== "idle"}>
                    {view.state === "none" ? "Import history" : view.state === "completed" ? "Import again" : "Retry"}
                  </Button>
                </retry.Form>
              </InlineStack>
            )}
          </>
        )}
      </BlockStack>
    </Card>
  );
}

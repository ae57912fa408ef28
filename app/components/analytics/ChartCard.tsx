// A chart card of the analytics page. polaris-viz draws in the browser only: the server (and the first client
// render, so hydration matches) shows a placeholder of the chart's exact height, and the chart replaces it in
// place, so nothing below moves (no layout shift). The figure is named for screen readers; the same numbers are
// in the By month table as text.
import { BlockStack, Card, Text } from "@shopify/polaris";
import { lazy, Suspense, useEffect, useState } from "react";
import type { VizChartProps } from "./VizChart";

const VizChart = lazy(() => import("./VizChart"));

export const CHART_HEIGHT = 240;

export function ChartCard({ title, description, ...chart }: { title: string; description: string } & VizChartProps) {
  const [mounted, setMounted] = useState(false);
  useEffect(() => setMounted(true), []);
  const placeholder = <div style={{ height: CHART_HEIGHT, borderRadius: 8, background: "var(--p-color-bg-surface-secondary)" }} />;
  return (
    <Card>
      <BlockStack gap="200">
        <Text as="h2" variant="headingMd">
          {title}
        </Text>
        <Text as="p" variant="bodySm" tone="subdued">
          {description}
        </Text>
        <figure aria-label={title} style={{ margin: 0, height: CHART_HEIGHT }}>
          {mounted ? (
            <Suspense fallback={placeholder}>
              <VizChart {...chart} />
            </Suspense>
          ) : (
            placeholder
          )}
        </figure>
      </BlockStack>
    </Card>
  );
}

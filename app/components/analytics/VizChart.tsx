// One polaris-viz chart of the analytics page. Loaded lazily and only in the browser (ChartFrame): polaris-viz
// measures its container and animates with the DOM, so the server renders a placeholder of the same size instead.
import { BarChart, LineChart, PolarisVizProvider } from "@shopify/polaris-viz";
import { chartMoney, type VizSeries } from "~/analytics/charts";

export type ChartFormat = "money" | "count" | "percent";

export interface VizChartProps {
  type: "line" | "stackedBar";
  series: VizSeries[];
  format: ChartFormat;
  currency: string;
}

const counts = new Intl.NumberFormat("en-US");

// Straight lines between the months: a spline overshoots and draws figures no month had.
const THEMES = { Light: { line: { hasSpline: false }, chartContainer: { backgroundColor: "transparent" } } };

export default function VizChart({ type, series, format, currency }: VizChartProps) {
  const label = (value: string | number | null) => {
    if (value === null || value === "") return "—";
    const n = Number(value);
    if (format === "money") return chartMoney(n, currency);
    if (format === "percent") return `${n}%`;
    return counts.format(n);
  };
  const common = {
    data: series,
    theme: "Light",
    isAnimated: false,
    tooltipOptions: { valueFormatter: label },
    yAxisOptions: { labelFormatter: label, integersOnly: format === "count" },
  };
  return (
    <PolarisVizProvider themes={THEMES}>
      {type === "line" ? <LineChart {...common} showLegend={series.length > 1} /> : <BarChart {...common} type="stacked" showLegend />}
    </PolarisVizProvider>
  );
}

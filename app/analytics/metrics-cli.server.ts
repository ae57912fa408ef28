/**
 * `npm run -s metrics -- --shop <domain> --from <YYYY-MM-DD> --to <YYYY-MM-DD> [--json] [--window <days>]`:
 * the retention metrics of ../shared/METRICS.md for one shop and period, from the app's database (DATABASE_URL,
 * else prisma/dev.sqlite — the one `npm run sandbox` uses, so it works against the running sandbox with no
 * other environment). `--json` prints one JSON object with exactly the page's keys; without it, a table of the
 * period beside the previous one. Bad input (unknown shop, from after to, a malformed date, a missing option)
 * is one line on stderr and exit code 2.
 */
import { InvalidPeriodError, type RetentionMetrics } from "./metrics";
import { loadShopMetrics, UnknownShopError } from "./metrics-loader.server";

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export const METRICS_USAGE = "usage: npm run -s metrics -- --shop <domain> --from <YYYY-MM-DD> --to <YYYY-MM-DD> [--json] [--window <days>]";

class UsageError extends Error {}

interface Args {
  shop: string;
  from: string;
  to: string;
  json: boolean;
  window: number | undefined;
}

export function parseMetricsArgs(argv: readonly string[]): Args {
  const values = new Map<string, string>();
  let json = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--json") {
      json = true;
      continue;
    }
    const match = /^--(shop|from|to|window)(?:=(.*))?$/.exec(arg);
    if (!match) throw new UsageError(`unknown argument ${JSON.stringify(arg)}`);
    const value = match[2] ?? argv[++i];
    if (value === undefined || value === "") throw new UsageError(`--${match[1]} needs a value`);
    values.set(match[1]!, value);
  }
  const required = (name: string) => values.get(name) ?? fail(`--${name} is required`);
  const windowText = values.get("window");
  const window = windowText === undefined ? undefined : Number(windowText);
  if (window !== undefined && !(Number.isInteger(window) && window >= 1))
    throw new UsageError(`--window must be a whole number of days ≥ 1, not ${windowText}`);
  return { shop: required("shop").trim().toLowerCase(), from: required("from"), to: required("to"), json, window };
}

function fail(message: string): never {
  throw new UsageError(message);
}

/** The JSON METRICS.md describes: the table's keys plus from, to and currency, nothing else. */
export function metricsJson(metrics: RetentionMetrics): string {
  return JSON.stringify(metrics);
}

export async function metricsCli(argv: readonly string[]): Promise<CliResult> {
  try {
    const args = parseMetricsArgs(argv);
    const domains = args.shop.endsWith(".myshopify.com") ? [args.shop] : [args.shop, `${args.shop}.myshopify.com`];
    let lastError: unknown = null;
    for (const shop of domains) {
      try {
        const result = await loadShopMetrics(shop, { from: args.from, to: args.to }, { compare: !args.json, activityWindowDays: args.window });
        return {
          code: 0,
          stdout: `${args.json ? metricsJson(result.current) : table(result.shop, result.timeZone, result.current, result.previous)}\n`,
          stderr: "",
        };
      } catch (error) {
        if (!(error instanceof UnknownShopError)) throw error;
        lastError = error;
      }
    }
    throw lastError;
  } catch (error) {
    if (error instanceof UsageError) return { code: 2, stdout: "", stderr: `metrics: ${error.message}\n${METRICS_USAGE}\n` };
    if (error instanceof InvalidPeriodError || error instanceof UnknownShopError) return { code: 2, stdout: "", stderr: `metrics: ${error.message}\n` };
    return { code: 1, stdout: "", stderr: `metrics: ${oneLine(error)}\n` };
  }
}

function oneLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return (
    message
      .split("\n")
      .find((line) => line.trim())
      ?.trim() ?? "failed"
  );
}

const LABELS: [keyof RetentionMetrics, string][] = [
  ["orders", "Orders"],
  ["netSales", "Net sales"],
  ["averageOrderValue", "Average order value"],
  ["customers", "Customers"],
  ["newCustomers", "New customers"],
  ["returningCustomers", "Returning customers"],
  ["customersAtStart", "Active customers at start (S)"],
  ["customersAtEnd", "Active customers at end (E)"],
  ["retentionRate", "Retention rate (E − N) / S"],
  ["churnRate", "Churn rate"],
  ["repeatCustomerRate", "Repeat customer rate"],
  ["purchaseFrequency", "Purchase frequency"],
  ["averageCustomerLifetimeValue", "Average customer lifetime value"],
];

function table(shop: string, timeZone: string, current: RetentionMetrics, previous: RetentionMetrics | null): string {
  const show = (value: unknown) => (value === null || value === undefined ? "—" : String(value));
  const head = `${shop} · ${current.from} – ${current.to} (${timeZone}, ${current.currency})${previous ? ` · previous ${previous.from} – ${previous.to}` : ""}`;
  const width = Math.max(...LABELS.map(([, label]) => label.length));
  const lines = LABELS.map(
    ([key, label]) => `${label.padEnd(width)}  ${show(current[key]).padStart(12)}${previous ? `  ${show(previous[key]).padStart(12)}` : ""}`,
  );
  const cohorts = current.cohorts.map(
    (cohort) =>
      `  ${cohort.month}  ${String(cohort.customers).padStart(6)}  ${cohort.retained.map((share) => `${(share * 100).toFixed(1)}%`.padStart(7)).join("")}`,
  );
  return [
    head,
    "",
    ...lines,
    "",
    cohorts.length ? "Cohorts (month, customers, share back in each later month):" : "No cohorts in this period.",
    ...cohorts,
  ].join("\n");
}

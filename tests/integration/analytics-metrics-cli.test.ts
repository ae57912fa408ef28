// `npm run -s metrics`: the JSON METRICS.md describes (exactly its keys), and bad input as one line on stderr
// with a non-zero exit. One real run of the npm script against this test's database proves the wiring.
import { testDatabaseFile } from "../support/app-env";
import { spawnSync } from "node:child_process";
import { beforeAll, describe, expect, it } from "vitest";
import { prisma } from "~/db/db.server";
import { metricsCli } from "~/analytics/metrics-cli.server";
import { applyOrderFacts } from "~/orders/order-events-batch.server";
import type { OrderSnapshot } from "~/orders/facts";
import { projectRoot } from "../support/migrations";

const SHOP = "metrics-cli.myshopify.com";

function order(id: number, customer: number | null, processedAt: string, minor: number): OrderSnapshot {
  return {
    type: "order",
    orderGid: `gid://shopify/Order/${id}`,
    name: `#${id}`,
    customerGid: customer === null ? null : `gid://shopify/Customer/${customer}`,
    email: null,
    locale: null,
    currency: "USD",
    totalMinor: minor,
    subtotalMinor: minor,
    currentTotalMinor: minor,
    currentSubtotalMinor: minor,
    test: false,
    financialStatus: "paid",
    fulfillmentStatus: "unfulfilled",
    cancelledAt: null,
    processedAt,
    createdAt: processedAt,
    updatedAt: processedAt,
    fulfillments: [],
    refunds: [],
    tags: [],
    sourceName: "web",
    discountCodes: [],
    lineItems: [],
  };
}

const KEYS = [
  "from",
  "to",
  "currency",
  "orders",
  "netSales",
  "averageOrderValue",
  "customers",
  "newCustomers",
  "returningCustomers",
  "customersAtStart",
  "customersAtEnd",
  "retentionRate",
  "churnRate",
  "repeatCustomerRate",
  "purchaseFrequency",
  "averageCustomerLifetimeValue",
  "cohorts",
].sort();

beforeAll(async () => {
  await prisma.shop.create({ data: { domain: SHOP, name: "CLI", currencyCode: "USD", ianaTimezone: "America/Los_Angeles" } });
  await applyOrderFacts(
    [
      order(1, 1, "2026-01-05T18:00:00Z", 1000),
      order(2, 1, "2026-02-10T18:00:00Z", 2000),
      order(3, 2, "2026-02-01T07:30:00Z", 500), // 23:30 on 31 January in Los Angeles
      order(4, null, "2026-03-01T07:59:00Z", 333), // 23:59 on 28 February
    ].map((fact) => ({ shop: SHOP, fact })),
  );
});

describe("metrics CLI", () => {
  it("GIVEN --json THEN one JSON object with exactly METRICS.md's keys and the shop's figures", async () => {
    const result = await metricsCli(["--shop", SHOP, "--from", "2026-02-01", "--to", "2026-02-28", "--json"]);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    const json = JSON.parse(result.stdout) as Record<string, unknown>;
    expect(Object.keys(json).sort()).toEqual(KEYS);
    expect(json).toMatchObject({ from: "2026-02-01", to: "2026-02-28", currency: "USD", orders: 2, netSales: "23.33", customers: 1, newCustomers: 0 });
  });

  it("GIVEN the shop's handle without .myshopify.com and no --json THEN a table of the period beside the previous one", async () => {
    const result = await metricsCli(["--shop", "metrics-cli", "--from=2026-02-01", "--to=2026-02-28"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("metrics-cli.myshopify.com · 2026-02-01 – 2026-02-28 (America/Los_Angeles, USD) · previous 2026-01-04 – 2026-01-31");
    expect(result.stdout).toMatch(/Net sales\s+23\.33\s+15\.00/);
  });

  it.each([
    [["--shop", "nobody.myshopify.com", "--from", "2026-02-01", "--to", "2026-02-28", "--json"], "metrics: unknown shop: nobody.myshopify.com"],
    [["--shop", SHOP, "--from", "2026-03-01", "--to", "2026-02-28", "--json"], "metrics: from (2026-03-01) is after to (2026-02-28)"],
    [["--shop", SHOP, "--from", "2026-02-30", "--to", "2026-03-01", "--json"], "metrics: no such date: 2026-02-30"],
    [["--shop", SHOP, "--from", "1.2.2026", "--to", "2026-03-01", "--json"], 'metrics: not a date (YYYY-MM-DD): "1.2.2026"'],
    [["--shop", SHOP, "--to", "2026-03-01"], "metrics: --from is required"],
    [["--shop", SHOP, "--from", "2026-02-01", "--to", "2026-03-01", "--window", "0"], "metrics: --window must be a whole number of days ≥ 1, not 0"],
  ])("GIVEN %j THEN exit 2 and the reason first on stderr, nothing on stdout", async (argv, message) => {
    const result = await metricsCli(argv);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr.split("\n")[0]).toBe(message);
  });

  it("GIVEN `npm run -s metrics` on the database THEN it prints the JSON and exits 0; a bad period exits non-zero", () => {
    const env = { ...process.env, DATABASE_URL: `file:${testDatabaseFile}` };
    const run = (args: string[]) => spawnSync("npm", ["run", "-s", "metrics", "--", ...args], { cwd: projectRoot, env, encoding: "utf8", timeout: 60_000 });
    const ok = run(["--shop", SHOP, "--from", "2026-01-01", "--to", "2026-01-31", "--json"]);
    expect(ok.stderr).toBe("");
    expect(ok.status).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({
      orders: 2,
      netSales: "15.00",
      customers: 2,
      newCustomers: 2,
      cohorts: [{ month: "2026-01", customers: 2, retained: [] }],
    });
    const bad = run(["--shop", SHOP, "--from", "2026-02-01", "--to", "2026-01-01", "--json"]);
    expect(bad.status).not.toBe(0);
    expect(bad.stderr.trim()).toBe("metrics: from (2026-02-01) is after to (2026-01-01)");
  });
});

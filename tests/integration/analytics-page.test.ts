// The admin's analytics page and its CSV, from orders stored through the webhook path: the period a query string
// asks for (presets counted back from the shop-local today, a custom from/to), the KPI cards with the change
// against the previous period worked out by hand, NPS from survey answers in the period, another shop's orders
// and answers never counted, and a bad custom period answered with field errors (422), not a crash.
import { TEST_API_KEY, TEST_API_SECRET } from "../support/app-env";
import { beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_SCOPES } from "~/config.server";
import { prisma } from "~/db/db.server";
import { analyticsCsv, analyticsPage } from "~/analytics/analytics-page.server";
import { applyOrderWebhook } from "~/orders/order-events.server";
import * as csvRoute from "~/routes/app.analytics.csv";
import * as pageRoute from "~/routes/app.analytics";
import { mintSessionToken } from "~/sandbox/session-token.server";

const A = "analytics-page-a.myshopify.com";
const B = "analytics-page-b.myshopify.com";
const APP = "http://127.0.0.1:3999";

let webhookId = 0;
async function order(shop: string, id: number, customer: number | null, processedAt: string, subtotal: string) {
  webhookId += 1;
  const payload = {
    id,
    admin_graphql_api_id: `gid://shopify/Order/${id}`,
    name: `#${id}`,
    currency: "EUR",
    created_at: processedAt,
    updated_at: processedAt,
    processed_at: processedAt,
    cancelled_at: null,
    test: false,
    financial_status: "paid",
    subtotal_price: subtotal,
    current_subtotal_price: subtotal,
    total_price: subtotal,
    current_total_price: subtotal,
    customer: customer === null ? null : { id: customer, admin_graphql_api_id: `gid://shopify/Customer/${customer}`, email: `c${customer}@example.si` },
    line_items: [],
  };
  await applyOrderWebhook({ id: `analytics-page-${webhookId}`, shop, topic: "orders/create", payload: JSON.stringify(payload) });
}

const params = (query: Record<string, string>) => new URLSearchParams(query);
const MARCH = { preset: "custom", from: "2026-03-01", to: "2026-03-31" };

type RouteFn = (args: { request: Request; params: Record<string, string>; context: Record<string, unknown> }) => Promise<unknown>;
const auth = (shop: string) => ({ Authorization: `Bearer ${mintSessionToken({ shop, apiKey: TEST_API_KEY, apiSecret: TEST_API_SECRET })}` });
const load = (loader: unknown, shop: string, path: string) =>
  (loader as RouteFn)({ request: new Request(`${APP}${path}`, { headers: auth(shop) }), params: {}, context: {} });

beforeAll(async () => {
  for (const [domain, name] of [
    [A, "Analytics A"],
    [B, "Analytics B"],
  ] as const) {
    await prisma.shop.create({ data: { domain, name, currencyCode: "EUR", ianaTimezone: "Europe/Ljubljana" } });
    await prisma.session.create({ data: { id: `offline_${domain}`, shop: domain, state: "", isOnline: false, accessToken: "token", scope: DEFAULT_SCOPES } });
  }
  // Shop A. Previous period of March (31 days) is 29 January – 28 February.
  await order(A, 1, 1, "2026-02-10T10:00:00Z", "50.00"); // customer 1, previous period
  await order(A, 2, 1, "2026-03-05T10:00:00Z", "30.00"); // customer 1 again: returning
  await order(A, 3, 2, "2026-03-10T10:00:00Z", "20.00"); // customer 2: new
  await order(A, 4, 2, "2026-03-20T10:00:00Z", "10.00"); // customer 2's second order
  await order(A, 5, null, "2026-03-12T10:00:00Z", "15.00"); // a guest
  await order(A, 6, 3, "2026-02-15T10:00:00Z", "40.00"); // customer 3, previous period only
  await order(A, 7, 4, "2026-03-31T22:30:00Z", "99.00"); // 00:30 on 1 April in Ljubljana: after March
  // Shop B: the same customer and order ids, a big amount — none of it may reach A's figures.
  await order(B, 2, 1, "2026-03-06T10:00:00Z", "999.00");
  await order(B, 8, 9, "2026-03-07T10:00:00Z", "500.00");
  // Survey answers: A's in March 10, 9, 3 (NPS (2 − 1) / 3 = 33), one in February; B's a 0 in March.
  const answer = (shop: string, n: number, score: number, createdAt: string, kind = "nps") =>
    prisma.surveyAnswer.create({ data: { shop, orderGid: `gid://shopify/Order/${n}`, questionId: kind, kind, score, createdAt: new Date(createdAt) } });
  await answer(A, 2, 10, "2026-03-05T12:00:00Z");
  await answer(A, 3, 9, "2026-03-10T12:00:00Z");
  await answer(A, 4, 3, "2026-03-20T12:00:00Z");
  await answer(A, 1, 0, "2026-02-10T12:00:00Z");
  await answer(A, 2, 5, "2026-03-05T12:00:00Z", "csat");
  await answer(B, 2, 0, "2026-03-06T12:00:00Z");
  // "How did you hear about us?" and comments: two in March on A (one with markup, kept as text), one in
  // February on A, one on B.
  const source = (shop: string, n: number, answer: string, createdAt: string, comment: string | null = null) =>
    prisma.surveyAnswer.create({
      data: { shop, orderGid: `gid://shopify/Order/${n}`, questionId: "source", kind: "source", answer, comment, createdAt: new Date(createdAt) },
    });
  await source(A, 2, "friend", "2026-03-05T12:01:00Z", "My sister <b>loves</b> you");
  await source(A, 3, "search", "2026-03-10T12:01:00Z");
  await source(A, 4, "friend", "2026-03-20T12:01:00Z", "Came back for more");
  await source(A, 1, "ad", "2026-02-10T12:01:00Z", "February's comment");
  await source(B, 2, "podcast", "2026-03-06T12:01:00Z", "B's comment");
  // Loyalty: A's customer 2 has points in the ledger (no account row); B's customer 1 has an account — that is
  // B's customer, not A's customer 1 of the same id.
  await prisma.loyaltyEntry.create({ data: { shop: A, customerGid: "gid://shopify/Customer/2", key: "analytics-earn-2", kind: "earn", points: 30 } });
  await prisma.loyaltyAccount.create({ data: { shop: B, customerGid: "gid://shopify/Customer/1", points: 10 } });
});

describe("GIVEN shop A's March against the 31 days before", () => {
  it("THEN the KPI cards show the figures, the previous period's and the change", async () => {
    const page = await analyticsPage(A, params(MARCH));
    if (!page.ok) throw new Error(JSON.stringify(page.errors));
    expect(page.period).toEqual({ from: "2026-03-01", to: "2026-03-31" });
    expect(page.previousPeriod).toEqual({ from: "2026-01-29", to: "2026-02-28" });
    const card = (key: string) => {
      const kpi = page.kpis.find((k) => k.key === key)!;
      return [kpi.value, kpi.previous, kpi.change, kpi.tone];
    };
    expect(card("netSales")).toEqual(["€75.00", "€90.00", "−17%", "critical"]);
    expect(card("orders")).toEqual(["4", "2", "+100%", "success"]);
    expect(card("averageOrderValue")).toEqual(["€18.75", "€45.00", "−58%", "critical"]);
    expect(card("customers")).toEqual(["2", "2", "±0%", "subdued"]);
    expect(card("newCustomers")).toEqual(["1", "2", "−50%", "critical"]);
    expect(card("returningCustomers")).toEqual(["1", "0", null, "subdued"]);
    expect(card("repeatCustomerRate")).toEqual(["100%", "0%", "+100 pts", "success"]);
    // Customer 3 was active before March and still is on 31 March (W = 365): no churn in either period.
    expect(card("churnRate")).toEqual(["0%", "—", null, "subdued"]);
    expect(page.current.netSales).toBe("75.00");
    expect(page.cohorts).toEqual([{ month: "2026-03", customers: 1, retained: [] }]);
  });

  it("THEN the months of a period split its orders by shop-local month, clipped to the period", async () => {
    const page = await analyticsPage(A, params({ preset: "custom", from: "2026-02-12", to: "2026-04-01" }));
    if (!page.ok) throw new Error("bad period");
    expect(page.months).toEqual([
      { month: "2026-02", orders: 1, netSales: "40.00", averageOrderValue: "40.00", customers: 1 }, // 10 Feb is before the period
      { month: "2026-03", orders: 4, netSales: "75.00", averageOrderValue: "18.75", customers: 2 },
      { month: "2026-04", orders: 1, netSales: "99.00", averageOrderValue: "99.00", customers: 1 }, // 00:30 on 1 April
    ]);
  });

  it("THEN the charts' months carry each month's own metrics (net sales, AOV, new / returning, retention, churn)", async () => {
    const page = await analyticsPage(A, params({ preset: "custom", from: "2026-02-12", to: "2026-04-01" }));
    if (!page.ok) throw new Error("bad period");
    // 12–28 Feb: customer 3 new (15 Feb); S = {1} (10 Feb), E = {1, 3}: retention (2 − 1) / 1.
    // March: customer 2 new, 1 returning, the guest's order in sales; S = {1, 3}, E = {1, 2, 3}: (3 − 1) / 2.
    // 1 April: customer 4 new; S = {1, 2, 3}, E = {1, 2, 3, 4}: (4 − 1) / 3. Nobody churns (W = 365).
    expect(
      page.chart.map((m) => [
        m.month,
        m.from,
        m.to,
        m.netSalesMinor,
        m.averageOrderValueMinor,
        m.newCustomers,
        m.returningCustomers,
        m.retentionRate,
        m.churnRate,
      ]),
    ).toEqual([
      ["2026-02", "2026-02-12", "2026-02-28", 4000, 4000, 1, 0, 1, 0],
      ["2026-03", "2026-03-01", "2026-03-31", 7500, 1875, 1, 1, 1, 0],
      ["2026-04", "2026-04-01", "2026-04-01", 9900, 9900, 1, 0, 1, 0],
    ]);
  });

  it("THEN loyalty members (ledger entries or an account of this shop) and the others have their own repeat rate and AOV", async () => {
    const page = await analyticsPage(A, params(MARCH));
    if (!page.ok) throw new Error("bad period");
    // Member: customer 2, two March orders (20 + 10). Others: customer 1, one March order (30) and one in February.
    expect(page.members.members).toEqual({ customers: 1, orders: 2, netSales: "30.00", averageOrderValue: "15.00", repeatCustomers: 1, repeatCustomerRate: 1 });
    expect(page.members.nonMembers).toEqual({
      customers: 1,
      orders: 1,
      netSales: "30.00",
      averageOrderValue: "30.00",
      repeatCustomers: 1,
      repeatCustomerRate: 1,
    });
    const b = await analyticsPage(B, params(MARCH));
    if (!b.ok) throw new Error("bad period");
    expect([b.members.members.customers, b.members.members.netSales, b.members.nonMembers.customers]).toEqual([1, "999.00", 1]);
  });

  it("THEN attribution counts A's March answers per option, and the latest comments are A's March ones, newest first, as text", async () => {
    const page = await analyticsPage(A, params(MARCH));
    if (!page.ok) throw new Error("bad period");
    expect(page.surveys.attribution.answers).toBe(3);
    expect(page.surveys.attribution.options.filter((o) => o.count > 0).map((o) => [o.option, o.count, o.share])).toEqual([
      ["search", 1, 0.3333],
      ["friend", 2, 0.6667],
    ]);
    expect(page.surveys.comments).toEqual([
      { date: "2026-03-20", kind: "source", answer: "A friend", comment: "Came back for more" },
      { date: "2026-03-05", kind: "source", answer: "A friend", comment: "My sister <b>loves</b> you" },
    ]);
    const csv = analyticsCsv(page);
    expect(csv).toContain("\r\nsourceAnswers,3,,\r\n");
    expect(csv).toContain("\r\nsource:friend,2,,\r\n");
  });

  it("THEN NPS and CSAT count A's answers given in March only", async () => {
    const page = await analyticsPage(A, params(MARCH));
    if (!page.ok) throw new Error("bad period");
    expect(page.surveys.nps).toMatchObject({ nps: 33, answers: 3 });
    expect(page.surveys.nps.distribution[10]).toBe(1);
    expect(page.surveys.nps.distribution[0]).toBe(0);
    expect(page.surveys.csat).toMatchObject({ csat: 1, answers: 1 });
  });

  it("THEN shop B sees only its own orders", async () => {
    const page = await analyticsPage(B, params(MARCH));
    if (!page.ok) throw new Error("bad period");
    expect([page.current.orders, page.current.netSales, page.current.customers]).toEqual([2, "1499.00", 2]);
    expect(page.surveys.nps).toMatchObject({ nps: -100, answers: 1 });
  });

  it("THEN without comparison there is no previous period and no change", async () => {
    const page = await analyticsPage(A, params({ ...MARCH, compare: "0" }));
    if (!page.ok) throw new Error("bad period");
    expect(page.previous).toBeNull();
    expect(page.kpis.every((k) => k.previous === null && k.change === null)).toBe(true);
  });
});

describe("GIVEN a preset", () => {
  const now = new Date("2026-03-31T22:30:00Z"); // already 1 April in Ljubljana
  it.each([
    ["last30", "2026-03-03", "2026-04-01"],
    ["last90", "2026-01-02", "2026-04-01"],
    ["last12m", "2025-04-02", "2026-04-01"],
    ["thisYear", "2026-01-01", "2026-04-01"],
  ])("THEN %s counts back from the shop-local today", async (preset, from, to) => {
    const page = await analyticsPage(A, params({ preset }), now);
    expect(page.ok && page.period).toEqual({ from, to });
  });
});

describe("GIVEN a bad custom period", () => {
  it.each([
    [{ preset: "custom", from: "2026-02-30", to: "2026-03-31" }, { from: "Enter a real date as YYYY-MM-DD, e.g. 2026-03-31" }],
    [
      { preset: "custom", from: "", to: "yesterday" },
      { from: "Enter a date", to: "Enter a real date as YYYY-MM-DD, e.g. 2026-03-31" },
    ],
    [{ preset: "custom", from: "2026-04-01", to: "2026-03-01" }, { to: "The end date is before the start date" }],
    [{ preset: "custom", from: "2016-01-01", to: "2026-03-01" }, { to: "Choose a period of at most 5 years" }],
  ])("THEN %j answers field errors and keeps what was typed", async (query, errors) => {
    const page = await analyticsPage(A, params(query));
    expect(page.ok).toBe(false);
    if (page.ok) return;
    expect(page.errors).toEqual(errors);
    expect([page.query.from, page.query.to]).toEqual([query.from, query.to]);
  });

  it("THEN the page's loader answers 422 with those errors", async () => {
    const result = (await load(pageRoute.loader, A, "/app/analytics?preset=custom&from=2026-13-01&to=2026-03-31")) as {
      type?: string;
      data: { ok: boolean; errors: Record<string, string> };
      init: { status: number };
    };
    expect(result.init.status).toBe(422);
    expect(result.data.errors.from).toMatch(/real date/);
  });
});

describe("GIVEN the CSV download", () => {
  it("THEN it lists the session shop's figures, the previous period's, the change and the cohorts", async () => {
    const response = (await load(csvRoute.loader, A, "/app/analytics/csv?preset=custom&from=2026-03-01&to=2026-03-31")) as Response;
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Type")).toBe("text/csv; charset=utf-8");
    expect(response.headers.get("Content-Disposition")).toBe('attachment; filename="afterglow-analytics-2026-03-01-2026-03-31.csv"');
    const lines = (await response.text()).split("\r\n");
    expect(lines[0]).toBe("figure,2026-03-01 to 2026-03-31,2026-01-29 to 2026-02-28,change");
    expect(lines).toContain("orders,4,2,+100%");
    expect(lines).toContain("netSales,75.00,90.00,−17%");
    expect(lines).toContain("averageOrderValue,18.75,45.00,−58%");
    expect(lines).toContain("currency,EUR,EUR,");
    expect(lines).toContain("nps,33,,");
    expect(lines).toContain("cohort,customers");
    expect(lines).toContain("2026-03,1");
    expect(lines).toContain("month,orders,netSales,averageOrderValue,customers");
    expect(lines).toContain("2026-03,4,75.00,18.75,2");
    // March as its own period: customer 2 new, 1 returning; S = {1, 3}, E = {1, 2, 3}: retention (3 − 1) / 2, no churn.
    expect(lines).toContain("month,newCustomers,returningCustomers,retentionRate,churnRate");
    expect(lines).toContain("2026-03,1,1,1,0");
  });

  it("THEN shop B's CSV holds B's figures", async () => {
    const response = (await load(csvRoute.loader, B, "/app/analytics/csv?preset=custom&from=2026-03-01&to=2026-03-31")) as Response;
    expect((await response.text()).split("\r\n")).toContain("netSales,1499.00,0.00,");
  });

  it("THEN a bad period answers 422, not a file", async () => {
    const result = (await load(csvRoute.loader, A, "/app/analytics/csv?preset=custom&from=2026-04-01&to=2026-03-01")) as {
      data: { errors: Record<string, string> };
      init: { status: number };
    };
    expect(result.init.status).toBe(422);
    expect(result.data.errors.to).toBe("The end date is before the start date");
  });
});

/**
 * What the admin's analytics page (and its CSV) shows for one shop: the period the query string asks for, in the
 * shop's time zone, the retention figures of it and of the previous period (metrics-loader.server.ts) as KPI cards
 * with the change, the cohorts, and NPS / CSAT from the thank-you survey's answers dated in the period.
 * Every query is scoped to the one shop.
 */
import { prisma } from "~/db/db.server";
import { choosePeriod, kpiCards, type Kpi, type PeriodErrors, type PeriodQuery } from "./analytics-page";
import { addDays, shopLocalDate, startOfShopDay } from "./calendar";
import { customerSatisfaction, netPromoterScore, type Cohort, type Period, type RetentionMetrics } from "./metrics";
import { loadShopMetrics, UnknownShopError } from "./metrics-loader.server";
import { monthlySeries, type MonthFigures } from "./monthly-series.server";
import { chartMonths, type ChartMonth } from "./charts";
import { monthMetrics } from "./month-metrics.server";
import { commentAnswer, sourceAttribution, type Attribution, type SurveyComment } from "./survey-figures";
import type { MemberComparison } from "./members";
import { loadMemberComparison } from "./members.server";

export interface SurveyFigures {
  nps: { nps: number | null; answers: number; distribution: number[] };
  csat: { csat: number | null; answers: number; distribution: number[] };
  /** "How did you hear about us?" answers of the period per option. */
  attribution: Attribution;
  /** The period's latest comments (newest first, at most LATEST_COMMENTS), as plain text. */
  comments: SurveyComment[];
}

export const LATEST_COMMENTS = 10;

export type AnalyticsPage =
  | {
      ok: true;
      shop: string;
      timeZone: string;
      currency: string;
      query: PeriodQuery;
      period: Period;
      previousPeriod: Period | null;
      kpis: Kpi[];
      current: RetentionMetrics;
      previous: RetentionMetrics | null;
      cohorts: Cohort[];
      /** Orders, net sales, AOV and customers per shop-local month of the period. */
      months: MonthFigures[];
      /** Each month's figures by the KPI cards' own definitions (net sales, AOV, new / returning, retention, churn). */
      chart: ChartMonth[];
      /** Loyalty members vs the other customers of the period: repeat rate and AOV of each. */
      members: MemberComparison;
      surveys: SurveyFigures;
    }
  | { ok: false; shop: string; timeZone: string; query: PeriodQuery; errors: PeriodErrors };

/** The page for `shop` and the query string `params`; `now` fixes "today" (in the shop's zone) for the presets. */
export async function analyticsPage(shop: string, params: URLSearchParams, now: Date = new Date()): Promise<AnalyticsPage> {
  const row = await prisma.shop.findUnique({ where: { domain: shop }, select: { ianaTimezone: true, currencyCode: true } });
  if (!row) throw new UnknownShopError(shop);
  const today = shopLocalDate(now, row.ianaTimezone);
  const choice = choosePeriod(params, today);
  if (!choice.ok) return { ok: false, shop, timeZone: row.ianaTimezone, query: choice.query, errors: choice.errors };
  const { period, query } = choice;
  const [metrics, surveys, months, perMonth, members] = await Promise.all([
    loadShopMetrics(shop, period, { compare: query.compare }),
    surveyFigures(shop, period, row.ianaTimezone),
    monthlySeries(shop, period, row.ianaTimezone, row.currencyCode),
    monthMetrics(shop, period, row.ianaTimezone, row.currencyCode),
    loadMemberComparison(shop, period, row.ianaTimezone, row.currencyCode),
  ]);
  const { current, previous } = metrics;
  return {
    ok: true,
    shop,
    timeZone: metrics.timeZone,
    currency: current.currency,
    query,
    period,
    previousPeriod: previous ? { from: previous.from, to: previous.to } : null,
    kpis: kpiCards(current, previous),
    current,
    previous,
    cohorts: current.cohorts,
    months,
    chart: chartMonths(perMonth),
    members,
    surveys,
  };
}

/** NPS, CSAT and attribution of the survey answers given in the period (shop-local dates), and its latest comments. */
async function surveyFigures(shop: string, period: Period, timeZone: string): Promise<SurveyFigures> {
  const inPeriod = { gte: startOfShopDay(period.from, timeZone), lt: startOfShopDay(addDays(period.to, 1), timeZone) };
  const [answers, commented] = await Promise.all([
    prisma.surveyAnswer.findMany({
      where: { shop, kind: { in: ["nps", "csat", "source"] }, createdAt: inPeriod },
      select: { kind: true, score: true, answer: true, createdAt: true },
    }),
    prisma.surveyAnswer.findMany({
      where: { shop, comment: { not: null }, createdAt: inPeriod },
      select: { kind: true, score: true, answer: true, comment: true, createdAt: true },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      take: LATEST_COMMENTS,
    }),
  ]);
  const scores = (kind: string) =>
    answers.filter((a) => a.kind === kind && a.score !== null).map((a) => ({ date: shopLocalDate(a.createdAt, timeZone), score: a.score! }));
  const sources = answers.filter((a) => a.kind === "source").map((a) => ({ date: shopLocalDate(a.createdAt, timeZone), answer: a.answer }));
  return {
    nps: netPromoterScore(scores("nps"), period),
    csat: customerSatisfaction(scores("csat"), period),
    attribution: sourceAttribution(sources, period),
    comments: commented.map((a) => ({
      date: shopLocalDate(a.createdAt, timeZone),
      kind: a.kind,
      answer: commentAnswer(a.kind, a.score, a.answer),
      comment: a.comment ?? "",
    })),
  };
}

/** The CSV of the page's figures: one row per figure (this period, previous period, change), then the cohorts. */
export function analyticsCsv(page: Extract<AnalyticsPage, { ok: true }>): string {
  const lines: string[][] = [
    [
      "figure",
      `${page.period.from} to ${page.period.to}`,
      page.previousPeriod ? `${page.previousPeriod.from} to ${page.previousPeriod.to}` : "previous period",
      "change",
    ],
  ];
  const keys = [
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
  ] as const;
  const cell = (value: unknown) => (value === null || value === undefined ? "" : String(value));
  const changes = new Map(page.kpis.map((k) => [k.key, k.change]));
  for (const key of keys) lines.push([key, cell(page.current[key]), cell(page.previous?.[key]), cell(changes.get(key))]);
  lines.push(["currency", page.currency, page.previous?.currency ?? "", ""]);
  lines.push(["nps", cell(page.surveys.nps.nps), "", ""], ["npsAnswers", String(page.surveys.nps.answers), "", ""]);
  lines.push(["csat", cell(page.surveys.csat.csat), "", ""], ["csatAnswers", String(page.surveys.csat.answers), "", ""]);
  lines.push(["sourceAnswers", String(page.surveys.attribution.answers), "", ""]);
  for (const o of page.surveys.attribution.options) lines.push([`source:${o.option}`, String(o.count), "", ""]);
  for (const [side, g] of [
    ["members", page.members.members],
    ["nonMembers", page.members.nonMembers],
  ] as const) {
    lines.push([`${side}Customers`, String(g.customers), "", ""], [`${side}AverageOrderValue`, cell(g.averageOrderValue), "", ""]);
    lines.push([`${side}RepeatCustomerRate`, cell(g.repeatCustomerRate), "", ""]);
  }
  lines.push([], ["month", "orders", "netSales", "averageOrderValue", "customers"]);
  for (const m of page.months) lines.push([m.month, String(m.orders), m.netSales, cell(m.averageOrderValue), String(m.customers)]);
  // The charts' other figures, each month counted as its own period (clipped to the chosen one).
  lines.push([], ["month", "newCustomers", "returningCustomers", "retentionRate", "churnRate"]);
  for (const m of page.chart) lines.push([m.month, String(m.newCustomers), String(m.returningCustomers), cell(m.retentionRate), cell(m.churnRate)]);
  if (page.cohorts.length > 0) {
    const width = Math.max(...page.cohorts.map((c) => c.retained.length));
    lines.push([]);
    lines.push(["cohort", "customers", ...Array.from({ length: width }, (_, k) => `month +${k + 1}`)]);
    for (const c of page.cohorts) lines.push([c.month, String(c.customers), ...c.retained.map(String)]);
  }
  return lines.map((line) => line.map(csvField).join(",")).join("\r\n") + "\r\n";
}

function csvField(value: string): string {
  // Every field is a figure, a date or a fixed key: quoting is all they need.
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

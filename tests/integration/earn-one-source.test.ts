// One source of truth for earning (issue #13 item 1): an order placed in the emulated shop earns the same points
// through every path that awards order points — the program's own earn (earnOrderPoints), the default flow
// "Earn points on paid orders" (award_points in "program" mode, planned as the runner plans it), the
// double-points template (its bonus is the same base again) and the editor's test run — for a table of earn-rule
// cases: shipping, tax and discounts, excluded products, gift cards, product multipliers, the tier multiplier,
// the minimum order, rounding, JPY (no decimals) and KWD (3 decimals). Then the installed flows end to end, and
// the upgrade of an installed default flow the merchant never edited.
import { TEST_API_KEY, TEST_API_SECRET } from "../support/app-env";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prisma } from "~/db/db.server";
import { buildFlowContext, contextNeeds } from "~/flows/context.server";
import type { FlowDefinition } from "~/flows/definition";
import { dryRunFlow } from "~/flows/dry-run.server";
import { planFlowRun } from "~/flows/engine";
import { installFlowTemplates, upgradeUneditedTemplateFlows } from "~/flows/flows.server";
import { FLOW_TEMPLATES, LEGACY_TEMPLATE_DEFINITIONS } from "~/flows/templates";
import { awardPoints, earnOrderPoints } from "~/loyalty/loyalty.server";
import { saveProgram, saveTiers, type ProgramPatch } from "~/loyalty/program.server";
import { resetClock } from "~/lib/time/clock.server";
import { startWebhookServer } from "../support/app-server";
import { drainJobs } from "../support/drain-jobs";
import { startEmulator, type Emulator } from "../support/emulator/index";
import { addProducts } from "../support/emulator/seed";

let emulator: Emulator;
let app: Awaited<ReturnType<typeof startWebhookServer>>;
const shops: Record<"EUR" | "JPY" | "KWD", string> = { EUR: "", JPY: "", KWD: "" };
/** Product GIDs of the EUR shop's catalogue, by position. */
let products: string[] = [];
let productIds: string[] = [];

const template = (id: string) => FLOW_TEMPLATES.find((t) => t.id === id)!.definition;
const EARN = template("earn-points-paid");
/** The double-points template's step, on every paid order (its own trigger wants a second order). */
const DOUBLE: FlowDefinition = { ...template("double-points-second-order"), trigger: { type: "order.paid" } };

beforeAll(async () => {
  app = await startWebhookServer();
  emulator = await startEmulator({ apiKey: TEST_API_KEY, apiSecret: TEST_API_SECRET, appUrl: app.url, seed: false });
  process.env.SHOPIFY_ADMIN_API_ORIGIN = emulator.url;
  for (const currency of ["EUR", "JPY", "KWD"] as const) {
    const created = emulator.createShop(`earn-${currency.toLowerCase()}`, { currency, timezone: "Europe/Ljubljana" });
    shops[currency] = created.shop;
    const catalogue = addProducts(emulator.state(created.shop));
    if (currency === "EUR") {
      productIds = catalogue.map((p) => p.id);
      products = productIds.map((id) => `gid://shopify/Product/${id}`);
    }
    await prisma.session.create({ data: { id: `offline_${created.shop}`, shop: created.shop, state: "", isOnline: false, accessToken: created.accessToken } });
    await prisma.shop.create({ data: { domain: created.shop, name: `Earn ${currency}`, currencyCode: currency, ianaTimezone: "Europe/Ljubljana" } });
    await saveTiers(created.shop, [
      { handle: "member", name: "Member", threshold: 0 },
      { handle: "gold", name: "Gold", threshold: 1, earnMultiplier: "1.5" },
    ]);
  }
});

afterAll(async () => {
  await resetClock();
  delete process.env.SHOPIFY_ADMIN_API_ORIGIN;
  await emulator?.close();
  await app?.close();
});

async function settle() {
  await emulator.waitForDeliveries();
  await drainJobs();
}

const BASE_RULES: ProgramPatch = {
  pointsPerUnit: "1",
  rounding: "floor",
  includeShipping: false,
  includeTax: false,
  includeGiftCards: false,
  minimumOrderMinor: 0,
  excludedProductGids: [],
  excludedCollectionGids: [],
  multipliers: [],
  pendingDays: 0,
  // Tiers by points: one point puts a customer in Gold (×1.5) for the tier cases.
  tierBasis: "points",
};

interface Line {
  product?: number;
  price: string;
  quantity?: number;
  discount?: string;
  giftCard?: boolean;
  taxable?: boolean;
}

interface EarnCase {
  name: string;
  currency: "EUR" | "JPY" | "KWD";
  rules: ProgramPatch;
  lines: Line[];
  shipping?: string;
  taxesIncluded?: boolean;
  /** The customer holds Gold (×1.5) before the order. */
  gold?: boolean;
  points: number;
}

const CASES: EarnCase[] = [
  { name: "1 per euro of €45.90, rounded down", currency: "EUR", rules: {}, lines: [{ price: "45.90" }], points: 45 },
  { name: "shipping does not count", currency: "EUR", rules: {}, lines: [{ price: "100.00" }], shipping: "20.00", points: 100 },
  {
    name: "shipping counts when the program says so",
    currency: "EUR",
    rules: { includeShipping: true },
    lines: [{ price: "100.00" }],
    shipping: "20.00",
    points: 120,
  },
  {
    name: "VAT inside the price does not earn (122.00 with 22 %)",
    currency: "EUR",
    rules: {},
    lines: [{ price: "122.00", taxable: true }],
    taxesIncluded: true,
    points: 100,
  },
  {
    name: "VAT inside the price earns when tax counts",
    currency: "EUR",
    rules: { includeTax: true },
    lines: [{ price: "122.00", taxable: true }],
    taxesIncluded: true,
    points: 122,
  },
  { name: "a discount earns nothing", currency: "EUR", rules: {}, lines: [{ price: "100.00", discount: "30.00" }], points: 70 },
  {
    name: "an excluded product and a ×2 product",
    currency: "EUR",
    rules: {},
    lines: [
      { product: 0, price: "50.00" },
      { product: 1, price: "30.00" },
      { product: 2, price: "20.00" },
    ],
    points: 80,
  },
  { name: "a gift card does not earn", currency: "EUR", rules: {}, lines: [{ price: "25.00", giftCard: true }, { price: "40.00" }], points: 40 },
  { name: "Gold ×1.5, rounded down: 68.85 → 68", currency: "EUR", rules: {}, lines: [{ price: "45.90" }], gold: true, points: 68 },
  { name: "Gold ×1.5, rounded to nearest: 68.85 → 69", currency: "EUR", rules: { rounding: "nearest" }, lines: [{ price: "45.90" }], gold: true, points: 69 },
  { name: "0.5 per euro, rounded up: 22.95 → 23", currency: "EUR", rules: { pointsPerUnit: "0.5", rounding: "ceil" }, lines: [{ price: "45.90" }], points: 23 },
  { name: "below the €50.00 minimum order", currency: "EUR", rules: { minimumOrderMinor: 5000 }, lines: [{ price: "45.90" }], points: 0 },
  { name: "at the €50.00 minimum order", currency: "EUR", rules: { minimumOrderMinor: 5000 }, lines: [{ price: "50.00" }], points: 50 },
  { name: "JPY: 1 per yen", currency: "JPY", rules: {}, lines: [{ price: "1234" }], points: 1234 },
  { name: "JPY: 0.01 per yen, rounded down", currency: "JPY", rules: { pointsPerUnit: "0.01" }, lines: [{ price: "1299" }], points: 12 },
  { name: "KWD: 12.345, rounded down", currency: "KWD", rules: {}, lines: [{ price: "12.345" }], points: 12 },
  { name: "KWD: 12.500, rounded to nearest", currency: "KWD", rules: { rounding: "nearest" }, lines: [{ price: "12.500" }], points: 13 },
];

let customerNo = 0;

/** Places and pays the order with the program off (nothing earns on its own), returns its GID. */
async function placeCase(c: EarnCase): Promise<{ shop: string; orderGid: string; customerGid: string }> {
  const shop = shops[c.currency];
  const rules: ProgramPatch = { ...BASE_RULES, ...c.rules };
  if (c.name.includes("excluded product")) {
    rules.excludedProductGids = [products[0]!];
    rules.multipliers = [{ on: "product", gid: products[1]!, factor: "2" }];
  }
  await saveProgram(shop, { ...rules, enabled: false });
  const email = `earn-${++customerNo}@example.si`;
  const order = emulator.placeOrder(shop, {
    email,
    taxes_included: c.taxesIncluded === true,
    line_items: c.lines.map((l, i) => ({
      ...(l.product !== undefined ? { product_id: productIds[l.product] } : { title: `Item ${i + 1}` }),
      price: l.price,
      quantity: l.quantity ?? 1,
      taxable: l.taxable === true,
      ...(l.discount ? { total_discount: l.discount } : {}),
      ...(l.giftCard ? { gift_card: true, requires_shipping: false } : {}),
    })),
    ...(c.shipping ? { shipping_price: c.shipping } : {}),
  });
  await settle();
  const customerGid = `gid://shopify/Customer/${emulator.state(shop).orders.get(order.id)!.customerId}`;
  if (c.gold) {
    // One point, for no order, puts the customer in Gold.
    await awardPoints({ shop, customerGid, email, key: `seed:${customerGid}`, points: 1, reason: "test: into Gold" });
    expect((await prisma.loyaltyAccount.findUniqueOrThrow({ where: { shop_customerGid: { shop, customerGid } } })).tier).toBe("gold");
  }
  return { shop, orderGid: `gid://shopify/Order/${order.id}`, customerGid };
}

/** Plans a definition for the order's paid event exactly as the runner does (context for planning, pure plan). */
async function planned(shop: string, orderGid: string, definition: FlowDefinition) {
  const ctx = await buildFlowContext(
    shop,
    { kind: "order.paid", key: `order.paid:${orderGid}`, subjectGid: orderGid, occurredAt: new Date().toISOString(), payload: { orderGid } },
    contextNeeds([definition], true),
  );
  return planFlowRun(definition, ctx).steps[0]!;
}

const pointsIn = (summary: string) => Number(/^Award (\d+) (?:bonus )?points?/.exec(summary)?.[1] ?? NaN);

describe("the same order earns the same points through every path", () => {
  it.each(CASES.map((c) => [c.name, c] as const))("%s", async (_name, c) => {
    const { shop, orderGid } = await placeCase(c);

    // The default flow, as its run plans it (program off: the flow awards).
    const flowStep = await planned(shop, orderGid, EARN);
    expect(flowStep.points ?? 0).toBe(c.points);
    if (c.points > 0) expect(flowStep.skipped).toBeUndefined();
    else expect(flowStep.skipped).toMatch(/minimum order/);

    // The double-points template: a bonus of the same base again.
    const bonus = await planned(shop, orderGid, DOUBLE);
    expect(bonus.points ?? 0).toBe(c.points);

    // The editor's test run of the default flow says the same number.
    const dry = await dryRunFlow(shop, EARN, orderGid);
    expect(dry.steps[0]!.skip ?? null).toBe(c.points > 0 ? null : flowStep.skipped);
    if (c.points > 0) expect(pointsIn(dry.steps[0]!.summary)).toBe(c.points);

    // The program's own earn, turned on: one ledger entry with the same points.
    await saveProgram(shop, { enabled: true });
    const earned = await earnOrderPoints(shop, orderGid);
    expect(earned.points).toBe(c.points);
    const entry = await prisma.loyaltyEntry.findUnique({ where: { shop_key: { shop, key: `earn:${orderGid}` } } });
    expect(entry?.points ?? 0).toBe(c.points);

    // With the program on, the default flow's step awards nothing (no order earns twice); the bonus still comes.
    const whileOn = await planned(shop, orderGid, EARN);
    expect(whileOn.skipped).toBe("the loyalty program is on and awards the order's points itself");
    expect((await planned(shop, orderGid, DOUBLE)).points ?? 0).toBe(c.points);

    // Switched off again before a late run of the default flow: the program's points for the order are not given twice.
    await saveProgram(shop, { enabled: false });
    if (c.points > 0) expect((await planned(shop, orderGid, EARN)).skipped).toBe("the loyalty program already awarded the order's points");
  });
});

describe("the installed default flows on real orders", () => {
  it("GIVEN the program off THEN the default flow awards the program's points, and the second order adds the same again; GIVEN it on THEN only the program awards", async () => {
    const shop = shops.EUR;
    await saveTiers(shop, []);
    await installFlowTemplates(shop);
    await saveProgram(shop, {
      ...BASE_RULES,
      enabled: false,
      excludedProductGids: [products[0]!],
      multipliers: [{ on: "product", gid: products[1]!, factor: "2" }],
    });
    const order = (email: string) =>
      emulator.placeOrder(shop, {
        email,
        taxes_included: false,
        line_items: [
          { product_id: productIds[0], price: "50.00", taxable: false },
          { product_id: productIds[1], price: "30.00", taxable: false },
        ],
        shipping_price: "9.00",
      });
    const first = order("flows-earn@example.si");
    await settle();
    const customerGid = `gid://shopify/Customer/${emulator.state(shop).orders.get(first.id)!.customerId}`;
    const entriesOf = (orderId: string) =>
      prisma.loyaltyEntry.findMany({ where: { shop, customerGid, orderGid: `gid://shopify/Order/${orderId}`, kind: "earn" }, orderBy: { id: "asc" } });
    // 50.00 excluded, 30.00 × 2, shipping not counted: 60 — not the 80 a flat rate on the subtotal gave.
    expect((await entriesOf(first.id)).map((e) => e.points)).toEqual([60]);
    expect((await entriesOf(first.id))[0]!.key).toMatch(/^flow:/);

    const second = order("flows-earn@example.si");
    await settle();
    // The default flow's 60 and the double-points template's bonus of 60 more.
    expect((await entriesOf(second.id)).map((e) => e.points).sort()).toEqual([60, 60]);

    await saveProgram(shop, { enabled: true });
    const third = order("flows-earn@example.si");
    await settle();
    const entries = await entriesOf(third.id);
    expect(entries.map((e) => [e.key, e.points])).toEqual([[`earn:gid://shopify/Order/${third.id}`, 60]]);
    const flow = await prisma.flow.findFirstOrThrow({ where: { shop, templateId: "earn-points-paid" } });
    const run = await prisma.flowRun.findFirstOrThrow({ where: { shop, flowId: flow.id, eventKey: { contains: third.id } } });
    const step = await prisma.actionRun.findFirstOrThrow({ where: { shop, runId: run.id, stepIndex: 0 } });
    expect(step).toMatchObject({ status: "skipped" });
    expect(step.summary).toMatch(/the loyalty program is on and awards the order's points itself/);
    await saveProgram(shop, { enabled: false });
  });
});

describe("a shop installed before the default flow earned by the program's rules", () => {
  it("GIVEN the flat-rate flow never edited THEN it becomes 'program' in a new version; an edited one is left; again changes nothing", async () => {
    const shop = shops.JPY;
    const legacy = JSON.stringify(LEGACY_TEMPLATE_DEFINITIONS["earn-points-paid"]![0]);
    const edited = JSON.stringify({
      ...JSON.parse(legacy),
      actions: [{ type: "award_points", params: { mode: "per_currency_unit", points: 2, per: "1.00" } }],
    });
    const make = async (installKey: string, definition: string, version: number) => {
      const flow = await prisma.flow.create({
        data: {
          shop,
          name: "Earn points on paid orders",
          templateId: "earn-points-paid",
          installKey,
          enabled: true,
          version,
          definition,
          triggerType: "order.paid",
        },
      });
      await prisma.flowVersion.create({ data: { shop, flowId: flow.id, version, definition } });
      return flow.id;
    };
    await prisma.flow.deleteMany({ where: { shop } });
    const untouched = await make("template:earn-points-paid", legacy, 1);
    const changed = await make("legacy:edited", edited, 2);

    expect(await installFlowTemplates(shop)).toBe(FLOW_TEMPLATES.length - 1);
    const after = await prisma.flow.findUniqueOrThrow({ where: { id: untouched } });
    expect(after).toMatchObject({ version: 2, enabled: true });
    expect(JSON.parse(after.definition)).toEqual(EARN);
    const versions = await prisma.flowVersion.findMany({ where: { shop, flowId: untouched }, orderBy: { version: "asc" } });
    expect(versions.map((v) => [v.version, JSON.parse(v.definition).actions[0].params.mode])).toEqual([
      [1, "per_currency_unit"],
      [2, "program"],
    ]);
    expect(await prisma.flow.findUniqueOrThrow({ where: { id: changed } })).toMatchObject({ version: 2, definition: edited });
    expect(await upgradeUneditedTemplateFlows(shop)).toBe(0);
    expect((await prisma.flow.findUniqueOrThrow({ where: { id: untouched } })).version).toBe(2);
  });
});

describe("what planning reads from Shopify", () => {
  it("GIVEN only program-mode steps THEN the order's lines are read only while the program is off; a multiplier always reads them", () => {
    expect(contextNeeds([EARN], true)).toMatchObject({ orderEarn: true, orderEarnOnlyWhenProgramOff: true });
    expect(contextNeeds([EARN, DOUBLE], true)).toMatchObject({ orderEarn: true });
    expect(contextNeeds([EARN, DOUBLE], true).orderEarnOnlyWhenProgramOff).toBeFalsy();
    expect(contextNeeds([EARN], false)).toMatchObject({ orderEarn: false });
  });
});

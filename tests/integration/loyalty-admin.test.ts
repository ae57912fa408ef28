// The loyalty admin pages' loaders and actions, called as Remix calls them with an admin session token: bad
// input answers 422 with field errors, one shop never sees or changes another's program, tiers, rewards or
// customers, a manual adjustment lands once with the staff member and reason, and the tier editor's preview
// counts exactly the customers that saving then moves (their tier tags following in Shopify).
import { TEST_API_KEY, TEST_API_SECRET } from "../support/app-env";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_SCOPES } from "~/config.server";
import { prisma } from "~/db/db.server";
import { installFlowTemplates } from "~/flows/flows.server";
import { checkLedger } from "~/loyalty/ledger.server";
import { awardPoints } from "~/loyalty/loyalty.server";
import { runLoyaltyDefinitionsJob } from "~/loyalty/mirror.server";
import { loadProgram } from "~/loyalty/program.server";
import { redeemReward } from "~/loyalty/redemption.server";
import * as customerRoute from "~/routes/app.loyalty.customers.$customerId";
import * as customersRoute from "~/routes/app.loyalty.customers._index";
import * as overviewRoute from "~/routes/app.loyalty._index";
import * as reportRoute from "~/routes/app.loyalty.report";
import * as rewardsRoute from "~/routes/app.loyalty.rewards";
import * as tiersRoute from "~/routes/app.loyalty.tiers";
import { mintSessionToken } from "~/sandbox/session-token.server";
import { startWebhookServer } from "../support/app-server";
import { drainJobs } from "../support/drain-jobs";
import { startEmulator, type Emulator } from "../support/emulator/index";

const APP = "http://127.0.0.1:3999";
let emulator: Emulator;
let app: Awaited<ReturnType<typeof startWebhookServer>>;
let A: string;
let B: string;

type RouteFn = (args: { request: Request; params: Record<string, string>; context: Record<string, unknown> }) => Promise<unknown>;
type Route = { loader?: unknown; action?: unknown };
interface Answer {
  status: number;
  body: Record<string, unknown> & { errors?: Record<string, string> };
}

/** Calls a route function as Remix would; answers its status and data (thrown responses included). */
async function call(fn: unknown, request: Request, params: Record<string, string> = {}): Promise<Answer> {
  try {
    const result = await (fn as RouteFn)({ request, params, context: {} });
    if (result instanceof Response) return { status: result.status, body: {} };
    const wrapped = result as { type?: string; data?: unknown; init?: { status?: number } | null };
    if (wrapped?.type === "DataWithResponseInit") return { status: wrapped.init?.status ?? 200, body: wrapped.data as Answer["body"] };
    return { status: 200, body: result as Answer["body"] };
  } catch (error) {
    if (error instanceof Response) return { status: error.status, body: {} };
    throw error;
  }
}

const auth = (shop: string) => ({ Authorization: `Bearer ${mintSessionToken({ shop, apiKey: TEST_API_KEY, apiSecret: TEST_API_SECRET })}` });
const load = (route: Route, shop: string, path: string, params: Record<string, string> = {}) =>
  call(route.loader, new Request(`${APP}${path}`, { headers: auth(shop) }), params);
const post = (route: Route, shop: string, path: string, body: unknown, params: Record<string, string> = {}) =>
  call(
    route.action,
    new Request(`${APP}${path}`, { method: "POST", headers: { ...auth(shop), "Content-Type": "application/json" }, body: JSON.stringify(body) }),
    params,
  );

const GOOD_PROGRAM = {
  enabled: true,
  pointsPerUnit: "2",
  includeShipping: true,
  includeTax: false,
  includeGiftCards: false,
  rounding: "nearest",
  minimumOrder: "20.00",
  excludedProducts: "8012345678, gid://shopify/Product/42",
  excludedCollections: "",
  pendingDays: "30",
  pendingFrom: "fulfilled",
  expiryMonths: "12",
  birthdayPoints: "100",
  signupPoints: "50",
};

async function customer(shop: string, email: string) {
  const created = emulator.createCustomer(shop, { email });
  await emulator.waitForDeliveries();
  return created.admin_graphql_api_id;
}

beforeAll(async () => {
  app = await startWebhookServer();
  emulator = await startEmulator({ apiKey: TEST_API_KEY, apiSecret: TEST_API_SECRET, appUrl: app.url, seed: false });
  process.env.SHOPIFY_ADMIN_API_ORIGIN = emulator.url;
  for (const name of ["loyalty-admin-a", "loyalty-admin-b"]) {
    const created = emulator.createShop(name, { currency: "EUR", timezone: "Europe/Ljubljana" });
    await prisma.shop.create({ data: { domain: created.shop, name, currencyCode: "EUR", ianaTimezone: "Europe/Ljubljana" } });
    await prisma.session.create({
      data: { id: `offline_${created.shop}`, shop: created.shop, state: "", isOnline: false, accessToken: created.accessToken, scope: DEFAULT_SCOPES },
    });
  }
  A = "loyalty-admin-a.myshopify.com";
  B = "loyalty-admin-b.myshopify.com";
});

afterAll(async () => {
  delete process.env.SHOPIFY_ADMIN_API_ORIGIN;
  await emulator?.close();
  await app?.close();
});

describe("program settings", () => {
  it.each([
    ["points per unit", { pointsPerUnit: "lots" }, "pointsPerUnit"],
    ["a zero rate", { pointsPerUnit: "0" }, "pointsPerUnit"],
    ["a minimum with too many decimals", { minimumOrder: "20.001" }, "minimumOrder"],
    ["a product that is not an ID", { excludedProducts: "candles" }, "excludedProducts"],
    ["a collection id given as a product", { excludedCollections: "gid://shopify/Product/1" }, "excludedCollections"],
    ["pending days beyond a year", { pendingDays: "400" }, "pendingDays"],
    ["pending from something else", { pendingFrom: "shipped" }, "pendingFrom"],
    ["negative sign-up points", { signupPoints: "-5" }, "signupPoints"],
  ])("GIVEN %s THEN 422 naming the field, and nothing is saved", async (_label, patch, field) => {
    const answer = await post(overviewRoute, A, "/app/loyalty?index", { intent: "save", ...GOOD_PROGRAM, ...patch });
    expect(answer.status).toBe(422);
    expect(Object.keys(answer.body.errors!)).toEqual([field]);
    expect((await loadProgram(A)).enabled).toBe(false);
  });

  it("GIVEN good settings THEN saved for this shop only, and the page shows them", async () => {
    const answer = await post(overviewRoute, A, "/app/loyalty?index", { intent: "save", ...GOOD_PROGRAM });
    expect(answer).toEqual({ status: 200, body: { saved: true } });
    expect(await loadProgram(A)).toMatchObject({
      enabled: true,
      pointsPerUnit: "2",
      rounding: "nearest",
      minimumOrderMinor: 2000,
      excludedProductGids: ["gid://shopify/Product/8012345678", "gid://shopify/Product/42"],
      pendingDays: 30,
      pendingFrom: "fulfilled",
      expiryMonths: 12,
    });
    const page = await load(overviewRoute, A, "/app/loyalty");
    expect(page.body.program).toMatchObject({ enabled: true, minimumOrder: "20.00", excludedProducts: "8012345678, 42" });
    expect((await loadProgram(B)).enabled).toBe(false);
    expect((await load(overviewRoute, B, "/app/loyalty")).body.program).toMatchObject({ enabled: false, pointsPerUnit: "1" });
  });

  it("GIVEN a flow awarding its own rate on paid orders is on THEN the page warns; turning it off works only for the shop's own flow", async () => {
    await installFlowTemplates(A);
    await installFlowTemplates(B);
    // The installed default flow earns the program's points, which it skips while the program is on: no warning.
    expect((await load(overviewRoute, A, "/app/loyalty")).body.doubleEarnFlows).toEqual([]);
    // A merchant who edited it to an own rate per amount spent would have customers earn twice.
    for (const shop of [A, B]) {
      const flow = await prisma.flow.findFirstOrThrow({ where: { shop, templateId: "earn-points-paid" } });
      const definition = {
        ...(JSON.parse(flow.definition) as object),
        actions: [{ type: "award_points", params: { mode: "per_currency_unit", points: 1, per: "1.00" } }],
      };
      await prisma.flow.update({ where: { id: flow.id }, data: { definition: JSON.stringify(definition) } });
    }
    const flows = (await load(overviewRoute, A, "/app/loyalty")).body.doubleEarnFlows as { id: string; name: string }[];
    expect(flows.map((f) => f.name)).toEqual(["Earn points on paid orders"]);
    const bFlow = ((await load(overviewRoute, B, "/app/loyalty")).body.doubleEarnFlows as { id: string }[])[0]!;
    expect((await post(overviewRoute, A, "/app/loyalty?index", { intent: "turnOffFlow", flowId: bFlow.id })).status).toBe(404);
    expect(await post(overviewRoute, A, "/app/loyalty?index", { intent: "turnOffFlow", flowId: flows[0]!.id })).toEqual({
      status: 200,
      body: { flowOff: true },
    });
    expect((await load(overviewRoute, A, "/app/loyalty")).body.doubleEarnFlows).toEqual([]);
    expect((await prisma.flow.findUniqueOrThrow({ where: { id: bFlow.id } })).enabled).toBe(true);
  });
});

describe("tiers", () => {
  const customers: Record<string, string> = {};
  const rules = (tiers: { name: string; threshold: string; handle?: string; earnMultiplier?: string }[], downgradePolicy = "reevaluate") => ({
    tierBasis: "points",
    tierWindow: "lifetime",
    downgradePolicy,
    tiers: tiers.map((t) => ({ handle: t.handle ?? "", earnMultiplier: t.earnMultiplier ?? "1", perks: "", ...t })),
  });

  beforeAll(async () => {
    expect(
      (
        await post(tiersRoute, A, "/app/loyalty/tiers", {
          intent: "save",
          ...rules([
            { name: "Member", threshold: "0" },
            { name: "Gold", threshold: "500", earnMultiplier: "2" },
          ]),
        })
      ).status,
    ).toBe(200);
    await drainJobs();
    for (const [name, points] of [
      ["cene", 100],
      ["dora", 600],
      ["eva", 300],
      ["filip", 1_000],
    ] as const) {
      customers[name] = await customer(A, `${name}@example.si`);
      await awardPoints({ shop: A, customerGid: customers[name], key: `opening:${name}`, points, reason: "Opening balance" });
    }
    await drainJobs();
  });

  const tierOf = async (name: string) =>
    (await prisma.loyaltyAccount.findUniqueOrThrow({ where: { shop_customerGid: { shop: A, customerGid: customers[name]! } } })).tier;
  const tagsOf = (name: string) =>
    emulator
      .state(A)
      .customers.get(customers[name]!.split("/").pop()!)!
      .tags.filter((t) => t.startsWith("afterglow-tier-"));

  it("GIVEN customers in Member and Gold THEN their tags in Shopify say so", async () => {
    expect([await tierOf("cene"), await tierOf("dora"), await tierOf("eva"), await tierOf("filip")]).toEqual(["member", "gold", "member", "gold"]);
    expect(tagsOf("dora")).toEqual(["afterglow-tier-gold"]);
    expect(tagsOf("eva")).toEqual(["afterglow-tier-member"]);
  });

  it.each([
    ["a tier without a name", [{ name: "", threshold: "10" }], "tiers.0.name"],
    [
      "two tiers at one threshold",
      [
        { name: "Member", threshold: "0" },
        { name: "Silver", threshold: "0" },
      ],
      "tiers.1.threshold",
    ],
    [
      "two tiers with one name",
      [
        { name: "Gold", threshold: "0" },
        { name: "Gold", threshold: "10" },
      ],
      "tiers.1.name",
    ],
    ["a multiplier below 1", [{ name: "Member", threshold: "0", earnMultiplier: "0.5" }], "tiers.0.earnMultiplier"],
    ["a threshold that is not a number", [{ name: "Member", threshold: "many" }], "tiers.0.threshold"],
  ])("GIVEN %s THEN preview and save answer 422 with the row's field, and nothing changes", async (_label, tiers, field) => {
    for (const intent of ["preview", "save"]) {
      const answer = await post(tiersRoute, A, "/app/loyalty/tiers", { intent, ...rules(tiers) });
      expect(answer.status).toBe(422);
      expect(answer.body.errors).toHaveProperty([field]);
    }
    expect(await prisma.loyaltyTier.count({ where: { shop: A } })).toBe(2);
  });

  it("GIVEN new thresholds THEN the preview counts who moves up and down, by the downgrade rule; saving moves exactly them", async () => {
    const edited = [
      { name: "Member", threshold: "0", handle: "member" },
      { name: "Silver", threshold: "250" },
      { name: "Gold", threshold: "800", handle: "gold" },
    ];
    // Keeping tiers until next year: Dora (600) would qualify for Silver only, but keeps Gold for now.
    const kept = await post(tiersRoute, A, "/app/loyalty/tiers", { intent: "preview", ...rules(edited, "end_of_next_period") });
    expect(kept.body.preview).toMatchObject({ customers: 4, up: 1, down: 0, unchanged: 3, keptByPolicy: 1 });
    const preview = await post(tiersRoute, A, "/app/loyalty/tiers", { intent: "preview", ...rules(edited) });
    expect(preview.body.preview).toMatchObject({ customers: 4, up: 1, down: 1, unchanged: 2, keptByPolicy: 0, after: { member: 1, silver: 2, gold: 1 } });
    // Nothing moved by looking.
    expect(await tierOf("eva")).toBe("member");

    const saved = await post(tiersRoute, A, "/app/loyalty/tiers", { intent: "save", ...rules(edited) });
    expect(saved.body).toMatchObject({ saved: true, preview: { up: 1, down: 1 } });
    await drainJobs();
    expect([await tierOf("cene"), await tierOf("dora"), await tierOf("eva"), await tierOf("filip")]).toEqual(["member", "silver", "silver", "gold"]);
    expect(tagsOf("dora")).toEqual(["afterglow-tier-silver"]);
    expect(tagsOf("eva")).toEqual(["afterglow-tier-silver"]);
    const page = await load(tiersRoute, A, "/app/loyalty/tiers");
    expect((page.body.form as { tiers: { name: string; threshold: string }[] }).tiers.map((t) => [t.name, t.threshold])).toEqual([
      ["Member", "0"],
      ["Silver", "250"],
      ["Gold", "800"],
    ]);
  });

  it("GIVEN shop B THEN it sees none of A's tiers, and its preview counts none of A's customers", async () => {
    expect((await load(tiersRoute, B, "/app/loyalty/tiers")).body.form).toMatchObject({ tiers: [] });
    const preview = await post(tiersRoute, B, "/app/loyalty/tiers", { intent: "preview", ...rules([{ name: "Member", threshold: "0" }]) });
    expect(preview.body.preview).toMatchObject({ customers: 0 });
  });
});

describe("rewards", () => {
  let rewardId: string;

  it.each([
    ["no name", { name: "" }, "name"],
    ["a percentage above 100", { kind: "percentage", value: "150" }, "value"],
    ["no points cost", { pointsCost: "" }, "pointsCost"],
    ["a cost of 0", { pointsCost: "0" }, "pointsCost"],
    ["a minimum order that is not money", { minimumOrder: "ten" }, "minimumOrder"],
    ["an unknown kind", { kind: "gift" }, "kind"],
  ])("GIVEN %s THEN 422 naming the field", async (_label, patch, field) => {
    const answer = await post(rewardsRoute, A, "/app/loyalty/rewards", {
      intent: "create",
      name: "5 € off",
      kind: "fixed_amount",
      value: "5",
      pointsCost: "500",
      expiresInDays: "30",
      enabled: true,
      ...patch,
    });
    expect(answer.status).toBe(422);
    expect(answer.body.errors).toHaveProperty([field]);
  });

  it("GIVEN a good reward THEN it is in the catalogue (amounts normalised), and only this shop's", async () => {
    const answer = await post(rewardsRoute, A, "/app/loyalty/rewards", {
      intent: "create",
      name: "5 € off",
      kind: "fixed_amount",
      value: "5",
      pointsCost: "500",
      minimumOrder: "25",
      expiresInDays: "60",
      enabled: true,
    });
    expect(answer.status).toBe(200);
    rewardId = answer.body.saved as string;
    const page = await load(rewardsRoute, A, "/app/loyalty/rewards");
    expect(page.body.rewards).toEqual([
      expect.objectContaining({ id: rewardId, value: "5.00", minimumOrder: "25.00", pointsCost: 500, expiresInDays: 60, enabled: true, redeemed: 0 }),
    ]);
    expect((await load(rewardsRoute, B, "/app/loyalty/rewards")).body.rewards).toEqual([]);
  });

  it("GIVEN shop B THEN it can neither change, switch off nor delete A's reward", async () => {
    expect(
      (await post(rewardsRoute, B, "/app/loyalty/rewards", { intent: "update", id: rewardId, name: "Mine", kind: "percentage", value: "90", pointsCost: "1" }))
        .status,
    ).toBe(404);
    expect((await post(rewardsRoute, B, "/app/loyalty/rewards", { intent: "toggle", id: rewardId, enabled: false })).status).toBe(404);
    expect((await post(rewardsRoute, B, "/app/loyalty/rewards", { intent: "delete", id: rewardId })).status).toBe(404);
    expect(await prisma.loyaltyReward.findUniqueOrThrow({ where: { id: rewardId } })).toMatchObject({ name: "5 € off", enabled: true });
  });

  it("GIVEN a reward WHEN it is edited, switched off and on, redeemed, then deleted THEN a redeemed reward is switched off instead", async () => {
    expect(
      (
        await post(rewardsRoute, A, "/app/loyalty/rewards", {
          intent: "update",
          id: rewardId,
          name: "5 € off",
          kind: "fixed_amount",
          value: "5",
          pointsCost: "400",
          expiresInDays: "30",
          enabled: true,
        })
      ).status,
    ).toBe(200);
    expect((await prisma.loyaltyReward.findUniqueOrThrow({ where: { id: rewardId } })).pointsCost).toBe(400);
    await post(rewardsRoute, A, "/app/loyalty/rewards", { intent: "toggle", id: rewardId, enabled: false });
    expect((await prisma.loyaltyReward.findUniqueOrThrow({ where: { id: rewardId } })).enabled).toBe(false);
    await post(rewardsRoute, A, "/app/loyalty/rewards", { intent: "toggle", id: rewardId, enabled: true });
    const filip = (await prisma.loyaltyAccount.findFirstOrThrow({ where: { shop: A, email: "filip@example.si" } })).customerGid;
    const redeemed = await redeemReward(A, filip, rewardId, "filip-first");
    expect(redeemed.code).toMatch(/^POINTS-/);
    expect((await post(rewardsRoute, A, "/app/loyalty/rewards", { intent: "delete", id: rewardId })).body).toEqual({ removed: "disabled" });
    const unused = await post(rewardsRoute, A, "/app/loyalty/rewards", {
      intent: "create",
      name: "Free shipping",
      kind: "free_shipping",
      value: "",
      pointsCost: "300",
      enabled: true,
    });
    expect((await post(rewardsRoute, A, "/app/loyalty/rewards", { intent: "delete", id: unused.body.saved })).body).toEqual({ removed: "deleted" });
  });
});

describe("customers and manual adjustments", () => {
  let cene: string;

  beforeAll(async () => {
    cene = (await prisma.loyaltyAccount.findFirstOrThrow({ where: { shop: A, email: "cene@example.si" } })).customerGid;
  });
  const id = () => cene.split("/").pop()!;
  const adjust = (shop: string, body: Record<string, unknown>) =>
    post(customerRoute, shop, `/app/loyalty/customers/${id()}`, { intent: "adjust", key: "form-key-0001", ...body }, { customerId: id() });

  // Cene has 100 opening points and 50 for signing up (the program's sign-up points, from customers/create).
  it("GIVEN a search by part of an e-mail THEN the shop's matching customers, with balance, pending and tier", async () => {
    const found = await load(customersRoute, A, "/app/loyalty/customers?q=CENE");
    expect(found.body.customers).toEqual([expect.objectContaining({ id: id(), email: "cene@example.si", points: 150, pending: 0, tier: "Member" })]);
    expect((await load(customersRoute, A, `/app/loyalty/customers?q=${id()}`)).body.total).toBe(1);
    expect((await load(customersRoute, A, "/app/loyalty/customers")).body.total).toBe(4);
    expect((await load(customersRoute, B, "/app/loyalty/customers?q=cene")).body.customers).toEqual([]);
  });

  it("GIVEN another shop's customer or a bad id THEN 404, to read and to adjust", async () => {
    expect((await load(customerRoute, B, `/app/loyalty/customers/${id()}`, { customerId: id() })).status).toBe(404);
    expect((await adjust(B, { points: "50", reason: "Sneaky" })).status).toBe(404);
    expect((await load(customerRoute, A, "/app/loyalty/customers/abc", { customerId: "abc" })).status).toBe(404);
  });

  it.each([
    ["no points", { points: "", reason: "Goodwill" }, "points"],
    ["zero points", { points: "0", reason: "Goodwill" }, "points"],
    ["points that are not a number", { points: "ten", reason: "Goodwill" }, "points"],
    ["no reason", { points: "10", reason: "  " }, "reason"],
    ["a deduction beyond the balance", { points: "-151", reason: "Mistake" }, "points"],
  ])("GIVEN %s THEN 422 naming the field, and the ledger is unchanged", async (_label, body, field) => {
    const answer = await adjust(A, body);
    expect(answer.status).toBe(422);
    expect(answer.body.errors).toHaveProperty([field]);
    expect(await prisma.loyaltyEntry.count({ where: { shop: A, customerGid: cene, kind: "adjust" } })).toBe(0);
  });

  it("GIVEN a good adjustment THEN one ledger entry with the reason and staff; the same form sent twice adjusts once", async () => {
    expect(await adjust(A, { points: "+50", reason: "Sorry for the late parcel" })).toEqual({ status: 200, body: { adjusted: 200 } });
    expect(await adjust(A, { points: "+50", reason: "Sorry for the late parcel" })).toEqual({ status: 200, body: { adjusted: 200 } });
    const entries = await prisma.loyaltyEntry.findMany({ where: { shop: A, customerGid: cene, kind: "adjust" } });
    expect(entries).toEqual([expect.objectContaining({ points: 50, reason: "Sorry for the late parcel", staff: "staff", status: "approved" })]);
    expect(await adjust(A, { points: "-250", reason: "Returned order", allowNegative: true, key: "form-key-0002" })).toEqual({
      status: 200,
      body: { adjusted: -50 },
    });
    expect((await checkLedger(A, cene)).agrees).toBe(true);
    const page = await load(customerRoute, A, `/app/loyalty/customers/${id()}`, { customerId: id() });
    expect(page.body.customer).toMatchObject({ points: -50, tier: "Member" });
    expect((page.body.entries as { kind: string; points: number; staff: string | null }[]).slice(0, 2).map((e) => [e.kind, e.points, e.staff])).toEqual([
      ["adjust", -250, "staff"],
      ["adjust", 50, "staff"],
    ]);
  });

  it("GIVEN the adjustments THEN Shopify's metafields follow the balance", async () => {
    await drainJobs();
    const record = emulator.state(A).customers.get(id())!;
    const value = (key: string) => record.metafields.find((m) => m.namespace.endsWith("--loyalty") && m.key === key)?.value;
    expect([value("points"), value("pending"), value("tier")]).toEqual(["-50", "0", "member"]);
  });
});

describe("a reinstall", () => {
  it("GIVEN Shopify lost the mirror WHEN the install's definitions job runs THEN the definitions and every account, tier tag included, are written again", async () => {
    const state = emulator.state(A);
    for (const c of state.customers.values()) {
      c.metafields = [];
      c.tags = c.tags.filter((t) => !t.startsWith("afterglow-tier-"));
    }
    for (const [id, d] of state.metafieldDefinitions) if (d.namespace.endsWith("--loyalty")) state.metafieldDefinitions.delete(id);
    await runLoyaltyDefinitionsJob({ id: "reinstall", name: "loyalty.metafield-definitions", shop: A, payload: {}, attempt: 1, maxAttempts: 8 });
    expect([...state.metafieldDefinitions.values()].filter((d) => d.namespace.endsWith("--loyalty"))).toHaveLength(3);
    const accounts = await prisma.loyaltyAccount.findMany({ where: { shop: A } });
    for (const a of accounts) {
      const c = state.customers.get(a.customerGid.split("/").pop()!)!;
      const value = (key: string) => c.metafields.find((m) => m.namespace.endsWith("--loyalty") && m.key === key)?.value ?? null;
      expect([value("points"), value("pending"), value("tier"), c.tags.filter((t) => t.startsWith("afterglow-tier-"))]).toEqual([
        String(a.points),
        String(a.pending),
        a.tier,
        a.tier ? [`afterglow-tier-${a.tier}`] : [],
      ]);
    }
  });
});

describe("the points report", () => {
  it("GIVEN this shop's ledger THEN today's movements, the outstanding points and their value by the cheapest fixed-amount reward", async () => {
    const report = await load(reportRoute, A, "/app/loyalty/report?days=7");
    expect(report.status).toBe(200);
    const body = report.body as unknown as {
      days: number;
      rows: { date: string; earned: number; redeemed: number; adjusted: number }[];
      outstanding: { points: number; debt: number };
      valuation: { method: string; rewardName: string | null; liabilityMinor: number | null };
    };
    expect(body.days).toBe(7);
    expect(body.rows).toHaveLength(7);
    const today = body.rows[0]!;
    // Opening balances (2,000) and four sign-ups (4 × 50); one 400-point redemption; +50 and −250 by hand.
    expect(today).toMatchObject({ earned: 2_200, redeemed: 400, adjusted: -200 });
    const accounts = await prisma.loyaltyAccount.aggregate({ where: { shop: A, points: { gt: 0 } }, _sum: { points: true } });
    expect(body.outstanding).toMatchObject({ points: accounts._sum.points, debt: 50 });
    // The only fixed-amount reward (5.00 € for 400 points) is switched off: no money value, points only.
    expect(body.valuation).toMatchObject({ method: "none", liabilityMinor: null });
    await post(rewardsRoute, A, "/app/loyalty/rewards", {
      intent: "create",
      name: "2 € off",
      kind: "fixed_amount",
      value: "2",
      pointsCost: "100",
      enabled: true,
    });
    const valued = (await load(reportRoute, A, "/app/loyalty/report")).body as unknown as typeof body;
    expect(valued.valuation).toMatchObject({ method: "reward", rewardName: "2 € off", liabilityMinor: Math.floor((accounts._sum.points! * 200) / 100) });
    const other = (await load(reportRoute, B, "/app/loyalty/report")).body as unknown as typeof body;
    expect(other.outstanding.points).toBe(0);
    expect(other.rows.every((r) => r.earned === 0)).toBe(true);
  });

  it("GIVEN a shop with no points, no debt and no movements WHEN the report and the overview reach the browser THEN their data is what the server rendered (no -0: hydration keeps the server's HTML)", async () => {
    for (const [route, path] of [
      [reportRoute, "/app/loyalty/report"],
      [overviewRoute, "/app/loyalty"],
    ] as const) {
      const { status, body } = await load(route, B, path);
      expect(status).toBe(200);
      // The browser renders from the JSON the server sent; -0 becomes 0 there while the server printed "-0".
      expect(JSON.parse(JSON.stringify(body))).toEqual(body);
    }
  });
});

import { TEST_API_KEY, TEST_API_SECRET } from "../support/app-env";
import { beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_SCOPES } from "~/config.server";
import { prisma } from "~/db/db.server";
import { createFlow } from "~/flows/flows.server";
import { applyOrderFact } from "~/orders/order-events.server";
import type { OrderSnapshot } from "~/orders/facts";
import { action as listAction, loader as listLoader } from "~/routes/app.flows._index";
import { action as editorAction, loader as editorLoader } from "~/routes/app.flows.$id";
import { mintSessionToken } from "~/sandbox/session-token.server";

const SHOP_A = "flows-editor-a.myshopify.com";
const SHOP_B = "flows-editor-b.myshopify.com";
const APP = "http://127.0.0.1:3999";

type RouteFn = (args: { request: Request; params: Record<string, string>; context: Record<string, unknown> }) => Promise<unknown>;
interface Answer {
  status: number;
  body: Record<string, unknown> & { errors?: Record<string, string> };
  location?: string | null;
}

/** Calls a route function as Remix would and answers its status and data (thrown responses included). */
async function call(fn: RouteFn, request: Request, params: Record<string, string> = {}): Promise<Answer> {
  try {
    const result = await fn({ request, params, context: {} });
    if (result instanceof Response) return { status: result.status, body: {}, location: result.headers.get("Location") };
    const wrapped = result as { type?: string; data?: unknown; init?: { status?: number } | null };
    if (wrapped?.type === "DataWithResponseInit") return { status: wrapped.init?.status ?? 200, body: wrapped.data as Answer["body"] };
    return { status: 200, body: result as Answer["body"] };
  } catch (error) {
    if (error instanceof Response) return { status: error.status, body: {}, location: error.headers.get("Location") };
    throw error;
  }
}

const auth = (shop: string) => ({ Authorization: `Bearer ${mintSessionToken({ shop, apiKey: TEST_API_KEY, apiSecret: TEST_API_SECRET })}` });
const get = (shop: string, path: string) => new Request(`${APP}${path}`, { headers: auth(shop) });
const postJson = (shop: string, path: string, body: unknown) =>
  new Request(`${APP}${path}`, { method: "POST", headers: { ...auth(shop), "Content-Type": "application/json" }, body: JSON.stringify(body) });
const postForm = (shop: string, path: string, fields: Record<string, string>) =>
  new Request(`${APP}${path}`, { method: "POST", headers: auth(shop), body: new URLSearchParams(fields) });

const saveRequest = (shop: string, id: string, body: Record<string, unknown>) => postJson(shop, `/app/flows/${id}`, { intent: "save", ...body });

function order(gid: string, name: string, totalMinor: number): OrderSnapshot {
  const at = new Date(Date.UTC(2026, 5, 1, 9, 0)).toISOString();
  return {
    type: "order",
    orderGid: gid,
    name,
    customerGid: "gid://shopify/Customer/71",
    email: "maja@example.si",
    locale: "sl",
    currency: "EUR",
    totalMinor,
    subtotalMinor: totalMinor,
    currentTotalMinor: totalMinor,
    financialStatus: "paid",
    fulfillmentStatus: "unfulfilled",
    cancelledAt: null,
    processedAt: at,
    createdAt: at,
    updatedAt: at,
    fulfillments: [],
    refunds: [],
    tags: [],
    sourceName: "web",
    discountCodes: [],
    lineItems: [
      {
        gid: `${gid}-line`,
        productGid: "gid://shopify/Product/5",
        variantGid: null,
        title: "Mug",
        vendor: "Kiln",
        quantity: 1,
        currentQuantity: 1,
        priceMinor: totalMinor,
      },
    ],
  };
}

/** A valid definition: order paid, order total at least €50, award 10 points. */
const bigOrderPoints = {
  schemaVersion: 1,
  trigger: { type: "order.paid" },
  conditions: {
    match: "all",
    groups: [{ match: "all", conditions: [{ field: "order.total", operator: "gte", value: { amount: "50.00", currency: "EUR" } }] }],
  },
  actions: [{ type: "award_points", params: { mode: "fixed", points: 10 } }],
};

const BIG = "gid://shopify/Order/9007199254741993";
const SMALL = "gid://shopify/Order/9007199254741994";

beforeAll(async () => {
  for (const shop of [SHOP_A, SHOP_B]) {
    await prisma.shop.create({ data: { domain: shop, name: shop, currencyCode: "EUR", ianaTimezone: "Europe/Ljubljana" } });
    await prisma.session.create({ data: { id: `offline_${shop}`, shop, state: "", isOnline: false, accessToken: "shpat_test", scope: DEFAULT_SCOPES } });
  }
  await applyOrderFact(SHOP_A, order(BIG, "#1002", 6000));
  await applyOrderFact(SHOP_A, order(SMALL, "#1001", 4500));
});

describe("the flow list", () => {
  it("GIVEN a template WHEN the merchant creates a flow from it THEN they land in its editor and the list shows it, off", async () => {
    const created = await call(listAction, postForm(SHOP_A, "/app/flows?index", { intent: "create", templateId: "earn-points-paid" }));
    expect(created.status).toBe(302);
    const id = created.location!.split("/").pop()!;
    const list = await call(listLoader, get(SHOP_A, "/app/flows"));
    const flows = list.body.flows as { id: string; name: string; enabled: boolean; version: number; trigger: { type: string }; runsLast30Days: number }[];
    expect(flows.find((f) => f.id === id)).toMatchObject({
      name: "Earn points on paid orders",
      enabled: false,
      version: 1,
      trigger: { type: "order.paid" },
      runsLast30Days: 0,
    });
    expect((list.body.templates as unknown[]).length).toBeGreaterThan(0);
  });

  it("GIVEN an unknown template THEN 422 with the error on the template, and no flow", async () => {
    const before = await prisma.flow.count({ where: { shop: SHOP_A } });
    const answer = await call(listAction, postForm(SHOP_A, "/app/flows?index", { intent: "create", templateId: "no-such-template" }));
    expect(answer.status).toBe(422);
    expect(answer.body.errors).toEqual({ templateId: "Choose one of the templates" });
    expect(await prisma.flow.count({ where: { shop: SHOP_A } })).toBe(before);
  });

  it("GIVEN a blank flow THEN it can't be turned on from the list until it is complete; a complete one turns on and off", async () => {
    const blank = await createFlow(SHOP_A, { name: "Blank" });
    const refused = await call(listAction, postForm(SHOP_A, "/app/flows?index", { intent: "toggle", id: blank.id, enabled: "true" }));
    expect(refused.status).toBe(422);
    expect(refused.body.errors?.enabled).toMatch(/Finish setting up/);
    expect((await prisma.flow.findUnique({ where: { id: blank.id } }))!.enabled).toBe(false);

    const ready = await createFlow(SHOP_A, { templateId: "earn-points-paid" });
    expect((await call(listAction, postForm(SHOP_A, "/app/flows?index", { intent: "toggle", id: ready.id, enabled: "true" }))).status).toBe(200);
    expect((await prisma.flow.findUnique({ where: { id: ready.id } }))!.enabled).toBe(true);
    expect((await call(listAction, postForm(SHOP_A, "/app/flows?index", { intent: "toggle", id: ready.id, enabled: "false" }))).status).toBe(200);
    expect((await prisma.flow.findUnique({ where: { id: ready.id } }))!.enabled).toBe(false);
  });
});

describe("saving in the editor", () => {
  it("GIVEN a bad definition WHEN saved THEN 422 with an error per field path, and nothing is written", async () => {
    const flow = await createFlow(SHOP_A, { templateId: "earn-points-paid" });
    const bad = {
      ...bigOrderPoints,
      trigger: { type: "order.nth", n: 1, on: "paid" },
      conditions: {
        match: "all",
        groups: [{ match: "all", conditions: [{ field: "order.total", operator: "gte", value: { amount: "fifty", currency: "EUR" } }] }],
      },
      actions: [{ type: "award_points", params: { mode: "fixed", points: 0 } }],
    };
    const answer = await call(editorAction, saveRequest(SHOP_A, flow.id, { name: " ", definition: bad, enabled: true }), { id: flow.id });
    expect(answer.status).toBe(422);
    expect(answer.body.errors).toMatchObject({
      name: "Give the flow a name",
      "trigger.n": expect.stringMatching(/2 or more/),
      "conditions.groups.0.conditions.0.value": "Enter an amount like 50.00",
      "actions.0.params.points": "Enter a whole number of points of at least 1",
    });
    const stored = await prisma.flow.findUnique({ where: { id: flow.id } });
    expect(stored).toMatchObject({ name: "Earn points on paid orders", version: 1, enabled: false, definition: flow.definition });
    expect(await prisma.flowVersion.count({ where: { flowId: flow.id } })).toBe(1);
  });

  it("GIVEN the win-back email with its reward step removed WHEN saved THEN 422 on the email's template, and nothing is written", async () => {
    const flow = await createFlow(SHOP_A, { templateId: "win-back-90" });
    const definition = JSON.parse(flow.definition) as { actions: unknown[] };
    const withoutReward = { ...definition, actions: definition.actions.slice(1) };
    const answer = await call(editorAction, saveRequest(SHOP_A, flow.id, { name: flow.name, definition: withoutReward, enabled: true }), { id: flow.id });
    expect(answer.status).toBe(422);
    expect(answer.body.errors).toEqual({
      "actions.0.params.template":
        'The "win-back" email shows a reward code and the reward\'s value, which this flow does not make before it: add a "Create a reward discount" step without approval before this step',
    });
    expect((await prisma.flow.findUnique({ where: { id: flow.id } }))!.definition).toBe(flow.definition);
  });

  it("GIVEN a good edit WHEN saved THEN the version goes up by one; saving it unchanged keeps the version", async () => {
    const flow = await createFlow(SHOP_A, { templateId: "earn-points-paid" });
    const saved = await call(editorAction, saveRequest(SHOP_A, flow.id, { name: "Big orders earn 10", definition: bigOrderPoints, enabled: true }), {
      id: flow.id,
    });
    expect(saved.status).toBe(200);
    expect(saved.body.saved).toEqual({ version: 2, enabled: true });
    const again = await call(editorAction, saveRequest(SHOP_A, flow.id, { name: "Big orders earn 10", definition: bigOrderPoints, enabled: true }), {
      id: flow.id,
    });
    expect(again.body.saved).toEqual({ version: 2, enabled: true });
    expect(await prisma.flowVersion.count({ where: { flowId: flow.id } })).toBe(2);

    const editor = await call(editorLoader, get(SHOP_A, `/app/flows/${flow.id}`), { id: flow.id });
    expect(editor.body.flow).toMatchObject({ name: "Big orders earn 10", enabled: true, version: 2, definition: { trigger: { type: "order.paid" } } });
    expect(editor.body).toMatchObject({ currency: "EUR", timeZone: "Europe/Ljubljana" });
    expect((editor.body.orders as { name: string }[]).map((o) => o.name)).toEqual(expect.arrayContaining(["#1001", "#1002"]));
  });

  it("GIVEN a saved flow WHEN the merchant turns it off in the editor THEN it is off without a new version", async () => {
    const flow = await createFlow(SHOP_A, { templateId: "earn-points-paid" });
    const definition = JSON.parse(flow.definition) as unknown;
    await call(editorAction, saveRequest(SHOP_A, flow.id, { name: flow.name, definition, enabled: true }), { id: flow.id });
    expect(await prisma.flow.findUnique({ where: { id: flow.id } })).toMatchObject({ enabled: true, version: 1 });
    await call(editorAction, saveRequest(SHOP_A, flow.id, { name: flow.name, definition, enabled: false }), { id: flow.id });
    expect(await prisma.flow.findUnique({ where: { id: flow.id } })).toMatchObject({ enabled: false, version: 1 });
  });
});

describe("one shop's flows are invisible to another", () => {
  it("GIVEN shop A's flow THEN shop B can't open, save, test, toggle or delete it (404), and it is unchanged", async () => {
    const flow = await createFlow(SHOP_A, { templateId: "earn-points-paid" });
    const path = `/app/flows/${flow.id}`;
    expect((await call(editorLoader, get(SHOP_B, path), { id: flow.id })).status).toBe(404);
    expect(
      (await call(editorAction, saveRequest(SHOP_B, flow.id, { name: "Hijacked", definition: bigOrderPoints, enabled: true }), { id: flow.id })).status,
    ).toBe(404);
    expect((await call(editorAction, postJson(SHOP_B, path, { intent: "dryRun", definition: bigOrderPoints, orderGid: BIG }), { id: flow.id })).status).toBe(
      404,
    );
    expect((await call(editorAction, postJson(SHOP_B, path, { intent: "delete" }), { id: flow.id })).status).toBe(404);
    expect((await call(listAction, postForm(SHOP_B, "/app/flows?index", { intent: "toggle", id: flow.id, enabled: "true" }))).status).toBe(404);
    expect(await prisma.flow.findUnique({ where: { id: flow.id } })).toMatchObject({ name: "Earn points on paid orders", enabled: false, version: 1 });
    const listB = await call(listLoader, get(SHOP_B, "/app/flows"));
    expect((listB.body.flows as { id: string }[]).map((f) => f.id)).not.toContain(flow.id);
  });
});

describe("testing a flow against a recent order", () => {
  const dryRun = async (orderGid: string, definition: unknown = bigOrderPoints, shop = SHOP_A) => {
    const flow = await createFlow(SHOP_A, { templateId: "earn-points-paid" });
    return call(editorAction, postJson(shop, `/app/flows/${flow.id}`, { intent: "dryRun", definition, orderGid }), { id: flow.id });
  };

  it("GIVEN an order above the threshold THEN it would start a run, with the trigger's and the condition's reasons and the step", async () => {
    const answer = await dryRun(BIG);
    expect(answer.status).toBe(200);
    expect(answer.body.dryRun).toMatchObject({
      matched: true,
      order: { name: "#1002" },
      event: { kind: "order.paid", synthetic: false, notes: [] },
      trigger: { matched: true, reason: "order #1002 was paid" },
      conditions: {
        passed: true,
        groups: [{ passed: true, results: [{ field: "order.total", passed: true, reason: "order total €60.00 is at least €50.00" }] }],
      },
      steps: [{ index: 0, type: "award_points", summary: "Award 10 points" }],
    });
  });

  it("GIVEN an order below the threshold THEN it would not start a run, and the condition says why", async () => {
    const answer = await dryRun(SMALL);
    expect(answer.body.dryRun).toMatchObject({
      matched: false,
      trigger: { matched: true },
      conditions: { passed: false, groups: [{ passed: false, results: [{ passed: false, reason: "order total €45.00 is below €50.00" }] }] },
    });
  });

  it("GIVEN a trigger on another kind of event THEN the test says what it assumed", async () => {
    const fulfilled = { ...bigOrderPoints, trigger: { type: "order.fulfilled" } };
    const answer = await dryRun(BIG, fulfilled);
    expect(answer.body.dryRun).toMatchObject({
      event: { kind: "order.fulfilled", synthetic: false, notes: [expect.stringMatching(/hasn't been fulfilled/)] },
      trigger: { matched: true },
    });
    const survey = { ...bigOrderPoints, trigger: { type: "survey.answered", questionId: "nps" } };
    expect((await dryRun(BIG, survey)).body.dryRun).toMatchObject({ event: { kind: "survey.answered", synthetic: true } });
  });

  it("GIVEN an unsaved definition with a mistake, or another shop's order THEN 422 and nothing runs", async () => {
    const broken = { ...bigOrderPoints, actions: [] };
    const invalid = await dryRun(BIG, broken);
    expect(invalid.status).toBe(422);
    expect(invalid.body.errors).toMatchObject({ actions: "Add at least one action" });

    const flowB = await createFlow(SHOP_B, { templateId: "earn-points-paid" });
    const foreign = await call(editorAction, postJson(SHOP_B, `/app/flows/${flowB.id}`, { intent: "dryRun", definition: bigOrderPoints, orderGid: BIG }), {
      id: flowB.id,
    });
    expect(foreign.status).toBe(422);
    expect(foreign.body.errors).toEqual({ orderGid: "Choose one of your recent orders" });
  });
});

describe("the run log", () => {
  it("GIVEN runs of a flow THEN the editor lists them with the order's name, reason and steps", async () => {
    const flow = await createFlow(SHOP_A, { templateId: "earn-points-paid" });
    const run = await prisma.flowRun.create({
      data: {
        shop: SHOP_A,
        flowId: flow.id,
        flowVersion: 1,
        eventKey: `order.paid:${BIG}`,
        eventKind: "order.paid",
        subjectGid: BIG,
        status: "completed",
        trace: JSON.stringify({ trigger: "order #1002 was paid" }),
      },
    });
    await prisma.actionRun.create({ data: { shop: SHOP_A, runId: run.id, stepIndex: 0, type: "award_points", status: "done", summary: "Award 60 points" } });
    await prisma.flowRun.create({
      data: {
        shop: SHOP_A,
        flowId: flow.id,
        flowVersion: 1,
        eventKey: `order.paid:${SMALL}`,
        eventKind: "order.paid",
        subjectGid: SMALL,
        status: "skipped",
        reason: "Conditions not met: order total €45.00 is below €50.00",
      },
    });
    const editor = await call(editorLoader, get(SHOP_A, `/app/flows/${flow.id}`), { id: flow.id });
    const runs = editor.body.runs as {
      status: string;
      subject: string;
      reason: string | null;
      trigger: string | null;
      steps: { status: string; summary: string }[];
    }[];
    expect(runs).toHaveLength(2);
    expect(runs).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          status: "completed",
          subject: "#1002",
          trigger: "order #1002 was paid",
          steps: [expect.objectContaining({ status: "done", summary: "Award 60 points" })],
        }),
        expect.objectContaining({ status: "skipped", subject: "#1001", reason: "Conditions not met: order total €45.00 is below €50.00", steps: [] }),
      ]),
    );
    const list = await call(listLoader, get(SHOP_A, "/app/flows"));
    // Skipped runs are not counted as runs.
    expect((list.body.flows as { id: string; runsLast30Days: number }[]).find((f) => f.id === flow.id)?.runsLast30Days).toBe(1);
  });
});

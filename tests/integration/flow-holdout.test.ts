// Holdout groups end to end: a flow holding out 50 % of its customers, 200 customer.created events through the
// domain-event bus → a run for each, the held-out ones recorded "held_out" with a reason and no points, the same
// customer on the same side on a second event; then the uplift loader on seeded orders against hand counts.
import { TEST_API_KEY, TEST_API_SECRET } from "../support/app-env";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_SCOPES } from "~/config.server";
import { prisma } from "~/db/db.server";
import { scheduleDomainEventDispatch } from "~/domain-events/dispatch.server";
import { recordDomainEvents } from "~/domain-events/record.server";
import { createFlow, saveFlow, setFlowEnabled } from "~/flows/flows.server";
import { isHeldOut } from "~/flows/holdout";
import { loadFlowUplift } from "~/flows/uplift.server";
import { resetClock } from "~/lib/time/clock.server";
import * as editor from "~/routes/app.flows.$id";
import { mintSessionToken } from "~/sandbox/session-token.server";
import { startWebhookServer } from "../support/app-server";
import { drainJobs } from "../support/drain-jobs";
import { startEmulator, type Emulator } from "../support/emulator/index";

let emulator: Emulator;
let app: Awaited<ReturnType<typeof startWebhookServer>>;
let shop: string;
let otherShop: string;
let flowId: string;
const customers = Array.from({ length: 200 }, (_, i) => `gid://shopify/Customer/${710000 + i}`);
const DAY = 86_400_000;

const definition = {
  schemaVersion: 1,
  trigger: { type: "customer.created" },
  conditions: { match: "all", groups: [] },
  actions: [{ type: "award_points", params: { mode: "fixed", points: 10 } }],
  holdoutPercent: 50,
};

beforeAll(async () => {
  app = await startWebhookServer();
  emulator = await startEmulator({ apiKey: TEST_API_KEY, apiSecret: TEST_API_SECRET, appUrl: app.url, seed: false });
  process.env.SHOPIFY_ADMIN_API_ORIGIN = emulator.url;
  for (const name of ["holdout-a", "holdout-b"]) {
    const created = emulator.createShop(name, { currency: "EUR", timezone: "Europe/Ljubljana" });
    await prisma.session.create({
      data: { id: `offline_${created.shop}`, shop: created.shop, state: "", isOnline: false, accessToken: created.accessToken, scope: DEFAULT_SCOPES },
    });
    await prisma.shop.create({ data: { domain: created.shop, name, currencyCode: "EUR", ianaTimezone: "Europe/Ljubljana" } });
    if (name === "holdout-a") shop = created.shop;
    else otherShop = created.shop;
  }
  const flow = await createFlow(shop, { name: "Welcome points" });
  flowId = flow.id;
  await saveFlow(shop, flowId, { name: "Welcome points", definition });
  await setFlowEnabled(shop, flowId, true);
});

afterAll(async () => {
  await resetClock();
  delete process.env.SHOPIFY_ADMIN_API_ORIGIN;
  await emulator?.close();
  await app?.close();
});

async function customerEvents(keySuffix: string, gids: string[]) {
  await recordDomainEvents(
    prisma,
    shop,
    gids.map((gid) => ({
      kind: "customer.created",
      key: `customer.created:${gid}${keySuffix}`,
      subjectGid: gid,
      occurredAt: new Date(),
      payload: { customerGid: gid },
    })),
  );
  await scheduleDomainEventDispatch(shop);
  await drainJobs();
}

const request = (method: "GET" | "POST", query: string, body?: unknown) =>
  new Request(`http://127.0.0.1:3999/app/flows/${flowId}${query}`, {
    method,
    headers: { Authorization: `Bearer ${mintSessionToken({ shop, apiKey: TEST_API_KEY, apiSecret: TEST_API_SECRET })}`, "Content-Type": "application/json" },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });

const expectedHeld = () => customers.filter((gid) => isHeldOut(shop, flowId, gid, 50));

describe("a flow with a 50 % holdout", () => {
  it("GIVEN 200 customers triggering it THEN the hash's half are held out: recorded with a reason, no points; the rest get their points", async () => {
    await customerEvents("", customers);
    const held = expectedHeld();
    expect(held.length).toBeGreaterThan(80);
    expect(held.length).toBeLessThan(120);
    const runs = await prisma.flowRun.findMany({ where: { shop, flowId } });
    expect(runs).toHaveLength(200);
    const heldRuns = runs.filter((r) => r.heldOut);
    expect(heldRuns.map((r) => r.subjectGid).sort()).toEqual([...held].sort());
    expect(new Set(heldRuns.map((r) => r.status))).toEqual(new Set(["held_out"]));
    expect(heldRuns[0]!.reason).toContain("50 % holdout group");
    expect(new Set(runs.filter((r) => !r.heldOut).map((r) => r.status))).toEqual(new Set(["completed"]));

    const entries = await prisma.loyaltyEntry.findMany({ where: { shop, customerGid: { in: customers } } });
    expect(entries.filter((e) => held.includes(e.customerGid))).toEqual([]);
    expect(entries.map((e) => e.customerGid).sort()).toEqual(customers.filter((c) => !held.includes(c)).sort());
    expect(entries.every((e) => e.points === 10)).toBe(true);
    expect(await prisma.actionRun.count({ where: { shop, runId: { in: heldRuns.map((r) => r.id) } } })).toBe(0);
  });

  it("GIVEN a second event for 40 of them THEN each lands on the same side as the first time", async () => {
    const again = customers.slice(0, 40);
    await customerEvents(":again", again);
    const runs = await prisma.flowRun.findMany({ where: { shop, flowId, subjectGid: { in: again } } });
    expect(runs).toHaveLength(80);
    for (const gid of again) {
      const sides = runs.filter((r) => r.subjectGid === gid).map((r) => r.heldOut);
      expect(sides).toEqual([sides[0], sides[0]]);
    }
  });

  it("GIVEN orders after the runs THEN the loader's figures equal the hand counts, per window, and another shop's orders don't count", async () => {
    const start = new Date(Date.now() - 100 * DAY);
    await prisma.flowRun.updateMany({ where: { shop, flowId }, data: { createdAt: start } });
    const held = expectedHeld();
    const treated = customers.filter((c) => !held.includes(c));
    let n = 0;
    const order = (customerGid: string, daysAfter: number, subtotal: number, extra: { test?: boolean; cancelledAt?: Date; shop?: string } = {}) => ({
      shop: extra.shop ?? shop,
      orderGid: `gid://shopify/Order/${990000 + n++}`,
      customerGid,
      orderCreatedAt: new Date(start.getTime() + daysAfter * DAY),
      currentSubtotalMinor: subtotal,
      test: extra.test ?? false,
      cancelledAt: extra.cancelledAt ?? null,
    });
    const rows = [
      // Every second treated customer orders 50.00 ten days after the run; every fifth held-out one 30.00.
      ...treated.filter((_, i) => i % 2 === 0).map((c) => order(c, 10, 5000)),
      ...held.filter((_, i) => i % 5 === 0).map((c) => order(c, 10, 3000)),
      // Day 45: inside 60 days, outside 30.
      order(treated[1]!, 45, 2000),
      // Not counted: a test order, a cancelled one, one before the run, another shop's.
      order(treated[3]!, 5, 9900, { test: true }),
      order(treated[3]!, 5, 9900, { cancelledAt: new Date() }),
      order(treated[3]!, -5, 9900),
      order(treated[3]!, 5, 9900, { shop: otherShop }),
    ];
    await prisma.orderState.createMany({ data: rows });

    const treatedRepeaters = Math.ceil(treated.length / 2);
    const heldRepeaters = Math.ceil(held.length / 5);
    const at30 = await loadFlowUplift(shop, flowId, 30);
    expect(at30.treated).toMatchObject({ customers: treated.length, repeaters: treatedRepeaters, netSalesMinor: treatedRepeaters * 5000 });
    expect(at30.heldOut).toMatchObject({ customers: held.length, repeaters: heldRepeaters, netSalesMinor: heldRepeaters * 3000 });
    expect(at30.repeatRate.difference).toBeCloseTo(treatedRepeaters / treated.length - heldRepeaters / held.length, 12);
    expect(at30.netSales.difference).toBeCloseTo((treatedRepeaters * 5000) / treated.length - (heldRepeaters * 3000) / held.length, 9);
    expect(at30.repeatRate.verdict).toBe("uplift");
    expect(at30.attributedRevenueMinor).toBe(treatedRepeaters * 5000);
    expect(at30.attributedOrders).toBe(treatedRepeaters);
    expect(at30.pendingCustomers).toBe(0);

    expect(at30).toMatchObject({ codeOrders: 0, codeRevenueMinor: 0 });

    // A code made by a treated run, used on an order 200 days later (outside every window), and a code of no run.
    const treatedRun = await prisma.flowRun.findFirstOrThrow({ where: { shop, flowId, subjectGid: treated[5]!, heldOut: false } });
    const reward = { shop, customerGid: treated[5]!, title: "10 %", kind: "percentage", value: "10", status: "created" };
    await prisma.rewardCode.createMany({
      data: [
        { ...reward, key: `flow:${treatedRun.id}:0`, code: "THANKS-HOLD1" },
        { ...reward, key: "flow:other-run:0", code: "OTHER-CODE1" },
      ],
    });
    await prisma.orderState.createMany({
      data: [
        { ...order(treated[5]!, 200, 4200), discountCodes: JSON.stringify(["thanks-hold1"]) },
        { ...order(treated[6]!, 200, 1100), discountCodes: JSON.stringify(["OTHER-CODE1"]) },
      ],
    });
    expect(await loadFlowUplift(shop, flowId, 30)).toMatchObject({ codeOrders: 1, codeRevenueMinor: 4200, attributedOrders: treatedRepeaters });

    const at60 = await loadFlowUplift(shop, flowId, 60);
    expect(at60.treated).toMatchObject({ repeaters: treatedRepeaters + 1, netSalesMinor: treatedRepeaters * 5000 + 2000 });
    expect(at60.attributedOrders).toBe(treatedRepeaters + 1);

    // The other shop has no runs of this flow: nothing to compare.
    const elsewhere = await loadFlowUplift(otherShop, flowId, 30);
    expect(elsewhere.treated.customers + elsewhere.heldOut.customers).toBe(0);
    expect(elsewhere.repeatRate.verdict).toBe("too_small");
  });

  it("GIVEN the editor WHEN a holdout above 50 % is saved THEN 422 names the field and nothing changes; the page's loader carries the card's figures", async () => {
    const answer = (await editor.action({
      request: request("POST", "", { intent: "save", name: "Welcome points", definition: { ...definition, holdoutPercent: 60 } }),
      params: { id: flowId },
      context: {},
    })) as unknown as {
      type: string;
      data: { errors: Record<string, string> };
      init: { status: number };
    };
    expect(answer.init.status).toBe(422);
    expect(answer.data.errors).toEqual({ holdoutPercent: "Hold out at most 50 % of customers" });
    const stored = await prisma.flow.findFirstOrThrow({ where: { shop, id: flowId } });
    expect((JSON.parse(stored.definition) as { holdoutPercent: number }).holdoutPercent).toBe(50);

    const page = (await editor.loader({ request: request("GET", "?window=60"), params: { id: flowId }, context: {} })) as Awaited<
      ReturnType<typeof editor.loader>
    >;
    expect(page.uplift.windowDays).toBe(60);
    expect(page.uplift).toEqual(JSON.parse(JSON.stringify(await loadFlowUplift(shop, flowId, 60))));
  });
});

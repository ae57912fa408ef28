// The loyalty overview page: the program's numbers at a glance and its settings. Every query filters by shop.
import { prisma } from "~/db/db.server";
import { setFlowEnabled } from "~/flows/flows.server";
import { findShop } from "~/shops/shops.server";
import { now } from "~/lib/time/clock.server";
import { negate } from "./admin-report";
import { parseProgramForm, programForm, type FieldErrors } from "./admin-forms";
import { loadProgram, saveProgram } from "./program.server";

const DAY_MS = 86_400_000;

/**
 * Flows that are on and award points of their own when an order is paid — a fixed number or their own rate per
 * amount spent. With the program also earning, a customer would get points twice for one order. A step in
 * "program" mode is not one: it awards nothing while the program earns by itself (app/flows/actions/points.ts).
 */
export async function doubleEarnFlows(shop: string): Promise<DoubleEarnFlow[]> {
  const flows = await prisma.flow.findMany({
    where: { shop, enabled: true, triggerType: "order.paid" },
    select: { id: true, name: true, definition: true },
  });
  return flows.filter((f) => awardsOwnPoints(f.definition)).map((f) => ({ id: f.id, name: f.name }));
}

export interface DoubleEarnFlow {
  id: string;
  name: string;
}

function awardsOwnPoints(definition: string): boolean {
  try {
    const parsed = JSON.parse(definition) as { actions?: { type?: unknown; params?: { mode?: unknown } }[] };
    return (parsed.actions ?? []).some((a) => a.type === "award_points" && a.params?.mode !== "program");
  } catch {
    return false;
  }
}

export async function loadLoyaltyOverview(shop: string) {
  const since = new Date(now().getTime() - 30 * DAY_MS);
  const [shopRow, program, members, positive, negative, pending, redemptions, tiers, rewards, flows] = await Promise.all([
    findShop(shop),
    loadProgram(shop),
    prisma.loyaltyAccount.count({ where: { shop } }),
    prisma.loyaltyAccount.aggregate({ where: { shop, points: { gt: 0 } }, _sum: { points: true } }),
    prisma.loyaltyAccount.aggregate({ where: { shop, points: { lt: 0 } }, _sum: { points: true }, _count: { _all: true } }),
    prisma.loyaltyAccount.aggregate({ where: { shop }, _sum: { pending: true } }),
    prisma.loyaltyRedemption.aggregate({ where: { shop, status: "created", createdAt: { gte: since } }, _sum: { points: true }, _count: { _all: true } }),
    prisma.loyaltyTier.count({ where: { shop } }),
    prisma.loyaltyReward.count({ where: { shop, enabled: true } }),
    doubleEarnFlows(shop),
  ]);
  const currency = shopRow?.currencyCode ?? "USD";
  return {
    currency,
    program: programForm(program, currency),
    stats: {
      members,
      spendable: positive._sum.points ?? 0,
      debt: negate(negative._sum.points ?? 0),
      customersInDebt: negative._count._all,
      pending: pending._sum.pending ?? 0,
      redemptions30d: redemptions._count._all,
      redeemed30d: redemptions._sum.points ?? 0,
      tiers,
      rewards,
    },
    doubleEarnFlows: flows,
  };
}

/** Saves the settings form; field errors for the page when it does not parse. */
export async function saveProgramSettings(shop: string, input: Record<string, unknown>): Promise<{ ok: true } | { ok: false; errors: FieldErrors }> {
  const shopRow = await findShop(shop);
  const parsed = parseProgramForm(input, shopRow?.currencyCode ?? "USD");
  if (!parsed.ok) return parsed;
  await saveProgram(shop, parsed.value);
  return { ok: true };
}

/** Turns off one of the shop's double-earning flows (the page offers it when the program is on). */
export async function turnOffDoubleEarnFlow(shop: string, flowId: string): Promise<boolean> {
  const flows = await doubleEarnFlows(shop);
  if (!flows.some((f) => f.id === flowId)) return false;
  await setFlowEnabled(shop, flowId, false);
  return true;
}

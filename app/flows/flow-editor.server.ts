// What the admin's flow pages need beyond flows.server.ts: the list with each flow's trigger, the run log with
// order names, and turning a flow on only when its definition is complete. Every query filters by shop.
import { prisma } from "~/db/db.server";
import { findShop } from "~/shops/shops.server";
import { clockIn } from "~/lib/time/shop-clock.server";
import { flowActionSpecs } from "./action-registry";
import { parseFlowDefinition, type FlowDefinition, type FlowTrigger } from "./definition";
import { recentOrders } from "./dry-run.server";
import { FlowNotFoundError, FlowValidationError, getFlow, listFlows, setFlowEnabled } from "./flows.server";
import { flowRunLog } from "./runner.server";
import { runActions } from "./run-recovery.server";

export async function listFlowsWithTriggers(shop: string) {
  const [flows, definitions] = await Promise.all([listFlows(shop), prisma.flow.findMany({ where: { shop }, select: { id: true, definition: true } })]);
  const triggers = new Map(definitions.map((d) => [d.id, (JSON.parse(d.definition) as FlowDefinition).trigger]));
  return flows.map((flow) => ({ ...flow, trigger: triggers.get(flow.id) ?? ({ type: flow.triggerType } as FlowTrigger) }));
}

/** Everything the editor page shows, or null when the shop has no such flow. */
export async function loadFlowEditor(shop: string, id: string) {
  const flow = await getFlow(shop, id);
  if (!flow) return null;
  const [runs, orders, shopRow] = await Promise.all([runLog(shop, id), recentOrders(shop, 20), findShop(shop)]);
  return {
    flow: { id: flow.id, name: flow.name, enabled: flow.enabled, version: flow.version, definition: flow.definition, updatedAt: flow.updatedAt.toISOString() },
    runs,
    orders,
    currency: shopRow?.currencyCode ?? "USD",
    timeZone: shopRow?.ianaTimezone ?? "UTC",
    clock: clockIn(shopRow?.ianaTimezone ?? "UTC"),
    actionTypes: flowActionSpecs().map((spec) => ({ type: spec.type, label: spec.label })),
  };
}

/**
 * Turns a flow on or off. A flow is only turned on when its saved definition is complete (a blank flow has no
 * actions yet), so the dispatcher never starts a run it cannot carry out.
 */
export async function turnFlowOn(shop: string, id: string, enabled: boolean): Promise<void> {
  if (enabled) {
    const flow = await getFlow(shop, id);
    if (!flow) throw new FlowNotFoundError(id);
    if (!parseFlowDefinition(flow.definition).ok) {
      throw new FlowValidationError({ enabled: "Finish setting up this flow in the editor before turning it on" });
    }
  }
  await setFlowEnabled(shop, id, enabled);
}

export interface RunLogEntry {
  id: string;
  status: string;
  reason: string | null;
  eventKind: string;
  subject: string;
  flowVersion: number;
  createdAt: string;
  finishedAt: string | null;
  trigger: string | null;
  steps: { index: number; type: string; status: string; summary: string; error: string | null }[];
  /** What the merchant may do with the run: Retry a failed or stuck one, Cancel that or a waiting one. */
  actions: { retry: boolean; cancel: boolean };
}

/** The flow's latest runs, newest first, each with its steps; orders are named ("#1001"), not GIDs. */
export async function runLog(shop: string, flowId: string, limit = 50): Promise<RunLogEntry[]> {
  const runs = await flowRunLog(shop, flowId, limit);
  const orderGids = [...new Set(runs.map((run) => run.subjectGid).filter((gid) => gid.includes("/Order/")))];
  const orders = orderGids.length
    ? await prisma.orderState.findMany({ where: { shop, orderGid: { in: orderGids } }, select: { orderGid: true, name: true } })
    : [];
  const names = new Map(orders.map((o) => [o.orderGid, o.name]));
  return runs.map((run) => ({
    id: run.id,
    status: run.status,
    reason: run.reason,
    eventKind: run.eventKind,
    subject: names.get(run.subjectGid) ?? run.subjectGid,
    flowVersion: run.flowVersion,
    createdAt: run.createdAt.toISOString(),
    finishedAt: run.finishedAt?.toISOString() ?? null,
    trigger: traceTrigger(run.trace),
    steps: run.steps.map((step) => ({ index: step.stepIndex, type: step.type, status: step.status, summary: step.summary, error: step.error })),
    actions: runActions(run, run.steps),
  }));
}

function traceTrigger(trace: string): string | null {
  try {
    const parsed = JSON.parse(trace) as { trigger?: unknown };
    return typeof parsed.trigger === "string" ? parsed.trigger : null;
  } catch {
    return null;
  }
}

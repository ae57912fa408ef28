// Points for past (imported) orders: what one order earns retroactively, through the same earn rules the live
// earning uses (orderEarn) and the same refund arithmetic (refundReversal). Pure.
//
// An imported order is known from the order state the history import stored, not from the Admin API: its
// lines (product, price, quantity), Shopify's subtotal after discounts, its total and its refunds. It carries no
// shipping, tax, gift-card or collection details, so those settings and collection rules cannot apply to it;
// product exclusions and multipliers, the minimum order and the rounding do. Past orders earn at the base rate
// (a tier multiplier is about the tier a customer holds now, not when they ordered).
import { orderEarn, refundReversal, type EarnRules, type Rounding } from "./earn-rules";
import { ledgerKeys } from "./jobs";

export interface PastOrder {
  orderGid: string;
  name: string | null;
  currency: string;
  subtotalMinor: number;
  totalMinor: number;
  lines: readonly { productGid: string | null; priceMinor: number; quantity: number }[];
  refunds: readonly { gid: string; createdAt: string; amountMinor: number }[];
}

export interface RetroEntry {
  key: string;
  kind: "earn" | "reverse";
  points: number;
  sourceKey: string | null;
  reason: string;
}

export interface RetroOrderPoints {
  /** What the order earned before its refunds. */
  earned: number;
  /** What it keeps: earned minus what its refunds take back (what the preview counts). */
  net: number;
  /** The ledger entries that award it: the earn, then one reversal per refund that takes something back. */
  entries: RetroEntry[];
  skip: string | null;
}

/** The earn rules' view of an imported order (see the file's header for what cannot be known). */
export function pastEarnOrder(order: PastOrder) {
  return {
    currency: order.currency,
    subtotalMinor: order.subtotalMinor,
    shippingMinor: 0,
    taxMinor: 0,
    taxesIncluded: false,
    lines: order.lines.map((l) => ({ productGid: l.productGid, collectionGids: [], amountMinor: Math.max(0, l.priceMinor * l.quantity), giftCard: false })),
  };
}

/**
 * The points one past order gets: orderEarn at the base rate, then each of its refunds (oldest first) takes back
 * its share exactly as a live refund would (settleOrderPoints), under the same ledger keys — so a refund that
 * arrives later finds the earlier ones already taken back.
 */
export function retroOrderPoints(rules: EarnRules & { rounding: Rounding; pointsPerUnit: string }, order: PastOrder): RetroOrderPoints {
  const result = orderEarn(rules, pastEarnOrder(order), "1");
  if (result.points <= 0) return { earned: 0, net: 0, entries: [], skip: result.skip };
  const earnKey = ledgerKeys.programEarn(order.orderGid);
  const entries: RetroEntry[] = [
    {
      key: earnKey,
      kind: "earn",
      points: result.points,
      sourceKey: null,
      reason: `Past order ${order.name ?? order.orderGid} (${rules.pointsPerUnit} per ${order.currency}, awarded retroactively)`,
    },
  ];
  const refunds = [...order.refunds].sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.gid.localeCompare(b.gid));
  let refundedBefore = 0;
  let reversed = 0;
  for (const refund of refunds) {
    const take = refundReversal({
      earned: result.points,
      orderTotalMinor: order.totalMinor,
      refundedBeforeMinor: refundedBefore,
      refundMinor: refund.amountMinor,
      reversedBefore: reversed,
      rounding: rules.rounding,
    });
    refundedBefore += refund.amountMinor;
    if (take <= 0) continue;
    reversed += take;
    entries.push({
      key: ledgerKeys.reverse(refund.gid, earnKey),
      kind: "reverse",
      points: -take,
      sourceKey: earnKey,
      reason: `Refund of ${refund.amountMinor} of ${order.totalMinor} (minor units) on the order`,
    });
  }
  const net = result.points - reversed;
  return { earned: result.points, net, entries: net > 0 ? entries : [], skip: net > 0 ? null : "its refunds took back every point" };
}

export interface RetroPreview {
  /** Orders processed before this instant count (the first history import began then). */
  before: string;
  orders: number;
  customers: number;
  points: number;
}

/** "1,240 customers would receive 312,400 points" */
export function previewSentence(preview: Pick<RetroPreview, "customers" | "points" | "orders">): string {
  const n = (x: number) => x.toLocaleString("en-US");
  if (preview.points <= 0) return "No past order would earn points: every imported order has earned its points already, or earns none under the rules.";
  return `${n(preview.customers)} ${preview.customers === 1 ? "customer" : "customers"} would receive ${n(preview.points)} ${preview.points === 1 ? "point" : "points"} for ${n(preview.orders)} past ${preview.orders === 1 ? "order" : "orders"}.`;
}

export interface RetroAwardFacts {
  status: string;
  previewOrders: number;
  previewCustomers: number;
  previewPoints: number;
  ordersAwarded: number;
  customersAwarded: number;
  pointsAwarded: number;
  ordersSkipped: number;
  createdAt: Date | string;
  finishedAt: Date | string | null;
}

export interface RetroAwardView {
  active: boolean;
  tone: "info" | "success" | "critical";
  title: string;
  /** "312,400 points to 1,240 customers for 2,315 orders" */
  result: string;
  skipped: string | null;
}

/** What the card says about an award run. */
export function retroAwardView(run: RetroAwardFacts): RetroAwardView {
  const n = (x: number) => x.toLocaleString("en-US");
  const active = run.status === "queued" || run.status === "running";
  const result = `${n(run.pointsAwarded)} points to ${n(run.customersAwarded)} ${run.customersAwarded === 1 ? "customer" : "customers"} for ${n(run.ordersAwarded)} past ${run.ordersAwarded === 1 ? "order" : "orders"}`;
  return {
    active,
    tone: active ? "info" : run.status === "completed" ? "success" : "critical",
    title: active
      ? `Awarding ${n(run.previewPoints)} points to ${n(run.previewCustomers)} customers…`
      : run.status === "completed"
        ? "Points for past orders awarded"
        : "The award stopped",
    result: active ? `So far ${result}` : `Awarded ${result}`,
    skipped:
      run.ordersSkipped > 0
        ? `${n(run.ordersSkipped)} ${run.ordersSkipped === 1 ? "order was" : "orders were"} left out: the customer was deleted or redacted after the preview.`
        : null,
  };
}

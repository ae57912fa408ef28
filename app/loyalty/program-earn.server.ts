// The one place an order's points are worked out: the order's lines from the Admin API through the program's
// earn rules (basis, shipping/tax/gift-card exclusions, excluded products and collections, product/collection
// multipliers, the customer's tier multiplier, minimum order, rounding). The program's own earn on paid orders
// and the flows' award_points steps in "program" and "multiplier" modes (the default "Earn points on paid
// orders" flow, the double-points template, the editor's test run) all read it, so one order earns the same
// points whichever path awards them. Reads only this shop's rows.
import { prisma } from "~/db/db.server";
import { orderEarn, type Rounding } from "./earn-rules";
import { ledgerKeys } from "./jobs";
import { fetchEarnOrder } from "./order-facts.server";
import { needsCollections, type ProgramSettings, type TierSettings } from "./program";
import { loadProgram, loadTiers } from "./program.server";

export interface ProgramEarnQuote {
  /** Points the program's rules give the order (0 when it earns nothing). */
  points: number;
  /** Why the order earns nothing, when it does not ("the order is below the minimum order" …). */
  skip: string | null;
  /** The rule in the merchant's words, for the ledger and the run log: "1 per EUR, Gold ×1.5". */
  rule: string;
  rounding: Rounding;
  /** The program earns on paid orders by itself (its own job, beside any flow). */
  programOn: boolean;
  /** The program's own earn already awarded the order (these are its points). */
  awardedByProgram: boolean;
}

export interface QuoteSetup {
  program: ProgramSettings;
  tiers: TierSettings[];
}

/**
 * What the program's rules give this order for this customer (tier multiplier of the tier the customer holds
 * now; a guest earns at the base rate) — or, once the program's own earn awarded the order, exactly that. Null
 * when Shopify does not know the order. Throws when the Admin API fails, so a job asking retries.
 */
export async function quoteProgramEarn(shop: string, orderGid: string, customerGid: string | null, setup?: QuoteSetup): Promise<ProgramEarnQuote | null> {
  const { program, tiers } = setup ?? { program: await loadProgram(shop), tiers: await loadTiers(shop) };
  // Once the program has awarded the order, that is its earn: a bonus planned later multiplies what was awarded,
  // not a new quote (the award itself may have lifted the customer into a tier with another multiplier).
  const held = await prisma.loyaltyEntry.findUnique({
    where: { shop_key: { shop, key: ledgerKeys.programEarn(orderGid) } },
    select: { points: true, reason: true },
  });
  if (held) {
    const rule = /\(([^()]*)\)$/.exec(held.reason ?? "")?.[1] ?? "as the program awarded it";
    return { points: held.points, skip: null, rule, rounding: program.rounding, programOn: program.enabled, awardedByProgram: true };
  }
  const order = await fetchEarnOrder(shop, orderGid, needsCollections(program));
  if (!order) return null;
  const account = customerGid ? await prisma.loyaltyAccount.findUnique({ where: { shop_customerGid: { shop, customerGid } }, select: { tier: true } }) : null;
  const tier = tiers.find((t) => t.handle === account?.tier);
  const multiplier = tier?.earnMultiplier ?? "1";
  const earned = orderEarn(program, order, multiplier);
  const rule = `${program.pointsPerUnit} per ${order.currency}${tier && multiplier !== "1" ? `, ${tier.name} ×${multiplier}` : ""}`;
  return {
    points: earned.points,
    skip: earned.points > 0 ? null : earned.skip,
    rule,
    rounding: program.rounding,
    programOn: program.enabled,
    awardedByProgram: false,
  };
}

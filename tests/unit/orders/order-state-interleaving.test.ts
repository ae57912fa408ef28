// Property: whatever order an order's deliveries arrive in — create, paid, fulfilment, refunds, cancel, each
// possibly repeated — merging them ends in the state of the in-order sequence, and each domain event is
// emitted exactly once. Seeded: FUZZ_SEED=<n> replays a run (the seed is printed on failure).
import { describe, expect, it } from "vitest";
import { mergeSnapshot, type OrderFact, type OrderState } from "~/orders/order-state";
import type { FulfillmentFact, LineItemSnapshot, OrderSnapshot, RefundFact } from "~/orders/facts";
import { Fuzzer, fuzzSeed, reportSeedOnFailure } from "../../support/fuzz";

const FILE = "tests/unit/orders/order-state-interleaving.test.ts";
const SEED = fuzzSeed(20261209);
const LIVES = 400;
const SHUFFLES = 15;

const at = (second: number) => new Date(Date.UTC(2026, 5, 1, 9, 0, 0) + second * 1000).toISOString();

/**
 * One order's life as Shopify would report it: each step a snapshot with everything so far (fulfilments and
 * refunds included, as REST order payloads carry them), plus the fulfilments/create and refunds/create facts.
 * Clocks are whole seconds and sometimes tie, as Shopify's do.
 */
function life(f: Fuzzer, n: number): OrderFact[] {
  const orderGid = `gid://shopify/Order/${9007199254740993n + BigInt(n)}`;
  const lines: LineItemSnapshot[] = Array.from({ length: f.int(1, 3) }, (_, i) => {
    const quantity = f.int(1, 3);
    return {
      gid: `gid://shopify/LineItem/${n * 10 + i}`,
      productGid: null,
      variantGid: null,
      title: `Item ${i}`,
      vendor: null,
      quantity,
      currentQuantity: quantity,
      priceMinor: f.int(1, 400) * 25,
    };
  });
  const total = lines.reduce((s, l) => s + l.priceMinor * l.quantity, 0);
  let clock = 0;
  const tick = () => (clock += f.chance(0.2) ? 0 : f.int(1, 120));
  const facts: OrderFact[] = [];
  const fulfillments: FulfillmentFact[] = [];
  const refunds: RefundFact[] = [];
  let financialStatus: OrderSnapshot["financialStatus"] = f.chance(0.5) ? "paid" : "pending";
  let cancelledAt: string | null = null;
  let tags: string[] = [];
  const snapshot = (): OrderSnapshot => {
    const refunded = refunds.reduce((s, r) => s + r.amountMinor, 0);
    const shipped = new Map<string, number>();
    for (const ful of fulfillments) for (const l of ful.lineItems) shipped.set(l.lineItemGid, (shipped.get(l.lineItemGid) ?? 0) + l.quantity);
    const fulfilled = lines.every((l) => (shipped.get(l.gid) ?? 0) >= l.quantity);
    return {
      type: "order",
      orderGid,
      name: `#${1000 + n}`,
      customerGid: null,
      email: `b${n}@example.si`,
      locale: "sl",
      currency: "EUR",
      totalMinor: total,
      subtotalMinor: total,
      currentTotalMinor: total - refunded,
      financialStatus,
      fulfillmentStatus: fulfilled ? "fulfilled" : shipped.size ? "partial" : "unfulfilled",
      cancelledAt,
      processedAt: at(0),
      createdAt: at(0),
      updatedAt: at(clock),
      fulfillments: [...fulfillments],
      refunds: [...refunds],
      tags: [...tags],
      sourceName: "web",
      discountCodes: [],
      lineItems: lines,
    };
  };
  facts.push(snapshot()); // orders/create
  if (financialStatus === "paid")
    facts.push(snapshot()); // orders/paid, same clock
  else if (f.chance(0.8)) {
    tick();
    financialStatus = "paid";
    facts.push(snapshot()); // orders/paid
  }
  const paid = financialStatus === "paid";
  if (paid && f.chance(0.7)) {
    // One shipment, or two (the first unit of the first line, then the rest).
    const parts =
      f.chance(0.4) && lines[0]!.quantity > 1
        ? [[{ lineItemGid: lines[0]!.gid, quantity: 1 }], lines.map((l, i) => ({ lineItemGid: l.gid, quantity: l.quantity - (i === 0 ? 1 : 0) }))]
        : [lines.map((l) => ({ lineItemGid: l.gid, quantity: l.quantity }))];
    for (const [i, part] of parts.entries()) {
      tick();
      const ful: FulfillmentFact = {
        type: "fulfillment",
        orderGid,
        gid: `gid://shopify/Fulfillment/${n * 10 + i}`,
        createdAt: at(clock),
        updatedAt: at(clock),
        status: "success",
        shipmentStatus: null,
        lineItems: part,
      };
      fulfillments.push(ful);
      facts.push(ful); // fulfillments/create
      facts.push(snapshot()); // orders/updated (orders/fulfilled for the last part)
      if (f.chance(0.3)) {
        tick();
        const delivered: FulfillmentFact = { ...ful, updatedAt: at(clock), shipmentStatus: "delivered" };
        fulfillments[fulfillments.indexOf(ful)] = delivered;
        facts.push(delivered); // fulfillments/update
      }
    }
  }
  if (paid) {
    let left = total;
    for (let i = 0; i < f.int(0, 2) && left > 0; i++) {
      tick();
      const amountMinor = Math.min(left, f.int(1, Math.max(1, Math.floor(total / 25))) * 25);
      left -= amountMinor;
      const refund: RefundFact = {
        type: "refund",
        orderGid,
        gid: `gid://shopify/Refund/${n * 10 + i}`,
        createdAt: at(clock),
        amountMinor,
        currency: "EUR",
        lineItems: [],
      };
      refunds.push(refund);
      financialStatus = left === 0 ? "refunded" : "partially_refunded";
      facts.push(refund); // refunds/create
      facts.push(snapshot()); // orders/updated
    }
  }
  if (f.chance(0.3)) tags = ["vip"];
  if (f.chance(0.25)) {
    tick();
    cancelledAt = at(clock);
    financialStatus = paid ? "refunded" : "voided";
    facts.push(snapshot()); // orders/cancelled
  } else if (tags.length) {
    tick();
    facts.push(snapshot()); // orders/updated: a tag
  }
  return facts;
}

function mergeAll(facts: OrderFact[]): { state: OrderState; keys: string[] } {
  let state: OrderState | null = null;
  const keys: string[] = [];
  for (const fact of facts) {
    const result = mergeSnapshot(state, fact);
    state = result.state;
    keys.push(...result.newEvents.map((e) => e.key));
  }
  return { state: state!, keys };
}

/** A random arrival order with repeats: each fact once, some again later (Shopify's retries). */
function arrival(f: Fuzzer, facts: OrderFact[]): OrderFact[] {
  const stream = [...facts];
  for (let i = stream.length - 1; i > 0; i--) {
    const j = f.int(0, i);
    [stream[i], stream[j]] = [stream[j]!, stream[i]!];
  }
  for (let r = f.int(0, facts.length); r > 0; r--) stream.splice(f.int(0, stream.length), 0, f.pick(facts));
  return stream;
}

describe(`order state under any interleaving (${LIVES} order lives × ${SHUFFLES} arrivals, seed ${SEED})`, () => {
  it("GIVEN create, paid, fulfilment, refund and cancel deliveries in any order, with repeats THEN the state is the in-order one and each event is emitted once", () => {
    reportSeedOnFailure(SEED, FILE);
    const f = new Fuzzer(SEED);
    let compared = 0;
    const kinds = new Set<string>();
    for (let n = 0; n < LIVES; n++) {
      const facts = life(f, n);
      const inOrder = mergeAll(facts);
      expect(new Set(inOrder.keys).size).toBe(inOrder.keys.length);
      for (const key of inOrder.keys) kinds.add(key.split(":")[0]!);
      for (let s = 0; s < SHUFFLES; s++) {
        const stream = arrival(f, facts);
        const merged = mergeAll(stream);
        if (JSON.stringify(merged.state) !== JSON.stringify(inOrder.state) || [...merged.keys].sort().join() !== [...inOrder.keys].sort().join()) {
          // The failing case in full, for the replay.
          expect({
            life: n,
            arrival: stream.map((x) => `${x.type} ${"updatedAt" in x ? x.updatedAt : x.createdAt}`),
            state: merged.state,
            keys: [...merged.keys].sort(),
          }).toEqual({
            life: n,
            arrival: stream.map((x) => `${x.type} ${"updatedAt" in x ? x.updatedAt : x.createdAt}`),
            state: inOrder.state,
            keys: [...inOrder.keys].sort(),
          });
        }
        compared++;
      }
    }
    expect(compared).toBe(LIVES * SHUFFLES);
    // The generator reached every kind of event.
    expect([...kinds].sort()).toEqual(["order.cancelled", "order.fulfilled", "order.paid", "order.placed", "refund.issued"]);
  });
});

import { describe, expect, it } from "vitest";
import { customerEvents, mergeSnapshot, refundedMinor, type OrderFact, type OrderState } from "~/orders/order-state";
import type { FulfillmentFact, OrderSnapshot, RefundFact } from "~/orders/facts";

const ORDER = "gid://shopify/Order/9007199254741993";
const LINE_A = "gid://shopify/LineItem/1";
const LINE_B = "gid://shopify/LineItem/2";
const t = (minute: number) => new Date(Date.UTC(2026, 2, 1, 10, minute)).toISOString();

function order(minute: number, over: Partial<OrderSnapshot> = {}): OrderSnapshot {
  return {
    type: "order",
    orderGid: ORDER,
    name: "#1001",
    customerGid: "gid://shopify/Customer/7",
    email: "maja@example.si",
    locale: "sl",
    currency: "EUR",
    totalMinor: 2900,
    subtotalMinor: 2900,
    currentTotalMinor: 2900,
    financialStatus: "pending",
    fulfillmentStatus: "unfulfilled",
    cancelledAt: null,
    processedAt: t(0),
    createdAt: t(0),
    updatedAt: t(minute),
    fulfillments: [],
    refunds: [],
    tags: [],
    sourceName: "web",
    discountCodes: [],
    lineItems: [
      { gid: LINE_A, productGid: null, variantGid: null, title: "Mug", vendor: null, quantity: 2, currentQuantity: 2, priceMinor: 1250 },
      { gid: LINE_B, productGid: null, variantGid: null, title: "Tea", vendor: null, quantity: 1, currentQuantity: 1, priceMinor: 400 },
    ],
    ...over,
  };
}
const refund = (id: number, minute: number, amountMinor: number): RefundFact => ({
  type: "refund",
  orderGid: ORDER,
  gid: `gid://shopify/Refund/${id}`,
  createdAt: t(minute),
  amountMinor,
  currency: "EUR",
  lineItems: [],
});
const fulfillment = (id: number, minute: number, lines: Array<[string, number]>, status = "success", updatedMinute = minute): FulfillmentFact => ({
  type: "fulfillment",
  orderGid: ORDER,
  gid: `gid://shopify/Fulfillment/${id}`,
  createdAt: t(minute),
  updatedAt: t(updatedMinute),
  status,
  shipmentStatus: null,
  lineItems: lines.map(([lineItemGid, quantity]) => ({ lineItemGid, quantity })),
});

/** Merges facts in order; answers the final state and every event key emitted (in emission order). */
function run(facts: OrderFact[]): { state: OrderState; keys: string[] } {
  let state: OrderState | null = null;
  const keys: string[] = [];
  for (const fact of facts) {
    const result = mergeSnapshot(state, fact);
    state = result.state;
    keys.push(...result.newEvents.map((e) => e.key));
  }
  return { state: state!, keys };
}

const key = {
  placed: `order.placed:${ORDER}`,
  paid: `order.paid:${ORDER}`,
  fulfilled: `order.fulfilled:${ORDER}`,
  cancelled: `order.cancelled:${ORDER}`,
  refund: (id: number) => `refund.issued:gid://shopify/Refund/${id}`,
};

// A full life: placed pending, paid, shipped in two parts, partly refunded, cancelled with the rest refunded.
const R1 = refund(91, 40, 500);
const R2 = refund(92, 50, 2400);
const F1 = fulfillment(81, 20, [[LINE_A, 2]]);
const F2 = fulfillment(82, 30, [[LINE_B, 1]]);
const LIFE: OrderFact[] = [
  order(0),
  order(10, { financialStatus: "paid" }),
  F1,
  F2,
  R1,
  order(40, {
    financialStatus: "partially_refunded",
    currentTotalMinor: 2400,
    fulfillmentStatus: "fulfilled",
    fulfillments: [F1, F2],
    refunds: [R1],
    tags: ["vip"],
  }),
  R2,
  order(50, {
    financialStatus: "refunded",
    currentTotalMinor: 0,
    cancelledAt: t(50),
    fulfillmentStatus: "fulfilled",
    fulfillments: [F1, F2],
    refunds: [R1, R2],
    tags: ["vip"],
  }),
];

describe("mergeSnapshot: one order, facts in the order they happened", () => {
  it("GIVEN a whole order life THEN each fact emits its event once, in the order it became true", () => {
    const { state, keys } = run(LIFE);
    expect(keys).toEqual([key.placed, key.paid, key.fulfilled, key.refund(91), key.refund(92), key.cancelled]);
    expect(state).toMatchObject({ placed: true, paid: true, fulfilled: true, cancelledAt: t(50), sourceUpdatedAt: t(50) });
    expect(state.attributes).toMatchObject({ financialStatus: "refunded", currentTotalMinor: 0, tags: ["vip"] });
    expect(refundedMinor(state)).toBe(2900);
    expect(state.refunds.map((r) => r.gid)).toEqual(["gid://shopify/Refund/91", "gid://shopify/Refund/92"]);
  });

  it("GIVEN every fact delivered twice THEN the replays change nothing and emit nothing", () => {
    let state: OrderState | null = null;
    for (const fact of LIFE) {
      state = mergeSnapshot(state, fact).state;
      const replay = mergeSnapshot(state, fact);
      expect(replay.newEvents).toEqual([]);
      expect(replay.state).toBe(state);
    }
  });
});

describe("mergeSnapshot: out of order", () => {
  it.each<[string, OrderFact[], string[], Partial<OrderState>, Record<string, unknown>]>([
    [
      "a refund before anything else: it proves payment; placed waits for a snapshot",
      [R1],
      [key.paid, key.refund(91)],
      { placed: false, paid: true, attributes: null },
      {},
    ],
    [
      "a refund, then the stale create and paid snapshots",
      [R1, order(0), order(10, { financialStatus: "paid" })],
      [key.paid, key.refund(91), key.placed],
      { placed: true, paid: true },
      { financialStatus: "paid" },
    ],
    [
      "the cancel snapshot before the paid one: cancel stays, the stale paid status does not win",
      [order(0), order(50, { financialStatus: "refunded", cancelledAt: t(50), refunds: [R2] }), order(10, { financialStatus: "paid" })],
      [key.placed, key.paid, key.refund(92), key.cancelled],
      { paid: true, cancelledAt: t(50), sourceUpdatedAt: t(50) },
      { financialStatus: "refunded" },
    ],
    [
      "a stale create after an edit: email and tags keep the newer values",
      [order(30, { email: "new@example.si", tags: ["vip"], totalMinor: 3300 }), order(0)],
      [key.placed],
      { placed: true, paid: false, sourceUpdatedAt: t(30) },
      { email: "new@example.si", tags: ["vip"], totalMinor: 3300 },
    ],
    [
      "a pending order cancelled (voided): cancelled, never paid",
      [order(0), order(5, { financialStatus: "voided", cancelledAt: t(5) })],
      [key.placed, key.cancelled],
      { paid: false, cancelledAt: t(5) },
      { financialStatus: "voided" },
    ],
    ["a restock-only refund (no money back) does not prove payment", [order(0), refund(93, 5, 0)], [key.placed, key.refund(93)], { paid: false }, {}],
    ["an authorized order is not paid", [order(0, { financialStatus: "authorized" })], [key.placed], { paid: false }, { financialStatus: "authorized" }],
    [
      "fulfilments arriving before the order: coverage is known once the lines are",
      [F2, F1, order(0, { financialStatus: "paid" })],
      [key.placed, key.paid, key.fulfilled],
      { fulfilled: true },
      {},
    ],
    ["one partial fulfilment only: not fulfilled", [order(0, { financialStatus: "paid" }), F1], [key.placed, key.paid], { fulfilled: false }, {}],
    [
      "lines refunded away need no shipping",
      [
        order(0, {
          financialStatus: "paid",
          lineItems: [
            { gid: LINE_A, productGid: null, variantGid: null, title: "Mug", vendor: null, quantity: 2, currentQuantity: 2, priceMinor: 1250 },
            { gid: LINE_B, productGid: null, variantGid: null, title: "Tea", vendor: null, quantity: 1, currentQuantity: 0, priceMinor: 400 },
          ],
        }),
        F1,
      ],
      [key.placed, key.paid, key.fulfilled],
      { fulfilled: true },
      {},
    ],
    [
      "a cancelled fulfilment seen first, then its stale success: it still counts as shipped once",
      [
        order(0, { financialStatus: "paid" }),
        fulfillment(
          83,
          20,
          [
            [LINE_A, 2],
            [LINE_B, 1],
          ],
          "cancelled",
          25,
        ),
        fulfillment(83, 20, [
          [LINE_A, 2],
          [LINE_B, 1],
        ]),
      ],
      [key.placed, key.paid, key.fulfilled],
      { fulfilled: true },
      {},
    ],
    [
      "paid and refunded snapshots with the same clock: the one further along wins either way (1)",
      [order(10, { financialStatus: "paid" }), order(10, { financialStatus: "refunded" })],
      [key.placed, key.paid],
      {},
      { financialStatus: "refunded" },
    ],
    [
      "paid and refunded snapshots with the same clock: the one further along wins either way (2)",
      [order(10, { financialStatus: "refunded" }), order(10, { financialStatus: "paid" })],
      [key.placed, key.paid],
      {},
      { financialStatus: "refunded" },
    ],
  ])("GIVEN %s", (_what, facts, expectedKeys, expectedState, expectedAttributes) => {
    const { state, keys } = run(facts);
    expect(keys).toEqual(expectedKeys);
    expect(state).toMatchObject(expectedState);
    if (Object.keys(expectedAttributes).length) expect(state.attributes).toMatchObject(expectedAttributes);
  });

  it("GIVEN the same refund from refunds/create and inside a snapshot THEN one refund, one event", () => {
    const { state, keys } = run([R1, order(40, { financialStatus: "partially_refunded", refunds: [R1] }), R1]);
    expect(keys.filter((k) => k === key.refund(91))).toHaveLength(1);
    expect(refundedMinor(state)).toBe(500);
  });

  it("GIVEN a fact for another order THEN merging refuses", () => {
    const { state } = run([order(0)]);
    expect(() => mergeSnapshot(state, { ...R1, orderGid: "gid://shopify/Order/2" })).toThrow(/cannot merge/);
  });
});

function* permutations<T>(items: T[]): Generator<T[]> {
  if (items.length <= 1) {
    yield items.slice();
    return;
  }
  for (let i = 0; i < items.length; i++) {
    const rest = [...items.slice(0, i), ...items.slice(i + 1)];
    for (const p of permutations(rest)) yield [items[i]!, ...p];
  }
}

describe("mergeSnapshot is order-independent", () => {
  it("GIVEN every permutation of an order's 8 facts (40,320 orders) THEN the same final state and the same event set", () => {
    const reference = run(LIFE);
    const expectedKeys = [...reference.keys].sort();
    const expectedState = JSON.stringify(reference.state);
    let count = 0;
    const different: OrderFact[][] = [];
    for (const facts of permutations(LIFE)) {
      const { state, keys } = run(facts);
      // Sorted keys equal (duplicates included): each event exactly once, whatever the order.
      if (JSON.stringify([...keys].sort()) !== JSON.stringify(expectedKeys) || JSON.stringify(state) !== expectedState) different.push(facts);
      count++;
    }
    expect(count).toBe(40_320);
    expect(different.slice(0, 1).map((facts) => run(facts))).toEqual([]);
  }, 180_000); // 40,320 orders: ~8 s alone, several times that on a busy 2-core machine

  it("GIVEN permutations with replays and same-clock snapshots THEN still one answer", () => {
    const facts: OrderFact[] = [
      order(0),
      order(10, { financialStatus: "paid" }),
      order(10, { financialStatus: "paid", tags: ["b"] }),
      R1,
      R1,
      refund(93, 45, 0),
      F1,
    ];
    const answers = new Set<string>();
    const keySets = new Set<string>();
    for (const p of permutations(facts)) {
      const { state, keys } = run(p);
      answers.add(JSON.stringify(state));
      keySets.add(JSON.stringify([...keys].sort()));
    }
    expect(answers.size).toBe(1);
    expect([...keySets]).toEqual([JSON.stringify([key.paid, key.placed, key.refund(91), key.refund(93)].sort())]);
  });
});

describe("customerEvents", () => {
  const customer = {
    type: "customer" as const,
    customerGid: "gid://shopify/Customer/7",
    email: "maja@example.si",
    firstName: "Maja",
    lastName: null,
    phone: null,
    state: "enabled",
    tags: [],
    acceptsEmailMarketing: false,
    createdAt: t(0),
    updatedAt: t(5),
  };
  it.each([
    ["customers/create", "customer.created:gid://shopify/Customer/7", t(0)],
    ["customers/update", `customer.updated:gid://shopify/Customer/7@${t(5)}`, t(5)],
  ] as const)("GIVEN %s THEN key %s", (topic, expectedKey, occurredAt) => {
    const [event] = customerEvents(customer, topic);
    expect(event).toMatchObject({ key: expectedKey, subjectGid: "gid://shopify/Customer/7", occurredAt, payload: { email: "maja@example.si" } });
  });
});

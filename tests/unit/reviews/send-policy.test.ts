import { describe, expect, it } from "vitest";
import { decideReminder, decideSend, nextReminderAt, productsToAsk, type OrderFactsForReview, type SendInput } from "~/reviews/send-policy";

const P1 = "gid://shopify/Product/1";
const P2 = "gid://shopify/Product/2";
const P3 = "gid://shopify/Product/3";
const P4 = "gid://shopify/Product/4";
const FULFILLED = "2026-03-01T09:00:00Z";
const DUE = new Date("2026-03-08T09:00:00Z");

const order = (patch: Partial<OrderFactsForReview> = {}): OrderFactsForReview => ({
  cancelled: false,
  totalMinor: 5000,
  refundedMinor: 0,
  fulfilled: true,
  fulfillments: [{ createdAt: FULFILLED, updatedAt: FULFILLED, status: "success" }],
  lines: [
    { productGid: P1, currentQuantity: 1 },
    { productGid: P2, currentQuantity: 2 },
    { productGid: P3, currentQuantity: 1 },
  ],
  ...patch,
});

const input = (patch: Partial<SendInput> = {}): SendInput => ({
  email: "ana@example.si",
  suppressed: false,
  productGids: [P1, P2, P3],
  reviewedProductGids: new Set(),
  maxProducts: 3,
  order: order(),
  basisAt: FULFILLED,
  sendAt: DUE,
  createdAt: DUE,
  ...patch,
});

describe("when a review request is sent", () => {
  it.each([
    ["no e-mail address", input({ email: null }), "the order has no e-mail address"],
    ["the customer unsubscribed", input({ suppressed: true }), "the customer unsubscribed"],
    ["an unknown order", input({ order: null }), "the order is unknown"],
    ["a cancelled order", input({ order: order({ cancelled: true }) }), "the order was cancelled"],
    ["a fully refunded order", input({ order: order({ refundedMinor: 5000 }) }), "the order was refunded"],
    [
      "every line returned",
      input({
        order: order({
          lines: [
            { productGid: P1, currentQuantity: 0 },
            { productGid: P2, currentQuantity: 0 },
            { productGid: P3, currentQuantity: 0 },
          ],
        }),
      }),
      "nothing left to review (returned or already reviewed)",
    ],
    ["everything reviewed already", input({ reviewedProductGids: new Set([P1, P2, P3]) }), "nothing left to review (returned or already reviewed)"],
    [
      "a cancelled shipment",
      input({ order: order({ fulfilled: false, fulfillments: [{ createdAt: FULFILLED, updatedAt: FULFILLED, status: "cancelled" }] }) }),
      "the shipment was cancelled",
    ],
  ])("GIVEN %s THEN it is skipped", (_what, given, reason) => {
    expect(decideSend(given)).toEqual({ action: "skip", reason });
  });

  it("GIVEN a partly refunded order THEN it is sent about what was kept", () => {
    const decision = decideSend(
      input({
        order: order({
          refundedMinor: 1000,
          lines: [
            { productGid: P1, currentQuantity: 0 },
            { productGid: P2, currentQuantity: 2 },
            { productGid: P3, currentQuantity: 1 },
          ],
        }),
      }),
    );
    expect(decision).toEqual({ action: "send", productGids: [P2, P3] });
  });

  it("GIVEN a delivery update 3 days after the shipment the delay counted from THEN the request moves by 3 days", () => {
    const delivered = "2026-03-04T12:00:00Z";
    const decision = decideSend(input({ order: order({ fulfillments: [{ createdAt: FULFILLED, updatedAt: delivered, status: "success" }] }) }));
    expect(decision).toEqual({
      action: "reschedule",
      sendAt: new Date("2026-03-11T12:00:00Z"),
      basisAt: delivered,
      reason: "the fulfilment changed during the wait",
    });
  });

  it("GIVEN a second shipment during the wait THEN the request moves to the same delay after it", () => {
    const second = "2026-03-05T08:00:00Z";
    const decision = decideSend(
      input({
        order: order({
          fulfillments: [
            { createdAt: FULFILLED, updatedAt: FULFILLED, status: "success" },
            { createdAt: second, updatedAt: second, status: "success" },
          ],
        }),
      }),
    );
    expect(decision.action === "reschedule" && decision.sendAt.toISOString()).toBe("2026-03-12T08:00:00.000Z");
  });

  it("GIVEN the rescheduled time comes THEN (no further change) the request is sent", () => {
    const delivered = "2026-03-04T12:00:00Z";
    const decision = decideSend(
      input({
        basisAt: delivered,
        sendAt: new Date("2026-03-11T12:00:00Z"),
        order: order({ fulfillments: [{ createdAt: FULFILLED, updatedAt: delivered, status: "success" }] }),
      }),
    );
    expect(decision.action).toBe("send");
  });

  it("GIVEN an update within the hour of the shipment (tracking added) THEN it is the same shipment", () => {
    const decision = decideSend(input({ order: order({ fulfillments: [{ createdAt: FULFILLED, updatedAt: "2026-03-01T09:40:00Z", status: "success" }] }) }));
    expect(decision.action).toBe("send");
  });

  it("GIVEN the request would move more than 30 days past its creation THEN it is sent instead", () => {
    const decision = decideSend(
      input({
        createdAt: new Date("2026-02-01T00:00:00Z"),
        order: order({ fulfillments: [{ createdAt: FULFILLED, updatedAt: "2026-03-06T00:00:00Z", status: "success" }] }),
      }),
    );
    expect(decision.action).toBe("send");
  });

  it("GIVEN more products than allowed, duplicates and one reviewed THEN at most N unreviewed ones are asked about", () => {
    expect(productsToAsk({ productGids: [P1, P1, P2, P3, P4], reviewedProductGids: new Set([P2]), maxProducts: 2, order: order({ lines: [] }) })).toEqual([
      P1,
      P3,
    ]);
  });
});

describe("reminders", () => {
  const base = {
    sent: 0,
    allowed: 2,
    reviewed: false,
    suppressed: false,
    order: order(),
    linkExpiresAt: new Date("2026-09-01T00:00:00Z"),
    now: new Date("2026-03-15T00:00:00Z"),
  };
  it.each([
    ["a review arrived", { reviewed: true }, "the customer has reviewed"],
    ["the customer unsubscribed", { suppressed: true }, "the customer unsubscribed"],
    ["all reminders went out", { sent: 2 }, "no reminders left"],
    ["the shop allows more than 3", { sent: 3, allowed: 9 }, "no reminders left"],
    ["the order was refunded since", { order: order({ refundedMinor: 5000 }) }, "the order was refunded"],
    ["the link expired", { now: new Date("2026-09-02T00:00:00Z") }, "the review link has expired"],
  ])("GIVEN %s THEN reminders stop", (_what, patch, reason) => {
    expect(decideReminder({ ...base, ...patch })).toEqual({ action: "stop", reason });
  });

  it("GIVEN nothing reviewed and reminders left THEN the next one is sent", () => {
    expect(decideReminder({ ...base, sent: 1 })).toEqual({ action: "send", number: 2 });
  });

  it("schedules reminders every N days, never more than 3", () => {
    const from = new Date("2026-03-08T09:00:00Z");
    expect(nextReminderAt(from, 0, 2, 5)?.toISOString()).toBe("2026-03-13T09:00:00.000Z");
    expect(nextReminderAt(from, 2, 2, 5)).toBeNull();
    expect(nextReminderAt(from, 3, 10, 5)).toBeNull();
    expect(nextReminderAt(from, 0, 0, 5)).toBeNull();
  });
});

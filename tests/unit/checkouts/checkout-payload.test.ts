import { describe, expect, it } from "vitest";
import { abandonDueAt, abandonedEventKey, readCheckoutWebhook, statusAfterOrder } from "~/checkouts/checkout-payload";
import { isMalformedPayload } from "~/webhooks/malformed-payload";

const body = {
  id: 880011,
  token: "tok-1",
  email: "Ana@Example.com",
  customer: { id: 501, email: "ana@example.com" },
  abandoned_checkout_url: "https://shop.example/checkouts/tok-1/recover?key=k",
  total_price: "45.90",
  currency: "EUR",
  line_items: [{}, {}],
  updated_at: "2026-12-08T10:00:00+01:00",
  completed_at: null,
};

describe("readCheckoutWebhook", () => {
  it("keeps token, customer, recovery URL, total in minor units, line count and Shopify's time", () => {
    expect(readCheckoutWebhook(body)).toEqual({
      token: "tok-1",
      checkoutId: "880011",
      customerGid: "gid://shopify/Customer/501",
      email: "ana@example.com",
      recoveryUrl: "https://shop.example/checkouts/tok-1/recover?key=k",
      totalMinor: 4590,
      currency: "EUR",
      lineCount: 2,
      updatedAt: new Date("2026-12-08T09:00:00Z"),
      completedAt: null,
    });
  });

  it("refuses a body without a token or with an amount that is not money, for good", () => {
    for (const bad of [{ ...body, token: "" }, { ...body, total_price: "4.5.9" }, { ...body, updated_at: "soon", created_at: undefined }, null]) {
      let error: unknown;
      try {
        readCheckoutWebhook(bad, "checkouts/create");
      } catch (e) {
        error = e;
      }
      expect(isMalformedPayload(error)).toBe(true);
    }
  });

  it("drops a recovery URL that is not http(s) and reads completed_at", () => {
    const read = readCheckoutWebhook({ ...body, abandoned_checkout_url: "javascript:alert(1)", completed_at: "2026-12-08T09:30:00Z" });
    expect(read.recoveryUrl).toBeNull();
    expect(read.completedAt).toEqual(new Date("2026-12-08T09:30:00Z"));
  });
});

describe("delay rules", () => {
  it("is due the delay after Shopify's last change, keyed once per checkout and delay", () => {
    expect(abandonDueAt(new Date("2026-12-08T09:00:00Z"), 90).toISOString()).toBe("2026-12-08T10:30:00.000Z");
    expect(abandonedEventKey("tok-1", 60)).toBe("checkout.abandoned:tok-1:60");
    expect(statusAfterOrder("reminded")).toBe("recovered");
    expect(statusAfterOrder("open")).toBe("completed");
  });
});

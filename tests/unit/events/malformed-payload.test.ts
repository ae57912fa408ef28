import { describe, expect, it } from "vitest";
import { MalformedPayloadError } from "~/webhooks/malformed-payload";

/** What Prisma (and PostgreSQL's text) accept: no lone surrogate anywhere. */
const wellFormed = (text: string) => !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(text);

describe("MalformedPayloadError's reason (stored with the event)", () => {
  it("GIVEN a reason quoting a lone surrogate from the payload THEN the message is well-formed UTF-16, the rest kept", () => {
    const error = new MalformedPayloadError("line_items.1.price_set is in \ud800, the order in EUR", "orders/create");
    expect(wellFormed(error.message)).toBe(true);
    expect(error.message).toBe("orders/create: line_items.1.price_set is in \uFFFD, the order in EUR");
    expect(wellFormed(error.reason)).toBe(true);
  });

  it("GIVEN a reason quoting a huge emoji string THEN it is bounded and not cut inside a character", () => {
    const error = new MalformedPayloadError(`created_at is not a timestamp: "${"😀".repeat(30_000)}"`, "fulfillments/update");
    expect(error.message.length).toBeLessThanOrEqual(2_000);
    expect(wellFormed(error.message)).toBe(true);
    expect(wellFormed(error.message.slice(0, 2_000))).toBe(true);
    expect(error.message).toMatch(/^fulfillments\/update: created_at is not a timestamp: "😀😀/);
    expect(error.message).toMatch(/…$/);
  });

  it("GIVEN an ordinary reason THEN it is kept as written", () => {
    expect(new MalformedPayloadError("id is missing", "refunds/create").message).toBe("refunds/create: id is missing");
  });
});

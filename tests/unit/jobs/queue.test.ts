import { describe, expect, it } from "vitest";
import {
  decideFailure,
  DEFAULT_MAX_ATTEMPTS,
  errorMessage,
  exceededAttempts,
  InvalidJobSpecError,
  isPermanent,
  isRetryLater,
  normalizeSpec,
  PermanentJobError,
  RetryLaterError,
  serializePayload,
} from "~/jobs/queue";

const now = new Date("2025-01-01T00:00:00.000Z");
const base = { name: "flows.run", shop: "a.myshopify.com", payload: { orderId: "gid://shopify/Order/1" } };

describe("normalizeSpec", () => {
  it("GIVEN a minimal spec THEN fills the defaults", () => {
    expect(normalizeSpec(base, now)).toEqual({
      name: "flows.run",
      shop: "a.myshopify.com",
      payloadJson: '{"orderId":"gid://shopify/Order/1"}',
      runAt: now,
      key: null,
      maxAttempts: DEFAULT_MAX_ATTEMPTS,
    });
  });

  it.each([
    ["an empty name", { ...base, name: " " }, /name/],
    ["an empty shop", { ...base, shop: "" }, /shop/],
    ["an empty key", { ...base, key: "" }, /key/],
    ["zero maxAttempts", { ...base, maxAttempts: 0 }, /maxAttempts/],
    ["fractional maxAttempts", { ...base, maxAttempts: 1.5 }, /maxAttempts/],
    ["an invalid runAt", { ...base, runAt: new Date("nope") }, /runAt/],
    ["a bigint in the payload", { ...base, payload: { id: 1n } }, /bigint/],
    ["a function payload", { ...base, payload: () => 1 }, /JSON/],
  ])("GIVEN %s THEN rejects it", (_label, spec, message) => {
    expect(() => normalizeSpec(spec, now)).toThrow(InvalidJobSpecError);
    expect(() => normalizeSpec(spec, now)).toThrow(message);
  });

  it("GIVEN a circular payload THEN rejects it", () => {
    const payload: Record<string, unknown> = {};
    payload.self = payload;
    expect(() => normalizeSpec({ ...base, payload }, now)).toThrow(InvalidJobSpecError);
  });

  it("GIVEN an undefined payload THEN stores null", () => {
    expect(serializePayload(undefined)).toBe("null");
  });
});

describe("decideFailure", () => {
  const backoff = { baseMs: 100, capMs: 1_000, minMs: 0 };
  const half = () => 0.5;

  it.each([
    ["a plain error on attempt 1 of 3", new Error("boom"), 1, 3, { kind: "retry", delayMs: 50, error: "Error: boom" }],
    ["a plain error on attempt 2 of 3", new Error("boom"), 2, 3, { kind: "retry", delayMs: 100, error: "Error: boom" }],
    ["a plain error on the last attempt", new Error("boom"), 3, 3, { kind: "dead", error: "Error: boom" }],
    ["RetryLaterError", new RetryLaterError(1234), 1, 3, { kind: "retry", delayMs: 1234, error: "RetryLaterError: retry in 1234 ms" }],
    ["RetryLaterError on the last attempt", new RetryLaterError(5), 3, 3, { kind: "dead", error: "RetryLaterError: retry in 5 ms" }],
    ["PermanentJobError on attempt 1", new PermanentJobError("gone"), 1, 8, { kind: "dead", error: "PermanentJobError: gone" }],
    ["a thrown string", "nope", 1, 2, { kind: "retry", delayMs: 50, error: "nope" }],
  ])("GIVEN %s THEN decides %j", (_label, error, attempt, max, expected) => {
    expect(decideFailure(error, attempt, max, backoff, half)).toEqual(expected);
  });

  it("recognises errors by name across module copies", () => {
    const foreign = Object.assign(new Error("x"), { name: "RetryLaterError", delayMs: 7 });
    expect(isRetryLater(foreign)).toBe(true);
    expect(isPermanent(Object.assign(new Error("x"), { name: "PermanentJobError" }))).toBe(true);
    expect(isRetryLater(new Error("x"))).toBe(false);
  });

  it("rejects a negative RetryLaterError delay", () => {
    expect(() => new RetryLaterError(-1)).toThrow(RangeError);
  });

  it("truncates long error messages", () => {
    expect(errorMessage(new Error("x".repeat(5_000))).length).toBe(2_000);
  });

  it.each([
    [1, 1, false],
    [8, 8, false],
    [9, 8, true],
  ])("exceededAttempts(%i, %i) = %s", (attempt, max, expected) => {
    expect(exceededAttempts(attempt, max)).toBe(expected);
  });
});

import { describe, expect, it } from "vitest";
import { classifyNetworkError, classifyResponse, type RawResponse } from "~/shopify/admin-api/classify";

const costExt = (requested: number, actual: number | null, available: number) => ({
  cost: { requestedQueryCost: requested, actualQueryCost: actual, throttleStatus: { maximumAvailable: 1000, currentlyAvailable: available, restoreRate: 50 } },
});
const raw = (status: number, body: Partial<RawResponse> = {}, headers: Record<string, string> = {}): RawResponse => ({
  status,
  headers: new Headers(headers),
  body: "",
  ...body,
});

describe("classifyResponse", () => {
  it("GIVEN data and a cost report THEN it is a success carrying the cost", () => {
    const result = classifyResponse(raw(200, { data: { shop: { name: "A" } }, extensions: costExt(1, 1, 999) }));
    expect(result).toEqual({ ok: true, data: { shop: { name: "A" } }, cost: costExt(1, 1, 999).cost });
  });

  it("GIVEN mutation userErrors THEN it is still a success (the caller decides)", () => {
    const data = { tagsAdd: { node: null, userErrors: [{ field: ["id"], message: "Customer does not exist" }] } };
    expect(classifyResponse(raw(200, { data })).ok).toBe(true);
  });

  it.each<[string, RawResponse, string, Record<string, unknown>]>([
    [
      "THROTTLED with cost",
      raw(200, { errors: [{ message: "Throttled", extensions: { code: "THROTTLED" } }], extensions: costExt(50, null, 10) }),
      "throttled",
      { requestedQueryCost: 50 },
    ],
    ["THROTTLED without cost", raw(200, { errors: [{ message: "Throttled", extensions: { code: "THROTTLED" } }] }), "rate-limited", { status: 200 }],
    [
      "429 with Retry-After seconds",
      raw(429, { body: "Exceeded 2 calls per second" }, { "retry-after": "2.0" }),
      "rate-limited",
      { status: 429, retryAfterMs: 2000 },
    ],
    ["502", raw(502, { body: "<html>Bad gateway</html>" }), "server", { status: 502 }],
    ["503 with Retry-After", raw(503, {}, { "retry-after": "1" }), "server", { status: 503, retryAfterMs: 1000 }],
    [
      "INTERNAL_SERVER_ERROR at 200",
      raw(200, { errors: [{ message: "Internal error", extensions: { code: "INTERNAL_SERVER_ERROR" } }] }),
      "server",
      { status: 200 },
    ],
    [
      "validation error",
      raw(200, { errors: [{ message: "Field 'nope' doesn't exist on type 'Shop'", extensions: { code: "undefinedField" } }] }),
      "rejected",
      { status: 200 },
    ],
    ["MAX_COST_EXCEEDED", raw(200, { errors: [{ message: "Query cost is 1200", extensions: { code: "MAX_COST_EXCEEDED" } }] }), "rejected", { status: 200 }],
    ["401 with a string error", raw(401, { body: '{"errors":"[API] Invalid API key or access token"}' }), "rejected", { status: 401 }],
    ["404", raw(404, { body: "Not Found" }), "rejected", { status: 404 }],
    ["errors as an object", raw(400, { errors: { query: "Required parameter missing or invalid" } }), "rejected", { status: 400 }],
  ])("GIVEN %s THEN the failure is %s", (_label, response, kind, fields) => {
    const result = classifyResponse(response);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.failure.kind).toBe(kind);
    expect(result.failure).toMatchObject(fields);
  });

  it("GIVEN errors as an object THEN they are kept as a message", () => {
    const result = classifyResponse(raw(400, { errors: { query: "Required parameter missing or invalid" } }));
    expect(!result.ok && result.failure.kind === "rejected" && result.failure.errors?.[0]?.message).toMatch(/Required parameter/);
  });
});

describe("classifyNetworkError", () => {
  const fetchFailed = (code: string) => new TypeError("fetch failed", { cause: Object.assign(new Error(code), { code }) });
  it.each([
    ["connection refused", fetchFailed("ECONNREFUSED"), false, false, false],
    ["DNS failure", fetchFailed("ENOTFOUND"), false, false, false],
    ["socket closed by the other side", fetchFailed("UND_ERR_SOCKET"), false, false, true],
    ["connection reset", fetchFailed("ECONNRESET"), false, false, true],
    ["unknown error", new Error("boom"), false, false, true],
    ["refused code but an answer had started", fetchFailed("ECONNREFUSED"), false, true, true],
    ["timeout", new DOMException("The operation was aborted due to timeout", "TimeoutError"), true, false, true],
  ])("GIVEN %s THEN sent=%s is %s", (_label, error, timedOut, answered, sent) => {
    expect(classifyNetworkError(error, timedOut, answered)).toMatchObject({ kind: "network", sent, timedOut });
  });
});

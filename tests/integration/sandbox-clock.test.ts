// One "now" across the admin: after the sandbox clock moves, the Sandbox shop page, the dashboard, the Mail
// outbox and a flow's run log all show the app clock (real time + the stored offset) in the shop's time zone,
// formatted the same way.
import { TEST_API_KEY, TEST_API_SECRET } from "../support/sandbox-app-env";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { DEFAULT_SCOPES } from "~/config.server";
import { prisma } from "~/db/db.server";
import { createFlow } from "~/flows/flows.server";
import { loader as dashboardLoader } from "~/routes/app._index";
import { loader as flowLoader } from "~/routes/app.flows.$id";
import { loader as mailLoader } from "~/routes/app.mail";
import { action as sandboxAction, loader as sandboxLoader } from "~/routes/app.sandbox";
import { mintSessionToken } from "~/sandbox/session-token.server";
import { resetClock } from "~/lib/time/clock.server";
import { formatShopTime } from "~/lib/time/format";
import type { ShopClock } from "~/lib/time/shop-clock.server";

const SHOP = "afterglow-sandbox.myshopify.com";
const APP = "http://127.0.0.1:3997";
const REAL_NOW = new Date("2026-12-07T22:30:00.000Z");
type RouteFn = (args: { request: Request; params: Record<string, string>; context: Record<string, unknown> }) => Promise<unknown>;

const auth = () => ({ Authorization: `Bearer ${mintSessionToken({ shop: SHOP, apiKey: TEST_API_KEY, apiSecret: TEST_API_SECRET })}` });
async function clockOf(fn: RouteFn, path: string, params: Record<string, string> = {}): Promise<ShopClock> {
  const result = (await fn({ request: new Request(`${APP}${path}`, { headers: auth() }), params, context: {} })) as { clock: ShopClock };
  return result.clock;
}

let flowId: string;

beforeAll(async () => {
  // Only Date is frozen (no timers): every loader reads the same real time, so the comparison cannot straddle a minute.
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(REAL_NOW);
  // The orders list asks the emulator; nothing listens here, and the page says so without failing.
  process.env.SHOPIFY_ADMIN_API_ORIGIN = "http://127.0.0.1:1";
  process.env.SANDBOX_SHOPIFY_ORIGIN = "http://127.0.0.1:1";
  await prisma.shop.create({ data: { domain: SHOP, name: "Afterglow Sandbox", currencyCode: "EUR", ianaTimezone: "Europe/Ljubljana" } });
  await prisma.session.create({ data: { id: `offline_${SHOP}`, shop: SHOP, state: "", isOnline: false, accessToken: "shpat_test", scope: DEFAULT_SCOPES } });
  flowId = (await createFlow(SHOP, { name: "Clock check" })).id;
});

afterAll(async () => {
  await resetClock();
  vi.useRealTimers();
  delete process.env.SHOPIFY_ADMIN_API_ORIGIN;
  delete process.env.SANDBOX_SHOPIFY_ORIGIN;
});

describe("the sandbox clock on every page", () => {
  it("GIVEN the clock moved 7 days from the Sandbox shop page THEN the sandbox page, dashboard, Mail outbox and run log return the same now, in the shop's zone, formatted alike", async () => {
    const moved = (await sandboxAction({
      request: new Request(`${APP}/app/sandbox`, { method: "POST", headers: auth(), body: new URLSearchParams({ intent: "advance", by: "7d" }) }),
      params: {},
      context: {},
    })) as { data: { advanced: ShopClock } };
    const advanced = moved.data.advanced;
    const expected: ShopClock = {
      now: "2026-12-14T22:30:00.000Z",
      // 23:30 in Ljubljana (CET), not the UTC reading and not the server's own zone.
      label: formatShopTime(new Date("2026-12-14T22:30:00.000Z"), "Europe/Ljubljana"),
      timeZone: "Europe/Ljubljana",
      offsetHours: 168,
    };
    expect(expected.label).toBe("14 Dec 2026, 23:30");
    expect(advanced).toEqual(expected);

    const pages = {
      sandbox: await clockOf(sandboxLoader as RouteFn, "/app/sandbox"),
      dashboard: await clockOf(dashboardLoader as RouteFn, "/app"),
      mail: await clockOf(mailLoader as RouteFn, "/app/mail"),
      runLog: await clockOf(flowLoader as RouteFn, `/app/flows/${flowId}`, { id: flowId }),
    };
    expect(pages).toEqual({ sandbox: expected, dashboard: expected, mail: expected, runLog: expected });
  });
});

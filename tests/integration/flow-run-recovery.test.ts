// A flow run that failed, got stuck or waits can be retried or cancelled from the flow's run log, as Remix calls
// the editor page's action with an admin session token: Retry carries the run on from the failed step (steps
// that ran never run again), Cancel ends it `cancelled` saying what was already done (nothing is undone) and no
// later job — the wait's wake-up, the Activity page's dead-job Retry — runs a step of it. Another shop's run, or
// a run of another flow, answers 404.
import { TEST_API_KEY, TEST_API_SECRET } from "../support/app-env";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_SCOPES } from "~/config.server";
import { prisma } from "~/db/db.server";
import { createFlow, saveFlow, setFlowEnabled } from "~/flows/flows.server";
import { getJobQueue } from "~/jobs/index.server";
import * as editor from "~/routes/app.flows.$id";
import { mintSessionToken } from "~/sandbox/session-token.server";
import { advanceClock, resetClock } from "~/lib/time/clock.server";
import { startWebhookServer } from "../support/app-server";
import { drainJobs } from "../support/drain-jobs";
import { startEmulator, type Emulator } from "../support/emulator/index";

const APP = "http://127.0.0.1:3999";
let emulator: Emulator;
let app: Awaited<ReturnType<typeof startWebhookServer>>;
const A = "run-recovery-a.myshopify.com";
const B = "run-recovery-b.myshopify.com";
const flows: Record<string, { tagging: string; waiting: string }> = {};

interface Answer {
  status: number;
  body: Record<string, unknown> & { errors?: Record<string, string> };
}

/** Calls the editor's action as Remix would; answers its status and data (thrown responses included). */
async function runAction(shop: string, flowId: string, body: Record<string, unknown>): Promise<Answer> {
  const token = mintSessionToken({ shop, apiKey: TEST_API_KEY, apiSecret: TEST_API_SECRET });
  const request = new Request(`${APP}/app/flows/${flowId}`, {
    method: "POST",
    headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });
  try {
    const result = (await editor.action({ request, params: { id: flowId }, context: {} })) as unknown;
    if (result instanceof Response)
      return { status: result.status, body: result.headers.get("content-type")?.includes("json") ? ((await result.json()) as Answer["body"]) : {} };
    const wrapped = result as { type?: string; data?: unknown; init?: { status?: number } | null };
    if (wrapped?.type === "DataWithResponseInit") return { status: wrapped.init?.status ?? 200, body: wrapped.data as Answer["body"] };
    return { status: 200, body: result as Answer["body"] };
  } catch (error) {
    if (error instanceof Response) return { status: error.status, body: {} };
    throw error;
  }
}

const definition = (actions: unknown[]) => ({ schemaVersion: 1, trigger: { type: "order.paid" }, conditions: { match: "all", groups: [] }, actions });

beforeAll(async () => {
  app = await startWebhookServer();
  emulator = await startEmulator({ apiKey: TEST_API_KEY, apiSecret: TEST_API_SECRET, appUrl: app.url, seed: false });
  process.env.SHOPIFY_ADMIN_API_ORIGIN = emulator.url;
  for (const shop of [A, B]) {
    const name = shop.split(".")[0]!;
    const created = emulator.createShop(name, { currency: "EUR", timezone: "Europe/Ljubljana" });
    await prisma.shop.create({ data: { domain: created.shop, name, currencyCode: "EUR", ianaTimezone: "Europe/Ljubljana" } });
    await prisma.session.create({
      data: { id: `offline_${created.shop}`, shop: created.shop, state: "", isOnline: false, accessToken: created.accessToken, scope: DEFAULT_SCOPES },
    });
    const tagging = await createFlow(shop, { name: "Points and a tag" });
    await saveFlow(shop, tagging.id, {
      name: "Points and a tag",
      enabled: true,
      definition: definition([
        { type: "award_points", params: { mode: "fixed", points: 10 } },
        { type: "add_order_tags", params: { tags: ["thanked"] } },
      ]),
    });
    const waiting = await createFlow(shop, { name: "Tag a day later" });
    await saveFlow(shop, waiting.id, {
      name: "Tag a day later",
      enabled: false,
      definition: definition([
        { type: "wait", params: { amount: 1, unit: "days" } },
        { type: "add_order_tags", params: { tags: ["day-later"] } },
      ]),
    });
    flows[shop] = { tagging: tagging.id, waiting: waiting.id };
  }
});

afterEach(() => {
  emulator.setFaults({ errorRate: 0 });
});

afterAll(async () => {
  await resetClock();
  delete process.env.SHOPIFY_ADMIN_API_ORIGIN;
  await emulator?.close();
  await app?.close();
});

/** A paid order whose "Points and a tag" run fails at the tag: Shopify refuses every Admin API call meanwhile. */
async function failedRun(email: string) {
  emulator.setFaults({ errorRate: 1, errorStatuses: [400] });
  const order = emulator.placeOrder(A, { email, total_price: "20.00", line_items: [{ title: "Tea", price: "20.00", quantity: 1 }] });
  await emulator.waitForDeliveries();
  await drainJobs();
  emulator.setFaults({ errorRate: 0 });
  const orderGid = `gid://shopify/Order/${order.id}`;
  const run = await prisma.flowRun.findFirstOrThrow({ where: { shop: A, flowId: flows[A]!.tagging, subjectGid: orderGid } });
  return { run, order, orderGid };
}

const stepsOf = (runId: string) => prisma.actionRun.findMany({ where: { runId }, orderBy: { stepIndex: "asc" } });
const pointsOf = (orderGid: string) => prisma.loyaltyEntry.findMany({ where: { shop: A, orderGid } });

describe("retrying a failed run", () => {
  it("GIVEN a run whose tag step failed after its points were awarded WHEN the merchant retries it THEN the tag reaches Shopify, the points are not awarded again and the run completes", async () => {
    const { run, order } = await failedRun("retry@example.si");
    expect(run.status).toBe("failed");
    const before = await stepsOf(run.id);
    expect(before.map((s) => s.status)).toEqual(["done", "failed"]);
    expect(before[1]!.error).toBeTruthy();
    const log = (await editorRuns(A, flows[A]!.tagging)).find((r) => r.id === run.id)!;
    expect(log.actions).toEqual({ retry: true, cancel: true });

    const answer = await runAction(A, flows[A]!.tagging, { intent: "retryRun", runId: run.id });
    expect(answer.status).toBe(200);
    await drainJobs();

    const after = await prisma.flowRun.findUniqueOrThrow({ where: { id: run.id } });
    expect(after).toMatchObject({ status: "completed", reason: null });
    expect((await stepsOf(run.id)).map((s) => s.status)).toEqual(["done", "done"]);
    expect(emulator.state(A).orders.get(order.id)?.tags ?? []).toContain("thanked");
    const customerGid = (await prisma.loyaltyEntry.findFirstOrThrow({ where: { shop: A, key: `flow:${run.id}:0` } })).customerGid;
    expect(await prisma.loyaltyEntry.count({ where: { shop: A, customerGid } })).toBe(1);
    // Nothing left to retry: a second click is refused and changes nothing.
    const again = await runAction(A, flows[A]!.tagging, { intent: "retryRun", runId: run.id });
    expect(again.status).toBe(422);
    expect(again.body.errors?.runId).toMatch(/completed/);
  });

  it("GIVEN a run left running by a worker that died (its job dead, nothing changed for an hour) WHEN the merchant retries it THEN it runs from where it stopped", async () => {
    const { run, order } = await failedRun("stuck@example.si");
    await prisma.flowRun.update({
      where: { id: run.id },
      data: { status: "running", reason: null, finishedAt: null, updatedAt: new Date(Date.now() - 3_600_000) },
    });
    expect((await editorRuns(A, flows[A]!.tagging)).find((r) => r.id === run.id)!.actions).toEqual({ retry: true, cancel: true });
    expect((await runAction(A, flows[A]!.tagging, { intent: "retryRun", runId: run.id })).status).toBe(200);
    await drainJobs();
    expect((await prisma.flowRun.findUniqueOrThrow({ where: { id: run.id } })).status).toBe("completed");
    expect(emulator.state(A).orders.get(order.id)?.tags ?? []).toContain("thanked");
  });
});

describe("cancelling a run", () => {
  it("GIVEN a failed run WHEN the merchant cancels it THEN it is cancelled saying the points stay awarded, and the Activity page's dead-job Retry does not run its tag step", async () => {
    const { run, order, orderGid } = await failedRun("cancel@example.si");
    const answer = await runAction(A, flows[A]!.tagging, { intent: "cancelRun", runId: run.id });
    expect(answer.status).toBe(200);
    const cancelled = await prisma.flowRun.findUniqueOrThrow({ where: { id: run.id } });
    expect(cancelled.status).toBe("cancelled");
    expect(cancelled.reason).toMatch(/^Cancelled by the merchant/);
    expect(cancelled.reason).toMatch(/already done and not undone: step 1 \(Award 10 points\)/);
    expect(cancelled.reason).toMatch(/step 2 .* will not run/);
    expect((await pointsOf(orderGid)).map((e) => e.points)).toEqual([10]);

    const dead = (await getJobQueue().listJobs(A, { status: "dead", limit: 100 })).filter((j) => (j.payload as { runId?: string }).runId === run.id);
    expect(dead.length).toBe(1);
    expect(await getJobQueue().retryDead(A, dead[0]!.id)).toBe(true);
    await drainJobs();
    expect((await prisma.flowRun.findUniqueOrThrow({ where: { id: run.id } })).status).toBe("cancelled");
    expect(emulator.state(A).orders.get(order.id)?.tags ?? []).not.toContain("thanked");
    expect((await stepsOf(run.id)).map((s) => s.status)).toEqual(["done", "failed"]);
    // Cancelled is final: neither Retry nor Cancel is offered or accepted.
    expect((await editorRuns(A, flows[A]!.tagging)).find((r) => r.id === run.id)!.actions).toEqual({ retry: false, cancel: false });
    expect((await runAction(A, flows[A]!.tagging, { intent: "retryRun", runId: run.id })).status).toBe(422);
  });

  it("GIVEN a run waiting a day WHEN the merchant cancels it THEN after the day its tag step never runs and the wait shows cancelled", async () => {
    await setFlowEnabled(A, flows[A]!.waiting, true);
    const order = emulator.placeOrder(A, { email: "wait@example.si", total_price: "20.00" });
    await emulator.waitForDeliveries();
    await drainJobs();
    await setFlowEnabled(A, flows[A]!.waiting, false);
    const run = await prisma.flowRun.findFirstOrThrow({ where: { shop: A, flowId: flows[A]!.waiting, subjectGid: `gid://shopify/Order/${order.id}` } });
    expect(run.status).toBe("waiting");
    expect((await editorRuns(A, flows[A]!.waiting)).find((r) => r.id === run.id)!.actions).toEqual({ retry: false, cancel: true });

    expect((await runAction(A, flows[A]!.waiting, { intent: "cancelRun", runId: run.id })).status).toBe(200);
    await advanceClock(2 * 86_400);
    await drainJobs();
    const after = await prisma.flowRun.findUniqueOrThrow({ where: { id: run.id } });
    expect(after.status).toBe("cancelled");
    expect(after.reason).toMatch(/Cancelled by the merchant before any step ran/);
    expect((await stepsOf(run.id)).map((s) => s.status)).toEqual(["cancelled"]);
    expect(emulator.state(A).orders.get(order.id)?.tags ?? []).not.toContain("day-later");
  });

  it("GIVEN a run that is completed WHEN the merchant tries to cancel it THEN it is refused with the reason", async () => {
    const { run } = await failedRun("done@example.si");
    await runAction(A, flows[A]!.tagging, { intent: "retryRun", runId: run.id });
    await drainJobs();
    const answer = await runAction(A, flows[A]!.tagging, { intent: "cancelRun", runId: run.id });
    expect(answer.status).toBe(422);
    expect(answer.body.errors?.runId).toMatch(/completed/);
  });
});

describe("another shop's run", () => {
  it.each(["retryRun", "cancelRun"])(
    "GIVEN shop B WHEN it sends %s for shop A's run, or for a run of another flow THEN 404 and the run is unchanged",
    async (intent) => {
      const { run } = await failedRun(`foreign-${intent}@example.si`);
      expect((await runAction(B, flows[B]!.tagging, { intent, runId: run.id })).status).toBe(404);
      expect((await runAction(A, flows[A]!.waiting, { intent, runId: run.id })).status).toBe(404);
      expect((await runAction(A, flows[A]!.tagging, { intent, runId: "" })).status).toBe(422);
      expect((await prisma.flowRun.findUniqueOrThrow({ where: { id: run.id } })).status).toBe("failed");
    },
  );
});

async function editorRuns(shop: string, flowId: string) {
  const token = mintSessionToken({ shop, apiKey: TEST_API_KEY, apiSecret: TEST_API_SECRET });
  const loaded = (await editor.loader({
    request: new Request(`${APP}/app/flows/${flowId}`, { headers: { Authorization: `Bearer ${token}` } }),
    params: { id: flowId },
    context: {},
  })) as unknown as {
    runs: { id: string; actions: { retry: boolean; cancel: boolean } }[];
  };
  return loaded.runs;
}

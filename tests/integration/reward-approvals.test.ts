// Rewards that wait for the merchant (the detractor alert's apology), approved from the dashboard as Remix calls
// the page's action with an admin session token: approved late the code still works (its dates come from the
// moment of approval), a refusal by Shopify ends visibly (failed with its reason, the flow step failed, the
// reward on the dashboard with Retry and Cancel) instead of a 500 and a reward stuck in "creating", and
// another shop's reward answers 404 whatever the intent.
import { TEST_API_KEY, TEST_API_SECRET } from "../support/app-env";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_SCOPES } from "~/config.server";
import { prisma } from "~/db/db.server";
import { scheduleDomainEventDispatch } from "~/domain-events/dispatch.server";
import { installFlowTemplates } from "~/flows/flows.server";
import { checkLedger } from "~/loyalty/ledger.server";
import { adjustPoints } from "~/loyalty/loyalty.server";
import { createReward } from "~/loyalty/program.server";
import { redeemReward } from "~/loyalty/redemption.server";
import { retryReward } from "~/rewards/approvals.server";
import { createInShopify } from "~/rewards/reward-codes.server";
import * as dashboard from "~/routes/app._index";
import * as outbox from "~/routes/app.mail";
import { mintSessionToken } from "~/sandbox/session-token.server";
import { advanceClock, now, resetClock } from "~/lib/time/clock.server";
import { startWebhookServer } from "../support/app-server";
import { drainJobs } from "../support/drain-jobs";
import { startEmulator, type Emulator } from "../support/emulator/index";

const APP = "http://127.0.0.1:3999";
const DAY_MS = 86_400_000;
let emulator: Emulator;
let app: Awaited<ReturnType<typeof startWebhookServer>>;
let A: string;
let B: string;

type RouteFn = (args: { request: Request; params: Record<string, string>; context: Record<string, unknown> }) => Promise<unknown>;
interface Answer {
  status: number;
  body: Record<string, unknown> & { errors?: Record<string, string> };
}

/** Calls a route function as Remix would; answers its status and data (thrown responses included). */
async function call(fn: unknown, request: Request): Promise<Answer> {
  try {
    const result = await (fn as RouteFn)({ request, params: {}, context: {} });
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

const auth = (shop: string) => ({ Authorization: `Bearer ${mintSessionToken({ shop, apiKey: TEST_API_KEY, apiSecret: TEST_API_SECRET })}` });
const loadDashboard = async (shop: string) =>
  (await call(dashboard.loader, new Request(`${APP}/app?index`, { headers: auth(shop) }))).body as unknown as Awaited<ReturnType<typeof dashboard.loader>>;
const click = (shop: string, intent: string, id: string) =>
  call(dashboard.action, new Request(`${APP}/app?index`, { method: "POST", headers: auth(shop), body: new URLSearchParams({ intent, id }) }));

beforeAll(async () => {
  app = await startWebhookServer();
  emulator = await startEmulator({ apiKey: TEST_API_KEY, apiSecret: TEST_API_SECRET, appUrl: app.url, seed: false });
  process.env.SHOPIFY_ADMIN_API_ORIGIN = emulator.url;
  for (const name of ["approvals-a", "approvals-b"]) {
    const created = emulator.createShop(name, { currency: "EUR", timezone: "Europe/Ljubljana" });
    await prisma.shop.create({ data: { domain: created.shop, name, currencyCode: "EUR", ianaTimezone: "Europe/Ljubljana" } });
    await prisma.session.create({
      data: { id: `offline_${created.shop}`, shop: created.shop, state: "", isOnline: false, accessToken: created.accessToken, scope: DEFAULT_SCOPES },
    });
    await installFlowTemplates(created.shop);
  }
  A = "approvals-a.myshopify.com";
  B = "approvals-b.myshopify.com";
});

afterAll(async () => {
  await resetClock();
  delete process.env.SHOPIFY_ADMIN_API_ORIGIN;
  await emulator?.close();
  await app?.close();
});

/** An order by `email`, then the shopper answers the thank-you survey with `score`: the apology reward waits. */
async function detractor(shop: string, email: string, score = 3, locale?: string) {
  emulator.placeOrder(shop, {
    email,
    total_price: "30.00",
    line_items: [{ title: "Mug", price: "30.00", quantity: 1 }],
    ...(locale ? { customer_locale: locale } : {}),
  });
  await emulator.waitForDeliveries();
  await drainJobs();
  const order = await prisma.orderState.findFirstOrThrow({ where: { shop, email } });
  await prisma.domainEvent.create({
    data: {
      shop,
      kind: "survey.answered",
      key: `survey.answered:${order.orderGid}:nps`,
      subjectGid: order.orderGid,
      occurredAt: now(),
      payload: JSON.stringify({ orderGid: order.orderGid, customerGid: order.customerGid, questionId: "nps", score, comment: SURVEY_COMMENT }),
    },
  });
  await scheduleDomainEventDispatch(shop);
  await drainJobs();
  const reward = await prisma.rewardCode.findFirstOrThrow({ where: { shop, email, status: "awaiting_approval" } });
  const step = await prisma.actionRun.findFirstOrThrow({ where: { shop, type: "create_reward_discount", runId: reward.key.split(":")[1] } });
  return { reward, step, customerGid: order.customerGid! };
}

/** What the shopper wrote in the survey: private, never quoted back in the apology. */
const SURVEY_COMMENT = "The parcel came late and the courier Janez was rude";

const discountByCode = (shop: string, code: string) => [...emulator.state(shop).discounts.values()].find((d) => d.codes.some((c) => c.code === code));

describe("approving a reward late", () => {
  it("GIVEN an apology reward answered with 3 WHEN the merchant approves it 37 days later THEN the code exists in Shopify from now for 30 days, is e-mailed, the step is done and the notice is gone", async () => {
    const { reward, step } = await detractor(A, "late@example.si");
    expect(step.status).toBe("awaiting_approval");
    expect((await loadDashboard(A)).attention.awaiting.map((r) => r.id)).toContain(reward.id);
    const notice = `${reward.key}:approval`;
    expect((await loadDashboard(A)).attention.notifications.map((n) => n.message)).toContainEqual(expect.stringContaining("waiting for your approval"));

    await advanceClock(37 * 86_400);
    const approvedAt = now().getTime();
    const answer = await click(A, "approve", reward.id);
    expect(answer.status).toBe(200);

    const row = await prisma.rewardCode.findUniqueOrThrow({ where: { id: reward.id } });
    expect(row).toMatchObject({ status: "created", error: null });
    const discount = discountByCode(A, reward.code)!;
    expect(discount).toBeDefined();
    // Valid from the approval (app clock), for the 30 days the flow promised.
    expect(Date.parse(discount.startsAt)).toBeGreaterThanOrEqual(approvedAt - 1000);
    expect(Date.parse(discount.startsAt)).toBeLessThanOrEqual(now().getTime());
    expect(Date.parse(discount.endsAt!) - Date.parse(discount.startsAt)).toBe(30 * DAY_MS);
    expect(row.endsAt?.toISOString()).toBe(new Date(discount.endsAt!).toISOString());

    const mail = await prisma.mailMessage.findFirstOrThrow({ where: { shop: A, to: "late@example.si", template: "apology-reward" } });
    expect(mail.text).toContain(reward.code);
    // The apology, in English (the order named no language), with the value; transactional: it answers the shopper.
    expect(mail).toMatchObject({ subject: "Our apologies, from approvals-a", locale: "en", category: "transactional" });
    expect(mail.text).toContain("We are sorry it did not meet your expectations, and we would like to make it up to you: here is 10% off your next order.");
    expect(mail.text).not.toMatch(/parcel|courier|Janez/i);
    // The merchant is told what was sent.
    const told = await prisma.merchantNotification.findFirstOrThrow({
      where: { shop: A, key: { endsWith: ":sent" }, message: { contains: "late@example.si" } },
    });
    expect(told.message).toBe(
      `Apology e-mail to late@example.si (en): "Our apologies, from approvals-a", with code ${reward.code}, 10%. It quotes nothing of their survey answer; the Mail outbox shows its delivery.`,
    );
    expect(["queued", "sent"]).toContain(mail.status);
    expect((await prisma.actionRun.findUniqueOrThrow({ where: { id: step.id } })).status).toBe("done");

    const page = await loadDashboard(A);
    expect(page.attention.awaiting).toEqual([]);
    expect(page.attention.failed).toEqual([]);
    expect(page.attention.notifications.map((n) => n.message)).not.toContainEqual(expect.stringContaining("waiting for your approval"));
    expect((await prisma.merchantNotification.findUniqueOrThrow({ where: { shop_key: { shop: A, key: notice } } })).readAt).not.toBeNull();
  });
});

describe("a reward Shopify refuses", () => {
  let rewardId: string;
  let stepId: string;
  let customerId: string;
  let removed: unknown;

  it("GIVEN the customer was deleted in Shopify WHEN the merchant approves THEN no 500: the reward is failed with Shopify's reason, the step failed, and the dashboard offers Retry and Cancel", async () => {
    const { reward, step, customerGid } = await detractor(A, "gone@example.si");
    rewardId = reward.id;
    stepId = step.id;
    customerId = customerGid.split("/").pop()!;
    removed = emulator.state(A).customers.get(customerId);
    emulator.state(A).customers.delete(customerId);

    const answer = await click(A, "approve", reward.id);
    expect(answer.status).toBe(422);
    expect(answer.body.errors?.id).toContain("Customer does not exist");

    const row = await prisma.rewardCode.findUniqueOrThrow({ where: { id: reward.id } });
    expect(row.status).toBe("failed");
    expect(row.error).toContain("Customer does not exist");
    const failedStep = await prisma.actionRun.findUniqueOrThrow({ where: { id: step.id } });
    expect(failedStep.status).toBe("failed");
    expect(failedStep.error).toContain("Customer does not exist");
    expect(discountByCode(A, reward.code)).toBeUndefined();
    expect(await prisma.mailMessage.count({ where: { shop: A, to: "gone@example.si" } })).toBe(0);

    const page = await loadDashboard(A);
    expect(page.attention.awaiting.map((r) => r.id)).not.toContain(reward.id);
    expect(page.attention.failed).toEqual([expect.objectContaining({ id: reward.id, error: expect.stringContaining("Customer does not exist") })]);
    // Shopify's words, and the failure replaces the "waiting for your approval" notice.
    expect(page.attention.failed[0]!.error).toBe("Customer does not exist");
    expect(page.attention.notifications.map((n) => n.message)).not.toContainEqual(expect.stringContaining("waiting for your approval"));
  });

  it("GIVEN the cause is fixed WHEN the merchant clicks Retry THEN the code is created, e-mailed once, the step is done", async () => {
    emulator.state(A).customers.set(customerId, removed as never);
    const answer = await click(A, "retry", rewardId);
    expect(answer.status).toBe(200);
    const row = await prisma.rewardCode.findUniqueOrThrow({ where: { id: rewardId } });
    expect(row).toMatchObject({ status: "created", error: null });
    expect(discountByCode(A, row.code)).toBeDefined();
    const mails = await prisma.mailMessage.findMany({ where: { shop: A, to: "gone@example.si", template: "apology-reward" } });
    expect(mails.map((m) => m.text.includes(row.code))).toEqual([true]);
    expect((await prisma.actionRun.findUniqueOrThrow({ where: { id: stepId } })).status).toBe("done");
    expect((await loadDashboard(A)).attention.failed).toEqual([]);

    // A second click changes nothing.
    expect((await click(A, "retry", rewardId)).status).toBe(422);
    expect(await prisma.mailMessage.count({ where: { shop: A, to: "gone@example.si" } })).toBe(1);
  });

  it("GIVEN a failed reward WHEN the merchant cancels it THEN it is cancelled, nothing exists in Shopify, no mail, the step says so, it leaves the dashboard", async () => {
    const { reward, step, customerGid } = await detractor(A, "cancel@example.si");
    const id = customerGid.split("/").pop()!;
    const customer = emulator.state(A).customers.get(id);
    emulator.state(A).customers.delete(id);
    expect((await click(A, "approve", reward.id)).status).toBe(422);
    emulator.state(A).customers.set(id, customer!);

    const answer = await click(A, "cancel", reward.id);
    expect(answer.status).toBe(200);
    const row = await prisma.rewardCode.findUniqueOrThrow({ where: { id: reward.id } });
    expect(row.status).toBe("cancelled");
    expect(discountByCode(A, reward.code)).toBeUndefined();
    expect(await prisma.mailMessage.count({ where: { shop: A, to: "cancel@example.si" } })).toBe(0);
    const cancelledStep = await prisma.actionRun.findUniqueOrThrow({ where: { id: step.id } });
    expect(cancelledStep.status).toBe("skipped");
    expect(cancelledStep.summary).toContain("cancelled by the merchant");
    const page = await loadDashboard(A);
    expect(page.attention.failed.map((r) => r.id)).not.toContain(reward.id);
    // Retrying a cancelled reward is refused.
    expect((await click(A, "retry", reward.id)).status).toBe(422);
    expect(discountByCode(A, reward.code)).toBeUndefined();
  });
});

describe("a redemption whose code could not be created", () => {
  const pointsOf = async (customerGid: string) =>
    (await prisma.loyaltyAccount.findUniqueOrThrow({ where: { shop_customerGid: { shop: A, customerGid } } })).points;

  /** 100 points, then 60 spent while Shopify answers 503: the redemption stays `spending` with the error. */
  async function stuckRedemption(email: string) {
    const customerGid = emulator.createCustomer(A, { email }).admin_graphql_api_id;
    await adjustPoints({ shop: A, customerGid, points: 100, reason: "Opening balance", staff: "test", key: `open-${email}` });
    const reward = await createReward(A, { name: "Free shipping", kind: "free_shipping", value: "", pointsCost: 60 });
    emulator.setFaults({ retryAfterSeconds: 0, failNext: { count: 5, status: 503 } });
    const { redemption } = await redeemReward(A, customerGid, reward.id, `stuck-${email}`);
    emulator.setFaults({ failNext: null });
    expect(redemption.status).toBe("spending");
    expect(await pointsOf(customerGid)).toBe(40);
    return { redemption, customerGid };
  }

  it("GIVEN a stuck redemption WHEN the merchant cancels it from the dashboard THEN the points come back exactly once and no code exists", async () => {
    const { redemption, customerGid } = await stuckRedemption("stuck-cancel@example.si");
    const listed = (await loadDashboard(A)).attention.redemptions;
    expect(listed).toEqual([expect.objectContaining({ id: redemption.id, points: 60, customer: customerGid, error: expect.stringContaining("503") })]);

    expect((await click(B, "redemption-cancel", redemption.id)).status).toBe(404);
    expect(await pointsOf(customerGid)).toBe(40);

    expect((await click(A, "redemption-cancel", redemption.id)).status).toBe(200);
    expect((await click(A, "redemption-cancel", redemption.id)).status).toBe(422);
    expect((await click(A, "redemption-retry", redemption.id)).status).toBe(422);
    expect(await pointsOf(customerGid)).toBe(100);
    const entries = await prisma.loyaltyEntry.findMany({ where: { shop: A, customerGid }, orderBy: { createdAt: "asc" } });
    expect(entries.map((e) => [e.kind, e.points])).toEqual([
      ["adjust", 100],
      ["redeem", -60],
      ["reverse", 60],
    ]);
    expect((await checkLedger(A, customerGid)).agrees).toBe(true);
    expect((await prisma.loyaltyRedemption.findUniqueOrThrow({ where: { id: redemption.id } })).status).toBe("refunded");
    const code = await prisma.rewardCode.findFirstOrThrow({ where: { shop: A, key: `redeem:${redemption.key}` } });
    expect(discountByCode(A, code.code)).toBeUndefined();
    expect((await loadDashboard(A)).attention.redemptions).toEqual([]);
    // The reward code of a redemption is not the merchant's to retry: its points came back.
    expect((await click(A, "retry", code.id)).status).toBe(422);
    expect(discountByCode(A, code.code)).toBeUndefined();
  });

  it("GIVEN a stuck redemption WHEN the merchant retries once Shopify is back THEN the code exists and the points stay spent", async () => {
    const { redemption, customerGid } = await stuckRedemption("stuck-retry@example.si");
    expect((await click(B, "redemption-retry", redemption.id)).status).toBe(404);
    expect((await click(A, "redemption-retry", redemption.id)).status).toBe(200);
    const row = await prisma.loyaltyRedemption.findUniqueOrThrow({ where: { id: redemption.id } });
    expect(row.status).toBe("created");
    const code = await prisma.rewardCode.findUniqueOrThrow({ where: { id: row.rewardCodeId! } });
    expect(discountByCode(A, code.code)).toBeDefined();
    expect(await pointsOf(customerGid)).toBe(40);
    // Cancelling a finished redemption gives nothing back.
    expect((await click(A, "redemption-cancel", redemption.id)).status).toBe(422);
    expect(await pointsOf(customerGid)).toBe(40);
  });
});

describe("the apology in the shopper's language", () => {
  it.each([
    ["sl-SI", "sl", "Opravičujemo se vam – approvals-a", "V opravičilo vam za naslednje naročilo podarjamo 10 % popusta.", "Vaša koda:"],
    ["tr-TR", "tr", "approvals-a olarak özür dileriz", "bir sonraki siparişinizde %10 indirim sizi bekliyor.", "Kodunuz:"],
  ])(
    "GIVEN a detractor whose order is in %s WHEN the merchant approves THEN the apology is in %s with the code and value, quoting nothing",
    async (orderLocale, lang, subject, line, codeLabel) => {
      const email = `apology-${lang}@example.com`;
      const { reward } = await detractor(A, email, 2, orderLocale);
      expect((await click(A, "approve", reward.id)).status).toBe(200);
      const mail = await prisma.mailMessage.findFirstOrThrow({ where: { shop: A, to: email, template: "apology-reward" } });
      const text = mail.text.replace(/\u00a0/g, " ");
      expect(mail).toMatchObject({ locale: lang, subject, category: "transactional" });
      expect(text).toContain(line);
      expect(text).toContain(`${codeLabel} ${reward.code}`);
      expect(`${mail.subject}\n${text}`).not.toMatch(/parcel|courier|Janez|late|rude/i);
      const told = await prisma.merchantNotification.findFirstOrThrow({ where: { shop: A, key: { endsWith: ":sent" }, message: { contains: email } } });
      expect(told.message).toContain(`"${subject}", with code ${reward.code}`);
    },
  );
});

describe("one shop never touches another's rewards", () => {
  it("GIVEN shop A's reward e-mail WHEN shop B asks the Mail outbox to send it again THEN 404 and nothing is queued", async () => {
    const mail = await prisma.mailMessage.findFirstOrThrow({ where: { shop: A, template: "apology-reward" } });
    const jobs = await prisma.job.count({ where: { name: "mail.deliver" } });
    const answer = await call(outbox.action, new Request(`${APP}/app/mail`, { method: "POST", headers: auth(B), body: new URLSearchParams({ id: mail.id }) }));
    expect(answer.status).toBe(404);
    expect(await prisma.mailMessage.findUniqueOrThrow({ where: { id: mail.id } })).toEqual(mail);
    expect(await prisma.job.count({ where: { name: "mail.deliver" } })).toBe(jobs);
  });

  it.each(["approve", "decline", "retry", "cancel", "read"])(
    "GIVEN shop A's waiting reward WHEN shop B sends %s for it THEN 404 and nothing changes",
    async (intent) => {
      const reward =
        (await prisma.rewardCode.findFirst({ where: { shop: A, status: "awaiting_approval" } })) ??
        (await detractor(A, `isolated-${intent}@example.si`)).reward;
      const note = await prisma.merchantNotification.findFirstOrThrow({ where: { shop: A } });
      const id = intent === "read" ? note.id : reward.id;
      const before = {
        reward: await prisma.rewardCode.findUniqueOrThrow({ where: { id: reward.id } }),
        note: await prisma.merchantNotification.findUniqueOrThrow({ where: { id: note.id } }),
      };
      const answer = await click(B, intent, id);
      expect(answer.status).toBe(404);
      expect(await prisma.rewardCode.findUniqueOrThrow({ where: { id: reward.id } })).toEqual(before.reward);
      expect(await prisma.merchantNotification.findUniqueOrThrow({ where: { id: note.id } })).toEqual(before.note);
      expect(discountByCode(A, reward.code)).toBeUndefined();
    },
  );
});

describe("a reward cancelled while Shopify creates it", () => {
  it("GIVEN the merchant cancels a reward whose creation is under way WHEN the creation finishes THEN the reward stays cancelled and its discount is deleted from Shopify again", async () => {
    const { reward } = await detractor(A, "cancel-race@example.si");
    // The creation read the row before the cancel landed (as a creation that looked stuck for 10 minutes may).
    await prisma.rewardCode.update({ where: { id: reward.id }, data: { status: "cancelled" } });
    await expect(createInShopify(A, reward.id)).rejects.toThrow(/was cancelled while Shopify created it; its discount was deleted again/);
    expect((await prisma.rewardCode.findUniqueOrThrow({ where: { id: reward.id } })).status).toBe("cancelled");
    expect(discountByCode(A, reward.code)).toBeUndefined();
  });
});

describe("a reward stuck creating, retried twice at once", () => {
  it("GIVEN a reward left 'creating' 11 minutes ago WHEN two Retry clicks read it at the same moment THEN only the first claims it: Shopify is asked to create the code once, the second is told it is being created", async () => {
    const { reward } = await detractor(A, "stuck-twice@example.si");
    // As a request that died mid-creation leaves it (status and last change written directly).
    await prisma.rewardCode.update({ where: { id: reward.id }, data: { status: "creating", updatedAt: new Date(Date.now() - 11 * 60_000) } });
    const creates = () => emulator.stats.mutations.discountCodeBasicCreate ?? 0;
    const before = creates();
    // Both calls read the row before either writes (one database connection, queries in order).
    const answers = await Promise.all([retryReward(A, reward.id), retryReward(A, reward.id)]);
    expect(answers.map((a) => a.ok).sort()).toEqual([false, true]);
    expect(answers.find((a) => !a.ok)).toMatchObject({ reason: "This reward is being created right now." });
    expect(creates() - before).toBe(1);
    expect(await prisma.rewardCode.findUniqueOrThrow({ where: { id: reward.id } })).toMatchObject({ status: "created", error: null });
    expect(discountByCode(A, reward.code)).toBeDefined();
  });
});

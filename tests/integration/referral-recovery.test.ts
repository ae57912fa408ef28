// Referrals that could not finish, as Remix calls the Referrals page with an admin session token: a referral code
// Shopify did not create and an advocate's reward that could not be issued are shown with their reason, with
// Retry (Shopify asked now, once; a code an earlier lost attempt did create is adopted, never created twice) and
// Cancel (nothing issued, shown cancelled). The advocate's reward code is e-mailed to her in her language
// through the outbox. Another shop's row answers 404.
import { TEST_API_KEY, TEST_API_SECRET } from "../support/app-env";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DISCOUNT_CODE_BASIC_CREATE } from "~/shopify/admin-api/operations/discounts";
import { adminClientFor } from "~/shopify/admin-api/shop-client.server";
import { DEFAULT_SCOPES } from "~/config.server";
import { prisma } from "~/db/db.server";
import { closeMailTransport } from "~/mail/mailer.server";
import { attentionItems } from "~/rewards/approvals.server";
import { ensureReferralCode, loadReferralProgram, referralDiscountInput } from "~/referrals/codes.server";
import { REFERRAL_REWARD_JOB } from "~/referrals/jobs";
import { runReferralRewardJob } from "~/referrals/rewards.server";
import * as page from "~/routes/app.referrals";
import { mintSessionToken } from "~/sandbox/session-token.server";
import { referralFor } from "~/thank-you/view.server";
import { advanceClock, now, resetClock } from "~/lib/time/clock.server";
import { startWebhookServer } from "../support/app-server";
import { drainJobs } from "../support/drain-jobs";
import { startEmulator, type Emulator } from "../support/emulator/index";
import { startSmtpCapture } from "../support/smtp-capture";

const APP = "http://127.0.0.1:3999";
const DAY = 86_400;
let emulator: Emulator;
let app: Awaited<ReturnType<typeof startWebhookServer>>;
let smtp: Awaited<ReturnType<typeof startSmtpCapture>>;
let A: string;
let B: string;

type RouteFn = (args: { request: Request; params: Record<string, string>; context: Record<string, unknown> }) => Promise<unknown>;
interface Answer {
  status: number;
  body: Record<string, unknown>;
}

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
const loadPage = async (shop: string) =>
  (await call(page.loader, new Request(`${APP}/app/referrals`, { headers: auth(shop) }))).body as unknown as Awaited<ReturnType<typeof page.loader>>;
const click = (shop: string, intent: string, id: string) =>
  call(page.action, new Request(`${APP}/app/referrals`, { method: "POST", headers: auth(shop), body: new URLSearchParams({ intent, id }) }));

const codesInShopify = (shop: string, code: string) => [...emulator.state(shop).discounts.values()].filter((d) => d.codes.some((c) => c.code === code));

beforeAll(async () => {
  smtp = await startSmtpCapture();
  process.env.SMTP_URL = smtp.url;
  app = await startWebhookServer();
  emulator = await startEmulator({ apiKey: TEST_API_KEY, apiSecret: TEST_API_SECRET, appUrl: app.url, seed: false });
  process.env.SHOPIFY_ADMIN_API_ORIGIN = emulator.url;
  for (const name of ["referral-recovery-a", "referral-recovery-b"]) {
    const created = emulator.createShop(name, { currency: "EUR", timezone: "Europe/Ljubljana" });
    await prisma.shop.create({ data: { domain: created.shop, name: `Shop ${name}`, currencyCode: "EUR", ianaTimezone: "Europe/Ljubljana" } });
    await prisma.session.create({
      data: { id: `offline_${created.shop}`, shop: created.shop, state: "", isOnline: false, accessToken: created.accessToken, scope: DEFAULT_SCOPES },
    });
  }
  A = "referral-recovery-a.myshopify.com";
  B = "referral-recovery-b.myshopify.com";
});

afterAll(async () => {
  emulator?.setFaults({ retryAfterSeconds: 1, failNext: null });
  await resetClock();
  delete process.env.SHOPIFY_ADMIN_API_ORIGIN;
  delete process.env.SMTP_URL;
  await closeMailTransport();
  await emulator?.close();
  await app?.close();
  await smtp?.close();
});

const shopifyDown = () => emulator.setFaults({ retryAfterSeconds: 0, failNext: { count: 50, status: 503 } });
const shopifyUp = () => emulator.setFaults({ retryAfterSeconds: 0, failNext: null });

/** A customer with an order in `locale` (the app knows her language from it). */
async function advocate(shop: string, email: string, locale = "en") {
  const order = emulator.placeOrder(shop, {
    email,
    customer_locale: locale,
    total_price: "25.00",
    shipping_address: { first_name: "A", address1: `${email} Road 1`, city: "Koper", zip: "6000", country_code: "SI" },
  });
  await emulator.waitForDeliveries();
  await drainJobs();
  return order.customer_admin_graphql_api_id!;
}

async function failedCode(shop: string, email: string) {
  const customerGid = await advocate(shop, email);
  shopifyDown();
  await expect(ensureReferralCode(shop, customerGid, email)).rejects.toThrow();
  shopifyUp();
  return { customerGid, row: await prisma.referralCode.findUniqueOrThrow({ where: { shop_customerGid: { shop, customerGid } } }) };
}

describe("a referral code Shopify did not create", () => {
  it("GIVEN Shopify failing while the code is created THEN the code is failed with the reason and the page shows it with Retry and Cancel", async () => {
    const { row } = await failedCode(A, "nina@example.si");
    expect(row.status).toBe("failed");
    expect(row.error).toMatch(/503/);
    const data = await loadPage(A);
    const shown = data.codeProblems.find((c) => c.id === row.id);
    expect(shown).toMatchObject({ code: row.code, advocate: "nina@example.si", status: "failed", reason: row.error, canRetry: true, canCancel: true });
  }, 30_000);

  it("GIVEN a failed code WHEN the merchant clicks Retry THEN it is created in Shopify now and active; a second click is refused and creates nothing", async () => {
    const { customerGid, row } = await failedCode(A, "ozren@example.si");
    const answer = await click(A, "retry-code", row.id);
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ ok: true });
    const after = await prisma.referralCode.findUniqueOrThrow({ where: { id: row.id } });
    expect(after).toMatchObject({ status: "active", error: null });
    expect(codesInShopify(A, row.code)).toHaveLength(1);
    expect((await referralFor(A, customerGid))?.code).toBe(row.code);
    const again = await click(A, "retry-code", row.id);
    expect(again.status).toBe(422);
    expect(again.body.reason).toMatch(/active/);
    expect(codesInShopify(A, row.code)).toHaveLength(1);
  }, 30_000);

  it("GIVEN an earlier attempt whose answer was lost did create the code in Shopify WHEN Retry THEN that discount is adopted, not a second one", async () => {
    const { row } = await failedCode(A, "petra@example.si");
    const client = await adminClientFor(A);
    const landed = await client.request(DISCOUNT_CODE_BASIC_CREATE, { basicCodeDiscount: referralDiscountInput(row, await loadReferralProgram(A), now()) });
    const landedGid = landed.discountCodeBasicCreate!.codeDiscountNode!.id;
    expect((await click(A, "retry-code", row.id)).status).toBe(200);
    expect(await prisma.referralCode.findUniqueOrThrow({ where: { id: row.id } })).toMatchObject({ status: "active", discountGid: landedGid });
    expect(codesInShopify(A, row.code)).toHaveLength(1);
  }, 30_000);

  it("GIVEN a failed code WHEN the merchant clicks Cancel THEN nothing is issued: cancelled with its reason, absent from Shopify, never offered to the shopper, not re-created on her next visit", async () => {
    const { customerGid, row } = await failedCode(A, "rok@example.si");
    const answer = await click(A, "cancel-code", row.id);
    expect(answer.status).toBe(200);
    const after = await prisma.referralCode.findUniqueOrThrow({ where: { id: row.id } });
    expect(after).toMatchObject({ status: "cancelled", error: row.error });
    const shown = (await loadPage(A)).codeProblems.find((c) => c.id === row.id);
    expect(shown).toMatchObject({ status: "cancelled", canRetry: false, canCancel: false });
    await ensureReferralCode(A, customerGid, "rok@example.si");
    expect(codesInShopify(A, row.code)).toHaveLength(0);
    expect((await referralFor(A, customerGid))?.code).toBeNull();
  }, 30_000);

  it("GIVEN a failed code that exists in Shopify after all WHEN Cancel THEN refused, saying to retry", async () => {
    const { row } = await failedCode(A, "sara@example.si");
    const client = await adminClientFor(A);
    await client.request(DISCOUNT_CODE_BASIC_CREATE, { basicCodeDiscount: referralDiscountInput(row, await loadReferralProgram(A), now()) });
    const answer = await click(A, "cancel-code", row.id);
    expect(answer.status).toBe(422);
    expect(answer.body.reason).toMatch(/exists in Shopify/);
    expect((await prisma.referralCode.findUniqueOrThrow({ where: { id: row.id } })).status).toBe("failed");
  }, 30_000);

  it("GIVEN another shop's code WHEN it retries or cancels it THEN 404 and nothing changes", async () => {
    const { row } = await failedCode(A, "tina@example.si");
    expect((await click(B, "retry-code", row.id)).status).toBe(404);
    expect((await click(B, "cancel-code", row.id)).status).toBe(404);
    expect((await prisma.referralCode.findUniqueOrThrow({ where: { id: row.id } })).status).toBe("failed");
  }, 30_000);
});

describe("the advocate's reward", () => {
  /** An active code for a Slovene advocate and a friend's paid order with it; the refund window then passes. */
  async function referralDue(shop: string, advocateEmail: string, friendEmail: string) {
    const customerGid = await advocate(shop, advocateEmail, "sl-SI");
    const code = await ensureReferralCode(shop, customerGid, advocateEmail);
    const order = emulator.placeOrder(shop, {
      email: friendEmail,
      total_price: "40.00",
      discount_codes: [{ code: code.code, amount: "4.00", type: "percentage" }],
      shipping_address: { first_name: "F", address1: `${friendEmail} Street 9`, city: "Maribor", zip: "2000", country_code: "SI" },
    });
    await emulator.waitForDeliveries();
    await drainJobs();
    const referral = await prisma.referral.findUniqueOrThrow({ where: { shop_friendOrderGid: { shop, friendOrderGid: order.admin_graphql_api_id } } });
    expect(referral.status).toBe("pending");
    await advanceClock(15 * DAY);
    return { customerGid, referral };
  }

  const lastAttempt = (shop: string, referralId: string) =>
    runReferralRewardJob({ id: "j", name: REFERRAL_REWARD_JOB, shop, payload: { referralId }, attempt: 8, maxAttempts: 8 });

  it("GIVEN no loyalty program WHEN the friend's window passes THEN the advocate receives her reward code by e-mail, in Slovene, and the code works in Shopify", async () => {
    const { referral } = await referralDue(A, "ursa@example.si", "vid@example.si");
    await drainJobs();
    expect((await prisma.referral.findUniqueOrThrow({ where: { id: referral.id } })).status).toBe("rewarded");
    const reward = await prisma.rewardCode.findUniqueOrThrow({ where: { shop_key: { shop: A, key: `referral:${referral.id}` } } });
    expect(reward.status).toBe("created");
    expect(codesInShopify(A, reward.code)).toHaveLength(1);
    const mail = await prisma.mailMessage.findFirstOrThrow({ where: { shop: A, to: "ursa@example.si" } });
    expect(mail).toMatchObject({ template: "reward-code", locale: "sl", status: "sent" });
    expect(mail.text).toContain(`Vaša koda: ${reward.code}`);
    expect(mail.text).toContain("10 %");
    expect(smtp.received.some((m) => m.to.includes("ursa@example.si") && m.raw.includes(reward.code))).toBe(true);
  }, 30_000);

  it("GIVEN Shopify failing on the reward job's last attempt THEN the referral is failed with the reason on the page; Retry queues the reward with the claim, which issues the code and e-mails it once", async () => {
    const { referral } = await referralDue(A, "zala@example.si", "ziga@example.si");
    shopifyDown();
    await lastAttempt(A, referral.id);
    shopifyUp();
    const failed = await prisma.referral.findUniqueOrThrow({ where: { id: referral.id } });
    expect(failed.status).toBe("failed");
    expect(failed.reason).toMatch(/^reward_failed: .*503/);
    const row = (await loadPage(A)).referrals.find((r) => r.id === referral.id)!;
    expect(row).toMatchObject({ status: "failed", canRetry: true, canCancel: true });
    expect(row.reason).toMatch(/503/);
    expect(await prisma.mailMessage.count({ where: { shop: A, to: "zala@example.si" } })).toBe(0);
    // Handled here with its referral, not a second time among the dashboard's failed rewards.
    const failedCode = await prisma.rewardCode.findUniqueOrThrow({ where: { shop_key: { shop: A, key: `referral:${referral.id}` } } });
    expect(failedCode.status).toBe("failed");
    expect((await attentionItems(A)).failed.map((r) => r.id)).not.toContain(failedCode.id);

    // The job whose last attempt that was is spent: only what Retry queues can reward it now.
    await prisma.job.updateMany({ where: { shop: A, key: `${REFERRAL_REWARD_JOB}:${referral.id}` }, data: { status: "dead" } });
    const answer = await click(A, "retry-referral", referral.id);
    expect(answer.status).toBe(200);
    // The claim and the reward job committed together: a process that stops right after the click still rewards it.
    expect(await prisma.referral.findUniqueOrThrow({ where: { id: referral.id } })).toMatchObject({ status: "pending" });
    const retryJobs = await prisma.job.findMany({
      where: { shop: A, name: REFERRAL_REWARD_JOB, key: { startsWith: `${REFERRAL_REWARD_JOB}:${referral.id}:retry:` } },
    });
    expect(retryJobs.map((j) => [j.status, JSON.parse(j.payload)])).toEqual([["queued", { referralId: referral.id }]]);
    await drainJobs();
    expect(await prisma.referral.findUniqueOrThrow({ where: { id: referral.id } })).toMatchObject({ status: "rewarded", reason: null });
    const reward = await prisma.rewardCode.findUniqueOrThrow({ where: { shop_key: { shop: A, key: `referral:${referral.id}` } } });
    expect(codesInShopify(A, reward.code)).toHaveLength(1);
    const mails = await prisma.mailMessage.findMany({ where: { shop: A, to: "zala@example.si" } });
    expect(mails).toHaveLength(1);
    expect(mails[0]!.text).toContain(reward.code);
    expect((await click(A, "retry-referral", referral.id)).status).toBe(422);
  }, 30_000);

  it("GIVEN a failed reward WHEN Cancel THEN the referral is cancelled with the reason kept, no code in Shopify, no e-mail; another shop gets 404", async () => {
    const { referral } = await referralDue(A, "ana@example.si", "bor@example.si");
    shopifyDown();
    await lastAttempt(A, referral.id);
    shopifyUp();
    expect((await click(B, "cancel-referral", referral.id)).status).toBe(404);
    expect((await click(B, "retry-referral", referral.id)).status).toBe(404);
    const answer = await click(A, "cancel-referral", referral.id);
    expect(answer.status).toBe(200);
    await drainJobs();
    const cancelled = await prisma.referral.findUniqueOrThrow({ where: { id: referral.id } });
    expect(cancelled.status).toBe("cancelled");
    expect(cancelled.reason).toMatch(/503/);
    const reward = await prisma.rewardCode.findUnique({ where: { shop_key: { shop: A, key: `referral:${referral.id}` } } });
    if (reward) {
      expect(reward.status).toBe("cancelled");
      expect(codesInShopify(A, reward.code)).toHaveLength(0);
    }
    expect(await prisma.mailMessage.count({ where: { shop: A, to: "ana@example.si" } })).toBe(0);
    expect((await loadPage(A)).referrals.find((r) => r.id === referral.id)).toMatchObject({ status: "cancelled", canRetry: false, canCancel: false });
  }, 30_000);
});

// Uninstall and install again: app/uninstalled cancels every job of the shop that has not started, so what was
// still due when the merchant removed the app — a flow run in its 7-day wait, a review request about to be sent and
// another's first reminder, a friend's referral waiting for its refund window, a message in the outbox — is queued
// again when the shop installs again (the reinstall hooks of app/app.server.ts), and reaches the shopper once: the
// e-mails arrive over SMTP with their text, the run completes, the advocate's reward code exists in Shopify; a run
// whose first step had not run starts it. Without the reinstall nothing moves; a second auth (a token refresh)
// queues nothing more.
import "../support/app-env";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { jobHandlers } from "~/app.server";
import { DEFAULT_SCOPES } from "~/config.server";
import { prisma } from "~/db/db.server";
import { queueMail } from "~/mail/outbox.server";
import { ensureReferralCode } from "~/referrals/codes.server";
import { scheduleReviewRequest } from "~/reviews/requests.server";
import { recordInstall } from "~/shops/shops.server";
import { uninstallShop } from "~/shops/uninstall.server";
import { DOMAIN_EVENTS_DISPATCH_JOB } from "~/domain-events/job-names";
import { advanceClock, now } from "~/lib/time/clock.server";
import { PROCESS_WEBHOOK_JOB } from "~/webhooks/job-names";
import { drainJobs } from "../support/drain-jobs";
import type { Emulator } from "../support/emulator/index";
import { addProducts } from "../support/emulator/seed";
import type { ProductRecord } from "../support/emulator/store";
import { startMailWorld } from "../support/mail-world";

const DAY = 86_400;
const DETAILS = { name: "Reinstall Shop", currencyCode: "EUR", ianaTimezone: "Europe/Ljubljana" };
let world: Awaited<ReturnType<typeof startMailWorld>>;
let emulator: Emulator;
let shop: string;
let token: string;
let products: ProductRecord[];

async function settle() {
  await emulator.waitForDeliveries();
  await drainJobs();
}

/** What Shopify's token exchange and the library's afterAuth do when the merchant opens the app: a session, then recordInstall. */
async function authenticate() {
  await prisma.session.upsert({
    where: { id: `offline_${shop}` },
    create: { id: `offline_${shop}`, shop, state: "", isOnline: false, accessToken: token, scope: DEFAULT_SCOPES },
    update: {},
  });
  await recordInstall(shop, DETAILS);
  // These orders have no Shopify customer: the shop's policy makes review requests transactional.
  await prisma.mailSettings.upsert({ where: { shop }, create: { shop, reviewRequestCategory: "transactional" }, update: {} });
}

const received = (email: string) => world.receivedBy(email);
const liveJobs = () =>
  prisma.job.count({ where: { shop, status: { in: ["queued", "running"] }, name: { notIn: ["orders.reconcile", "flows.scan", "loyalty.scan"] } } });

beforeAll(async () => {
  world = await startMailWorld();
  emulator = world.emulator;
  const created = emulator.createShop("reinstall", { currency: "EUR", timezone: "Europe/Ljubljana" });
  shop = created.shop;
  token = created.accessToken;
  products = addProducts(emulator.state(shop));
  await authenticate(); // the first install: default flows (the review request a week after fulfilment), scans
}, 60_000);

afterAll(() => world?.stop());

describe("uninstalled with work still due, then installed again", () => {
  let runId: string;
  let requestId: string;
  let referralId: string;
  let mailId: string;
  let remindedId: string;
  const productGid = () => `gid://shopify/Product/${products[0]!.id}`;

  it("GIVEN a run waiting 7 days, a review request due now, a sent one's reminder, a referral in its refund window and a queued message WHEN the app is uninstalled THEN their jobs are cancelled and nothing is sent", async () => {
    // A fulfilled order: the default flow waits a week before asking for a review.
    const waiting = emulator.placeOrder(shop, { email: "wait@example.si", customer_locale: "en", line_items: [{ product_id: products[0]!.id, quantity: 1 }] });
    emulator.fulfillOrder(shop, waiting.id);
    // An advocate, and a friend's paid order with her code: the reward waits for the friend's 14-day window.
    const first = emulator.placeOrder(shop, {
      email: "advocate@example.si",
      total_price: "50.00",
      shipping_address: { first_name: "A", address1: "Prešernova 1", city: "Koper", zip: "6000", country_code: "SI" },
    });
    await settle();
    const code = await ensureReferralCode(shop, first.customer_admin_graphql_api_id!, "advocate@example.si");
    const friend = emulator.placeOrder(shop, {
      email: "friend@example.si",
      total_price: "40.00",
      discount_codes: [{ code: code.code, amount: "4.00", type: "percentage" }],
      shipping_address: { first_name: "F", address1: "Glavni trg 2", city: "Maribor", zip: "2000", country_code: "SI" },
    });
    // A review request due now for another delivered order (as the flow's action leaves it at the end of its wait).
    const asked = emulator.placeOrder(shop, { email: "asked@example.si", customer_locale: "en", line_items: [{ product_id: products[0]!.id, quantity: 1 }] });
    emulator.fulfillOrder(shop, asked.id);
    // A request already sent, its first reminder due in 7 days.
    const reminded = emulator.placeOrder(shop, {
      email: "reminded@example.si",
      customer_locale: "en",
      line_items: [{ product_id: products[0]!.id, quantity: 1 }],
    });
    emulator.fulfillOrder(shop, reminded.id);
    await settle();
    remindedId = (
      await scheduleReviewRequest({
        shop,
        orderGid: reminded.admin_graphql_api_id,
        customerGid: null,
        email: "reminded@example.si",
        locale: "en",
        productGids: [productGid()],
        basisAt: null,
      })
    ).id;
    await drainJobs();
    expect(await prisma.reviewRequest.findUniqueOrThrow({ where: { id: remindedId } })).toMatchObject({ status: "sent", reminders: 0 });
    expect(received("reminded@example.si")).toHaveLength(1);

    const flow = await prisma.flow.findFirstOrThrow({ where: { shop, templateId: "review-after-fulfilment" } });
    const run = await prisma.flowRun.findFirstOrThrow({ where: { shop, flowId: flow.id, subjectGid: waiting.admin_graphql_api_id } });
    expect(run.status).toBe("waiting");
    runId = run.id;
    const referral = await prisma.referral.findUniqueOrThrow({ where: { shop_friendOrderGid: { shop, friendOrderGid: friend.admin_graphql_api_id } } });
    expect(referral.status).toBe("pending");
    referralId = referral.id;
    // Queued right before the uninstall: no worker picks them up in between.
    requestId = (
      await scheduleReviewRequest({
        shop,
        orderGid: asked.admin_graphql_api_id,
        customerGid: null,
        email: "asked@example.si",
        locale: "en",
        productGids: [productGid()],
        basisAt: null,
      })
    ).id;
    mailId = (
      await queueMail({
        shop,
        key: "reinstall-test:note",
        to: "outbox@example.si",
        locale: "en",
        template: "custom",
        subject: "Your parcel",
        text: "Hello from the outbox, queued before the uninstall.",
      })
    ).id;
    expect(await liveJobs()).toBeGreaterThanOrEqual(5);

    await uninstallShop(shop); // what the app/uninstalled job does
    expect(await liveJobs()).toBe(0);
    await advanceClock(15 * DAY);
    await drainJobs();
    expect(await prisma.flowRun.findUniqueOrThrow({ where: { id: runId } })).toMatchObject({ status: "waiting" });
    expect(await prisma.reviewRequest.findUniqueOrThrow({ where: { id: requestId } })).toMatchObject({ status: "scheduled" });
    expect(await prisma.referral.findUniqueOrThrow({ where: { id: referralId } })).toMatchObject({ status: "pending" });
    expect(await prisma.mailMessage.findUniqueOrThrow({ where: { id: mailId } })).toMatchObject({ status: "queued" });
    expect(await prisma.reviewRequest.findUniqueOrThrow({ where: { id: remindedId } })).toMatchObject({ status: "sent", reminders: 0 });
    expect(world.smtp.received.map((m) => m.to)).toEqual([["reminded@example.si"]]);
  }, 60_000);

  it("WHEN the shop installs the app again (auth running more than once) THEN each proceeds once: the message, the review request and the reminder are e-mailed, the run completes and asks for its review, the advocate's reward code exists and is e-mailed", async () => {
    const { uninstalledAt } = await prisma.shop.findUniqueOrThrow({ where: { domain: shop } });
    await authenticate();
    const queued = await liveJobs();
    expect(queued).toBeGreaterThanOrEqual(5);
    // A process that stopped after queueing, before it marked the shop installed: the next auth queues again, under
    // the same keys, so nothing doubles; and a token refresh later queues nothing.
    await prisma.shop.update({ where: { domain: shop }, data: { uninstalledAt } });
    await authenticate();
    await authenticate();
    expect(await liveJobs()).toBe(queued);
    await settle();

    const mail = await prisma.mailMessage.findUniqueOrThrow({ where: { id: mailId } });
    expect(mail.status).toBe("sent");
    expect(received("outbox@example.si")).toHaveLength(1);
    expect(received("outbox@example.si")[0]!.raw).toContain("Hello from the outbox, queued before the uninstall.");

    expect(await prisma.reviewRequest.findUniqueOrThrow({ where: { id: requestId } })).toMatchObject({ status: "sent" });
    expect(received("asked@example.si")).toHaveLength(1);
    expect(received("asked@example.si")[0]!.raw).toContain(products[0]!.title);

    // The first reminder, due during the uninstall, follows the request (the second is a week away).
    expect(await prisma.reviewRequest.findUniqueOrThrow({ where: { id: remindedId } })).toMatchObject({ status: "sent", reminders: 1 });
    expect(received("reminded@example.si")).toHaveLength(2);

    const run = await prisma.flowRun.findUniqueOrThrow({ where: { id: runId } });
    expect(run.status).toBe("completed");
    const runRequest = await prisma.reviewRequest.findFirstOrThrow({ where: { shop, email: "wait@example.si" } });
    expect(runRequest.status).toBe("sent");
    expect(received("wait@example.si")).toHaveLength(1);

    expect(await prisma.referral.findUniqueOrThrow({ where: { id: referralId } })).toMatchObject({ status: "rewarded" });
    const reward = await prisma.rewardCode.findUniqueOrThrow({ where: { shop_key: { shop, key: `referral:${referralId}` } } });
    expect(reward.status).toBe("created");
    expect([...emulator.state(shop).discounts.values()].filter((d) => d.codes.some((c) => c.code === reward.code))).toHaveLength(1);
    expect(received("advocate@example.si")).toHaveLength(1);
    expect(received("advocate@example.si")[0]!.raw).toContain(reward.code);
  }, 60_000);
});

describe("uninstalled after a run started, before its first step ran", () => {
  /** Runs the shop's queued jobs of this name with their registered handler, as a worker would, leaving the rest queued. */
  async function runQueued(name: string) {
    for (const job of await prisma.job.findMany({ where: { shop, name, status: "queued" }, orderBy: { createdAt: "asc" } })) {
      await jobHandlers[name]!({ id: job.id, name, shop, payload: JSON.parse(job.payload) as unknown, attempt: 1, maxAttempts: job.maxAttempts });
      await prisma.job.update({ where: { id: job.id }, data: { status: "done" } });
    }
  }

  it("GIVEN an order's runs started (their step jobs queued) WHEN the app is uninstalled and installed again THEN each run carries on from its first step: the review flow starts its 7-day wait", async () => {
    const order = emulator.placeOrder(shop, { email: "started@example.si", customer_locale: "en", line_items: [{ product_id: products[0]!.id, quantity: 1 }] });
    emulator.fulfillOrder(shop, order.id);
    await emulator.waitForDeliveries();
    // The worker got as far as the webhooks and the event bus: the runs exist, their first steps are queued.
    await runQueued(PROCESS_WEBHOOK_JOB);
    await runQueued(DOMAIN_EVENTS_DISPATCH_JOB);
    const flow = await prisma.flow.findFirstOrThrow({ where: { shop, templateId: "review-after-fulfilment" } });
    const run = await prisma.flowRun.findFirstOrThrow({ where: { shop, flowId: flow.id, subjectGid: order.admin_graphql_api_id } });
    expect(run).toMatchObject({ status: "running", nextStep: 0 });

    await uninstallShop(shop); // a second uninstall: its reinstall queues under keys of its own
    await drainJobs();
    expect(await prisma.flowRun.findUniqueOrThrow({ where: { id: run.id } })).toMatchObject({ status: "running", nextStep: 0 });

    await authenticate();
    await drainJobs();
    expect(await prisma.flowRun.findUniqueOrThrow({ where: { id: run.id } })).toMatchObject({ status: "waiting", nextStep: 1 });
    const wait = await prisma.actionRun.findUniqueOrThrow({ where: { runId_stepIndex: { runId: run.id, stepIndex: 0 } } });
    expect(wait).toMatchObject({ type: "wait", status: "waiting" });
    const until = new Date((JSON.parse(wait.result!) as { until: string }).until);
    // A week from the app's now, at 10:00 shop time.
    const days = (until.getTime() - now().getTime()) / (DAY * 1000);
    expect(days).toBeGreaterThan(6);
    expect(days).toBeLessThanOrEqual(7.5);
  }, 60_000);
});

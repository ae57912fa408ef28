// The flows engine end to end: orders placed in the emulated shop → webhooks → domain events → flow runs →
// actions visible in our database and in the emulated Shopify. Default templates, replay safety, waits in the
// shop's time zone with a re-check after the wait, approvals, win-back.
import { TEST_API_KEY, TEST_API_SECRET } from "../support/app-env";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prisma } from "~/db/db.server";
import { createFlow, installFlowTemplates, saveFlow, setFlowEnabled } from "~/flows/flows.server";
import { checkLedger } from "~/loyalty/ledger.server";
import { approveReward } from "~/rewards/approvals.server";
import { advanceClock, now, resetClock } from "~/lib/time/clock.server";
import { dispatchDomainEvents, scheduleDomainEventDispatch } from "~/domain-events/dispatch.server";
import { birthdaysOn, recordBirthdays, recordWinbackEvents } from "~/flows/scan.server";
import { buildFlowContext } from "~/flows/context.server";
import { drainJobs } from "../support/drain-jobs";
import { startEmulator, type Emulator } from "../support/emulator/index";
import { addProducts } from "../support/emulator/seed";
import { startWebhookServer } from "../support/app-server";

let emulator: Emulator;
let app: Awaited<ReturnType<typeof startWebhookServer>>;
let shop: string;

const DAY = 86_400;

beforeAll(async () => {
  app = await startWebhookServer();
  emulator = await startEmulator({ apiKey: TEST_API_KEY, apiSecret: TEST_API_SECRET, appUrl: app.url, seed: false });
  const created = emulator.createShop("flows-run", { currency: "EUR", timezone: "Europe/Ljubljana" });
  shop = created.shop;
  addProducts(emulator.state(shop));
  process.env.SHOPIFY_ADMIN_API_ORIGIN = emulator.url;
  await prisma.session.create({ data: { id: `offline_${shop}`, shop, state: "", isOnline: false, accessToken: created.accessToken } });
  await prisma.shop.create({ data: { domain: shop, name: "Flows Run", currencyCode: "EUR", ianaTimezone: "Europe/Ljubljana" } });
  expect(await installFlowTemplates(shop)).toBeGreaterThanOrEqual(6);
});

afterAll(async () => {
  await resetClock();
  delete process.env.SHOPIFY_ADMIN_API_ORIGIN;
  await emulator?.close();
  await app?.close();
});

async function settle() {
  await emulator.waitForDeliveries();
  await drainJobs();
}

const flowNamed = async (templateId: string) => (await prisma.flow.findFirstOrThrow({ where: { shop, templateId } })).id;
const runsOf = async (flowId: string) => prisma.flowRun.findMany({ where: { shop, flowId }, orderBy: { createdAt: "asc" } });

describe("default flows on a real order", () => {
  let orderGid: string;
  let customerGid: string;

  it("GIVEN the installed templates WHEN an order is placed and paid THEN points are awarded once, the thank-you content is stored", async () => {
    const order = emulator.placeOrder(shop, {
      email: "maja@example.si",
      customer_locale: "sl-SI",
      total_price: "45.00",
      line_items: [{ title: "Čaj", price: "45.00", quantity: 1 }],
    });
    orderGid = `gid://shopify/Order/${order.id}`;
    await settle();
    const state = await prisma.orderState.findFirstOrThrow({ where: { shop, orderGid } });
    customerGid = state.customerGid!;

    const earn = await runsOf(await flowNamed("earn-points-paid"));
    expect(earn.map((r) => r.status)).toEqual(["completed"]);
    const entries = await prisma.loyaltyEntry.findMany({ where: { shop, customerGid } });
    // The program's earn rules (its defaults): 1 point per euro of the subtotal without the 22 % VAT the EUR price
    // includes — €45.00 holds €8.11 VAT, so €36.89 earns 36 (the old flat rate on the subtotal gave 45).
    expect(state.subtotalMinor).toBe(4500);
    expect(entries.map((e) => e.points)).toEqual([36]);
    expect((await checkLedger(shop, customerGid)).agrees).toBe(true);

    const thanks = await prisma.thankYouContent.findUniqueOrThrow({ where: { shop_orderGid: { shop, orderGid } } });
    expect(JSON.parse(thanks.blocks).blocks).toEqual(expect.arrayContaining(["points", "survey"]));

    // First order: the "double points on the second order" flow does not start.
    expect(await runsOf(await flowNamed("double-points-second-order"))).toEqual([]);
  });

  it("GIVEN the same events again (redelivered, re-dispatched) THEN no new run and no new action", async () => {
    const actionsBefore = await prisma.actionRun.count({ where: { shop } });
    const runsBefore = await prisma.flowRun.count({ where: { shop } });
    for (const delivery of emulator.deliveries.filter((d) => d.shop === shop)) emulator.redeliver(delivery.webhookId);
    await prisma.domainEvent.updateMany({ where: { shop }, data: { flowsAt: null } });
    await scheduleDomainEventDispatch(shop);
    await settle();
    expect(await prisma.flowRun.count({ where: { shop } })).toBe(runsBefore);
    expect(await prisma.actionRun.count({ where: { shop } })).toBe(actionsBefore);
    expect(await prisma.loyaltyEntry.count({ where: { shop, customerGid } })).toBe(1);
  });

  it("GIVEN a second order by the same customer THEN the double-points flow awards the bonus", async () => {
    emulator.placeOrder(shop, { email: "maja@example.si", total_price: "30.00", line_items: [{ title: "Med", price: "30.00", quantity: 1 }] });
    await settle();
    const runs = await runsOf(await flowNamed("double-points-second-order"));
    expect(runs.map((r) => r.status)).toEqual(["completed"]);
    const points = (await prisma.loyaltyEntry.findMany({ where: { shop, customerGid }, orderBy: { createdAt: "asc" } })).map((e) => e.points);
    // Base earn for the second order and the same again as the 2× bonus.
    expect(points.length).toBe(3);
    expect(points[2]).toBe(points[1]);
  });
});

describe("waits and the re-check after a wait", () => {
  it("GIVEN two fulfilled orders WHEN one is refunded during the 7-day wait THEN only the other gets a review request", async () => {
    const kept = emulator.placeOrder(shop, { email: "elif@example.com.tr", customer_locale: "tr", total_price: "80.00" });
    const returned = emulator.placeOrder(shop, { email: "jan@example.si", total_price: "60.00" });
    emulator.fulfillOrder(shop, kept.id);
    emulator.fulfillOrder(shop, returned.id);
    await settle();
    const flowId = await flowNamed("review-after-fulfilment");
    const waiting = await runsOf(flowId);
    expect(waiting.map((r) => r.status)).toEqual(["waiting", "waiting"]);
    const wait = await prisma.actionRun.findFirstOrThrow({ where: { shop, runId: waiting[0]!.id, stepIndex: 0 } });
    const until = new Date((JSON.parse(wait.result!) as { until: string }).until);
    // 7 days later at 10:00 in Ljubljana (08:00 or 09:00 UTC by the season).
    expect(until.getTime() - now().getTime()).toBeGreaterThan(6 * DAY * 1000);
    expect(until.getTime() - now().getTime()).toBeLessThan(8 * DAY * 1000);
    expect(new Intl.DateTimeFormat("en-GB", { timeZone: "Europe/Ljubljana", hour: "2-digit", minute: "2-digit" }).format(until)).toBe("10:00");

    emulator.refundOrder(shop, returned.id, { amount: "60.00" });
    await settle();
    expect(await prisma.reviewRequest.count({ where: { shop } })).toBe(0);

    await advanceClock(8 * DAY);
    await drainJobs();
    const runs = await runsOf(flowId);
    const byOrder = new Map(runs.map((r) => [r.subjectGid, r]));
    expect(byOrder.get(`gid://shopify/Order/${kept.id}`)?.status).toBe("completed");
    const stopped = byOrder.get(`gid://shopify/Order/${returned.id}`)!;
    expect(stopped.status).toBe("stopped");
    expect(stopped.reason).toMatch(/refunded/);
    const requests = await prisma.reviewRequest.findMany({ where: { shop } });
    expect(requests.map((r) => r.orderGid)).toEqual([`gid://shopify/Order/${kept.id}`]);
    expect(requests[0]!.locale).toBe("tr");
  });

  it("GIVEN a run in flight WHEN the flow is edited THEN the run finishes on the version it started with", async () => {
    const flowId = await flowNamed("review-after-fulfilment");
    const order = emulator.placeOrder(shop, { email: "ana@example.si", total_price: "20.00" });
    emulator.fulfillOrder(shop, order.id);
    await settle();
    const [run] = (await runsOf(flowId)).filter((r) => r.subjectGid === `gid://shopify/Order/${order.id}`);
    expect(run?.status).toBe("waiting");
    const flow = await prisma.flow.findUniqueOrThrow({ where: { id: flowId } });
    const definition = JSON.parse(flow.definition);
    definition.actions.push({ type: "add_order_tags", params: { tags: ["reviewed-v2"] } });
    await saveFlow(shop, flowId, { name: flow.name, definition });
    await advanceClock(8 * DAY);
    await drainJobs();
    const finished = await prisma.flowRun.findUniqueOrThrow({ where: { id: run!.id } });
    expect(finished.status).toBe("completed");
    expect(finished.flowVersion).toBe(flow.version);
    expect(await prisma.actionRun.count({ where: { runId: run!.id } })).toBe(definition.actions.length - 1);
    expect(emulator.state(shop).orders.get(order.id)?.tags ?? []).not.toContain("reviewed-v2");
  });
});

describe("actions that reach Shopify", () => {
  it("GIVEN a flow that tags customers WHEN an order is paid THEN the customer has the tag in Shopify", async () => {
    const flow = await createFlow(shop, { name: "Tag buyers" });
    await saveFlow(shop, flow.id, {
      name: "Tag buyers",
      enabled: true,
      definition: {
        schemaVersion: 1,
        trigger: { type: "order.paid" },
        conditions: { match: "all", groups: [] },
        actions: [{ type: "add_customer_tags", params: { tags: ["afterglow-buyer"] } }],
      },
    });
    const order = emulator.placeOrder(shop, { email: "tina@example.si", total_price: "15.00" });
    await settle();
    const customerId = emulator.state(shop).orders.get(order.id)!.customerId!;
    expect(emulator.state(shop).customers.get(customerId)?.tags).toContain("afterglow-buyer");
    await setFlowEnabled(shop, flow.id, false);
  });

  it("GIVEN a detractor answer THEN the merchant is notified and the apology reward waits for approval; approving creates it in Shopify and e-mails it", async () => {
    const state = await prisma.orderState.findFirstOrThrow({ where: { shop, email: "maja@example.si" } });
    await prisma.domainEvent.create({
      data: {
        shop,
        kind: "survey.answered",
        key: `survey.answered:${state.orderGid}:nps`,
        subjectGid: state.orderGid,
        occurredAt: now(),
        payload: JSON.stringify({ orderGid: state.orderGid, customerGid: state.customerGid, questionId: "nps", score: 3 }),
      },
    });
    await scheduleDomainEventDispatch(shop);
    await drainJobs();
    const notes = await prisma.merchantNotification.findMany({ where: { shop } });
    expect(notes.length).toBeGreaterThanOrEqual(1);
    const reward = await prisma.rewardCode.findFirstOrThrow({ where: { shop, status: "awaiting_approval" } });
    expect(emulator.state(shop).discounts.size).toBe(0);

    const approved = await approveReward(shop, reward.id);
    expect(approved.ok && approved.reward.status).toBe("created");
    const discounts = [...emulator.state(shop).discounts.values()];
    expect(discounts.map((d) => d.codes[0]!.code)).toEqual([reward.code]);
    expect(discounts[0]!.customerIds).toEqual([state.customerGid!.split("/").pop()]);
    // The compensation is the apology, in Slovenian, with the code and its value.
    const mail = await prisma.mailMessage.findFirstOrThrow({ where: { shop, template: "apology-reward" } });
    expect(mail.to).toBe("maja@example.si");
    expect(mail.locale).toBe("sl");
    expect(mail.text).toContain(reward.code);
    expect(mail.text.replace(/\u00a0/g, " ")).toContain("V opravičilo vam za naslednje naročilo podarjamo 10 % popusta.");
    const step = await prisma.actionRun.findFirstOrThrow({ where: { shop, type: "create_reward_discount" } });
    expect(step.status).toBe("done");
  });

  it("GIVEN the win-back flow on WHEN a customer has not ordered for 90 days THEN a 15% code is created in Shopify and its e-mail made once (skipped: these customers never subscribed to marketing)", async () => {
    const flowId = await flowNamed("win-back-90");
    await setFlowEnabled(shop, flowId, true);
    await advanceClock(91 * DAY);
    const recorded = await recordWinbackEvents(shop, now());
    expect(recorded).toBeGreaterThan(0);
    expect(await recordWinbackEvents(shop, now())).toBe(0);
    await dispatchDomainEvents({ id: "test", name: "domain-events.dispatch", shop, payload: {}, attempt: 1, maxAttempts: 1 });
    await drainJobs();
    const runs = await runsOf(flowId);
    expect(runs.length).toBe(recorded);
    expect(runs.every((r) => r.status === "completed")).toBe(true);
    const codes = await prisma.rewardCode.findMany({ where: { shop, key: { startsWith: "flow:" }, status: "created" } });
    expect(codes.length).toBeGreaterThanOrEqual(recorded);
    const mails = await prisma.mailMessage.findMany({ where: { shop, template: "win-back" } });
    expect(mails.length).toBe(recorded);
    // Orders placed with an e-mail only: Shopify says not subscribed, so the marketing e-mail is kept, not sent.
    expect(mails.every((m) => m.status === "skipped" && m.error === "skipped: the customer is not subscribed to e-mail marketing in Shopify")).toBe(true);
    expect(mails.every((m) => codes.some((c) => m.text.includes(c.code)))).toBe(true);
  });

  it("GIVEN customers imported from history WHEN the win-back scan runs THEN one who lapsed years before the install is not won back, one who lapses after it is", async () => {
    await setFlowEnabled(shop, await flowNamed("win-back-90"), true);
    const { installedAt } = await prisma.shop.findUniqueOrThrow({ where: { domain: shop }, select: { installedAt: true } });
    const daysBeforeInstall = (days: number) => new Date(installedAt.getTime() - days * DAY * 1000);
    // As the history import stores them (no domain event): one customer's last order two years before the install,
    // another's 30 days before it (lapses 60 days after the install, while the app is there).
    for (const [id, at] of [
      ["9100001", daysBeforeInstall(730)],
      ["9100002", daysBeforeInstall(30)],
    ] as const) {
      await prisma.orderState.create({
        data: { shop, orderGid: `gid://shopify/Order/${id}`, customerGid: `gid://shopify/Customer/${id}`, placed: true, paid: true, orderCreatedAt: at },
      });
    }
    const lapsedOnes = async () =>
      (await prisma.domainEvent.findMany({ where: { shop, kind: "customer.winback", subjectGid: { startsWith: "gid://shopify/Customer/91000" } } })).map(
        (e) => e.subjectGid,
      );
    await advanceClock(61 * DAY); // past the 60 days (whatever earlier tests did to the clock)
    await recordWinbackEvents(shop, now());
    expect(await lapsedOnes()).toEqual(["gid://shopify/Customer/9100002"]);
  });

  it("GIVEN a customer whose birthday is today in the shop's time zone THEN the birthday flow runs once this year", async () => {
    const customer = emulator.createCustomer(shop, { email: "rojstni.dan@example.si", first_name: "Nika" });
    const { days } = birthdaysOn(now(), "Europe/Ljubljana");
    await prisma.customerProfile.create({ data: { shop, customerGid: customer.admin_graphql_api_id, birthday: days[0]! } });
    const flow = await createFlow(shop, { name: "Birthday tag" });
    await saveFlow(shop, flow.id, {
      name: "Birthday tag",
      enabled: true,
      definition: {
        schemaVersion: 1,
        trigger: { type: "customer.birthday" },
        conditions: { match: "all", groups: [] },
        actions: [{ type: "add_customer_tags", params: { tags: ["birthday-this-year"] } }],
      },
    });
    expect(await recordBirthdays(shop, now())).toBe(1);
    expect(await recordBirthdays(shop, now())).toBe(0);
    await scheduleDomainEventDispatch(shop);
    await drainJobs();
    expect((await runsOf(flow.id)).map((r) => r.status)).toEqual(["completed"]);
    expect(emulator.state(shop).customers.get(customer.id)?.tags).toContain("birthday-this-year");
  });
});

describe("customer facts from the Admin API", () => {
  it("GIVEN a customer event without an e-mail in its payload THEN the context reads it from Shopify's defaultEmailAddress", async () => {
    const customer = emulator.createCustomer(shop, { email: "facts@example.si", first_name: "Zala" });
    const event = {
      kind: "customer.birthday" as const,
      key: `facts-${customer.id}`,
      subjectGid: customer.admin_graphql_api_id,
      occurredAt: now().toISOString(),
      payload: {},
    };
    const ctx = await buildFlowContext(shop, event, { customer: true, products: false, orderEarn: false });
    expect(ctx.customer).toMatchObject({ gid: customer.admin_graphql_api_id, email: "facts@example.si", firstName: "Zala" });
    const guest = emulator.createCustomer(shop, { first_name: "Brez" });
    const noMail = await buildFlowContext(
      shop,
      { ...event, key: `facts-${guest.id}`, subjectGid: guest.admin_graphql_api_id },
      { customer: true, products: false, orderEarn: false },
    );
    expect(noMail.customer).toMatchObject({ email: null, firstName: "Brez" });
  });
});

describe("birthdays in the shop's time zone", () => {
  it.each([
    ["2027-03-14T23:30:00Z", "Europe/Ljubljana", ["03-15"]],
    ["2027-03-14T23:30:00Z", "America/New_York", ["03-14"]],
    ["2027-02-28T12:00:00Z", "UTC", ["02-28", "02-29"]],
    ["2028-02-28T12:00:00Z", "UTC", ["02-28"]],
    ["2028-02-29T12:00:00Z", "UTC", ["02-29"]],
  ])("at %s in %s the birthdays are %j", (at, zone, days) => {
    expect(birthdaysOn(new Date(at), zone).days).toEqual(days);
  });
});

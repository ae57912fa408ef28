// Abandoned checkout end to end through the emulated Shopify: a shopper's checkout (checkouts/create) left
// without an order gets one reminder e-mail, with the link back to the checkout, after the flow's delay (the app
// clock moved on); an order placed from the checkout before the delay (orders/create with its checkout_token)
// stops it; redelivered webhooks keep one row and one mail; an order after the reminder marks it recovered.
import "../support/app-env";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_SCOPES } from "~/config.server";
import { prisma } from "~/db/db.server";
import { installFlowTemplates, setFlowEnabled } from "~/flows/flows.server";
import { advanceClock, now } from "~/lib/time/clock.server";
import { parseMail } from "~/mail/mime";
import { recordInstall } from "~/shops/shops.server";
import { checkoutsPersonalData } from "~/checkouts/privacy.server";
import { drainJobs } from "../support/drain-jobs";
import type { Emulator } from "../support/emulator/index";
import { startMailWorld } from "../support/mail-world";

let world: Awaited<ReturnType<typeof startMailWorld>>;
let emulator: Emulator;
let shop: string;
const SUBSCRIBED = { state: "subscribed", opt_in_level: "single_opt_in" };
const customers: Record<string, string> = {};

async function settle() {
  await emulator.waitForDeliveries();
  await drainJobs();
}

async function textsReceivedBy(email: string): Promise<string[]> {
  return Promise.all(world.receivedBy(email).map(async (m) => (await parseMail(m.raw)).text ?? ""));
}

const checkoutRow = (token: string) => prisma.abandonedCheckout.findUniqueOrThrow({ where: { shop_token: { shop, token } } });

beforeAll(async () => {
  world = await startMailWorld();
  emulator = world.emulator;
  const created = emulator.createShop("abandoned-checkouts", { currency: "EUR", timezone: "Europe/Ljubljana" });
  shop = created.shop;
  await prisma.session.create({ data: { id: `offline_${shop}`, shop, state: "", isOnline: false, accessToken: created.accessToken, scope: DEFAULT_SCOPES } });
  await recordInstall(shop, { name: "Svečke", currencyCode: "EUR", ianaTimezone: "Europe/Ljubljana" });
  await installFlowTemplates(shop);
  const flow = await prisma.flow.findFirstOrThrow({ where: { shop, templateId: "abandoned-checkout-reminder" } });
  expect(flow.enabled).toBe(false); // off until the merchant switches it on
  await setFlowEnabled(shop, flow.id, true);
  for (const [who, email, locale] of [
    ["ana", "ana@example.com", "en"],
    ["maja", "maja@example.si", "sl"],
    ["bor", "bor@example.si", "sl"],
  ] as const) {
    customers[who] = emulator.createCustomer(shop, { email, first_name: who, locale, email_marketing_consent: SUBSCRIBED }).id;
  }
  await settle();
}, 60_000);

afterAll(async () => {
  await world?.stop();
});

describe("abandoned checkout reminder", () => {
  it("GIVEN a checkout left without an order WHEN the hour has passed THEN one reminder with the recovery link, redeliveries change nothing, a later order recovers it", async () => {
    const checkout = emulator.saveCheckout(shop, {
      updated_at: now().toISOString(),
      customer_id: customers.ana,
      line_items: [{ title: "Sveča", price: "22.95", quantity: 2 }],
    });
    await settle();
    // Shopify sends the same event again, and once more under a new delivery id.
    const created = emulator.deliveries.find((d) => d.topic === "checkouts/create" && d.body.includes(checkout.token))!;
    emulator.redeliver(created.webhookId, { sameWebhookId: true });
    emulator.redeliver(created.webhookId);
    await settle();

    expect(await prisma.abandonedCheckout.count({ where: { shop, token: checkout.token } })).toBe(1);
    expect(await checkoutRow(checkout.token)).toMatchObject({
      status: "open",
      email: "ana@example.com",
      customerGid: `gid://shopify/Customer/${customers.ana}`,
      recoveryUrl: checkout.abandoned_checkout_url,
      totalMinor: 4590,
      currency: "EUR",
      lineCount: 1,
      completedAt: null,
    });
    // Before the hour: nothing.
    await advanceClock(30 * 60);
    await settle();
    expect(world.receivedBy("ana@example.com")).toEqual([]);

    await advanceClock(31 * 60);
    await settle();
    const texts = await textsReceivedBy("ana@example.com");
    expect(texts).toHaveLength(1);
    expect(texts[0]).toContain(checkout.abandoned_checkout_url);
    expect(texts[0]!.replace(/\u00a0/g, " ")).toContain("your checkout of €45.90 is still waiting for you.");
    const mail = await prisma.mailMessage.findFirstOrThrow({ where: { shop, to: "ana@example.com", template: "checkout-reminder" } });
    expect(mail).toMatchObject({ status: "sent", category: "marketing" });
    expect(await checkoutRow(checkout.token)).toMatchObject({ status: "reminded" });

    // Redelivered again and hours later: still one mail.
    emulator.redeliver(created.webhookId);
    await advanceClock(3 * 3600);
    await settle();
    expect(await textsReceivedBy("ana@example.com")).toHaveLength(1);
    expect(await prisma.domainEvent.count({ where: { shop, kind: "checkout.abandoned" } })).toBe(1);

    // The shopper comes back through the link and orders: recovered (attribution).
    const order = emulator.completeCheckout(shop, checkout.token, { created_at: now().toISOString() });
    await settle();
    expect(await checkoutRow(checkout.token)).toMatchObject({ status: "recovered", orderGid: order.admin_graphql_api_id });
    expect((await checkoutRow(checkout.token)).completedAt).not.toBeNull();
  });

  it("GIVEN a checkout that becomes an order before the delay THEN no reminder, the checkout is completed", async () => {
    const checkout = emulator.saveCheckout(shop, {
      updated_at: now().toISOString(),
      customer_id: customers.maja,
      line_items: [{ title: "Sveča", price: "10.00", quantity: 1 }],
    });
    await settle();
    await advanceClock(20 * 60);
    const order = emulator.completeCheckout(shop, checkout.token, { created_at: now().toISOString() });
    await settle();
    expect(await checkoutRow(checkout.token)).toMatchObject({ status: "completed", orderGid: order.admin_graphql_api_id });
    await advanceClock(2 * 3600);
    await settle();
    expect(world.receivedBy("maja@example.si")).toEqual([]);
    expect(await prisma.mailMessage.count({ where: { shop, to: "maja@example.si" } })).toBe(0);
  });

  it("GIVEN a checkout changed half an hour later THEN the hour counts from the change, and the reminder is in the shopper's language", async () => {
    // His language is the one of his newest order (as for every flow e-mail).
    emulator.placeOrder(shop, {
      customer_id: customers.bor,
      customer_locale: "sl-SI",
      created_at: now().toISOString(),
      line_items: [{ title: "Vžigalice", price: "2.00", quantity: 1 }],
    });
    await settle();
    const checkout = emulator.saveCheckout(shop, {
      updated_at: now().toISOString(),
      customer_id: customers.bor,
      line_items: [{ title: "Sveča", price: "10.00", quantity: 1 }],
    });
    await settle();
    await advanceClock(40 * 60);
    emulator.saveCheckout(shop, { line_items: [{ title: "Sveča", price: "10.00", quantity: 3 }], updated_at: now().toISOString() }, checkout.token);
    await settle();
    await advanceClock(25 * 60);
    await settle();
    expect(world.receivedBy("bor@example.si")).toEqual([]); // 65 minutes after the start, 25 after the change
    await advanceClock(40 * 60);
    await settle();
    const texts = await textsReceivedBy("bor@example.si");
    expect(texts).toHaveLength(1);
    expect(texts[0]!.replace(/\u00a0/g, " ")).toContain("vaš nakup v vrednosti 30,00 € vas še vedno čaka.");
    expect(texts[0]).toContain(checkout.abandoned_checkout_url);
  });

  it("GIVEN customers/redact for a customer THEN their checkouts are exported first and deleted, nobody else's", async () => {
    const subject = { customerGid: `gid://shopify/Customer/${customers.ana}`, email: "ana@example.com", phone: null, orderGids: [], requestId: null };
    const exported = (await checkoutsPersonalData.export(shop, subject)) as { email: string; totalMinor: number }[];
    expect(exported.map((c) => [c.email, c.totalMinor])).toEqual([["ana@example.com", 4590]]);
    expect(await checkoutsPersonalData.redact("other.myshopify.com", subject)).toBe(0);
    expect(await checkoutsPersonalData.redact(shop, subject)).toBe(1);
    expect(await prisma.abandonedCheckout.count({ where: { shop, email: "ana@example.com" } })).toBe(0);
    expect(await prisma.abandonedCheckout.count({ where: { shop } })).toBe(2);
  });
});

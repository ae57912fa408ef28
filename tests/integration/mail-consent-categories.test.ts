// Consent and categories end to end: customers are made in the emulated Shopify (their customers/create and
// customers/update webhooks carry Shopify's e-mail marketing consent), messages are queued in both categories and
// delivered over SMTP to a capture server; we assert on what that server received and on the stored status and
// reason. Covers: subscribed / not subscribed, the RFC 8058 one-click unsubscribe from one category but not the
// other, consent withdrawn while a message waits (here: behind the shop's hourly limit), a merchant's Retry asking
// again, and the history import's consent compared with the webhooks' by time.
import "../support/app-env";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_SCOPES, appConfig } from "~/config.server";
import { prisma } from "~/db/db.server";
import { advanceClock, now } from "~/lib/time/clock.server";
import { verifyToken } from "~/lib/signed-token";
import { parseUnsubscribeSubject } from "~/mail/categories";
import {
  NO_CONSENT,
  UNKNOWN_CONSENT,
  UNSUBSCRIBED_MARKETING,
  UNSUBSCRIBED_TRANSACTIONAL,
  recordImportedConsent,
  shopifyMarketingConsent,
} from "~/mail/consent.server";
import { parseMail } from "~/mail/mime";
import { queueMail, retryMail } from "~/mail/outbox.server";
import { outboxMessage } from "~/mail/outbox-view.server";
import { getMailSettings } from "~/mail/settings.server";
import type { MailCategory } from "~/mail/templates";
import { action as unsubscribeAction } from "~/routes/proxy.unsubscribe";
import { recordInstall } from "~/shops/shops.server";
import { callRoute, proxyUrl } from "../support/app-proxy";
import { drainJobs } from "../support/drain-jobs";
import type { Emulator } from "../support/emulator/index";
import { startMailWorld } from "../support/mail-world";

let world: Awaited<ReturnType<typeof startMailWorld>>;
let emulator: Emulator;
let shop: string;

const SUBSCRIBED = { state: "subscribed", opt_in_level: "single_opt_in" };
const PEOPLE = {
  ana: { email: "ana@example.com", consent: SUBSCRIBED },
  nils: { email: "nils@example.de", consent: { state: "not_subscribed" } },
  maja: { email: "maja@example.si", consent: SUBSCRIBED },
  ayse: { email: "ayse@example.com.tr", consent: SUBSCRIBED },
  wim: { email: "wim@example.com", consent: SUBSCRIBED },
  rita: { email: "rita@example.com", consent: SUBSCRIBED },
  rob: { email: "rob@example.com", consent: SUBSCRIBED },
};
type Who = keyof typeof PEOPLE;
const ids: Record<string, string> = {};
const gid = (who: Who) => `gid://shopify/Customer/${ids[who]}`;
let sequence = 0;

async function settle() {
  await emulator.waitForDeliveries();
  await drainJobs();
}

function queue(who: Who, category: MailCategory, text = `${category} for ${who}`) {
  sequence += 1;
  return queueMail({
    shop,
    key: `test:${who}:${category}:${sequence}`,
    to: PEOPLE[who].email,
    locale: "en",
    template: category === "marketing" ? "win-back" : "points-balance",
    subject: `${category} ${sequence}`,
    text,
    category,
    customerGid: gid(who),
  });
}

async function received(who: Who) {
  return Promise.all(world.receivedBy(PEOPLE[who].email).map((m) => parseMail(m.raw)));
}

const row = (id: string) => prisma.mailMessage.findUniqueOrThrow({ where: { id } });

/** The one-click POST a mail provider makes to the List-Unsubscribe URL of a received message (RFC 8058). */
async function oneClick(headerValue: string) {
  const link = new URL(/<([^>]+)>/.exec(headerValue)![1]!);
  const token = link.searchParams.get("token")!;
  return callRoute(
    unsubscribeAction,
    new Request(proxyUrl("unsubscribe", { token }, { shop }), {
      method: "POST",
      body: "List-Unsubscribe=One-Click",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
    }),
  );
}

beforeAll(async () => {
  world = await startMailWorld();
  emulator = world.emulator;
  const created = emulator.createShop("mail-categories", { currency: "EUR", timezone: "Europe/Ljubljana" });
  shop = created.shop;
  await prisma.session.create({ data: { id: `offline_${shop}`, shop, state: "", isOnline: false, accessToken: created.accessToken, scope: DEFAULT_SCOPES } });
  await recordInstall(shop, { name: "Kategorije", currencyCode: "EUR", ianaTimezone: "Europe/Ljubljana" });
  for (const [who, p] of Object.entries(PEOPLE)) {
    ids[who] = emulator.createCustomer(shop, { email: p.email, first_name: who, locale: "en", email_marketing_consent: p.consent }).id;
  }
  await settle();
}, 60_000);

afterAll(async () => {
  await world?.stop();
});

describe("marketing consent", () => {
  it("GIVEN a customer subscribed in Shopify THEN a marketing e-mail arrives, stored as marketing, with a one-click unsubscribe for marketing", async () => {
    const mail = await queue("ana", "marketing", "An offer for Ana");
    await drainJobs();
    expect(await row(mail.id)).toMatchObject({ status: "sent", category: "marketing", customerGid: gid("ana"), error: null });
    const [got] = await received("ana");
    expect(got!.text).toBe("An offer for Ana");
    expect(got!.headers["list-unsubscribe-post"]).toBe("List-Unsubscribe=One-Click");
    expect(got!.headers["x-afterglow-category"]).toBe("marketing");
    // The link names the message and its category, signed: no one can turn it into another category's link.
    const token = new URL(/<([^>]+)>/.exec(got!.headers["list-unsubscribe"]!)![1]!).searchParams.get("token");
    const check = verifyToken("unsubscribe", token, appConfig.apiSecret, now().getTime());
    expect(check.ok && parseUnsubscribeSubject(check.claims.subject)).toEqual({ category: "marketing", mailKey: `test:ana:marketing:${sequence}` });
  });

  it("GIVEN a customer not subscribed THEN a marketing e-mail is skipped with the reason and never reaches the server; a transactional one does", async () => {
    const offer = await queue("nils", "marketing");
    const receipt = await queue("nils", "transactional", "Your points");
    await drainJobs();
    expect(await row(offer.id)).toMatchObject({ status: "skipped", category: "marketing", error: `skipped: ${NO_CONSENT}` });
    expect(await outboxMessage(shop, offer.id)).toMatchObject({ status: "skipped", category: "marketing", error: `skipped: ${NO_CONSENT}` });
    expect((await received("nils")).map((m) => m.text)).toEqual(["Your points"]);
    expect(await row(receipt.id)).toMatchObject({ status: "sent", category: "transactional" });
  });
});

describe("unsubscribing from one category", () => {
  it("GIVEN the one-click POST of a marketing e-mail THEN marketing stops but transactional mail still arrives", async () => {
    await queue("maja", "marketing", "First offer");
    await drainJobs();
    const [first] = await received("maja");
    const page = await oneClick(first!.headers["list-unsubscribe"]!);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("will not send you offers or reminders any more");
    expect(await prisma.mailCategoryOptOut.findMany({ where: { shop, email: PEOPLE.maja.email }, select: { category: true } })).toEqual([
      { category: "marketing" },
    ]);

    const offer = await queue("maja", "marketing", "Second offer");
    const receipt = await queue("maja", "transactional", "Your points, Maja");
    await drainJobs();
    expect(await row(offer.id)).toMatchObject({ status: "skipped", error: `skipped: ${UNSUBSCRIBED_MARKETING}` });
    expect(await row(receipt.id)).toMatchObject({ status: "sent" });
    expect((await received("maja")).map((m) => m.text)).toEqual(["First offer", "Your points, Maja"]);
  });

  it("GIVEN the one-click POST of a transactional e-mail THEN account mail stops but marketing (with consent) still arrives", async () => {
    await queue("ayse", "transactional", "Receipt 1");
    await drainJobs();
    const [first] = await received("ayse");
    expect(first!.headers["x-afterglow-category"]).toBe("transactional");
    expect((await oneClick(first!.headers["list-unsubscribe"]!)).status).toBe(200);

    const receipt = await queue("ayse", "transactional", "Receipt 2");
    const offer = await queue("ayse", "marketing", "An offer for Ayşe");
    await drainJobs();
    expect(await row(receipt.id)).toMatchObject({ status: "skipped", error: `skipped: ${UNSUBSCRIBED_TRANSACTIONAL}` });
    expect(await row(offer.id)).toMatchObject({ status: "sent" });
    expect((await received("ayse")).map((m) => m.text)).toEqual(["Receipt 1", "An offer for Ayşe"]);
  });
});

describe("consent asked again before sending", () => {
  it("GIVEN a marketing e-mail waiting behind the shop's hourly limit WHEN the customer withdraws consent in Shopify THEN it is skipped, not sent", async () => {
    await advanceClock(2 * 3600); // an empty hour behind us
    await prisma.mailSettings.create({ data: { shop, hourlyLimit: 1 } });
    try {
      const first = await queue("wim", "marketing", "Offer one");
      const second = await queue("wim", "marketing", "Offer two");
      await drainJobs();
      expect(await row(first.id)).toMatchObject({ status: "sent" });
      const waiting = await row(second.id);
      expect(waiting.status).toBe("queued");
      expect(waiting.error).toMatch(/^Waiting: this shop sent its limit of 1 messages in the last hour/);

      emulator.updateCustomer(shop, ids.wim!, { email_marketing_consent: { state: "unsubscribed" } });
      await settle();
      await advanceClock(3601);
      await drainJobs();
      expect(await row(second.id)).toMatchObject({ status: "skipped", error: `skipped: ${NO_CONSENT}` });
      expect((await received("wim")).map((m) => m.text)).toEqual(["Offer one"]);
    } finally {
      await prisma.mailSettings.delete({ where: { shop } });
    }
  });

  it("GIVEN a failed marketing e-mail WHEN the merchant retries it after consent was withdrawn THEN it is skipped with the reason; with consent it is sent once", async () => {
    world.smtp.failNext(550, 550);
    const ritas = await queue("rita", "marketing", "Offer for Rita");
    const robs = await queue("rob", "marketing", "Offer for Rob");
    await drainJobs();
    expect((await row(ritas.id)).status).toBe("failed");
    expect((await row(robs.id)).status).toBe("failed");

    emulator.updateCustomer(shop, ids.rita!, { email_marketing_consent: { state: "unsubscribed" } });
    await settle();
    expect(await retryMail(shop, ritas.id)).toEqual({ ok: false, reason: `Not retried: ${NO_CONSENT}.` });
    expect(await row(ritas.id)).toMatchObject({ status: "skipped", error: `skipped: ${NO_CONSENT}` });
    expect(await outboxMessage(shop, ritas.id)).toMatchObject({ actions: { retry: false, cancel: false } });

    expect(await retryMail(shop, robs.id)).toEqual({ ok: true });
    await drainJobs();
    expect(await row(robs.id)).toMatchObject({ status: "sent" });
    expect(await received("rita")).toEqual([]);
    expect((await received("rob")).map((m) => m.text)).toEqual(["Offer for Rob"]);
  });
});

describe("where consent comes from", () => {
  it("GIVEN only the history import saw a customer THEN its consent counts; a newer webhook overrides it and an older import does not", async () => {
    const customer = "gid://shopify/Customer/990001";
    expect(await shopifyMarketingConsent(shop, customer)).toBeNull();
    await recordImportedConsent(shop, customer, "SUBSCRIBED", new Date("2026-01-10T00:00:00Z"));
    expect(await shopifyMarketingConsent(shop, customer)).toBe(true);
    // An older statement from another import changes nothing.
    await recordImportedConsent(shop, customer, "NOT_SUBSCRIBED", new Date("2026-01-01T00:00:00Z"));
    expect(await prisma.customerMailConsent.findUniqueOrThrow({ where: { shop_customerGid: { shop, customerGid: customer } } })).toMatchObject({
      state: "SUBSCRIBED",
    });
    await prisma.domainEvent.create({
      data: {
        shop,
        kind: "customer.updated",
        key: `customer.updated:${customer}:test`,
        subjectGid: customer,
        occurredAt: new Date("2026-02-01T00:00:00Z"),
        payload: JSON.stringify({ customerGid: customer, acceptsEmailMarketing: false }),
      },
    });
    expect(await shopifyMarketingConsent(shop, customer)).toBe(false);
    await recordImportedConsent(shop, customer, "SUBSCRIBED", new Date("2026-03-01T00:00:00Z"));
    expect(await shopifyMarketingConsent(shop, customer)).toBe(true);
  });

  it("GIVEN a customer Shopify told us nothing about THEN marketing is skipped as unknown consent", async () => {
    const mail = await queueMail({
      shop,
      key: "test:unknown",
      to: "stranger@example.com",
      locale: "en",
      template: "win-back",
      subject: "Hi",
      text: "Offer",
      category: "marketing",
      customerGid: "gid://shopify/Customer/990002",
    });
    expect(await row(mail.id)).toMatchObject({ status: "skipped", error: `skipped: ${UNKNOWN_CONSENT}` });
  });

  it("GIVEN a new shop THEN review requests count as marketing until the merchant says otherwise", async () => {
    expect((await getMailSettings(shop)).reviewRequestCategory).toBe("marketing");
  });
});

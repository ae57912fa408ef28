// The mailer really speaks SMTP: a queued message arrives at an SMTP server started here on a random port, with
// its headers (one-click unsubscribe), text and HTML; a temporary refusal is retried, a permanent one fails the
// message; an unsubscribed address is never sent to. In the sandbox (no SMTP_URL) the in-process capture
// receives the message and the outbox page shows it as received, with its storefront links made clickable.
import "../support/app-env";
process.env.AFTERGLOW_SANDBOX = "1";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prisma } from "~/db/db.server";
import { closeMailTransport, NO_SMTP_MESSAGE } from "~/mail/mailer.server";
import { parseMail } from "~/mail/mime";
import { queueMail } from "~/mail/outbox.server";
import { outboxMessage } from "~/mail/outbox-view.server";
import { capturedMail } from "~/mail/sandbox-capture.server";
import { renderReviewMail } from "~/reviews/mail-templates";
import { drainJobs } from "../support/drain-jobs";
import { startSmtpCapture } from "../support/smtp-capture";

const SHOP = "mail-delivery.myshopify.com";
let smtp: Awaited<ReturnType<typeof startSmtpCapture>>;

beforeAll(async () => {
  smtp = await startSmtpCapture();
  await prisma.shop.create({ data: { domain: SHOP, name: "Café Üsküdar" } });
});

afterAll(async () => {
  closeMailTransport();
  delete process.env.SMTP_URL;
  delete process.env.AFTERGLOW_SANDBOX;
  await smtp?.close();
});

const review = renderReviewMail({
  kind: "request",
  locale: "tr",
  shopName: "Café Üsküdar",
  firstName: "Ayşe",
  orderName: "#1042",
  reviewUrl: `https://${SHOP}/apps/afterglow/review?token=abc.def`,
  products: [{ title: "Türk kahvesi", url: `https://${SHOP}/apps/afterglow/review?token=abc.def&product=1` }],
  unsubscribeUrl: `https://${SHOP}/apps/afterglow/unsubscribe?token=ghi.jkl`,
});

describe("delivery over SMTP", () => {
  it("GIVEN SMTP_URL WHEN a message is queued THEN it arrives over SMTP and is marked sent", async () => {
    process.env.SMTP_URL = smtp.url;
    const { id } = await queueMail({
      shop: SHOP,
      key: "m1",
      to: "ayse@example.com.tr",
      locale: "tr",
      template: "review-request",
      subject: review.subject,
      text: review.text,
      html: review.html,
    });
    await drainJobs();
    expect(smtp.received).toHaveLength(1);
    const arrived = await parseMail(smtp.received[0]!.raw);
    expect(smtp.received[0]!.to).toEqual(["ayse@example.com.tr"]);
    expect(arrived.headers.subject).toBe("Café Üsküdar siparişinizden memnun musunuz?");
    expect(arrived.headers.from).toBe("Café Üsküdar <no-reply@afterglow.invalid>");
    expect(arrived.headers["message-id"]).toBe(`<${id}@afterglow.mail>`);
    expect(arrived.headers["content-language"]).toBe("tr");
    expect(arrived.headers["list-unsubscribe"]).toMatch(new RegExp(`^<https://${SHOP}/apps/afterglow/unsubscribe\\?token=[\\w-]+\\.[\\w-]+>$`));
    expect(arrived.headers["list-unsubscribe-post"]).toBe("List-Unsubscribe=One-Click");
    expect(arrived.text).toBe(review.text);
    expect(arrived.html).toBe(review.html);
    expect(await prisma.mailMessage.findUniqueOrThrow({ where: { id } })).toMatchObject({ status: "sent", error: null });
  });

  it("GIVEN the same key queued again THEN it is one message, sent once", async () => {
    await queueMail({ shop: SHOP, key: "m1", to: "ayse@example.com.tr", locale: "tr", template: "review-request", subject: "again", text: "again" });
    await drainJobs();
    expect(smtp.received).toHaveLength(1);
  });

  it("GIVEN the server says 451 (try later) THEN the message is retried and arrives", async () => {
    smtp.failNext(451);
    const { id } = await queueMail({ shop: SHOP, key: "m2", to: "retry@example.com", locale: "en", template: "thank-you", subject: "Retry", text: "Hi" });
    await drainJobs();
    expect(smtp.received.filter((m) => m.to.includes("retry@example.com"))).toHaveLength(1);
    expect(await prisma.mailMessage.findUniqueOrThrow({ where: { id } })).toMatchObject({ status: "sent", error: null });
  });

  it("GIVEN the server says 550 (no such mailbox) THEN the message fails with the reason, no retry", async () => {
    smtp.failNext(550);
    const { id } = await queueMail({ shop: SHOP, key: "m3", to: "nobody@example.com", locale: "en", template: "thank-you", subject: "Bounce", text: "Hi" });
    await drainJobs();
    const row = await prisma.mailMessage.findUniqueOrThrow({ where: { id } });
    expect(row.status).toBe("failed");
    expect(row.error).toMatch(/550/);
    expect(smtp.received.some((m) => m.to.includes("nobody@example.com"))).toBe(false);
  });

  it("GIVEN an address on the shop's suppression list THEN nothing is sent and the message is suppressed", async () => {
    await prisma.mailSuppression.create({ data: { shop: SHOP, email: "gone@example.com" } });
    const { id } = await queueMail({ shop: SHOP, key: "m4", to: "Gone@Example.com", locale: "en", template: "thank-you", subject: "Hi", text: "Hi" });
    await drainJobs();
    expect(await prisma.mailMessage.findUniqueOrThrow({ where: { id } })).toMatchObject({ status: "suppressed" });
    expect(smtp.received.some((m) => m.to.some((t) => t.toLowerCase() === "gone@example.com"))).toBe(false);
  });
});

describe("the sandbox's own SMTP capture", () => {
  it("GIVEN the sandbox without SMTP_URL THEN the in-process capture receives the message and the outbox shows it as received", async () => {
    delete process.env.SMTP_URL;
    const { id } = await queueMail({
      shop: SHOP,
      key: "m5",
      to: "ayse@example.com.tr",
      locale: "tr",
      template: "review-request",
      subject: review.subject,
      text: review.text,
      html: review.html,
    });
    await drainJobs();
    expect(await prisma.mailMessage.findUniqueOrThrow({ where: { id } })).toMatchObject({ status: "sent" });
    const captured = await capturedMail(id);
    expect(captured?.to).toEqual(["ayse@example.com.tr"]);
    const view = await outboxMessage(SHOP, id);
    expect(view?.source).toBe("received");
    expect(view?.subject).toBe("Café Üsküdar siparişinizden memnun musunuz?");
    expect(view?.headers.map(([name]) => name)).toEqual(expect.arrayContaining(["from", "to", "subject", "list-unsubscribe"]));
    // Storefront links open through the sandbox's proxy stand-in, which signs them as Shopify would.
    expect(view?.links.map((l) => l.label)).toEqual(["Open the review form as the shopper", "Open the unsubscribe page as the shopper"]);
    expect(view?.links[0]!.href).toMatch(/\/sandbox\/proxy\/review\?token=abc\.def&shop=mail-delivery\.myshopify\.com$/);
    expect(view?.html).toContain(
      'href="http://127.0.0.1:3999/sandbox/proxy/review?token=abc.def&amp;product=1&amp;rating=5&amp;shop=mail-delivery.myshopify.com"',
    );
    expect(view?.html).not.toContain(`https://${SHOP}/apps/afterglow/review`);
  });

  it("GIVEN neither SMTP_URL nor the sandbox THEN the message stays queued and says why", async () => {
    delete process.env.AFTERGLOW_SANDBOX;
    const { id } = await queueMail({ shop: SHOP, key: "m6", to: "x@example.com", locale: "en", template: "thank-you", subject: "Hi", text: "Hi" });
    await drainJobs();
    expect(await prisma.mailMessage.findUniqueOrThrow({ where: { id } })).toMatchObject({ status: "queued", error: NO_SMTP_MESSAGE });
  });
});

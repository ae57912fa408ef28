// The per-shop sender: a shop's sender name and Reply-To in the headers, its own SMTP server (URL stored
// encrypted) carrying its messages while another shop's go through the shared relay (SMTP_URL), the
// "Test connection" check, field errors, and the hourly limit (over it a message waits and goes out later,
// never dropped). Two real SMTP capture servers receive what the mailer sends.
import "../support/app-env";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appConfig } from "~/config.server";
import { prisma } from "~/db/db.server";
import { advanceClock } from "~/lib/time/clock.server";
import { closeMailTransport } from "~/mail/mailer.server";
import { parseMail } from "~/mail/mime";
import { queueMail } from "~/mail/outbox.server";
import { mailSecretKey, openSecret } from "~/mail/secret-box";
import { getMailSettings, saveMailSettings, testSmtpConnection } from "~/mail/settings.server";
import { recordInstall } from "~/shops/shops.server";
import { drainJobs } from "../support/drain-jobs";
import { startSmtpCapture } from "../support/smtp-capture";

const OWN = "own-sender.myshopify.com";
const SHARED = "shared-sender.myshopify.com";
let relay: Awaited<ReturnType<typeof startSmtpCapture>>;
let own: Awaited<ReturnType<typeof startSmtpCapture>>;
let sequence = 0;

function send(shop: string, to: string, text = `Hello ${to}`) {
  sequence += 1;
  return queueMail({ shop, key: `sender-test:${sequence}`, to, locale: "en", template: "thank-you", subject: `Thanks ${sequence}`, text });
}

const row = (id: string) => prisma.mailMessage.findUniqueOrThrow({ where: { id } });

beforeAll(async () => {
  relay = await startSmtpCapture();
  own = await startSmtpCapture();
  process.env.SMTP_URL = relay.url;
  await recordInstall(OWN, { name: "Own Sender", currencyCode: "EUR", ianaTimezone: "Europe/Ljubljana" });
  await recordInstall(SHARED, { name: "Shared Sender", currencyCode: "EUR", ianaTimezone: "Europe/Ljubljana" });
});

afterAll(async () => {
  closeMailTransport();
  delete process.env.SMTP_URL;
  await relay?.close();
  await own?.close();
});

describe("settings", () => {
  it("GIVEN bad input THEN each field says what is wrong and nothing is stored", async () => {
    const answer = await saveMailSettings(OWN, {
      fromName: "Svečke\r\nBcc: x@example.com",
      replyTo: "not an address",
      smtpUrl: "http://smtp.example.com",
      hourlyLimit: "0",
      reviewRequestCategory: "sometimes",
    });
    expect(answer).toEqual({
      ok: false,
      errors: {
        fromName: "The sender name cannot contain line breaks, quotes or angle brackets.",
        replyTo: "Enter one e-mail address, like support@example.com.",
        smtpUrl: "The URL must start with smtp:// (STARTTLS) or smtps:// (TLS).",
        hourlyLimit: "Enter a whole number of messages per hour, at least 1.",
        reviewRequestCategory: "Choose marketing or transactional.",
      },
    });
    expect(await prisma.mailSettings.count({ where: { shop: OWN } })).toBe(0);
    // Through the shared relay a shop cannot raise its limit above the relay's cap.
    expect(await saveMailSettings(SHARED, { hourlyLimit: "100000" })).toEqual({
      ok: false,
      errors: {
        hourlyLimit: "Through the app's shared mail server a shop sends at most 200 messages per hour. Set up your own SMTP server for more.",
      },
    });
  });

  it("GIVEN the shop's own SMTP URL THEN it is stored encrypted (AES-256-GCM, bound to the shop) and shown without its password", async () => {
    const url = own.url.replace("smtp://", "smtp://shop%40own.example:s3cret-pass@");
    expect(await saveMailSettings(OWN, { fromName: "Svečke Ana", replyTo: "help@own.example", smtpUrl: url, hourlyLimit: "" })).toEqual({ ok: true });
    const stored = await prisma.mailSettings.findUniqueOrThrow({ where: { shop: OWN } });
    expect(stored.smtpUrlEncrypted).toMatch(/^v1:/);
    expect(stored.smtpUrlEncrypted).not.toContain("s3cret");
    expect(stored.smtpUrlEncrypted).not.toContain("127.0.0.1");
    const key = mailSecretKey(process.env, appConfig.apiSecret)!;
    expect(openSecret(key, OWN, stored.smtpUrlEncrypted!)).toBe(url);
    expect(openSecret(key, SHARED, stored.smtpUrlEncrypted!)).toBeNull();
    const view = await getMailSettings(OWN);
    expect(view).toMatchObject({ fromName: "Svečke Ana", replyTo: "help@own.example", smtpServer: own.url, reviewRequestCategory: "marketing" });
    expect(JSON.stringify(view)).not.toContain("s3cret");
  });

  it("GIVEN Test connection THEN the stored server answers; an unreachable one says why", async () => {
    expect(await testSmtpConnection(OWN, null)).toEqual({ ok: true, server: own.url });
    const closed = await startSmtpCapture();
    await closed.close();
    const answer = await testSmtpConnection(OWN, closed.url);
    expect(answer.ok).toBe(false);
    expect(!answer.ok && answer.error).toMatch(new RegExp(`^${closed.url.replace(/[.:/]/g, "\\$&")}: .*ECONNREFUSED`));
  });
});

describe("delivery", () => {
  it("GIVEN a shop with its own SMTP server THEN its mail goes there with its sender name and Reply-To; another shop's goes through the shared relay", async () => {
    const mine = await send(OWN, "buyer@example.com", "From our own server");
    const theirs = await send(SHARED, "other@example.com", "Through the relay");
    await drainJobs();
    expect(await row(mine.id)).toMatchObject({ status: "sent" });
    expect(await row(theirs.id)).toMatchObject({ status: "sent" });

    expect(own.received.map((m) => m.to)).toEqual([["buyer@example.com"]]);
    const got = await parseMail(own.received[0]!.raw);
    expect(got.text).toBe("From our own server");
    // The own server's login is an address: it is the From address; the shop's name for it is the display name.
    expect(got.headers.from).toMatch(/^"?Svečke Ana"? <shop@own\.example>$/);
    expect(got.headers["reply-to"]).toBe("help@own.example");
    expect(own.received[0]!.from).toBe("shop@own.example");

    expect(relay.received.map((m) => m.to)).toEqual([["other@example.com"]]);
    const shared = await parseMail(relay.received[0]!.raw);
    expect(shared.headers.from).toMatch(/^"?Shared Sender"? <no-reply@/);
    expect(shared.headers["reply-to"]).toBeUndefined();
  });

  it("GIVEN an hourly limit of 2 WHEN 5 messages are queued THEN 2 go out now, 3 wait with the reason, and all go out in the following hours", async () => {
    await advanceClock(2 * 3600);
    expect(await saveMailSettings(SHARED, { fromName: "", replyTo: "", hourlyLimit: "2" })).toEqual({ ok: true });
    const before = relay.received.length;
    const queued = [];
    for (let i = 1; i <= 5; i++) queued.push(await send(SHARED, `limit-${i}@example.com`));
    await drainJobs();
    const rows = await Promise.all(queued.map((q) => row(q.id)));
    expect(rows.filter((r) => r.status === "sent")).toHaveLength(2);
    const waiting = rows.filter((r) => r.status === "queued");
    expect(waiting).toHaveLength(3);
    for (const r of waiting)
      expect(r.error).toMatch(/^Waiting: this shop sent its limit of 2 messages in the last hour; it is sent from \d{4}-\d\d-\d\d \d\d:\d\d UTC\.$/);
    expect(relay.received.length - before).toBe(2);

    await advanceClock(3601);
    await drainJobs();
    expect(relay.received.length - before).toBe(4);
    await advanceClock(3601);
    await drainJobs();
    const after = await Promise.all(queued.map((q) => row(q.id)));
    expect(after.map((r) => r.status)).toEqual(["sent", "sent", "sent", "sent", "sent"]);
    // Each arrived once.
    expect(
      relay.received
        .slice(before)
        .map((m) => m.to[0])
        .sort(),
    ).toEqual(["limit-1@example.com", "limit-2@example.com", "limit-3@example.com", "limit-4@example.com", "limit-5@example.com"]);
  });
});

describe("the encryption key", () => {
  it("GIVEN production without MAIL_SECRET_KEY THEN there is no key and storing an SMTP URL is refused at its field", async () => {
    expect(mailSecretKey({ NODE_ENV: "production" }, "secret")).toBeNull();
    expect(mailSecretKey({ NODE_ENV: "production", MAIL_SECRET_KEY: "ab".repeat(32) }, "secret")).toEqual(Buffer.from("ab".repeat(32), "hex"));
    expect(() => mailSecretKey({ MAIL_SECRET_KEY: "too-short" }, "secret")).toThrow(/32 bytes/);
    const saved = { env: process.env.NODE_ENV, key: process.env.MAIL_SECRET_KEY };
    process.env.NODE_ENV = "production";
    delete process.env.MAIL_SECRET_KEY;
    try {
      const answer = await saveMailSettings(SHARED, { smtpUrl: "smtp://smtp.example.com:587" });
      expect(answer).toEqual({ ok: false, errors: { smtpUrl: expect.stringMatching(/^MAIL_SECRET_KEY is not set/) } });
    } finally {
      process.env.NODE_ENV = saved.env;
      if (saved.key) process.env.MAIL_SECRET_KEY = saved.key;
    }
  });
});

// The Mail outbox's way out for a message that failed, waits (no SMTP configured) or got stuck sending, as Remix
// calls the page's action with an admin session token: Retry is one more delivery and never a second copy of a
// sent message, Cancel means it is never sent (shown as cancelled) whichever of its jobs runs later. Another
// shop's message answers 404 for both.
import { TEST_API_KEY, TEST_API_SECRET } from "../support/app-env";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_SCOPES } from "~/config.server";
import { prisma } from "~/db/db.server";
import { getJobQueue } from "~/jobs/index.server";
import { closeMailTransport, NO_SMTP_MESSAGE } from "~/mail/mailer.server";
import { queueMail } from "~/mail/outbox.server";
import * as outbox from "~/routes/app.mail";
import { mintSessionToken } from "~/sandbox/session-token.server";
import { drainJobs } from "../support/drain-jobs";
import { startSmtpCapture } from "../support/smtp-capture";

const A = "outbox-recovery-a.myshopify.com";
const B = "outbox-recovery-b.myshopify.com";
let smtp: Awaited<ReturnType<typeof startSmtpCapture>>;
let smtpUrl: string;

beforeAll(async () => {
  smtp = await startSmtpCapture();
  smtpUrl = smtp.url;
  closeMailTransport();
  for (const shop of [A, B]) {
    await prisma.shop.create({ data: { domain: shop, name: shop.split(".")[0]! } });
    await prisma.session.create({ data: { id: `offline_${shop}`, shop, state: "", isOnline: false, accessToken: "unused", scope: DEFAULT_SCOPES } });
  }
});

afterAll(async () => {
  closeMailTransport();
  delete process.env.SMTP_URL;
  await smtp?.close();
});

function withSmtp(on: boolean) {
  closeMailTransport();
  if (on) process.env.SMTP_URL = smtpUrl;
  else delete process.env.SMTP_URL;
}

async function click(shop: string, intent: string, id: string) {
  const token = mintSessionToken({ shop, apiKey: TEST_API_KEY, apiSecret: TEST_API_SECRET });
  const request = new Request("http://127.0.0.1:3999/app/mail", {
    method: "POST",
    headers: { Authorization: `Bearer ${token}` },
    body: new URLSearchParams({ intent, id }),
  });
  try {
    const result = (await outbox.action({ request, params: {}, context: {} })) as unknown;
    const wrapped = result as { type?: string; data?: unknown; init?: { status?: number } | null };
    if (wrapped?.type === "DataWithResponseInit") return { status: wrapped.init?.status ?? 200, body: wrapped.data as { errors?: Record<string, string> } };
    return { status: 200, body: result as { errors?: Record<string, string> } };
  } catch (error) {
    if (error instanceof Response) return { status: error.status, body: {} };
    throw error;
  }
}

const copiesTo = (address: string) => smtp.received.filter((m) => m.to.includes(address)).length;
const row = (id: string) => prisma.mailMessage.findUniqueOrThrow({ where: { id } });
const mail = (key: string, to: string) => queueMail({ shop: A, key, to, locale: "en", template: "thank-you", subject: `Hello ${key}`, text: `Hi ${key}` });

describe("cancelling a message", () => {
  it("GIVEN a message waiting because no SMTP server is configured WHEN the merchant cancels it THEN it is cancelled and never sent, though SMTP is set up later and its job runs again", async () => {
    withSmtp(false);
    const { id } = await mail("c1", "cancel@example.com");
    await drainJobs();
    expect(await row(id)).toMatchObject({ status: "queued", error: NO_SMTP_MESSAGE });

    expect((await click(A, "cancel", id)).status).toBe(200);
    expect((await row(id)).status).toBe("cancelled");

    withSmtp(true);
    // Every delivery job it ever had runs again (as the Activity page's Retry or a late worker would).
    await prisma.job.updateMany({ where: { shop: A, payload: { contains: id } }, data: { status: "queued", runAt: new Date(0), attempts: 0 } });
    await drainJobs();
    expect(copiesTo("cancel@example.com")).toBe(0);
    expect((await row(id)).status).toBe("cancelled");
    const again = await click(A, "retry", id);
    expect(again.status).toBe(422);
    expect(again.body.errors?.id).toMatch(/cancelled/);
  });

  it("GIVEN a sent message WHEN the merchant tries to cancel or retry it THEN both are refused and it arrived once", async () => {
    withSmtp(true);
    const { id } = await mail("c2", "sent@example.com");
    await drainJobs();
    expect((await row(id)).status).toBe("sent");
    expect((await click(A, "cancel", id)).status).toBe(422);
    const retry = await click(A, "retry", id);
    expect(retry.status).toBe(422);
    expect(retry.body.errors?.id).toMatch(/already sent/);
    await drainJobs();
    expect(copiesTo("sent@example.com")).toBe(1);
  });
});

describe("retrying a message", () => {
  it("GIVEN a message the server refused (550) WHEN the merchant retries it THEN one more delivery sends it once", async () => {
    withSmtp(true);
    smtp.failNext(550);
    const { id } = await mail("r1", "bounce@example.com");
    await drainJobs();
    expect((await row(id)).status).toBe("failed");
    expect((await click(A, "retry", id)).status).toBe(200);
    expect((await click(A, "retry", id)).status).toBe(422);
    await drainJobs();
    expect(await row(id)).toMatchObject({ status: "sent", error: null });
    expect(copiesTo("bounce@example.com")).toBe(1);
  });

  it("GIVEN a delivery holding the message right now WHEN a second delivery job of it runs THEN it sends nothing, and Retry and Cancel are refused while it is fresh", async () => {
    withSmtp(true);
    const { id } = await mail("r2", "busy@example.com");
    await prisma.mailMessage.update({ where: { id }, data: { status: "sending", sendingAt: new Date() } });
    await drainJobs();
    expect(copiesTo("busy@example.com")).toBe(0);
    expect((await row(id)).status).toBe("sending");
    expect((await click(A, "retry", id)).body.errors?.id).toMatch(/being sent right now/);
    expect((await click(A, "cancel", id)).status).toBe(422);
  });

  it("GIVEN a message stuck sending for an hour (the app stopped mid-delivery) WHEN the merchant retries it THEN it is delivered once more; cancelling another such one leaves it unsent", async () => {
    withSmtp(true);
    const { id } = await mail("r3", "stuck@example.com");
    const { id: other } = await mail("r4", "stuck-cancel@example.com");
    await prisma.mailMessage.updateMany({ where: { id: { in: [id, other] } }, data: { status: "sending", sendingAt: new Date(Date.now() - 3_600_000) } });
    await drainJobs();
    expect(copiesTo("stuck@example.com")).toBe(0);
    expect((await click(A, "retry", id)).status).toBe(200);
    expect((await click(A, "cancel", other)).status).toBe(200);
    await drainJobs();
    expect((await row(id)).status).toBe("sent");
    expect(copiesTo("stuck@example.com")).toBe(1);
    expect((await row(other)).status).toBe("cancelled");
    expect(copiesTo("stuck-cancel@example.com")).toBe(0);
  });
});

describe("another shop's message", () => {
  it.each(["retry", "cancel"])("GIVEN shop B WHEN it sends %s for shop A's failed message THEN 404 and nothing changes", async (intent) => {
    withSmtp(true);
    smtp.failNext(550);
    const { id } = await mail(`f-${intent}`, `foreign-${intent}@example.com`);
    await drainJobs();
    expect((await click(B, intent, id)).status).toBe(404);
    expect((await row(id)).status).toBe("failed");
    expect((await getJobQueue().listJobs(A, { status: "queued", limit: 100 })).length).toBe(0);
  });
});

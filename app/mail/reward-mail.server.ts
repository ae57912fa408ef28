// The e-mail that carries a reward code a flow created (at once, or once the merchant approved it): for a flow
// started by a survey answer — the detractor's compensation — an apology in the shopper's language that quotes
// nothing they wrote, transactional (it answers them); else the reward-code e-mail, marketing (an offer the flow
// made on its own). The merchant is told what was sent: a dashboard notification with the rendered subject, the
// code and its value.
import { prisma } from "~/db/db.server";
import { now } from "~/lib/time/clock.server";
import { queueMail } from "./outbox.server";
import { flowRewardCategory, renderMail, rewardTemplate } from "./templates";

export interface RewardMail {
  shop: string;
  /** The message's key (once per reward). */
  key: string;
  to: string;
  /** The customer's locale (order or customer), any tag; English when unknown. */
  locale: string | null;
  /** The kind of event that started the flow: "survey.answered" makes it an apology. */
  eventKind: string | null | undefined;
  customerGid: string | null;
  shopName: string;
  firstName: string | null;
  code: string;
  /** Already formatted for the locale ("10 %", "5,00 €"). */
  offer: string | null;
  /** Already formatted for the locale. */
  expires: string | null;
}

export async function queueRewardMail(reward: RewardMail): Promise<{ id: string; skipped: boolean; subject: string }> {
  const template = rewardTemplate(reward.eventKind);
  const mail = renderMail(template, reward.locale, {
    shopName: reward.shopName,
    firstName: reward.firstName,
    code: reward.code,
    offer: reward.offer,
    expires: reward.expires,
  });
  const queued = await queueMail({
    shop: reward.shop,
    key: reward.key,
    to: reward.to,
    locale: mail.locale,
    template,
    subject: mail.subject,
    text: mail.text,
    category: flowRewardCategory(reward.eventKind),
    customerGid: reward.customerGid,
  });
  if (template === "apology-reward" && !queued.duplicate) {
    const what = `${reward.code}${reward.offer ? `, ${reward.offer}` : ""}`;
    const message = `Apology e-mail to ${reward.to} (${mail.locale}): "${mail.subject}", with code ${what}. It quotes nothing of their survey answer; the Mail outbox shows its delivery.`;
    await prisma.merchantNotification.upsert({
      where: { shop_key: { shop: reward.shop, key: `${reward.key}:sent` } },
      create: {
        shop: reward.shop,
        key: `${reward.key}:sent`,
        severity: "info",
        message: message.slice(0, 1000),
        subjectGid: reward.customerGid,
        createdAt: now(),
      },
      update: {},
    });
  }
  return { id: queued.id, skipped: queued.skipped, subject: mail.subject };
}

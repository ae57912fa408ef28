// Personal data the engagement features keep (loyalty, review requests, reward codes, e-mail, notifications,
// flow runs, survey answers, birthdays, referral codes and referrals), for customers/data_request and
// customers/redact. Referrals and survey answers keep their sums and scores for the merchant, unlinked from the person. Redaction keeps the loyalty ledger's sums for
// the merchant's accounting but replaces the customer's id with an anonymous one and drops the e-mail.
import { createHash } from "node:crypto";
import { prisma } from "~/db/db.server";
import { redactSuppression } from "~/mail/unsubscribe.server";
import type { PersonalDataHolder } from "./holders";
import type { PrivacySubject } from "./subject";

/** Stable per shop + customer, so the anonymised ledger still sums per (unknown) customer. */
export function anonymousCustomerId(shop: string, customerGid: string): string {
  return `redacted:${createHash("sha256").update(`${shop}\n${customerGid}`).digest("hex").slice(0, 20)}`;
}

async function customerGids(shop: string, subject: PrivacySubject): Promise<string[]> {
  const gids = new Set<string>(subject.customerGid ? [subject.customerGid] : []);
  if (subject.email) {
    const accounts = await prisma.loyaltyAccount.findMany({ where: { shop, email: subject.email }, select: { customerGid: true } });
    accounts.forEach((a) => gids.add(a.customerGid));
    const codes = await prisma.referralCode.findMany({ where: { shop, email: subject.email }, select: { customerGid: true } });
    codes.forEach((c) => gids.add(c.customerGid));
  }
  return [...gids];
}

export const engagementPersonalData: PersonalDataHolder = {
  name: "engagement",
  async export(shop, subject) {
    const gids = await customerGids(shop, subject);
    const email = subject.email ?? undefined;
    const reviewWhere = {
      shop,
      OR: [{ customerGid: { in: gids } }, ...(email ? [{ email }] : []), ...(subject.orderGids.length ? [{ orderGid: { in: subject.orderGids } }] : [])],
    };
    const [accounts, entries, requests, rewards, mail, reviews, suppressions] = await Promise.all([
      prisma.loyaltyAccount.findMany({ where: { shop, customerGid: { in: gids } } }),
      prisma.loyaltyEntry.findMany({ where: { shop, customerGid: { in: gids } }, orderBy: { createdAt: "asc" } }),
      prisma.reviewRequest.findMany({ where: { shop, OR: [{ customerGid: { in: gids } }, ...(email ? [{ email }] : [])] } }),
      prisma.rewardCode.findMany({ where: { shop, OR: [{ customerGid: { in: gids } }, ...(email ? [{ email }] : [])] } }),
      email ? prisma.mailMessage.findMany({ where: { shop, to: email } }) : Promise.resolve([]),
      prisma.review.findMany({ where: reviewWhere, orderBy: { createdAt: "asc" } }),
      email ? prisma.mailSuppression.findMany({ where: { shop, email: email.trim().toLowerCase() } }) : Promise.resolve([]),
    ]);
    const photos = reviews.length
      ? await prisma.reviewPhoto.findMany({
          where: { shop, reviewId: { in: reviews.map((r) => r.id) } },
          select: { id: true, reviewId: true, contentType: true, size: true, createdAt: true },
        })
      : [];
    const orderGids = subject.orderGids;
    const [answers, profiles, referralCodes, referrals, redemptions] = await Promise.all([
      prisma.surveyAnswer.findMany({ where: { shop, OR: [{ customerGid: { in: gids } }, ...(orderGids.length ? [{ orderGid: { in: orderGids } }] : [])] } }),
      prisma.customerProfile.findMany({ where: { shop, customerGid: { in: gids } } }),
      prisma.referralCode.findMany({ where: { shop, OR: [{ customerGid: { in: gids } }, ...(email ? [{ email }] : [])] } }),
      prisma.referral.findMany({ where: { shop, OR: referralMatch(gids, email, orderGids) } }),
      prisma.loyaltyRedemption.findMany({ where: { shop, customerGid: { in: gids } }, orderBy: { createdAt: "asc" } }),
    ]);
    const rewardNames = new Map(
      (
        await prisma.loyaltyReward.findMany({ where: { shop, id: { in: [...new Set(redemptions.map((r) => r.rewardId))] } }, select: { id: true, name: true } })
      ).map((r) => [r.id, r.name]),
    );
    return [
      ...answers.map((a) => ({
        surveyAnswer: { orderGid: a.orderGid, questionId: a.questionId, kind: a.kind, score: a.score, answer: a.answer, createdAt: a.createdAt.toISOString() },
      })),
      ...profiles.map((p) => ({ customerProfile: { customerGid: p.customerGid, birthday: p.birthday } })),
      ...referralCodes.map((c) => ({ referralCode: { code: c.code, email: c.email, status: c.status, createdAt: c.createdAt.toISOString() } })),
      ...referrals.map((r) => ({
        referral: {
          role: gids.includes(r.advocateGid) ? "advocate" : "friend",
          friendOrderGid: r.friendOrderGid,
          friendEmail: r.friendEmail,
          status: r.status,
          revenueMinor: r.revenueMinor,
          currency: r.currency,
          createdAt: r.createdAt.toISOString(),
        },
      })),
      ...accounts.map((a) => ({ loyaltyAccount: { customerGid: a.customerGid, email: a.email, points: a.points, pending: a.pending, tier: a.tier } })),
      ...redemptions.map((r) => ({
        loyaltyRedemption: { reward: rewardNames.get(r.rewardId) ?? null, points: r.points, status: r.status, createdAt: r.createdAt.toISOString() },
      })),
      ...entries.map((e) => ({
        loyaltyEntry: { kind: e.kind, status: e.status, points: e.points, orderGid: e.orderGid, reason: e.reason, createdAt: e.createdAt.toISOString() },
      })),
      ...requests.map((r) => ({ reviewRequest: { orderGid: r.orderGid, status: r.status, sendAt: r.sendAt.toISOString() } })),
      ...rewards.map((r) => ({ rewardCode: { code: r.code, title: r.title, status: r.status, createdAt: r.createdAt.toISOString() } })),
      ...mail.map((m) => ({ mail: { to: m.to, subject: m.subject, text: m.text, status: m.status, createdAt: m.createdAt.toISOString() } })),
      ...reviews.map((r) => ({
        review: {
          productGid: r.productGid,
          orderGid: r.orderGid,
          authorName: r.authorName,
          email: r.email,
          rating: r.rating,
          title: r.title,
          body: r.body,
          status: r.status,
          reply: r.reply,
          createdAt: r.createdAt.toISOString(),
          photos: photos
            .filter((p) => p.reviewId === r.id)
            .map((p) => ({ id: p.id, contentType: p.contentType, bytes: p.size, createdAt: p.createdAt.toISOString() })),
        },
      })),
      ...suppressions.map((s) => ({ unsubscribed: { email: s.email, createdAt: s.createdAt.toISOString() } })),
    ];
  },
  async redact(shop, subject) {
    const gids = await customerGids(shop, subject);
    const email = subject.email ?? undefined;
    let changed = 0;
    for (const gid of gids) {
      const anonymous = anonymousCustomerId(shop, gid);
      changed += (await prisma.loyaltyEntry.updateMany({ where: { shop, customerGid: gid }, data: { customerGid: anonymous, reason: null, staff: null } }))
        .count;
      changed += (await prisma.loyaltyAccount.updateMany({ where: { shop, customerGid: gid }, data: { customerGid: anonymous, email: null } })).count;
      changed += (await prisma.loyaltyRedemption.updateMany({ where: { shop, customerGid: gid }, data: { customerGid: anonymous } })).count;
      changed += (await prisma.rewardCode.updateMany({ where: { shop, customerGid: gid }, data: { customerGid: anonymous, email: null } })).count;
      changed += (await prisma.flowRun.updateMany({ where: { shop, subjectGid: gid }, data: { subjectGid: anonymous } })).count;
      changed += (
        await prisma.merchantNotification.updateMany({
          where: { shop, subjectGid: gid },
          data: { message: "(redacted at the customer's request)", subjectGid: null },
        })
      ).count;
      changed += (await prisma.surveyAnswer.updateMany({ where: { shop, customerGid: gid }, data: { customerGid: null } })).count;
      changed += (await prisma.customerProfile.deleteMany({ where: { shop, customerGid: gid } })).count;
      changed += (await prisma.referralCode.updateMany({ where: { shop, customerGid: gid }, data: { customerGid: anonymous, email: null } })).count;
      changed += (await prisma.referral.updateMany({ where: { shop, advocateGid: gid }, data: { advocateGid: anonymous } })).count;
      changed += (await prisma.referral.updateMany({ where: { shop, friendCustomerGid: gid }, data: { friendCustomerGid: anonymous, friendEmail: null } }))
        .count;
    }
    if (email || subject.orderGids.length) {
      const asFriend = [...(email ? [{ friendEmail: email }] : []), ...(subject.orderGids.length ? [{ friendOrderGid: { in: subject.orderGids } }] : [])];
      changed += (await prisma.referral.updateMany({ where: { shop, OR: asFriend, friendEmail: { not: null } }, data: { friendEmail: null } })).count;
    }
    if (subject.orderGids.length) {
      changed += (
        await prisma.surveyAnswer.updateMany({ where: { shop, orderGid: { in: subject.orderGids }, customerGid: { not: null } }, data: { customerGid: null } })
      ).count;
    }
    const orderMatch = subject.orderGids.length ? [{ orderGid: { in: subject.orderGids } }] : [];
    // Reviews stay (their rating counts in the product's rating) but no longer say who wrote them.
    const reviews = await prisma.review.findMany({
      where: { shop, OR: [{ customerGid: { in: gids } }, ...(email ? [{ email }] : []), ...orderMatch] },
      select: { id: true },
    });
    if (reviews.length > 0) {
      const ids = reviews.map((r) => r.id);
      changed += (await prisma.reviewPhoto.deleteMany({ where: { shop, reviewId: { in: ids } } })).count;
      changed += (await prisma.review.updateMany({ where: { shop, id: { in: ids } }, data: { authorName: "", email: null, customerGid: null } })).count;
    }
    changed += (await prisma.reviewRequest.deleteMany({ where: { shop, OR: [{ customerGid: { in: gids } }, ...(email ? [{ email }] : []), ...orderMatch] } }))
      .count;
    if (subject.orderGids.length) {
      changed += (
        await prisma.merchantNotification.updateMany({
          where: { shop, subjectGid: { in: subject.orderGids } },
          data: { message: "(redacted at the customer's request)", subjectGid: null },
        })
      ).count;
    }
    if (email) {
      changed += (await prisma.referralCode.updateMany({ where: { shop, email }, data: { email: null } })).count;
      changed += (await prisma.rewardCode.updateMany({ where: { shop, email }, data: { email: null } })).count;
      changed += (await prisma.mailMessage.deleteMany({ where: { shop, to: email } })).count;
      changed += await redactSuppression(shop, email);
    }
    return changed;
  },
};

/** Referrals the subject is in: as the advocate, or as the friend (by customer, e-mail or order). */
function referralMatch(gids: string[], email: string | undefined, orderGids: string[]) {
  return [
    { advocateGid: { in: gids } },
    { friendCustomerGid: { in: gids } },
    ...(email ? [{ friendEmail: email }] : []),
    ...(orderGids.length ? [{ friendOrderGid: { in: orderGids } }] : []),
  ];
}

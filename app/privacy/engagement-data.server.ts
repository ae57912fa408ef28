// Personal data the engagement features keep (loyalty, review requests, reward codes, e-mail, notifications,
// flow runs), for customers/data_request and customers/redact. Redaction keeps the loyalty ledger's sums for
// the merchant's accounting but replaces the customer's id with an anonymous one and drops the e-mail.
import { createHash } from "node:crypto";
import { prisma } from "~/db.server";
import type { PersonalDataHolder } from "./privacy.server";
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
  }
  return [...gids];
}

export const engagementPersonalData: PersonalDataHolder = {
  name: "engagement",
  async export(shop, subject) {
    const gids = await customerGids(shop, subject);
    const email = subject.email ?? undefined;
    const [accounts, entries, requests, rewards, mail] = await Promise.all([
      prisma.loyaltyAccount.findMany({ where: { shop, customerGid: { in: gids } } }),
      prisma.loyaltyEntry.findMany({ where: { shop, customerGid: { in: gids } }, orderBy: { createdAt: "asc" } }),
      prisma.reviewRequest.findMany({ where: { shop, OR: [{ customerGid: { in: gids } }, ...(email ? [{ email }] : [])] } }),
      prisma.rewardCode.findMany({ where: { shop, OR: [{ customerGid: { in: gids } }, ...(email ? [{ email }] : [])] } }),
      email ? prisma.mailMessage.findMany({ where: { shop, to: email } }) : Promise.resolve([]),
    ]);
    return [
      ...accounts.map((a) => ({ loyaltyAccount: { customerGid: a.customerGid, email: a.email, points: a.points, pending: a.pending, tier: a.tier } })),
      ...entries.map((e) => ({ loyaltyEntry: { kind: e.kind, status: e.status, points: e.points, orderGid: e.orderGid, reason: e.reason, createdAt: e.createdAt.toISOString() } })),
      ...requests.map((r) => ({ reviewRequest: { orderGid: r.orderGid, status: r.status, sendAt: r.sendAt.toISOString() } })),
      ...rewards.map((r) => ({ rewardCode: { code: r.code, title: r.title, status: r.status, createdAt: r.createdAt.toISOString() } })),
      ...mail.map((m) => ({ mail: { to: m.to, subject: m.subject, text: m.text, status: m.status, createdAt: m.createdAt.toISOString() } })),
    ];
  },
  async redact(shop, subject) {
    const gids = await customerGids(shop, subject);
    const email = subject.email ?? undefined;
    let changed = 0;
    for (const gid of gids) {
      const anonymous = anonymousCustomerId(shop, gid);
      changed += (await prisma.loyaltyEntry.updateMany({ where: { shop, customerGid: gid }, data: { customerGid: anonymous, reason: null, staff: null } })).count;
      changed += (await prisma.loyaltyAccount.updateMany({ where: { shop, customerGid: gid }, data: { customerGid: anonymous, email: null } })).count;
      changed += (await prisma.rewardCode.updateMany({ where: { shop, customerGid: gid }, data: { customerGid: anonymous, email: null } })).count;
      changed += (await prisma.flowRun.updateMany({ where: { shop, subjectGid: gid }, data: { subjectGid: anonymous } })).count;
      changed += (await prisma.merchantNotification.updateMany({ where: { shop, subjectGid: gid }, data: { message: "(redacted at the customer's request)", subjectGid: null } })).count;
    }
    const orderMatch = subject.orderGids.length ? [{ orderGid: { in: subject.orderGids } }] : [];
    changed += (await prisma.reviewRequest.deleteMany({ where: { shop, OR: [{ customerGid: { in: gids } }, ...(email ? [{ email }] : []), ...orderMatch] } })).count;
    if (subject.orderGids.length) {
      changed += (await prisma.merchantNotification.updateMany({ where: { shop, subjectGid: { in: subject.orderGids } }, data: { message: "(redacted at the customer's request)", subjectGid: null } })).count;
    }
    if (email) {
      changed += (await prisma.rewardCode.updateMany({ where: { shop, email }, data: { email: null } })).count;
      changed += (await prisma.mailMessage.deleteMany({ where: { shop, to: email } })).count;
    }
    return changed;
  },
};

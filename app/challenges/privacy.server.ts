// Personal data the challenges keep (progress, counted facts, badges), for customers/data_request and
// customers/redact. Redaction deletes the customer's rows: a challenge's counts then no longer include them.
import { prisma } from "~/db/db.server";
import type { PersonalDataHolder } from "~/privacy/holders";
import type { PrivacySubject } from "~/privacy/subject";

async function customerGids(shop: string, subject: PrivacySubject): Promise<string[]> {
  const gids = new Set<string>(subject.customerGid ? [subject.customerGid] : []);
  if (subject.email) {
    const accounts = await prisma.loyaltyAccount.findMany({ where: { shop, email: subject.email }, select: { customerGid: true } });
    accounts.forEach((a) => gids.add(a.customerGid));
  }
  return [...gids];
}

export const challengesPersonalData: PersonalDataHolder = {
  name: "challenges",
  async export(shop, subject) {
    const gids = await customerGids(shop, subject);
    if (gids.length === 0) return [];
    const where = { shop, customerGid: { in: gids } };
    const [progress, badges] = await Promise.all([prisma.challengeProgress.findMany({ where }), prisma.customerBadge.findMany({ where })]);
    return [...progress.map((p) => ({ type: "challengeProgress", ...p })), ...badges.map((b) => ({ type: "badge", ...b }))];
  },
  async redact(shop, subject) {
    const gids = await customerGids(shop, subject);
    if (gids.length === 0) return 0;
    const where = { shop, customerGid: { in: gids } };
    const [facts, progress, badges] = await prisma.$transaction([
      prisma.challengeFact.deleteMany({ where }),
      prisma.challengeProgress.deleteMany({ where }),
      prisma.customerBadge.deleteMany({ where }),
    ]);
    return facts.count + progress.count + badges.count;
  },
};

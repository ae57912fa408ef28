// The checkouts a customer left are personal data (their e-mail, the link to their cart): exported by
// customers/data_request and deleted by customers/redact, matched by customer id or e-mail, one shop only.
import { prisma } from "~/db/db.server";
import type { PersonalDataHolder } from "~/privacy/holders";
import type { PrivacySubject } from "~/privacy/subject";

function whose(shop: string, subject: PrivacySubject) {
  const or = [
    ...(subject.customerGid ? [{ customerGid: subject.customerGid }] : []),
    ...(subject.email ? [{ email: subject.email.trim().toLowerCase() }] : []),
  ];
  return or.length ? { shop, OR: or } : null;
}

export const checkoutsPersonalData: PersonalDataHolder = {
  name: "abandonedCheckouts",
  async export(shop, subject) {
    const where = whose(shop, subject);
    if (!where) return [];
    return prisma.abandonedCheckout.findMany({
      where,
      select: {
        token: true,
        email: true,
        totalMinor: true,
        currency: true,
        lineCount: true,
        status: true,
        shopifyUpdatedAt: true,
        completedAt: true,
        orderGid: true,
      },
    });
  },
  async redact(shop, subject) {
    const where = whose(shop, subject);
    if (!where) return 0;
    return (await prisma.abandonedCheckout.deleteMany({ where })).count;
  },
};

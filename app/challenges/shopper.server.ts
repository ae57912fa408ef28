// What the shopper's blocks show about challenges: for each enabled challenge whose season has not ended, what is
// left ("1 more order for the Autumn badge") or the badge earned. Progress as last stored by the subscriber.
import { prisma } from "~/db/db.server";
import { now } from "~/lib/time/clock.server";
import type { ChallengeKind } from "./progress";
import { challengeLine, type ChallengeLine } from "./shopper";

export async function challengeLinesFor(shop: string, customerGid: string, locale: string | null): Promise<ChallengeLine[]> {
  const at = now();
  const [challenges, progress, shopRow] = await Promise.all([
    prisma.challenge.findMany({ where: { shop, enabled: true }, orderBy: { createdAt: "asc" } }),
    prisma.challengeProgress.findMany({ where: { shop, customerGid } }),
    prisma.shop.findUnique({ where: { domain: shop }, select: { currencyCode: true } }),
  ]);
  const currency = shopRow?.currencyCode ?? "USD";
  return challenges.flatMap((c) => {
    const mine = progress.find((p) => p.challengeId === c.id);
    const completed = mine?.completedAt != null;
    if (!completed && ((c.endsAt && c.endsAt <= at) || (c.startsAt && c.startsAt > at))) return [];
    const remaining = Math.max(0, c.goal - (mine?.current ?? 0));
    return [
      challengeLine(
        { challengeId: c.id, kind: c.kind as ChallengeKind, streak: c.streak === "monthly", badge: c.badge, remaining, completed, currency },
        locale,
      ),
    ];
  });
}

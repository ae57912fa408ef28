// Domain events → challenge progress: the "challenges" subscriber of the domain-event bus (registered in
// app/app.server.ts after loyalty, before flows). Each event becomes a ChallengeFact per challenge it matters to,
// stored once by (challenge, event key) — the unique index — in one transaction with the recomputed progress, the
// completion (set once: completedAt is never cleared), the customer's badge, the `challenge.completed` domain event
// and the reward job. A redelivered or re-dispatched event finds its fact stored and changes nothing; a crash
// before the commit leaves nothing, and the event is offered again. A failure never holds up the flows: the event
// is queued for a `challenges.event` job that retries it with backoff.
import { prisma } from "~/db/db.server";
import { scheduleDomainEventDispatch } from "~/domain-events/dispatch.server";
import { recordDomainEvents } from "~/domain-events/record.server";
import { getJobQueue, logJobError, transactionWithJobs } from "~/jobs/index.server";
import type { JobContext } from "~/jobs/queue";
import { now } from "~/lib/time/clock.server";
import { shopTimeZone } from "~/lib/time/shop-clock.server";
import { fetchEarnOrder } from "~/loyalty/order-facts.server";
import {
  CHALLENGE_COMPLETED,
  CHALLENGE_EVENT_JOB,
  CHALLENGE_REWARD_JOB,
  challengeCompletedKey,
  challengeEventJobKey,
  challengeRewardKey,
  rewardJobKey,
} from "./jobs";
import { computeProgress, factMatters, type ChallengeFact, type ChallengeKind, type ChallengeRules } from "./progress";

export interface ChallengeEventInput {
  kind: string;
  key: string;
  subjectGid: string;
  occurredAt: Date;
  /** JSON text, as stored. */
  payload: string;
}

type ChallengeRow = NonNullable<Awaited<ReturnType<typeof prisma.challenge.findFirst>>>;

const ORDER_KINDS: ChallengeKind[] = ["orders_count", "spend", "collection_purchase"];
const KINDS_BY_EVENT: Record<string, ChallengeKind[]> = {
  "order.paid": ORDER_KINDS,
  "refund.issued": ORDER_KINDS,
  "order.cancelled": ORDER_KINDS,
  "review.submitted": ["review_with_photo"],
  "referral.completed": ["referral"],
  "survey.answered": ["survey_answered"],
};

export function isChallengeEvent(kind: string): boolean {
  return kind in KINDS_BY_EVENT;
}

interface Target {
  challenge: ChallengeRow;
  customerGid: string;
  fact: ChallengeFact;
}

const text = (value: unknown) => (typeof value === "string" && value ? value : null);

function parse(payload: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(payload);
    return typeof value === "object" && value !== null ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** Which challenges and customers an event counts for, and as what fact. Reads only. */
async function targetsFor(shop: string, event: ChallengeEventInput): Promise<Target[]> {
  const kinds = KINDS_BY_EVENT[event.kind];
  if (!kinds) return [];
  const payload = parse(event.payload);
  const at = event.occurredAt.toISOString();
  const orderGid = text(payload.orderGid) ?? (event.subjectGid.includes("/Order/") ? event.subjectGid : null);

  if (event.kind === "refund.issued" || event.kind === "order.cancelled") {
    // Follows the order into every challenge it was counted in (enabled or not: the record stays right).
    if (!orderGid) return [];
    const counted = await prisma.challengeFact.findMany({ where: { shop, orderGid, type: "order" }, select: { challengeId: true, customerGid: true } });
    if (counted.length === 0) return [];
    const challenges = await prisma.challenge.findMany({ where: { shop, id: { in: counted.map((c) => c.challengeId) } } });
    const fact: ChallengeFact =
      event.kind === "refund.issued"
        ? { type: "refund", key: event.key, at, orderGid, amountMinor: Math.max(0, Math.trunc(Number(payload.amountMinor ?? 0)) || 0) }
        : { type: "cancel", key: event.key, at, orderGid };
    return counted.flatMap((c) => {
      const challenge = challenges.find((ch) => ch.id === c.challengeId);
      return challenge ? [{ challenge, customerGid: c.customerGid, fact }] : [];
    });
  }

  const challenges = await prisma.challenge.findMany({ where: { shop, enabled: true, kind: { in: kinds } } });
  if (challenges.length === 0) return [];
  let customerGid: string | null = null;
  let fact: ChallengeFact;
  switch (event.kind) {
    case "order.paid": {
      if (!orderGid) return [];
      const order = await prisma.orderState.findUnique({ where: { shop_orderGid: { shop, orderGid } } });
      // Shopify's test orders count in no figure, nor here.
      if (!order || order.test) return [];
      customerGid = text(payload.customerGid) ?? order.customerGid;
      if (!customerGid) return [];
      let collectionGids: string[] = [];
      if (challenges.some((c) => c.kind === "collection_purchase")) {
        const earn = await fetchEarnOrder(shop, orderGid, true);
        collectionGids = [...new Set((earn?.lines ?? []).flatMap((l) => l.collectionGids))].sort();
      }
      fact = {
        type: "order",
        key: event.key,
        at: (order.processedAt ?? event.occurredAt).toISOString(),
        orderGid,
        subtotalMinor: order.subtotalMinor ?? 0,
        totalMinor: order.totalMinor ?? 0,
        collectionGids,
      };
      break;
    }
    case "review.submitted": {
      customerGid = text(payload.customerGid);
      const reviewId = text(payload.reviewId);
      const photos = reviewId ? await prisma.reviewPhoto.count({ where: { shop, reviewId } }) : 0;
      fact = { type: "review", key: event.key, at, withPhoto: photos > 0 };
      break;
    }
    case "referral.completed":
      customerGid = text(payload.advocateGid) ?? (event.subjectGid.includes("/Customer/") ? event.subjectGid : null);
      fact = { type: "referral", key: event.key, at };
      break;
    default:
      customerGid = text(payload.customerGid);
      fact = { type: "survey", key: event.key, at, orderGid };
  }
  if (!customerGid) return [];
  const who = customerGid;
  return challenges.map((challenge) => ({ challenge, customerGid: who, fact }));
}

export function rulesOf(challenge: ChallengeRow, timeZone: string): ChallengeRules {
  return {
    kind: challenge.kind as ChallengeKind,
    goal: challenge.goal,
    windowDays: challenge.windowDays,
    // Without a season start, the challenge counts from when it was created — from that whole second, as
    // Shopify's timestamps have whole seconds (an order paid in the same second counts).
    startsAt: (challenge.startsAt ?? new Date(Math.floor(challenge.createdAt.getTime() / 1000) * 1000)).toISOString(),
    endsAt: challenge.endsAt ? challenge.endsAt.toISOString() : null,
    streak: challenge.streak === "monthly" ? "monthly" : null,
    collectionGid: challenge.collectionGid,
    timeZone,
  };
}

export function factOf(row: { data: string }): ChallengeFact {
  return JSON.parse(row.data) as ChallengeFact;
}

/** Applies one event to every challenge it matters to. Safe to repeat. Answers how many challenges it completed. */
export async function applyChallengeEvent(shop: string, event: ChallengeEventInput): Promise<number> {
  if (!isChallengeEvent(event.kind)) return 0;
  const targets = (await targetsFor(shop, event)).filter((t) => factMatters(t.challenge.kind as ChallengeKind, t.fact));
  if (targets.length === 0) return 0;
  const timeZone = await shopTimeZone(shop);
  const completed = await withRetry(() =>
    transactionWithJobs(async (tx, enqueue) => {
      let done = 0;
      for (const { challenge, customerGid, fact } of targets) {
        const where = { shop_challengeId_eventKey: { shop, challengeId: challenge.id, eventKey: fact.key } };
        if (await tx.challengeFact.findUnique({ where, select: { id: true } })) continue;
        await tx.challengeFact.create({
          data: {
            shop,
            challengeId: challenge.id,
            customerGid,
            eventKey: fact.key,
            type: fact.type,
            orderGid: "orderGid" in fact ? fact.orderGid : null,
            occurredAt: new Date(fact.at),
            data: JSON.stringify(fact),
          },
        });
        const progressKey = { shop_challengeId_customerGid: { shop, challengeId: challenge.id, customerGid } };
        const progress = await tx.challengeProgress.findUnique({ where: progressKey });
        // Completed stays completed (progress.ts): later facts are kept for the record only.
        if (progress?.completedAt) continue;
        const facts = await tx.challengeFact.findMany({ where: { shop, challengeId: challenge.id, customerGid }, select: { data: true } });
        const result = computeProgress(rulesOf(challenge, timeZone), facts.map(factOf), now().toISOString());
        const row = await tx.challengeProgress.upsert({
          where: progressKey,
          create: { shop, challengeId: challenge.id, customerGid, current: result.current, goal: challenge.goal },
          update: { current: result.current, goal: challenge.goal },
        });
        if (!result.completedAt) continue;
        const rewarded = challenge.rewardKind === "points" || challenge.rewardKind === "code";
        const claimed = await tx.challengeProgress.updateMany({
          where: { shop, id: row.id, completedAt: null },
          data: {
            completedAt: new Date(result.completedAt),
            rewardStatus: rewarded ? "pending" : "none",
            rewardKey: rewarded ? challengeRewardKey(challenge.id, customerGid) : null,
          },
        });
        if (claimed.count === 0) continue;
        done++;
        await tx.customerBadge.create({
          data: { shop, customerGid, badge: challenge.badge, challengeId: challenge.id, awardedAt: new Date(result.completedAt) },
        });
        await recordDomainEvents(tx, shop, [
          {
            kind: CHALLENGE_COMPLETED,
            key: challengeCompletedKey(challenge.id, customerGid),
            subjectGid: customerGid,
            occurredAt: result.completedAt,
            payload: { customerGid, challengeId: challenge.id, challengeName: challenge.name, badge: challenge.badge, completedAt: result.completedAt },
          },
        ]);
        if (rewarded) await enqueue({ name: CHALLENGE_REWARD_JOB, shop, payload: { progressId: row.id }, key: rewardJobKey(row.id) });
      }
      return done;
    }),
  );
  if (completed > 0) await scheduleDomainEventDispatch(shop);
  return completed;
}

/** A lost race (the same fact inserted by another dispatcher: P2002; a write conflict: P2034) is run again. */
async function withRetry<T>(work: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      const code = (error as { code?: string } | null)?.code;
      if ((code !== "P2002" && code !== "P2034") || attempt >= 5) throw error;
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 10 * attempt));
    }
  }
}

/** The challenges subscriber of the domain-event bus: applies the event, or on failure queues it for the retry job (never throws). */
export async function applyChallengeEventOrQueue(shop: string, event: ChallengeEventInput): Promise<void> {
  if (!isChallengeEvent(event.kind)) return;
  try {
    await applyChallengeEvent(shop, event);
  } catch (error) {
    logJobError(error, { id: event.key, name: "challenges.apply", shop, attempt: 1 });
    await getJobQueue().enqueue({ name: CHALLENGE_EVENT_JOB, shop, payload: { eventKey: event.key }, key: challengeEventJobKey(event.key) });
  }
}

/** The `challenges.event` job: applies a stored domain event again (throws to retry with backoff). */
export async function runChallengeEventJob(job: JobContext): Promise<void> {
  const eventKey = (job.payload as { eventKey?: unknown } | null)?.eventKey;
  if (typeof eventKey !== "string") return;
  const event = await prisma.domainEvent.findUnique({ where: { shop_key: { shop: job.shop, key: eventKey } } });
  if (event) await applyChallengeEvent(job.shop, event);
}

// The merchant's side of rewards: approve one that waited (e.g. the detractor-alert apology) or decline it, and
// retry or cancel one Shopify refused. Approving or retrying creates the code in Shopify now (valid from now)
// and e-mails it if the flow said so; a refusal never leaves the reward half-way: it ends `failed` with Shopify's
// reason, its flow step failed with it, and the dashboard offers Retry and Cancel. The flow step that made the
// reward and its "waiting for your approval" notice follow every decision, so the run log tells what happened.
import { prisma } from "~/db/db.server";
import { queueRewardMail } from "~/mail/reward-mail.server";
import { formatRewardValue } from "~/mail/values";
import { STUCK_AFTER_MS, stuckSince } from "~/lib/stuck";
import { shopifyErrorMessage } from "~/shopify/admin-api/errors";
import { getJobQueue } from "~/jobs/index.server";
import { REVIEW_INCENTIVE_JOB, reviewIncentiveJobKey } from "~/reviews/jobs";
import { codeExistsInShopify, createInShopify, failRewardCode, moveRewardCode, rewardMailKey } from "./reward-codes.server";

/** The id is not one of this shop's rewards or notices (the route answers 404). */
export class AttentionItemNotFoundError extends Error {
  override name = "AttentionItemNotFoundError";
  constructor(id: string) {
    super(`Nothing to act on with id ${id}`);
  }
}

type RewardRow = NonNullable<Awaited<ReturnType<typeof prisma.rewardCode.findFirst>>>;

/** What a click did: done, or why nothing could be done (the page shows the reason). */
export type RewardDecision = { ok: true; reward: RewardRow } | { ok: false; reason: string; reward: RewardRow };

/**
 * Loyalty redemptions own their codes: a failed one gave the points back, so it is not the merchant's to retry.
 * Referral rewards are retried or cancelled with their referral on the Referrals page (app/referrals/recovery.server.ts).
 */
const MERCHANT_ACTIONABLE = { NOT: [{ key: { startsWith: "redeem:" } }, { key: { startsWith: "referral:" } }] };

/** A reward still `creating` STUCK_AFTER_MS after its last change was left by a request or worker that died. */
const stuckCreating = () => ({ status: "creating", updatedAt: { lt: new Date(Date.now() - STUCK_AFTER_MS) } });

export async function approveReward(shop: string, id: string): Promise<RewardDecision> {
  const { row, moved } = await moveRewardCode(shop, id, ["awaiting_approval"], "creating");
  if (!row) throw new AttentionItemNotFoundError(id);
  if (!moved) return { ok: false, reason: notWaiting(row), reward: row };
  return createAndSend(shop, row, "approved");
}

export async function declineReward(shop: string, id: string): Promise<RewardDecision> {
  const { row, moved } = await moveRewardCode(shop, id, ["awaiting_approval"], "declined");
  if (!row) throw new AttentionItemNotFoundError(id);
  if (!moved) return { ok: false, reason: notWaiting(row), reward: row };
  await settleStep(shop, row.key, "skipped", "Reward declined by the merchant", null);
  await readNotice(shop, row.key);
  return { ok: true, reward: row };
}

/** Tries a failed (or stuck) reward again: the code is created in Shopify now, then e-mailed as promised. */
export async function retryReward(shop: string, id: string): Promise<RewardDecision> {
  const row = await actionableRow(shop, id);
  if (!retryable(row)) return { ok: false, reason: notRetryable(row), reward: row };
  // Compare-and-set on what was read, its last change included: of two clicks on a reward stuck `creating`
  // (creating → creating), only the first moves it, so Shopify is asked once.
  const { row: moved, moved: ok } = await moveRewardCode(shop, id, [row.status], "creating", null, row.updatedAt);
  if (!ok || !moved) return { ok: false, reason: notRetryable(moved ?? row), reward: moved ?? row };
  return createAndSend(shop, moved, "retried");
}

/**
 * Gives up on a failed (or stuck) reward: it is cancelled, nothing is e-mailed, its flow step says so. A code
 * that did reach Shopify after all is not cancelled silently (the customer may already hold it): Retry finishes it.
 */
export async function cancelReward(shop: string, id: string): Promise<RewardDecision> {
  const row = await actionableRow(shop, id);
  if (!retryable(row)) return { ok: false, reason: notRetryable(row), reward: row };
  try {
    if (await codeExistsInShopify(shop, row.code))
      return { ok: false, reason: `The code ${row.code} exists in Shopify after all: choose Retry to finish it.`, reward: row };
  } catch (error) {
    return { ok: false, reason: `Could not check Shopify for the code, nothing was cancelled: ${shopifyErrorMessage(error)}`, reward: row };
  }
  const { row: cancelled, moved } = await moveRewardCode(shop, id, [row.status], "cancelled", row.error, row.updatedAt);
  if (!moved || !cancelled) return { ok: false, reason: notRetryable(cancelled ?? row), reward: cancelled ?? row };
  await settleStep(shop, row.key, "skipped", `Reward ${row.code} cancelled by the merchant${row.error ? ` after: ${row.error}` : ""}`, null);
  await readNotice(shop, row.key);
  return { ok: true, reward: cancelled };
}

async function createAndSend(shop: string, row: RewardRow, verb: "approved" | "retried"): Promise<RewardDecision> {
  let created: RewardRow;
  try {
    created = await createInShopify(shop, row.id);
  } catch (error) {
    const reason = shopifyErrorMessage(error);
    await failRewardCode(shop, row.id, reason);
    await settleStep(shop, row.key, "failed", `Reward ${row.code} could not be created in Shopify`, reason);
    // The dashboard now shows the failure with Retry and Cancel instead of "waiting for your approval".
    await readNotice(shop, row.key);
    return { ok: false, reason: `Shopify did not create the code: ${reason}`, reward: (await prisma.rewardCode.findFirst({ where: { id: row.id, shop } }))! };
  }
  if (created.emailCustomer && created.email) await mailCode(shop, created);
  await settleReviewIncentive(shop, created.key);
  await settleStep(
    shop,
    created.key,
    "done",
    `Reward ${created.code} ${verb} and created in Shopify${created.emailCustomer && created.email ? `, e-mailed to ${created.email}` : ""}`,
    null,
  );
  await readNotice(shop, created.key);
  return { ok: true, reward: created };
}

async function mailCode(shop: string, row: RewardRow) {
  const shopRow = await prisma.shop.findUnique({ where: { domain: shop }, select: { name: true, ianaTimezone: true } });
  const offer = formatRewardValue({ kind: row.kind, value: row.value, currency: row.currency ?? "USD" }, row.locale);
  // A flow's own offer is marketing, sent only with consent; a reward answering a survey is an apology, and
  // transactional (queueRewardMail). Keyed by the reward: approving, retrying or clicking twice queues one message.
  const runId = row.key.startsWith("flow:") ? row.key.split(":")[1] : undefined;
  const run = runId ? await prisma.flowRun.findFirst({ where: { shop, id: runId }, select: { eventKind: true } }) : null;
  await queueRewardMail({
    shop,
    key: rewardMailKey(row.key),
    to: row.email!,
    locale: row.locale,
    eventKind: run?.eventKind,
    customerGid: row.customerGid,
    shopName: shopRow?.name ?? shop,
    firstName: row.firstName,
    code: row.code,
    offer,
    expires: row.endsAt ? row.endsAt.toLocaleDateString(row.locale ?? "en", { timeZone: shopRow?.ianaTimezone ?? "UTC", dateStyle: "long" }) : null,
  });
}

async function actionableRow(shop: string, id: string): Promise<RewardRow> {
  const row = await prisma.rewardCode.findFirst({ where: { id, shop } });
  if (!row) throw new AttentionItemNotFoundError(id);
  return row;
}

function retryable(row: RewardRow): boolean {
  if (row.key.startsWith("redeem:") || row.key.startsWith("referral:")) return false;
  if (row.status === "failed") return true;
  return row.status === "creating" && stuckSince(row.updatedAt);
}

function notWaiting(row: RewardRow): string {
  return `This reward is no longer waiting for approval (it is ${STATUS_WORDS[row.status] ?? row.status}).`;
}

function notRetryable(row: RewardRow): string {
  if (row.key.startsWith("redeem:")) return "This reward belongs to a loyalty redemption: its points were given back.";
  if (row.key.startsWith("referral:")) return "This reward belongs to a referral: retry or cancel it on the Referrals page.";
  if (row.status === "creating") return "This reward is being created right now.";
  return `Only a reward that could not be created can be retried or cancelled (this one is ${STATUS_WORDS[row.status] ?? row.status}).`;
}

const STATUS_WORDS: Record<string, string> = {
  awaiting_approval: "waiting for approval",
  creating: "being created",
  created: "created",
  declined: "declined",
  failed: "failed",
  cancelled: "cancelled",
};

/** Reward keys made by flows are "flow:<run>:<step>": mark that step's outcome. */
async function settleStep(shop: string, key: string, status: string, summary: string, error: string | null) {
  const match = /^flow:([^:]+):(\d+)$/.exec(key);
  if (!match) return;
  await prisma.actionRun.updateMany({
    where: { shop, runId: match[1]!, stepIndex: Number(match[2]), status: { in: ["awaiting_approval", "failed"] } },
    data: { status, summary: summary.slice(0, 500), error, finishedAt: status === "failed" ? null : new Date() },
  });
}

/**
 * A review's code ("review:<review id>") created on the merchant's retry: the review's reward job runs again and
 * records the code on the review in place of Shopify's earlier refusal (its mail has the key mailCode used).
 */
async function settleReviewIncentive(shop: string, key: string) {
  const match = /^review:([^:]+)$/.exec(key);
  if (!match) return;
  await getJobQueue().enqueue({
    name: REVIEW_INCENTIVE_JOB,
    shop,
    payload: { reviewId: match[1]! },
    key: reviewIncentiveJobKey(match[1]!, `reward-retried:${Date.now()}`),
  });
}

/** The "waiting for your approval" notice of a reward (key "<reward key>:approval") is answered by any decision. */
async function readNotice(shop: string, rewardKey: string) {
  await prisma.merchantNotification.updateMany({ where: { shop, key: `${rewardKey}:approval`, readAt: null }, data: { readAt: new Date() } });
}

/** What the dashboard shows the merchant: unread notifications, rewards waiting for a decision, rewards that failed. */
export async function attentionItems(shop: string) {
  const [notifications, awaiting, failed] = await Promise.all([
    prisma.merchantNotification.findMany({ where: { shop, readAt: null }, orderBy: { createdAt: "desc" }, take: 10 }),
    prisma.rewardCode.findMany({ where: { shop, status: "awaiting_approval" }, orderBy: { createdAt: "desc" }, take: 20 }),
    prisma.rewardCode.findMany({
      where: { shop, ...MERCHANT_ACTIONABLE, OR: [{ status: "failed" }, stuckCreating()] },
      orderBy: { updatedAt: "desc" },
      take: 20,
    }),
  ]);
  const reward = (r: RewardRow) => ({
    id: r.id,
    email: r.email,
    kind: r.kind,
    value: r.value,
    currency: r.currency,
    title: r.title,
    code: r.code,
    createdAt: r.createdAt.toISOString(),
  });
  return {
    notifications: notifications.map((n) => ({ id: n.id, severity: n.severity, message: n.message, createdAt: n.createdAt.toISOString() })),
    awaiting: awaiting.map(reward),
    failed: failed.map((r) => ({
      ...reward(r),
      status: r.status,
      error: r.status === "creating" ? "Creation was interrupted (the app stopped before Shopify answered)." : (r.error ?? "Unknown error"),
    })),
  };
}

export async function markNotificationRead(shop: string, id: string): Promise<void> {
  const note = await prisma.merchantNotification.findFirst({ where: { id, shop }, select: { id: true } });
  if (!note) throw new AttentionItemNotFoundError(id);
  await prisma.merchantNotification.updateMany({ where: { id, shop, readAt: null }, data: { readAt: new Date() } });
}

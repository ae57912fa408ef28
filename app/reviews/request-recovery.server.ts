// The merchant's way out of a review request that failed or got stuck (the Reviews page's Requests tab): Retry
// queues one more `reviews.send` job, Cancel ends the request `cancelled` — never sent, and its reminders stop.
// Both are compare-and-set updates of the request's status, and the send and remind jobs only act on a request
// still `scheduled` / `sent` (moving it in the same transaction that queues the e-mail, whose key is the request),
// so however many jobs a request has, its e-mail goes out once and a cancelled request sends nothing.
import { prisma } from "~/db/db.server";
import { transactionWithJobs } from "~/jobs/index.server";
import { STUCK_AFTER_MS } from "~/lib/stuck";
import { now } from "~/lib/time/clock.server";
import { REVIEW_SEND_JOB, reviewSendJobKey } from "./jobs";

/** The id is not one of this shop's review requests (the route answers 404). */
export class ReviewRequestNotFoundError extends Error {
  override name = "ReviewRequestNotFoundError";
  constructor(id: string) {
    super(`No review request ${id}`);
  }
}

type RequestRow = NonNullable<Awaited<ReturnType<typeof prisma.reviewRequest.findFirst>>>;
type Row = Pick<RequestRow, "status" | "sendAt" | "updatedAt" | "nextAt">;
export type RequestDecision = { ok: true } | { ok: false; reason: string };

/**
 * A request still `scheduled` STUCK_AFTER_MS after its send time, untouched for as long, was left by a send job
 * that died (a send takes seconds). Its send time is on the app clock, its last change in real time: both must be
 * this old, so a sandbox clock moved forward does not make a request that is about to go out look stuck.
 */
export function stuckScheduled(row: Row, appNow: Date = now()): boolean {
  return row.status === "scheduled" && row.sendAt.getTime() < appNow.getTime() - STUCK_AFTER_MS && row.updatedAt.getTime() < Date.now() - STUCK_AFTER_MS;
}

/** Retry for a failed or stuck request; Cancel for those, any request not sent yet, and a sent one with reminders to come. */
export function requestActions(row: Row, appNow: Date = now()): { retry: boolean; cancel: boolean } {
  const retry = row.status === "failed" || stuckScheduled(row, appNow);
  return { retry, cancel: retry || row.status === "scheduled" || (row.status === "sent" && row.nextAt !== null) };
}

export async function retryReviewRequest(shop: string, id: string): Promise<RequestDecision> {
  const row = await load(shop, id);
  if (!requestActions(row).retry) return { ok: false, reason: refusal(row, "retried") };
  const sendAt = now();
  const moved = await transactionWithJobs(async (tx, enqueue) => {
    const { count } = await tx.reviewRequest.updateMany({
      where: { id: row.id, shop, status: row.status, updatedAt: row.updatedAt },
      data: { status: "scheduled", sendAt, reason: null },
    });
    if (count === 0) return false;
    // A fresh key: the request's first job may still be kept (dead or done), and a duplicate key would be a no-op.
    await enqueue({
      name: REVIEW_SEND_JOB,
      shop,
      payload: { requestId: row.id, basisAt: null },
      key: `${reviewSendJobKey(row.id, sendAt)}:retry:${Date.now()}`,
      runAt: sendAt,
    });
    return true;
  });
  return moved ? { ok: true } : { ok: false, reason: refusal(await load(shop, id), "retried") };
}

export async function cancelReviewRequest(shop: string, id: string): Promise<RequestDecision> {
  const row = await load(shop, id);
  if (!requestActions(row).cancel) return { ok: false, reason: refusal(row, "cancelled") };
  const why =
    row.status === "sent"
      ? `Reminders cancelled by the merchant after ${row.reminders} of them; the request itself was sent.`
      : `Cancelled by the merchant, never sent${row.reason ? ` (after: ${row.reason})` : ""}`;
  const { count } = await prisma.reviewRequest.updateMany({
    where: { id: row.id, shop, status: row.status, updatedAt: row.updatedAt },
    data: { status: "cancelled", reason: why.slice(0, 1000), nextAt: null },
  });
  return count > 0 ? { ok: true } : { ok: false, reason: refusal(await load(shop, id), "cancelled") };
}

async function load(shop: string, id: string): Promise<RequestRow> {
  const row = id ? await prisma.reviewRequest.findFirst({ where: { id, shop } }) : null;
  if (!row) throw new ReviewRequestNotFoundError(id);
  return row;
}

function refusal(row: RequestRow, verb: "retried" | "cancelled"): string {
  switch (row.status) {
    case "sent":
      return verb === "retried"
        ? "This request was already sent; it is never sent a second time."
        : "This request was already sent and has no reminders left to stop.";
    case "scheduled":
      return verb === "retried" ? "This request is waiting for its send time; it will be sent then." : "This request cannot be cancelled now.";
    case "cancelled":
      return "This request was cancelled and is never sent.";
    case "skipped":
      return `This request was skipped (${row.reason ?? "nothing to ask about"}) and is not sent.`;
    default:
      return `This request cannot be ${verb} (it is ${row.status}).`;
  }
}

export const REQUEST_STATUS_LABELS: Record<string, string> = {
  scheduled: "Scheduled",
  sent: "Sent",
  skipped: "Skipped",
  failed: "Not sent",
  cancelled: "Cancelled",
};

export interface ListedReviewRequest {
  id: string;
  orderName: string | null;
  email: string | null;
  status: string;
  statusLabel: string;
  reason: string | null;
  sendAt: string;
  sentAt: string | null;
  reminders: number;
  nextAt: string | null;
  actions: { retry: boolean; cancel: boolean };
}

/** The shop's requests for the Requests tab: those needing the merchant first (failed, stuck), then the newest. */
export async function listReviewRequests(shop: string, limit = 50): Promise<ListedReviewRequest[]> {
  const appNow = now();
  const stuckBefore = new Date(appNow.getTime() - STUCK_AFTER_MS);
  const [attention, recent] = await Promise.all([
    prisma.reviewRequest.findMany({
      where: {
        shop,
        OR: [{ status: "failed" }, { status: "scheduled", sendAt: { lt: stuckBefore }, updatedAt: { lt: new Date(Date.now() - STUCK_AFTER_MS) } }],
      },
      orderBy: { updatedAt: "desc" },
      take: limit,
    }),
    prisma.reviewRequest.findMany({ where: { shop }, orderBy: [{ createdAt: "desc" }, { id: "desc" }], take: limit }),
  ]);
  const rows = [...attention, ...recent.filter((r) => !attention.some((a) => a.id === r.id))].slice(0, limit);
  const orders = await prisma.orderState.findMany({ where: { shop, orderGid: { in: rows.map((r) => r.orderGid) } }, select: { orderGid: true, name: true } });
  const names = new Map(orders.map((o) => [o.orderGid, o.name]));
  return rows.map((r) => {
    const stuck = stuckScheduled(r, appNow);
    return {
      id: r.id,
      orderName: names.get(r.orderGid) ?? null,
      email: r.email,
      status: r.status,
      statusLabel: stuck ? "Not sent (stuck)" : (REQUEST_STATUS_LABELS[r.status] ?? r.status),
      reason: stuck ? `Not sent: its send job stopped before sending${r.reason ? ` (last: ${r.reason})` : ""}.` : r.reason,
      sendAt: r.sendAt.toISOString(),
      sentAt: r.sentAt?.toISOString() ?? null,
      reminders: r.reminders,
      nextAt: r.nextAt?.toISOString() ?? null,
      actions: requestActions(r, appNow),
    };
  });
}

/** How many requests wait for the merchant (failed or stuck): the Requests tab's count. */
export function reviewRequestsNeedingAttention(shop: string): Promise<number> {
  const stuckBefore = new Date(now().getTime() - STUCK_AFTER_MS);
  return prisma.reviewRequest.count({
    where: {
      shop,
      OR: [{ status: "failed" }, { status: "scheduled", sendAt: { lt: stuckBefore }, updatedAt: { lt: new Date(Date.now() - STUCK_AFTER_MS) } }],
    },
  });
}

// At a reinstall (shops/install-hooks.ts): app/uninstalled cancelled the shop's review send and reminder jobs, so
// every request still `scheduled` gets a send job at its send time, and every sent one with a reminder to come a
// reminder job at that time. Keyed by the uninstall (reinstallJobKey): once however often auth runs. The jobs act
// only on a request still scheduled / due, moving it in the transaction that queues its e-mail (keyed by the
// request), so one that another job sends first is never sent twice. The send job's fulfilment basis is not kept
// on the request: a request queued again is sent without checking whether its shipment changed during the wait,
// as a merchant's Retry is. Every query filters by shop.
import { prisma } from "~/db/db.server";
import { enqueueForRows } from "~/jobs/requeue.server";
import { reinstallJobKey } from "~/shops/install-hooks";
import { REVIEW_REMIND_JOB, REVIEW_SEND_JOB, reviewRemindJobKey, reviewSendJobKey } from "./jobs";

export function requeueReviewRequests(shop: string, uninstalledAt: Date): Promise<number> {
  return enqueueForRows(
    (after, take) =>
      prisma.reviewRequest.findMany({
        where: { shop, OR: [{ status: "scheduled" }, { status: "sent", nextAt: { not: null } }], ...(after ? { id: { gt: after } } : {}) },
        orderBy: { id: "asc" },
        take,
        select: { id: true, status: true, sendAt: true, reminders: true, nextAt: true },
      }),
    (requests) =>
      requests.map((r) =>
        r.status === "scheduled"
          ? {
              name: REVIEW_SEND_JOB,
              shop,
              payload: { requestId: r.id, basisAt: null },
              key: reinstallJobKey(reviewSendJobKey(r.id, r.sendAt), uninstalledAt),
              runAt: r.sendAt,
            }
          : {
              name: REVIEW_REMIND_JOB,
              shop,
              payload: { requestId: r.id },
              key: reinstallJobKey(reviewRemindJobKey(r.id, r.reminders + 1), uninstalledAt),
              runAt: r.nextAt!,
            },
      ),
  );
}

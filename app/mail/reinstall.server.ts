// At a reinstall (shops/install-hooks.ts): app/uninstalled cancelled the shop's delivery jobs, so every message
// still `queued` gets a delivery job back. Keyed by the uninstall (reinstallJobKey): once however often auth runs.
// The mailer claims a message (queued → sending) before it sends it, so however many jobs it has it goes once; a
// message being sent, sent, failed, suppressed or cancelled is left as it is. Every query filters by shop.
import { prisma } from "~/db/db.server";
import { enqueueForRows } from "~/jobs/requeue.server";
import { reinstallJobKey } from "~/shops/install-hooks";
import { MAIL_DELIVER_JOB, mailDeliverJobKey } from "./jobs";

export function requeueQueuedMail(shop: string, uninstalledAt: Date): Promise<number> {
  return enqueueForRows(
    (after, take) =>
      prisma.mailMessage.findMany({
        where: { shop, status: "queued", ...(after ? { id: { gt: after } } : {}) },
        orderBy: { id: "asc" },
        take,
        select: { id: true },
      }),
    (messages) =>
      messages.map((m) => ({ name: MAIL_DELIVER_JOB, shop, payload: { mailId: m.id }, key: reinstallJobKey(mailDeliverJobKey(m.id), uninstalledAt) })),
  );
}

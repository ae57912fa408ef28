import { prisma } from "~/db/db.server";
import { getJobQueue } from "~/jobs/index.server";
import { Prisma } from "~/generated/sqlite/client";
import { forgetInstalledShop } from "~/shops/installed.server";
import { registeredPersonalDataHolders, type PersonalDataHolder } from "./holders";
import { payloadConcerns, privacySubjectFromPayload, type PrivacySubject } from "./subject";

/**
 * Shopify's mandatory privacy webhooks. Every handler is idempotent: Shopify may send each more than once. They go
 * through the stored webhooks (below) and every registered holder of personal data (holders.ts).
 */
export type { PersonalDataHolder };

const REDACTED_PAYLOAD = JSON.stringify({ redacted: true });

const webhookEvents: PersonalDataHolder = {
  name: "webhookEvents",
  async export(shop, subject) {
    const events = await eventsConcerning(shop, subject);
    return events.map((e) => ({ topic: e.topic, receivedAt: e.receivedAt.toISOString(), payload: JSON.parse(e.payload) as unknown }));
  },
  async redact(shop, subject) {
    const events = await eventsConcerning(shop, subject);
    if (events.length === 0) return 0;
    const { count } = await prisma.webhookEvent.updateMany({
      where: { shop, id: { in: events.map((e) => e.id) } },
      data: { payload: REDACTED_PAYLOAD },
    });
    return count;
  },
};

/** The stored webhooks first, then every holder the domains registered. */
export function personalDataHolders(): PersonalDataHolder[] {
  return [webhookEvents, ...registeredPersonalDataHolders()];
}

/** Candidates by a cheap text match, then confirmed by reading the body (ids exactly, not by substring). */
async function eventsConcerning(shop: string, subject: PrivacySubject) {
  const needles = [subject.customerGid, subject.email, ...subject.orderGids].filter((n): n is string => Boolean(n));
  if (needles.length === 0) return [];
  const candidates = await prisma.webhookEvent.findMany({
    where: { shop, payload: { not: REDACTED_PAYLOAD }, OR: needles.map((needle) => ({ payload: { contains: needle } })) },
    select: { id: true, topic: true, receivedAt: true, payload: true },
  });
  return candidates.filter((e) => payloadConcerns(e.payload, subject));
}

/** customers/redact: removes what we hold about the customer and the named orders. */
export async function redactCustomer(shop: string, rawBody: string): Promise<Record<string, number>> {
  const subject = privacySubjectFromPayload(rawBody);
  const result: Record<string, number> = {};
  for (const holder of personalDataHolders()) result[holder.name] = await holder.redact(shop, subject);
  return result;
}

/** customers/data_request: builds the export the merchant downloads from the Privacy page. */
export async function exportCustomerData(shop: string, rawBody: string): Promise<string> {
  const subject = privacySubjectFromPayload(rawBody);
  const data: Record<string, unknown[]> = {};
  for (const holder of personalDataHolders()) data[holder.name] = await holder.export(shop, subject);
  const content = JSON.stringify({ shop, customer: subject, generatedAt: new Date().toISOString(), data }, null, 2);
  const requestKey = subject.requestId ?? `${subject.customerGid ?? subject.email ?? "unknown"}`;
  const saved = await prisma.dataExport.upsert({
    where: { shop_requestKey: { shop, requestKey } },
    create: { shop, requestKey, customerGid: subject.customerGid, email: subject.email, content },
    update: { content },
    select: { id: true },
  });
  return saved.id;
}

/** Models whose rows belong to a shop through a `shop` column (the Shop row itself is keyed by `domain`). */
export function shopScopedModels(): string[] {
  return Object.values(Prisma.ModelName).filter((model) => {
    const fields = (Prisma as unknown as Record<string, Record<string, string> | undefined>)[`${model}ScalarFieldEnum`];
    return Boolean(fields && "shop" in fields);
  });
}

type DeleteMany = { deleteMany(args: { where: Record<string, unknown> }): Promise<{ count: number }> };

/**
 * shop/redact (48 hours after uninstall): deletes everything the shop ever stored with us. The job running
 * this very request is spared until it finishes; nothing else of the shop's remains.
 */
export async function redactShop(shop: string, runningJobId?: string): Promise<Record<string, number>> {
  const result: Record<string, number> = {};
  forgetInstalledShop(shop); // the shop's row goes: its next deliveries are dropped (the compliance topics excepted)
  await prisma.$transaction(async (tx) => {
    const client = tx as unknown as Record<string, DeleteMany>;
    for (const model of shopScopedModels()) {
      const delegate = client[model.charAt(0).toLowerCase() + model.slice(1)]!;
      const where = model === "Job" && runningJobId ? { shop, id: { not: runningJobId } } : { shop };
      result[model] = (await delegate.deleteMany({ where })).count;
    }
    result.Shop = (await tx.shop.deleteMany({ where: { domain: shop } })).count;
  });
  // Jobs kept outside the database (BullMQ on Redis) carry the shop's payloads too; on the database queue
  // the rows went above and this finds none.
  result.QueuedJobs = await getJobQueue().purgeShop(shop, runningJobId);
  return result;
}

/** The Privacy page: this shop's data exports, newest first (without their content). */
export function listDataExports(shop: string) {
  return prisma.dataExport.findMany({
    where: { shop },
    orderBy: { createdAt: "desc" },
    take: 100,
    select: { id: true, customerGid: true, email: true, requestKey: true, createdAt: true },
  });
}

/** One export's JSON, only if it belongs to this shop. */
export async function dataExportContent(shop: string, id: string): Promise<string | null> {
  const found = await prisma.dataExport.findFirst({ where: { id, shop }, select: { content: true } });
  return found?.content ?? null;
}

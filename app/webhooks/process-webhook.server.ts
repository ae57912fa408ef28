/**
 * The `webhook.process` job: one path for every stored webhook event, whether the queue hands over many at once
 * (the database queue claims up to 100) or one (BullMQ; processWebhookEvent is a batch of one). Order, refund,
 * fulfilment and customer events — nearly all of the traffic — are read with one query, merged with
 * applyOrderFacts and marked processed in the transaction that applies them, together with one mirror job per
 * shop; then each shop with new domain events gets its dispatch scheduled (once per batch). A topic with a handler
 * registered by its domain (topic-handlers.ts: uninstall, privacy, shop/redact) runs alone, in its place in the
 * batch, so what came before it is applied before it. Idempotent: a processed event is skipped, and every handler tolerates running twice (a worker may
 * crash after the work, before the status update).
 */
import { storableError } from "~/lib/storable-text";
import { rawSql } from "~/db/raw.server";
import { databaseProvider, prisma } from "~/db/db.server";
import { scheduleDomainEventDispatch } from "~/domain-events/dispatch.server";
import { SqlParams } from "~/jobs/db-queue.server";
import type { JobContext, JobFailure } from "~/jobs/queue";
import { applyOrderFacts, perShop, yieldToRequests, type FactInput } from "~/orders/order-events-batch.server";
import { ORDER_EVENT_TOPICS, readOrderWebhook, type ApplyResult } from "~/orders/order-events.server";
import { orderMirrorJob } from "~/orders/mirror.server";
import { RECONCILED_ORDER_SOURCE } from "~/orders/reconcile.server";
import { snapshotFromAdminOrder } from "~/orders/fact-reader-graphql";
import { parseJsonKeepingBigIds } from "~/lib/json-ids";
import { closeOrderedCheckouts, orderCheckoutTokens } from "~/checkouts/checkouts.server";
import { isMalformedPayload } from "./malformed-payload";
import { webhookTopicHandler, type WebhookTopicHandler } from "./topic-handlers";

type StoredEvent = {
  id: string;
  shop: string;
  eventId: string;
  topic: string;
  payload: string;
  source: string;
  status: string;
  triggeredAt: unknown;
  receivedAt: unknown;
};

const ORDER_TOPICS = new Set<string>(ORDER_EVENT_TOPICS);

/** The handler of an event that runs alone (topic-handlers.ts); undefined for order facts and recorded-only topics, which go in the batch. */
function aloneHandler(event: StoredEvent): WebhookTopicHandler | undefined {
  return event.source === RECONCILED_ORDER_SOURCE || ORDER_TOPICS.has(event.topic) ? undefined : webhookTopicHandler(event.topic);
}

/** Job indexes by shop: whose new domain events (or retry) asked for the shop's dispatch. */
type DispatchWanted = Map<string, number[]>;
const wantDispatch = (wanted: DispatchWanted, shop: string, index: number) => void wanted.set(shop, [...(wanted.get(shop) ?? []), index]);

/** The job as the queue runs it one at a time (BullMQ): a batch of one. Throws that job's failure. */
export async function processWebhookEvent(job: JobContext): Promise<void> {
  const [outcome] = await processWebhookEvents([job]);
  if (outcome) throw outcome.error;
}

export async function processWebhookEvents(jobs: JobContext[]): Promise<(JobFailure | undefined)[]> {
  const outcomes: (JobFailure | undefined)[] = jobs.map(() => undefined);
  const wanted = jobs.map((job) => ({ shop: job.shop, value: (job.payload as { eventId?: string } | null)?.eventId ?? "" }));
  const events = await loadEvents(wanted);
  await yieldToRequests();
  const byId = new Map(events.map((e) => [`${e.shop}\u0000${e.id}`, e]));

  let run: { index: number; event: StoredEvent }[] = [];
  const dispatch: DispatchWanted = new Map();
  for (const [index, job] of jobs.entries()) {
    const event = byId.get(`${job.shop}\u0000${wanted[index]!.value}`);
    // Gone (shop redacted), or processed already by an earlier run: nothing to do — except that a retried job
    // schedules the dispatch again (its first run may have committed, then crashed before doing so).
    if (!event || event.status === "processed" || event.status === "failed") {
      if (event?.status === "processed" && job.attempt > 1) wantDispatch(dispatch, job.shop, index);
      continue;
    }
    const handler = aloneHandler(event);
    if (handler) {
      await applyRun(run, jobs, outcomes, dispatch);
      run = [];
      outcomes[index] = await runAlone(handler, event, job);
      continue;
    }
    run.push({ index, event });
  }
  await applyRun(run, jobs, outcomes, dispatch);
  // After the commits. The dispatcher takes every event of the shop not yet taken, so once per shop is enough; if
  // scheduling fails, the jobs that asked for it fail and their retry (the event processed by then) asks again.
  for (const [shop, indexes] of dispatch) {
    try {
      await scheduleDomainEventDispatch(shop);
    } catch (error) {
      for (const index of indexes) outcomes[index] ??= { error };
    }
  }
  return outcomes;
}

/** A topic handler's event: the handler, then the event marked processed (or failed, with the reason). */
async function runAlone(handler: WebhookTopicHandler, event: StoredEvent, job: JobContext): Promise<JobFailure | undefined> {
  let note: string | null;
  try {
    // shop/redact deletes this very event too: the status update below then finds nothing to update.
    note = noteOf(await handler(event, job));
  } catch (error) {
    return recordFailure(event, error);
  }
  await prisma.webhookEvent.updateMany({
    where: { id: event.id, shop: event.shop },
    data: { status: "processed", processedAt: new Date(), attempts: { increment: 1 }, error: null, note },
  });
  return undefined;
}

/** What a handler filled in to read its event, if it says. */
function noteOf(outcome: unknown): string | null {
  const note = (outcome as { note?: unknown } | null | undefined)?.note;
  return typeof note === "string" ? note : null;
}

/**
 * A failed attempt, counted on the event with its reason. A malformed body is failed for good (running it again
 * cannot make it well-formed) and its job is done; any other failure fails the job, which the queue retries.
 */
async function recordFailure(event: StoredEvent, error: unknown): Promise<JobFailure | undefined> {
  const malformed = isMalformedPayload(error);
  await prisma.webhookEvent.updateMany({
    where: { id: event.id, shop: event.shop },
    data: { ...(malformed ? { status: "failed" } : {}), attempts: { increment: 1 }, error: storableError(error, 2000) },
  });
  return malformed ? undefined : { error };
}

/**
 * The facts of a run of events, applied in one transaction that also marks the events and schedules mirrors.
 * If that fails even after its retries, each job runs again as a batch of one, so one poison event fails only its
 * own job, not its batch; a batch of one that fails is that job's failure.
 */
async function applyRun(
  run: { index: number; event: StoredEvent }[],
  jobs: JobContext[],
  outcomes: (JobFailure | undefined)[],
  dispatch: DispatchWanted,
): Promise<void> {
  if (run.length === 0) return;
  const inputs: FactInput[] = [];
  const inputIndexes: number[] = [];
  const applied: StoredEvent[] = [];
  const malformed: { event: StoredEvent; error: string }[] = [];
  const noted: { event: StoredEvent; note: string }[] = [];
  for (const { index, event } of run) {
    try {
      const { input, note } = factInput(event);
      if (note) noted.push({ event, note });
      if (input) {
        inputs.push(input);
        inputIndexes.push(index);
      }
      applied.push(event);
    } catch (error) {
      if (isMalformedPayload(error)) malformed.push({ event, error: storableError(error, 2000) });
      else {
        outcomes[index] = { error };
        await noteFailure(event, error);
      }
    }
  }
  await yieldToRequests();
  const mirrorShops = new Set(inputs.filter((input) => "fact" in input).map((input) => input.shop));
  let results: ApplyResult[];
  try {
    results = await applyOrderFacts(inputs, async (tx, enqueue, provider) => {
      const processedAt = new Date();
      if (applied.length) {
        // By (shop, eventId): the unique index finds each row (with shop + id, SQLite would read all of the shop's).
        const q = new SqlParams(provider);
        const set = `"status" = 'processed', "processedAt" = ${q.add(processedAt)}, "attempts" = "attempts" + 1, "error" = NULL`;
        const terms = perShop(
          applied.map((e) => ({ shop: e.shop, value: e.eventId })),
          "eventId",
        ).map(({ shop, eventId }) => `("shop" = ${q.add(shop)} AND "eventId" IN (${eventId.in.map((id) => q.add(id)).join(", ")}))`);
        await tx.$queryRawUnsafe(`UPDATE "WebhookEvent" SET ${set} WHERE ${terms.join(" OR ")}`, ...q.values);
      }
      // What was filled in to read an event (a null timestamp taken from the delivery), on that event (rare).
      for (const { event, note } of noted) {
        const q = new SqlParams(provider);
        await tx.$queryRawUnsafe(
          `UPDATE "WebhookEvent" SET "note" = ${q.add(note)} WHERE "shop" = ${q.add(event.shop)} AND "eventId" = ${q.add(event.eventId)}`,
          ...q.values,
        );
      }
      // Running again cannot make these bodies well-formed: record why and stop.
      for (const { event, error } of malformed) {
        const q = new SqlParams(provider);
        await tx.$queryRawUnsafe(
          `UPDATE "WebhookEvent" SET "status" = 'failed', "attempts" = "attempts" + 1, "error" = ${q.add(error)}
           WHERE "shop" = ${q.add(event.shop)} AND "eventId" = ${q.add(event.eventId)}`,
          ...q.values,
        );
      }
      // An order carrying a checkout token closes that checkout (no abandoned-checkout reminder after it).
      await closeOrderedCheckouts(tx, provider, orderCheckoutTokens(applied), processedAt);
      // Scheduled whenever an order fact was seen, changed or not: a replay schedules it again.
      await enqueue.many([...mirrorShops].map((shop) => orderMirrorJob(shop)));
    });
  } catch (error) {
    if (run.length === 1) {
      const { index, event } = run[0]!;
      if (!outcomes[index]) outcomes[index] = await recordFailure(event, error);
      return;
    }
    for (const { index } of run) {
      if (outcomes[index]) continue;
      try {
        [outcomes[index]] = await processWebhookEvents([jobs[index]!]);
      } catch (alone) {
        outcomes[index] = { error: alone };
      }
    }
    return;
  }
  // New domain events go to the subscribers (scheduled after the commit); a retried job schedules too.
  inputs.forEach((input, i) => {
    const index = inputIndexes[i]!;
    if (results[i]!.newEvents.length > 0 || jobs[index]!.attempt > 1) wantDispatch(dispatch, input.shop, index);
  });
}

/**
 * The stored events of a batch, one statement, each term scoped to its shop. Raw SQL so that SQLite looks rows
 * up by primary key: with `"shop" = ?` usable, its planner prefers the shop index and reads every event of the
 * shop; the unary + keeps the condition and drops that index from consideration.
 */
async function loadEvents(wanted: { shop: string; value: string }[]): Promise<StoredEvent[]> {
  const provider = databaseProvider();
  const q = new SqlParams(provider);
  const terms = perShop(wanted, "id").map(
    ({ shop, id }) => `("id" IN (${id.in.map((value) => q.add(value)).join(", ")}) AND ${provider === "sqlite" ? "+" : ""}"shop" = ${q.add(shop)})`,
  );
  return rawSql(prisma).$queryRawUnsafe<StoredEvent[]>(
    `SELECT "id", "shop", "eventId", "topic", "payload", "source", "status", "triggeredAt", "receivedAt" FROM "WebhookEvent" WHERE ${terms.join(" OR ")}`,
    ...q.values,
  );
}

/** The fact (or customer events) an event carries — null for a topic that is only recorded — and what was filled in to read it. */
function factInput(event: StoredEvent): { input: FactInput | null; note: string | null } {
  if (event.source === RECONCILED_ORDER_SOURCE) {
    const { order } = parseJsonKeepingBigIds(event.payload) as { order: unknown };
    return { input: { shop: event.shop, fact: snapshotFromAdminOrder(order) }, note: null };
  }
  if (!ORDER_TOPICS.has(event.topic)) return { input: null, note: null };
  const content = readOrderWebhook({ ...event, triggeredAt: asInstant(event.triggeredAt), receivedAt: asInstant(event.receivedAt) });
  const input = content.type === "fact" ? { shop: event.shop, fact: content.fact } : { shop: event.shop, events: content.events };
  return { input, note: content.note };
}

/** A date column as raw SQL returns it (Date, text or epoch milliseconds, by database and driver). */
function asInstant(value: unknown): Date | string | number | null {
  return value instanceof Date || typeof value === "string" || typeof value === "number" ? value : null;
}

/** A failed attempt is counted on the event with its reason (best effort; the job retries anyway). */
async function noteFailure(event: StoredEvent, error: unknown): Promise<void> {
  try {
    await prisma.webhookEvent.updateMany({
      where: { id: event.id, shop: event.shop },
      data: { attempts: { increment: 1 }, error: storableError(error, 2000) },
    });
  } catch {
    // The job's own retry records the failure.
  }
}

// The domain-event bus. A domain that recorded events (record.server.ts) schedules a dispatch job for its shop
// (one per short window, like the order mirror). The job takes the shop's events not yet taken, oldest first, and
// offers each to every subscriber in their registered order (subscribers.ts; app/app.server.ts registers loyalty,
// referrals, flows); then it marks the event taken — in one transaction with the work a subscriber asked to do
// there (flows starts its runs in it), so a replayed or concurrently dispatched event starts nothing twice.
import { prisma } from "~/db/db.server";
import { getJobQueue, transactionWithJobs } from "~/jobs/index.server";
import type { JobContext } from "~/jobs/queue";
import { now } from "~/lib/time/clock.server";
import { DOMAIN_EVENTS_DISPATCH_JOB } from "./job-names";
import { domainEventSubscribers, type DispatchContext, type DomainEventView, type WhenTaken } from "./subscribers";

const DISPATCH_WINDOW_MS = 200;
const EVENTS_PER_RUN = 200;

/**
 * After domain events were recorded for a shop: make sure a dispatch job for the current window exists. The
 * window is on the app's clock, the one the job queue runs by: the job must not come due before its window ends.
 */
export async function scheduleDomainEventDispatch(shop: string, at: number = now().getTime()): Promise<void> {
  const slot = Math.floor(at / DISPATCH_WINDOW_MS);
  await getJobQueue().enqueue({
    name: DOMAIN_EVENTS_DISPATCH_JOB,
    shop,
    payload: {},
    key: `${DOMAIN_EVENTS_DISPATCH_JOB}:${slot}`,
    runAt: new Date((slot + 1) * DISPATCH_WINDOW_MS),
  });
}

/**
 * The dispatch job. Idempotent: an event is marked taken (the `flowsAt` column, named when flows was the only
 * reader) only after every subscriber had it, so a crash offers it again and each subscriber keeps its effects once.
 */
export async function dispatchDomainEvents(job: JobContext): Promise<{ events: number }> {
  const shop = job.shop;
  const events: DomainEventView[] = await prisma.domainEvent.findMany({
    where: { shop, flowsAt: null },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    take: EVENTS_PER_RUN,
  });
  if (events.length === 0) return { events: 0 };
  const subscribers = domainEventSubscribers();
  const loaded = new Map<string, Promise<unknown>>();
  const once = <T>(key: string, load: () => Promise<T>): Promise<T> => {
    if (!loaded.has(key)) loaded.set(key, load());
    return loaded.get(key) as Promise<T>;
  };
  const nothingMore: string[] = [];
  for (const event of events) {
    const works: WhenTaken[] = [];
    const dispatch: DispatchContext = { once, whenTaken: (work) => void works.push(work) };
    // In their registered order: the loyalty ledger first, so flows that run on this event see its points.
    for (const subscriber of subscribers) await subscriber.onEvent(shop, event, dispatch);
    if (works.length === 0) nothingMore.push(event.id);
    else await take(shop, event, works);
  }
  // Events no subscriber has more to do for are only marked taken, all at once (most events on a busy day).
  if (nothingMore.length > 0) await prisma.domainEvent.updateMany({ where: { shop, id: { in: nothingMore }, flowsAt: null }, data: { flowsAt: now() } });
  if (events.length === EVENTS_PER_RUN) await scheduleDomainEventDispatch(shop, now().getTime() + DISPATCH_WINDOW_MS);
  return { events: events.length };
}

/** Marks one event taken in the transaction that does its subscribers' remaining work. */
async function take(shop: string, event: DomainEventView, works: WhenTaken[]): Promise<void> {
  await transactionWithJobs(async (tx, enqueue) => {
    for (const work of works) await work(tx, enqueue);
    const { count } = await tx.domainEvent.updateMany({ where: { id: event.id, shop, flowsAt: null }, data: { flowsAt: now() } });
    // Another dispatcher took this event meanwhile: roll back our work (a unique index would refuse it anyway).
    if (count === 0) throw new EventTakenError(event.key);
  }).catch((error: unknown) => {
    if (error instanceof EventTakenError || (error as { code?: string }).code === "P2002") return;
    throw error;
  });
}

class EventTakenError extends Error {
  constructor(key: string) {
    super(`event ${key} was dispatched by another worker`);
  }
}

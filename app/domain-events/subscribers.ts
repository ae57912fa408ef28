// Who hears a domain event (order.paid, refund.issued, review.submitted, …). Each domain that reacts registers a
// subscriber through the startup module (app/app.server.ts), in an explicit order: the loyalty ledger first (flows
// that run on an event see its points), then referrals, then flows. The bus (dispatch.server.ts) offers each event
// it takes to every subscriber in that order. No domain here.
import type { EnqueueInTransaction } from "~/jobs/index.server";
import type { JobsTx } from "~/jobs/db-queue.server";

/** A recorded domain event as subscribers see it (the stored row). */
export interface DomainEventView {
  id: string;
  kind: string;
  key: string;
  subjectGid: string;
  occurredAt: Date;
  /** JSON text, as stored. */
  payload: string;
}

/** Work done in the transaction that marks an event taken; rolled back when another dispatcher took it first. */
export type WhenTaken = (tx: JobsTx, enqueue: EnqueueInTransaction) => Promise<unknown>;

/** What the bus offers a subscriber beside the event. */
export interface DispatchContext {
  /** A value loaded once per dispatch job (one shop, up to 200 events), e.g. the shop's enabled flows. */
  once<T>(key: string, load: () => Promise<T>): Promise<T>;
  /** Adds work to the transaction that marks this event taken (flows records its runs there, exactly once). */
  whenTaken(work: WhenTaken): void;
}

export interface DomainEventSubscriber {
  /** Shown in logs, e.g. "loyalty". */
  name: string;
  /** Must be idempotent (the same event may be offered again after a crash); throwing fails the dispatch job. */
  onEvent(shop: string, event: DomainEventView, dispatch: DispatchContext): Promise<unknown>;
}

declare global {
  // One list per process, even when Vite reloads modules in development.
  var afterglowDomainEventSubscribers: DomainEventSubscriber[] | undefined;
}

function list(): DomainEventSubscriber[] {
  return (globalThis.afterglowDomainEventSubscribers ??= []);
}

/** Adds subscribers after those already registered; one of the same name (a module reloaded in development) replaces it in place. */
export function subscribeToDomainEvents(...subscribers: DomainEventSubscriber[]): void {
  const current = list();
  for (const subscriber of subscribers) {
    const known = current.findIndex((s) => s.name === subscriber.name);
    if (known >= 0) current[known] = subscriber;
    else current.push(subscriber);
  }
}

/** In registration order. Throws when none are registered: events would silently skip the loyalty ledger. */
export function domainEventSubscribers(): readonly DomainEventSubscriber[] {
  const subscribers = list();
  if (subscribers.length === 0)
    throw new Error(
      "Domain-event subscribers are not registered: this process must import app/app.server.ts first (entry.server.tsx and jobs/worker-main.ts do)",
    );
  return subscribers;
}

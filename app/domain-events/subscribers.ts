// Who hears a domain event (order.paid, refund.issued, review.submitted, …) before the merchant's flows do. Each
// domain that reacts registers a subscriber through the startup module (app/app.server.ts), in an explicit order:
// the loyalty ledger first (flows that run on an event see its points), then referrals. The flows dispatch job
// (flows/dispatch.server.ts) calls them for each event it takes, then starts the matching flows. No domain here.

/** A recorded domain event as subscribers see it. */
export interface DomainEventView {
  kind: string;
  key: string;
  subjectGid: string;
  /** JSON text, as stored. */
  payload: string;
}

export interface DomainEventSubscriber {
  /** Shown in logs, e.g. "loyalty". */
  name: string;
  /** Must be idempotent (the same event may be offered again after a crash); throwing fails the dispatch job. */
  onEvent(shop: string, event: DomainEventView): Promise<unknown>;
}

declare global {
  // One list per process, even when Vite reloads modules in development.
  var afterglowDomainEventSubscribers: DomainEventSubscriber[] | undefined;
}

function list(): DomainEventSubscriber[] {
  return (globalThis.afterglowDomainEventSubscribers ??= []);
}

/** Adds subscribers after those already registered; a subscriber of the same name is not added twice. */
export function subscribeToDomainEvents(...subscribers: DomainEventSubscriber[]): void {
  const current = list();
  for (const subscriber of subscribers) if (!current.some((s) => s.name === subscriber.name)) current.push(subscriber);
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

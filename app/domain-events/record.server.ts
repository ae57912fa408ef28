// Recording domain events: every DomainEvent row is written here, once per shop + key (the unique index). A
// domain records its events in the transaction that changes its own state, then schedules the bus
// (dispatch.server.ts), which offers them to the subscribers. No domain here.
import { newRowId, type RawQueryable } from "~/db/raw.server";
import type { DbProvider, JobsTx } from "~/jobs/db-queue.server";
import { SqlParams } from "~/jobs/db-queue.server";

/** A domain event to record. `key` is deterministic: recording the same fact twice records it once. */
export interface NewDomainEvent {
  kind: string;
  key: string;
  /** What the event is about (an order, a customer). */
  subjectGid: string;
  occurredAt: string | Date;
  payload: Record<string, unknown>;
}

/**
 * Records the events whose key the shop does not hold yet, in `tx` (or on the client); answers those recorded.
 * A concurrent insert of the same key fails with the unique index's P2002: the caller's transaction is then rolled
 * back, and retrying it (or treating P2002 as "recorded by someone else") keeps each event exactly once.
 */
export async function recordDomainEvents<E extends NewDomainEvent>(tx: JobsTx, shop: string, events: readonly E[]): Promise<E[]> {
  if (events.length === 0) return [];
  const held = await tx.domainEvent.findMany({ where: { shop, key: { in: events.map((e) => e.key) } }, select: { key: true } });
  const heldKeys = new Set(held.map((e) => e.key));
  const fresh = events.filter((e) => !heldKeys.has(e.key));
  if (fresh.length === 0) return [];
  await tx.domainEvent.createMany({
    data: fresh.map((e) => ({
      shop,
      kind: e.kind,
      subjectGid: e.subjectGid,
      key: e.key,
      occurredAt: new Date(e.occurredAt),
      payload: JSON.stringify(e.payload),
    })),
  });
  return fresh;
}

/** How recordDomainEventsRaw names an event it recorded. */
export const recordedEventId = (shop: string, key: string) => `${shop}\u0000${key}`;

/** Rows per multi-row INSERT: 8 bound values each stays far below SQLite's 32,766 and PostgreSQL's 65,535. */
const ROWS_PER_INSERT = 200;

/**
 * recordDomainEvents for many shops at once, raw SQL on the raw lane (the webhook batch: Prisma's createMany
 * would run every payload through its query compiler). A key already held, or inserted by a concurrent writer
 * (which then reports it), is left alone. Answers recordedEventId(shop, key) of each event recorded here.
 */
export async function recordDomainEventsRaw(
  tx: RawQueryable,
  provider: DbProvider,
  events: readonly { shop: string; event: NewDomainEvent }[],
  now: Date,
): Promise<Set<string>> {
  const fresh = new Map<string, { shop: string; event: NewDomainEvent }>();
  for (const e of events) if (!fresh.has(recordedEventId(e.shop, e.event.key))) fresh.set(recordedEventId(e.shop, e.event.key), e);
  const inserted = new Set<string>();
  const all = [...fresh.values()];
  for (let at = 0; at < all.length; at += ROWS_PER_INSERT) {
    const q = new SqlParams(provider);
    const tuples = all
      .slice(at, at + ROWS_PER_INSERT)
      .map(
        ({ shop, event: e }) =>
          `(${[newRowId(), shop, e.kind, e.subjectGid, e.key, new Date(e.occurredAt), JSON.stringify(e.payload), now].map((v) => q.add(v)).join(", ")})`,
      );
    const returned = await tx.$queryRawUnsafe<{ shop: string; key: string }[]>(
      `INSERT INTO "DomainEvent" ("id", "shop", "kind", "subjectGid", "key", "occurredAt", "payload", "createdAt")
       VALUES ${tuples.join(", ")}
       ON CONFLICT ("shop", "key") DO NOTHING RETURNING "shop", "key"`,
      ...q.values,
    );
    for (const r of returned) inserted.add(recordedEventId(r.shop, r.key));
  }
  return inserted;
}

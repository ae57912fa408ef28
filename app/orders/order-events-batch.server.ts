/**
 * applyOrderFact for many facts at once (the `webhook.process` batch): the same merge and the same guarantees
 * with a handful of statements instead of several per fact — one read of every order state concerned, the
 * merges in memory, then ONE transaction: new states inserted together, each changed one written only if its
 * `version` is still the one read, and the domain events inserted together, each once per shop + key. A
 * concurrent writer (a version that moved, a first insert that happened meanwhile) fails the transaction and
 * the whole step runs again on fresh state, so the result is the one applying the facts one by one would give,
 * whatever their order. Every statement filters by shop.
 *
 * The writes are raw SQL on the raw lane (app/db-raw.server.ts): Prisma's createMany would run every order's
 * line items and every event's payload through its query compiler — most of the cost of a batch. The columns
 * written are exactly those of rowFromState, so a column added there is written here too.
 */
import { newRowId, type RawQueryable } from "~/db/raw.server";
import { recordDomainEventsRaw, recordedEventId } from "~/domain-events/record.server";
import { databaseProvider, prisma } from "~/db/db.server";
import { SqlParams, type DbProvider } from "~/jobs/db-queue.server";
import { rawTransactionWithJobs, type EnqueueInTransaction } from "~/jobs/index.server";
import { rowFromState, stateFromRow, withRetries, WriteConflict, type ApplyResult, type OrderStateRow } from "./order-events.server";
import { mergeSnapshot, type DomainEvent, type OrderFact, type OrderState } from "./order-state";

/** One input: a fact about an order, or (customer topics) domain events to record. */
export type FactInput = { shop: string; fact: OrderFact } | { shop: string; events: DomainEvent[] };

/**
 * `history`: facts imported from the shop's past (backfill/): the state merges as usual but no domain event is
 * recorded (no points, flows or mails for history), and an order first seen this way is not mirrored to Shopify.
 */
export interface ApplyOptions {
  history?: boolean;
}

/** What the caller writes in the same transaction (raw SQL), e.g. the events' statuses and follow-up jobs. */
export type AlsoInTransaction = (tx: RawQueryable, enqueue: EnqueueInTransaction, provider: DbProvider) => Promise<void>;

interface OrderSlot {
  shop: string;
  row: OrderStateRow | null;
  state: OrderState | null;
  changed: boolean;
}

const slotKey = (shop: string, gid: string) => `${shop}\u0000${gid}`;

/**
 * Lets waiting I/O (webhook requests) run before the next step. SQLite answers synchronously, so without this a
 * whole batch — reads, merges, writes — would run as one uninterrupted stretch of the event loop.
 */
export function yieldToRequests(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** `{ OR: [{ shop, <field>: { in } }, …] }`: one condition per shop, so no row of another shop can match. */
export function perShop<F extends string>(pairs: Iterable<{ shop: string; value: string }>, field: F) {
  const byShop = new Map<string, Set<string>>();
  for (const { shop, value } of pairs) byShop.set(shop, (byShop.get(shop) ?? new Set()).add(value));
  return [...byShop].map(([shop, values]) => ({ shop, [field]: { in: [...values] } }) as { shop: string } & Record<F, { in: string[] }>);
}

/**
 * Applies `inputs` in order, as applyOrderFact (or the customer-topic path) would one after the other, and runs
 * `alsoInTransaction` inside the same transaction. Answers one ApplyResult per input: its state after its own
 * merge, and the events it recorded.
 */
export async function applyOrderFacts(
  inputs: readonly FactInput[],
  alsoInTransaction: AlsoInTransaction = async () => {},
  options: ApplyOptions = {},
): Promise<ApplyResult[]> {
  const history = options.history === true;
  const provider = databaseProvider();
  return withRetries(async () => {
    const wanted = inputs.flatMap((input) => ("fact" in input ? [{ shop: input.shop, value: input.fact.orderGid }] : []));
    // By (shop, orderGid): the unique index answers each one.
    const rows = wanted.length ? await prisma.orderState.findMany({ where: { OR: perShop(wanted, "orderGid") } }) : [];
    const slots = new Map<string, OrderSlot>();
    for (const row of rows) slots.set(slotKey(row.shop, row.orderGid), { shop: row.shop, row, state: stateFromRow(row), changed: false });

    // Merge in memory, in input order; each input keeps the events its own merge emitted.
    const results: ApplyResult[] = inputs.map((input) => {
      if (!("fact" in input)) return { newEvents: input.events, state: null };
      const key = slotKey(input.shop, input.fact.orderGid);
      const slot = slots.get(key) ?? { shop: input.shop, row: null, state: null, changed: false };
      slots.set(key, slot);
      const { state, newEvents } = mergeSnapshot(slot.state, input.fact);
      if (state !== slot.state) slot.changed = true;
      slot.state = state;
      return { newEvents, state };
    });

    await yieldToRequests();
    const inserted = await rawTransactionWithJobs(async (tx, enqueue) => {
      const now = new Date();
      const changed = [...slots.values()].filter((s) => s.changed);
      await insertStates(
        tx,
        provider,
        changed.filter((s) => s.row === null),
        now,
        history ? 1 : 0,
      );
      for (const slot of changed) if (slot.row) await updateState(tx, provider, slot, now);
      const keys = await recordDomainEventsRaw(
        tx,
        provider,
        history ? [] : inputs.flatMap((input, i) => results[i]!.newEvents.map((event) => ({ shop: input.shop, event }))),
        now,
      );
      await alsoInTransaction(tx, enqueue, provider);
      return keys;
    });
    // As one by one: an event is reported by the input that recorded it, once.
    if (history) return results.map((result) => ({ newEvents: [], state: result.state }));
    return results.map((result, i) => {
      const shop = inputs[i]!.shop;
      const newEvents = result.newEvents.filter((e) => inserted.delete(recordedEventId(shop, e.key)));
      return { newEvents, state: result.state };
    });
  });
}

/** Rows per multi-row INSERT: ~35 bound values each stays far below SQLite's 32,766 and PostgreSQL's 65,535. */
const ROWS_PER_INSERT = 200;

/** First inserts of orders; one that another writer inserted meanwhile makes the whole step run again. */
async function insertStates(tx: RawQueryable, provider: DbProvider, slots: OrderSlot[], now: Date, mirroredVersion: number): Promise<void> {
  for (let at = 0; at < slots.length; at += ROWS_PER_INSERT) {
    const chunk = slots.slice(at, at + ROWS_PER_INSERT).map((s) => ({ shop: s.shop, data: rowFromState(s.state!) }));
    const columns = Object.keys(chunk[0]!.data);
    const q = new SqlParams(provider);
    const tuples = chunk.map(
      ({ shop, data }) =>
        `(${[newRowId(), shop, ...columns.map((c) => (data as Record<string, unknown>)[c]), 1, mirroredVersion, now, now].map((v) => q.add(v)).join(", ")})`,
    );
    const returned = await tx.$queryRawUnsafe<{ orderGid: string }[]>(
      `INSERT INTO "OrderState" ("id", "shop", ${columns.map((c) => `"${c}"`).join(", ")}, "version", "mirroredVersion", "createdAt", "updatedAt")
       VALUES ${tuples.join(", ")}
       ON CONFLICT ("shop", "orderGid") DO NOTHING RETURNING "orderGid"`,
      ...q.values,
    );
    if (returned.length !== chunk.length) {
      const got = new Set(returned.map((r) => r.orderGid));
      throw new WriteConflict(chunk.find((c) => !got.has(c.data.orderGid))?.data.orderGid ?? "an order");
    }
  }
}

/** Writes a changed state if its version is still the one read (optimistic concurrency, as applyOrderFact). */
async function updateState(tx: RawQueryable, provider: DbProvider, slot: OrderSlot, now: Date): Promise<void> {
  const row = slot.row!;
  const data = rowFromState(slot.state!) as Record<string, unknown>;
  const q = new SqlParams(provider);
  const assignments = Object.keys(data).map((c) => `"${c}" = ${q.add(data[c])}`);
  const sql = `UPDATE "OrderState" SET ${assignments.join(", ")}, "version" = ${q.add(row.version + 1)}, "updatedAt" = ${q.add(now)}
    WHERE "id" = ${q.add(row.id)} AND "shop" = ${q.add(slot.shop)} AND "version" = ${q.add(row.version)} RETURNING "id"`;
  const updated = await tx.$queryRawUnsafe<{ id: string }[]>(sql, ...q.values);
  if (updated.length === 0) throw new WriteConflict(row.orderGid);
}

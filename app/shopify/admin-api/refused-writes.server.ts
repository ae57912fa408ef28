// Batched writes that survive a missing owner. metafieldsSet is all or nothing, so one order, customer or
// product deleted in Shopify would fail the other 24 items of its call, and a job retrying the same rows would
// never get past it. Here the items Shopify names are left out, recorded (the Activity page lists them) and the
// rest is sent again in the same run; callers never mark a refused item as written.
import { prisma } from "~/db/db.server";
import { AdminApiUserError } from "~/shopify/admin-api/errors";
import { describeUserError, refusedItems, type IndexedUserError } from "~/shopify/admin-api/refused-items";

/** Which of Afterglow's writers was refused (shown on the Activity page). */
export type RefusingWriter = "orders.mirror" | "loyalty.mirror" | "reviews.ratings" | "flows.tags";

export interface Refusal<TItem> {
  item: TItem;
  error: IndexedUserError;
}

export interface BatchOutcome<TItem> {
  /** The items Shopify took, in their order. */
  written: TItem[];
  refused: Refusal<TItem>[];
  /** Mutations sent. */
  calls: number;
}

export interface BatchWrite<TItem, TInput> {
  shop: string;
  writer: RefusingWriter;
  operationName: string;
  items: readonly TItem[];
  /** The Shopify object the item is written to (what the Activity page names). */
  ownerOf: (item: TItem) => string;
  /** The mutation's list inputs for one item (e.g. an account's three metafields). */
  inputsOf: (item: TItem) => TInput[];
  /** Sends one mutation; answers its payload (with userErrors). */
  send: (inputs: TInput[]) => Promise<{ userErrors?: readonly IndexedUserError[] | null } | null | undefined>;
  /** The argument the user errors' `field` paths start with. */
  listArgument?: string;
}

/**
 * Sends the items in one mutation; when Shopify refuses some of them (user errors naming their inputs), each
 * refused item is recorded and left out, and the rest is sent again, until Shopify takes the batch or nothing is
 * left (at most one call more than there are refused items). An error that names no item means the request
 * itself is wrong: AdminApiUserError, as before.
 */
export async function writeLeavingOutRefused<TItem, TInput>(write: BatchWrite<TItem, TInput>): Promise<BatchOutcome<TItem>> {
  const context = { shop: write.shop, operationName: write.operationName };
  let remaining = [...write.items];
  const refused: Refusal<TItem>[] = [];
  let calls = 0;
  while (remaining.length > 0) {
    const inputs: TInput[] = [];
    const itemOfInput: number[] = [];
    remaining.forEach((item, index) => {
      for (const input of write.inputsOf(item)) {
        inputs.push(input);
        itemOfInput.push(index);
      }
    });
    if (inputs.length === 0) break;
    calls++;
    const payload = await write.send(inputs);
    if (!payload) throw new AdminApiUserError([{ message: "Mutation returned no payload" }], context);
    const errors = payload.userErrors ?? [];
    if (errors.length === 0) break;
    const named = refusedItems(errors, itemOfInput, write.listArgument);
    if (!named) throw new AdminApiUserError(errors, context);
    const now = [...named].map(([index, error]) => ({ item: remaining[index]!, error }));
    await recordRefusedWrites(
      write.shop,
      write.writer,
      now.map((r) => ({ ownerGid: write.ownerOf(r.item), error: r.error })),
    );
    refused.push(...now);
    remaining = remaining.filter((_, index) => !named.has(index));
  }
  return { written: remaining, refused, calls };
}

/** One row per shop, writer and owner; a repeat counts up and keeps the latest reason. */
export async function recordRefusedWrites(
  shop: string,
  writer: RefusingWriter,
  refusals: readonly { ownerGid: string; error: IndexedUserError }[],
): Promise<void> {
  for (const { ownerGid, error } of refusals) {
    const reason = { field: error.field?.join(".") ?? null, message: error.message, code: error.code ?? null };
    await prisma.refusedWrite.upsert({
      where: { shop_writer_ownerGid: { shop, writer, ownerGid } },
      create: { shop, writer, ownerGid, ...reason },
      update: { ...reason, count: { increment: 1 }, lastAt: new Date() },
    });
  }
  console.warn(
    `[${writer}] ${shop}: Shopify refused ${refusals.map((r) => `${r.ownerGid} (${describeUserError(r.error)})`).join(", ")}; left out, the rest written`,
  );
}

/** The Activity page: the shop's most recent refusals. */
export async function recentRefusedWrites(shop: string, limit = 50) {
  const rows = await prisma.refusedWrite.findMany({
    where: { shop },
    orderBy: { lastAt: "desc" },
    take: limit,
    select: { id: true, writer: true, ownerGid: true, field: true, message: true, code: true, count: true, firstAt: true, lastAt: true },
  });
  return rows.map((r) => ({ ...r, firstAt: r.firstAt.toISOString(), lastAt: r.lastAt.toISOString() }));
}

/**
 * A refused write names its owner: a customer's or an order's GID. customers/redact removes the customer's and
 * the named orders' refusals; customers/data_request lists them.
 */
export const refusedWritesPersonalData = {
  name: "refusedWrites",
  async export(shop: string, subject: { customerGid: string | null; orderGids: string[] }) {
    const owners = ownersOf(subject);
    if (owners.length === 0) return [];
    const rows = await prisma.refusedWrite.findMany({ where: { shop, ownerGid: { in: owners } }, orderBy: { firstAt: "asc" } });
    return rows.map((r) => ({
      writer: r.writer,
      ownerGid: r.ownerGid,
      message: r.message,
      count: r.count,
      firstAt: r.firstAt.toISOString(),
      lastAt: r.lastAt.toISOString(),
    }));
  },
  async redact(shop: string, subject: { customerGid: string | null; orderGids: string[] }) {
    const owners = ownersOf(subject);
    if (owners.length === 0) return 0;
    return (await prisma.refusedWrite.deleteMany({ where: { shop, ownerGid: { in: owners } } })).count;
  },
};

function ownersOf(subject: { customerGid: string | null; orderGids: string[] }): string[] {
  return [subject.customerGid, ...subject.orderGids].filter((owner): owner is string => Boolean(owner));
}

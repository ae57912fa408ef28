// Mirrors loyalty accounts to Shopify (see mirror.ts for what and why). `scheduleLoyaltyMirror` is called once
// per committed ledger transaction (ledger.server.ts); the `loyalty.mirror` job writes the window's accounts.
//
// No column records what was mirrored: the window's range of `updatedAt` says which accounts to write, and
// writing the same values again is harmless. Within a process, a memo of the version last written skips an
// account a neighbouring window already wrote, and one shop's mirror jobs take turns, so an older value is never
// written after a newer one. Across processes, an account that changed while its values were being written is
// handed to a fresh window afterwards, which writes it again.
import type {
  LoyaltyMetafieldDefinitionCreateMutation,
  LoyaltyMetafieldDefinitionCreateMutationVariables,
  LoyaltyMetafieldsSetMutation,
  LoyaltyMetafieldsSetMutationVariables,
} from "~/shopify/admin-api/graphql-types/admin.generated";
import { AdminApiUserError, ShopNotInstalledError } from "~/shopify/admin-api/errors";
import { TAGS_ADD, TAGS_REMOVE } from "~/shopify/admin-api/operations/customers";
import { writeLeavingOutRefused } from "~/shopify/admin-api/refused-writes.server";
import { METAFIELDS_DELETE } from "~/shopify/admin-api/operations/metafields";
import { adminClientFor } from "~/shopify/admin-api/shop-client.server";
import type { AdminClient } from "~/shopify/admin-api/client.server";
import type { AdminOperation } from "~/shopify/admin-api/types";
import { prisma } from "~/db/db.server";
import { getJobQueue, logJobError } from "~/jobs/index.server";
import { PermanentJobError, type JobContext } from "~/jobs/queue";
import { clockOffsetMs, now } from "~/lib/time/clock.server";
import {
  accountMetafields,
  handlesOfTierEvent,
  isCustomerGid,
  LOYALTY_DEFINITIONS_JOB,
  LOYALTY_METAFIELD_DEFINITIONS,
  LOYALTY_MIRROR_JOB,
  LOYALTY_NAMESPACE,
  loyaltyMirrorJob,
  mirrorRangeOf,
  packMetafieldCalls,
  tierTagChanges,
  type ClockReading,
  type MirroredAccount,
  type MirrorRange,
} from "./mirror";

// ---------------------------------------------------------------------------------------------------------
// Operations

/** metafieldsSet with each error's elementIndex, so a customer deleted in Shopify can be left out of the call. */
export const LOYALTY_METAFIELDS_SET = `#graphql
  mutation LoyaltyMetafieldsSet($metafields: [MetafieldsSetInput!]!) {
    metafieldsSet(metafields: $metafields) {
      userErrors {
        field
        message
        code
        elementIndex
      }
    }
  }
` as AdminOperation<LoyaltyMetafieldsSetMutation, LoyaltyMetafieldsSetMutationVariables>;

export const LOYALTY_METAFIELD_DEFINITION_CREATE = `#graphql
  mutation LoyaltyMetafieldDefinitionCreate($definition: MetafieldDefinitionInput!) {
    metafieldDefinitionCreate(definition: $definition) {
      createdDefinition {
        id
      }
      userErrors {
        field
        message
        code
      }
    }
  }
` as AdminOperation<LoyaltyMetafieldDefinitionCreateMutation, LoyaltyMetafieldDefinitionCreateMutationVariables>;

// ---------------------------------------------------------------------------------------------------------
// Scheduling

/** Now, on both clocks. */
export function clockReading(): ClockReading {
  return { realMs: Date.now(), offsetMs: clockOffsetMs() };
}

/**
 * After a ledger transaction that started at `started` committed changes to the shop's accounts: make sure the
 * mirror job of its window exists. Never throws (the change is committed; a lost mirror is rewritten with the
 * customer's next change).
 */
export async function scheduleLoyaltyMirror(shop: string, started: ClockReading): Promise<void> {
  try {
    const job = loyaltyMirrorJob(started, clockReading());
    await getJobQueue().enqueue({ name: LOYALTY_MIRROR_JOB, shop, payload: job.payload, key: job.key, runAt: job.runAt });
  } catch (error) {
    logJobError(error, { id: "-", name: LOYALTY_MIRROR_JOB, shop, attempt: 0 });
  }
}

// ---------------------------------------------------------------------------------------------------------
// The memo and the per-shop turn

declare global {
  // Per process; survives Vite's module reloads in development.
  var afterglowLoyaltyMirror: { written: Map<string, { version: number; tier: string | null }>; turns: Map<string, Promise<unknown>> } | undefined;
}

const MEMO_LIMIT = 100_000;

function state() {
  return (globalThis.afterglowLoyaltyMirror ??= { written: new Map(), turns: new Map() });
}

const memoKey = (shop: string, customerGid: string) => `${shop}|${customerGid}`;

function remember(shop: string, account: { customerGid: string; version: number; tier: string | null }) {
  const { written } = state();
  const key = memoKey(shop, account.customerGid);
  written.delete(key);
  written.set(key, { version: account.version, tier: account.tier });
  while (written.size > MEMO_LIMIT) written.delete(written.keys().next().value!);
}

/** Tests: forget what this process wrote. */
export function resetLoyaltyMirrorMemo(): void {
  state().written.clear();
}

/** Runs `work` after the shop's previous mirror work in this process has finished. */
async function inTurn<T>(shop: string, work: () => Promise<T>): Promise<T> {
  const { turns } = state();
  const previous = turns.get(shop) ?? Promise.resolve();
  const mine = previous.catch(() => undefined).then(work);
  const settled = mine.catch(() => undefined);
  turns.set(shop, settled);
  try {
    return await mine;
  } finally {
    if (turns.get(shop) === settled) turns.delete(shop);
  }
}

// ---------------------------------------------------------------------------------------------------------
// Writing

export interface MirrorResult {
  /** Accounts written. */
  accounts: number;
  /** metafieldsSet calls made. */
  metafieldCalls: number;
  /** Customers whose tier tags were changed. */
  tagged: number;
  /** Accounts left out: Shopify has no such customer (deleted, or an anonymised account). */
  skipped: number;
  /** The customers written, in order, with the account version written (tests prove each is written once). */
  customerGids: string[];
  versions: number[];
}

const PAGE = 500;
/** How far back `tier.changed` events are read to know which tier tags a customer may still carry. */
const TIER_EVENT_LOOKBACK_MS = 24 * 3600 * 1000;

type AccountRow = MirroredAccount & { id: string; version: number; updatedAt: Date };

/** The `loyalty.mirror` job. */
export async function runLoyaltyMirror(job: JobContext): Promise<void> {
  const range = mirrorRangeOf(job.payload);
  if (!range) throw new PermanentJobError(`loyalty.mirror: bad range ${JSON.stringify(job.payload)}`);
  await mirrorLoyaltyAccounts(job.shop, range);
}

/** Writes every account of the shop whose `updatedAt` is in the range (real-time ms) to Shopify. */
export async function mirrorLoyaltyAccounts(shop: string, range: MirrorRange, options: { ignoreMemo?: boolean } = {}): Promise<MirrorResult> {
  return inTurn(shop, async () => {
    const result: MirrorResult = { accounts: 0, metafieldCalls: 0, tagged: 0, skipped: 0, customerGids: [], versions: [] };
    let client: AdminClient;
    try {
      client = await adminClientFor(shop);
    } catch (error) {
      // Not installed (or uninstalled meanwhile): there is no Shopify to mirror to.
      if (error instanceof ShopNotInstalledError) return result;
      throw error;
    }
    const from = new Date(range.from);
    const to = new Date(range.to);
    let cursor: { updatedAt: Date; id: string } | null = null;
    for (;;) {
      const rows: AccountRow[] = await prisma.loyaltyAccount.findMany({
        where: {
          shop,
          updatedAt: { gte: from, lt: to },
          ...(cursor ? { OR: [{ updatedAt: { gt: cursor.updatedAt } }, { updatedAt: cursor.updatedAt, id: { gt: cursor.id } }] } : {}),
        },
        orderBy: [{ updatedAt: "asc" }, { id: "asc" }],
        take: PAGE,
        select: { id: true, customerGid: true, points: true, pending: true, tier: true, version: true, updatedAt: true },
      });
      if (rows.length === 0) break;
      cursor = { updatedAt: rows.at(-1)!.updatedAt, id: rows.at(-1)!.id };
      await writePage(shop, client, rows, options.ignoreMemo === true, result);
      if (rows.length < PAGE) break;
    }
    return result;
  });
}

async function writePage(shop: string, client: AdminClient, rows: AccountRow[], ignoreMemo: boolean, result: MirrorResult): Promise<void> {
  const { written } = state();
  const due = rows.filter((r) => {
    if (!isCustomerGid(r.customerGid)) {
      result.skipped++;
      return false;
    }
    return ignoreMemo || written.get(memoKey(shop, r.customerGid))?.version !== r.version;
  });
  if (due.length === 0) return;

  const missing = new Set<string>();
  for (const call of packMetafieldCalls(due)) {
    const gone = await setMetafields(shop, client, call);
    result.metafieldCalls += gone.calls;
    for (const gid of gone.missing) missing.add(gid);
  }
  const tiers = await tierHistory(
    shop,
    due.map((r) => r.customerGid),
  );
  for (const account of due) {
    if (missing.has(account.customerGid)) {
      result.skipped++;
      continue;
    }
    // A full rewrite (after a reinstall) tags every tiered customer, however long ago the tier was reached.
    const held = tiers.get(account.customerGid) ?? (ignoreMemo && account.tier ? new Set([account.tier]) : undefined);
    const tagged = written.get(memoKey(shop, account.customerGid))?.tier;
    if (held && (ignoreMemo || tagged === undefined || tagged !== account.tier)) {
      if (await syncTier(shop, client, account, held)) result.tagged++;
    }
    remember(shop, account);
    result.accounts++;
    result.customerGids.push(account.customerGid);
    result.versions.push(account.version);
  }
  await handOnMoved(shop, due);
}

/**
 * One metafieldsSet; customers Shopify refuses (deleted there, say) are left out, recorded for the Activity page,
 * and the rest written in the same run. Answers those left out. A refused customer is written again only when
 * the account changes again.
 */
async function setMetafields(shop: string, client: AdminClient, accounts: MirroredAccount[]): Promise<{ calls: number; missing: string[] }> {
  const outcome = await writeLeavingOutRefused({
    shop,
    writer: LOYALTY_MIRROR_JOB,
    operationName: "LoyaltyMetafieldsSet",
    items: accounts,
    ownerOf: (a) => a.customerGid,
    inputsOf: accountMetafields,
    send: async (metafields) => (await client.request(LOYALTY_METAFIELDS_SET, { metafields }, { idempotent: true })).metafieldsSet,
  });
  return { calls: outcome.calls, missing: outcome.refused.map((r) => r.item.customerGid) };
}

/** The tier handles each customer held recently (from `tier.changed` events), for the customers that changed tier. */
async function tierHistory(shop: string, customerGids: string[]): Promise<Map<string, Set<string>>> {
  const events = await prisma.domainEvent.findMany({
    where: { shop, kind: "tier.changed", subjectGid: { in: customerGids }, occurredAt: { gte: new Date(now().getTime() - TIER_EVENT_LOOKBACK_MS) } },
    select: { subjectGid: true, payload: true },
  });
  const held = new Map<string, Set<string>>();
  for (const e of events) {
    const set = held.get(e.subjectGid) ?? new Set<string>();
    for (const handle of handlesOfTierEvent(e.payload)) set.add(handle);
    held.set(e.subjectGid, set);
  }
  return held;
}

/** Tags the current tier and untags the others; removes the tier metafield when the customer has no tier now. */
async function syncTier(shop: string, client: AdminClient, account: MirroredAccount, held: Set<string>): Promise<boolean> {
  const { add, remove } = tierTagChanges(account.tier, held);
  const context = { shop, operationName: "LoyaltyTierTags" };
  const notFound = (errors: readonly { message: string }[]) => errors.length > 0 && errors.every((e) => /not found|does not exist/i.test(e.message));
  if (remove.length > 0) {
    const answer = await client.request(TAGS_REMOVE, { id: account.customerGid, tags: remove }, { idempotent: true });
    const errors = answer.tagsRemove?.userErrors ?? [];
    if (notFound(errors)) return false;
    if (errors.length > 0) throw new AdminApiUserError(errors, context);
  }
  if (add.length > 0) {
    const answer = await client.request(TAGS_ADD, { id: account.customerGid, tags: add }, { idempotent: true });
    const errors = answer.tagsAdd?.userErrors ?? [];
    if (notFound(errors)) return false;
    if (errors.length > 0) throw new AdminApiUserError(errors, context);
  }
  if (!account.tier) {
    await client.request(
      METAFIELDS_DELETE,
      { metafields: [{ ownerId: account.customerGid, namespace: LOYALTY_NAMESPACE, key: "tier" }] },
      { idempotent: true },
    );
  }
  return true;
}

/**
 * Accounts that changed while they were being written: their own window may already have written the newer
 * values (in another process) before ours landed. A fresh window covering them writes them once more.
 */
async function handOnMoved(shop: string, written: AccountRow[]): Promise<void> {
  const fresh = await prisma.loyaltyAccount.findMany({
    where: { shop, id: { in: written.map((r) => r.id) } },
    select: { id: true, version: true, updatedAt: true },
  });
  const before = new Map(written.map((r) => [r.id, r.version]));
  const moved = fresh.filter((f) => before.get(f.id) !== f.version);
  if (moved.length === 0) return;
  const earliest = Math.min(...moved.map((m) => m.updatedAt.getTime()));
  await scheduleLoyaltyMirror(shop, { realMs: earliest, offsetMs: clockOffsetMs() });
}

/** Every account of the shop, whatever was written before (after a reinstall; on request). */
export function mirrorAllLoyaltyAccounts(shop: string): Promise<MirrorResult> {
  return mirrorLoyaltyAccounts(shop, { from: 0, to: Date.now() + 1 }, { ignoreMemo: true });
}

// ---------------------------------------------------------------------------------------------------------
// Metafield definitions

/**
 * At install (recordInstall): the definitions are created by a job — the Admin API may not be reachable from
 * where the install is recorded, and a failed look-up must not fail the install. Once per shop and hour.
 */
export async function scheduleLoyaltyMetafieldDefinitions(shop: string): Promise<void> {
  const hour = Math.floor(now().getTime() / 3_600_000);
  await getJobQueue().enqueue({ name: LOYALTY_DEFINITIONS_JOB, shop, payload: {}, key: `${LOYALTY_DEFINITIONS_JOB}:${hour}` });
}

/** Creates the three customer metafield definitions; one that exists already (TAKEN) is fine. Answers those created. */
export async function createLoyaltyMetafieldDefinitions(shop: string): Promise<number> {
  let client: AdminClient;
  try {
    client = await adminClientFor(shop);
  } catch (error) {
    if (error instanceof ShopNotInstalledError) return 0;
    throw error;
  }
  let created = 0;
  for (const d of LOYALTY_METAFIELD_DEFINITIONS) {
    const answer = await client.request(
      LOYALTY_METAFIELD_DEFINITION_CREATE,
      {
        definition: {
          name: d.name,
          namespace: LOYALTY_NAMESPACE,
          key: d.key,
          description: d.description,
          type: d.type,
          ownerType: "CUSTOMER",
          access: { storefront: "PUBLIC_READ", customerAccount: "READ" },
        },
      },
      { idempotent: true },
    );
    const errors = (answer.metafieldDefinitionCreate?.userErrors ?? []).filter((e) => e.code !== "TAKEN");
    if (errors.length > 0) throw new AdminApiUserError(errors, { shop, operationName: "LoyaltyMetafieldDefinitionCreate" });
    if (answer.metafieldDefinitionCreate?.createdDefinition) created++;
  }
  return created;
}

/** The `loyalty.metafield-definitions` job: the definitions, then every account written once (a reinstall). */
export async function runLoyaltyDefinitionsJob(job: JobContext): Promise<void> {
  await createLoyaltyMetafieldDefinitions(job.shop);
  if (await prisma.loyaltyAccount.findFirst({ where: { shop: job.shop }, select: { id: true } })) await mirrorAllLoyaltyAccounts(job.shop);
}

/**
 * History import: the shop's past orders through one Admin API bulk query, into the same order state the
 * webhooks fill, with no domain events (history earns no points and starts no flows or mails).
 *
 * Heartbeats are real time (lib/stuck.ts: about a process being alive, not the sandbox clock).
 * A run (BackfillRun row) goes starting → running (the bulk query runs on Shopify) → importing (the JSONL is
 * streamed) → completed, or → failed with the reason. Shopify's `bulk_operations/finish` webhook moves it on;
 * the `backfill.poll` job asks `bulkOperation(id:)` as the fallback, and also starts the query again while another
 * bulk query of the app is running on the shop. The `backfill.import` job may run again after a crash: it
 * restarts from the first line and every merge is idempotent. A failed run is retried as a new run.
 */
import { createInterface } from "node:readline";
import { Readable } from "node:stream";
import type { ReadableStream as WebReadableStream } from "node:stream/web";
import { prisma } from "~/db/db.server";
import { getJobQueue } from "~/jobs/index.server";
import { stuckSince } from "~/lib/stuck";
import { recordImportedConsents } from "~/mail/consent.server";
import { now } from "~/lib/time/clock.server";
import { snapshotFromAdminOrder } from "~/orders/fact-reader-graphql";
import { applyOrderFacts, type FactInput } from "~/orders/order-events-batch.server";
import { adminClientFor } from "~/shopify/admin-api/shop-client.server";
import { foldBulkLines, objectsIn, type BulkObject } from "./jsonl";
import {
  alreadyRunning,
  BACKFILL_IMPORT_JOB,
  BACKFILL_START_JOB,
  BACKFILL_POLL_JOB,
  BULK_OPERATION,
  bulkOutcome,
  importWindowStart,
  ORDERS_COUNT,
  ordersQuery,
  ordersSearch,
  pollDelayMs,
  RUN_BULK_QUERY,
} from "./plan";

export type BackfillRunRow = NonNullable<Awaited<ReturnType<typeof prisma.backfillRun.findFirst>>>;

const ACTIVE = ["starting", "running", "importing"];
/** Orders merged per transaction while importing. */
const ORDERS_PER_BATCH = 250;

/**
 * Install hook: queues the first import (once per shop: the job's key; the job does nothing when a run is under
 * way or done). Shopify is asked in the job, so an install never waits for, or fails on, the Admin API.
 */
export async function queueBackfillAtInstall(shop: string): Promise<void> {
  await getJobQueue().enqueue({ name: BACKFILL_START_JOB, shop, payload: { startedBy: "install" }, key: "backfill:install" });
}

/** Dashboard button and command line: a new run unless one is under way (a stalled one is closed first). */
export function retryBackfill(shop: string, startedBy: string): Promise<BackfillRunRow> {
  return startBackfill(shop, startedBy, { force: true });
}

/** The shop's latest run, or null. */
export function latestBackfillRun(shop: string): Promise<BackfillRunRow | null> {
  return prisma.backfillRun.findFirst({ where: { shop }, orderBy: [{ createdAt: "desc" }, { id: "desc" }] });
}

/**
 * Starts an import unless one is under way (install hook, dashboard button, `npm run backfill`). Answers the run.
 * `force`: start a new run even after a completed one (Retry and the command line always do).
 */
export async function startBackfill(shop: string, startedBy = "install", options: { force?: boolean } = {}): Promise<BackfillRunRow> {
  const latest = await latestBackfillRun(shop);
  if (latest && ACTIVE.includes(latest.status)) {
    // An active run whose process died (no progress for 10 minutes) is closed with that reason; a new one starts.
    if (!options.force || !latest.heartbeatAt || !stuckSince(latest.heartbeatAt)) return latest;
    await fail(latest.id, "interrupted: no progress for 10 minutes (the process importing it stopped)");
  }
  if (latest && latest.status === "completed" && !options.force) return latest;
  const session = await prisma.session.findFirst({ where: { id: `offline_${shop}`, shop, isOnline: false }, select: { scope: true } });
  const since = importWindowStart(session?.scope, now());
  const run = await prisma.backfillRun.create({ data: { shop, status: "starting", since, startedBy, heartbeatAt: new Date() } });
  return launch(run);
}

/** Asks Shopify to run the bulk query; another bulk query running on the shop makes the poll job try again later. */
async function launch(run: BackfillRunRow, attempt = 0): Promise<BackfillRunRow> {
  const client = await adminClientFor(run.shop);
  const search = ordersSearch(run.since);
  let ordersCount = run.ordersCount;
  if (ordersCount === null) {
    const counted = await client.request(ORDERS_COUNT, { query: search });
    ordersCount = counted.ordersCount?.count ?? null;
  }
  const { bulkOperationRunQuery: answer } = await client.request(RUN_BULK_QUERY, { query: ordersQuery(search) });
  if (answer.bulkOperation) {
    const updated = await prisma.backfillRun.update({
      where: { id: run.id },
      data: { status: "running", bulkOperationId: answer.bulkOperation.id, ordersCount, heartbeatAt: new Date() },
    });
    await schedulePoll(updated, 0);
    return updated;
  }
  const other = alreadyRunning(answer.userErrors);
  if (other !== null) {
    const updated = await prisma.backfillRun.update({
      where: { id: run.id },
      data: {
        status: "running",
        ordersCount,
        error: `another bulk query is already running on the shop${other ? ` (${other})` : ""}; trying again`,
        heartbeatAt: new Date(),
      },
    });
    await schedulePoll(updated, attempt + 1);
    return updated;
  }
  return fail(run.id, `Shopify refused the bulk query: ${answer.userErrors.map((e) => e.message).join("; ")}`);
}

async function schedulePoll(run: BackfillRunRow, attempt: number): Promise<void> {
  await getJobQueue().enqueue({
    name: BACKFILL_POLL_JOB,
    shop: run.shop,
    payload: { runId: run.id, attempt },
    key: `backfill-poll:${run.id}:${attempt}`,
    runAt: new Date(now().getTime() + pollDelayMs(attempt)),
  });
}

function fail(runId: string, reason: string): Promise<BackfillRunRow> {
  return prisma.backfillRun.update({ where: { id: runId }, data: { status: "failed", error: reason, finishedAt: now() } });
}

/**
 * Looks at the run's bulk query (poll job and finish webhook alike): still running → poll again; completed →
 * the import job (once per run: its key); failed → the run fails with Shopify's reason.
 */
export async function checkBackfill(shop: string, runId: string, attempt = 0): Promise<string> {
  const run = await prisma.backfillRun.findFirst({ where: { id: runId, shop } });
  if (!run || run.status !== "running") return run?.status ?? "gone";
  if (!run.bulkOperationId) {
    await launch(run, attempt);
    return "relaunched";
  }
  const client = await adminClientFor(shop);
  const { bulkOperation } = await client.request(BULK_OPERATION, { id: run.bulkOperationId });
  if (!bulkOperation) return (await fail(run.id, `Shopify no longer knows bulk operation ${run.bulkOperationId}`)).status;
  const outcome = bulkOutcome(bulkOperation);
  if (outcome.kind === "wait") {
    await prisma.backfillRun.update({ where: { id: run.id }, data: { heartbeatAt: new Date() } });
    await schedulePoll(run, attempt + 1);
    return "waiting";
  }
  if (outcome.kind === "failed") return (await fail(run.id, outcome.reason)).status;
  const moved = await prisma.backfillRun.updateMany({
    where: { id: run.id, shop, status: "running" },
    data: { status: "importing", error: null, heartbeatAt: new Date() },
  });
  if (moved.count === 1) await getJobQueue().enqueue({ name: BACKFILL_IMPORT_JOB, shop, payload: { runId: run.id }, key: `backfill-import:${run.id}` });
  return "importing";
}

/** `bulk_operations/finish`: the run of that bulk operation, if any, is looked at now. Idempotent. */
export async function onBulkOperationFinished(shop: string, payload: string): Promise<{ note: string }> {
  const body = JSON.parse(payload) as { admin_graphql_api_id?: unknown };
  const id = typeof body.admin_graphql_api_id === "string" ? body.admin_graphql_api_id : null;
  const run = id ? await prisma.backfillRun.findFirst({ where: { shop, bulkOperationId: id } }) : null;
  if (!run) return { note: `bulk operation ${id ?? "(no id)"} is not a history import` };
  return { note: `history import ${run.id}: ${await checkBackfill(shop, run.id)}` };
}

/** The lines of a JSONL download, one at a time (the body is never held whole). */
async function* downloadLines(url: string): AsyncGenerator<string> {
  const response = await fetch(url);
  if (!response.ok || !response.body) throw new Error(`the bulk result download answered ${response.status}`);
  const lines = createInterface({ input: Readable.fromWeb(response.body as WebReadableStream<Uint8Array>), crlfDelay: Infinity });
  for await (const line of lines) yield line;
}

/** An order node from the JSONL as snapshotFromAdminOrder reads it (the order's e-mail, else the customer's). */
export function orderNodeOf(root: BulkObject): BulkObject {
  const customer = root.customer as { defaultEmailAddress?: { emailAddress?: unknown } | null } | null | undefined;
  const email = root.email ?? customer?.defaultEmailAddress?.emailAddress ?? null;
  return { ...root, email };
}

/**
 * The customer's e-mail marketing consent on an order node (defaultEmailAddress.marketingState), as Shopify held
 * it when the bulk query ran: stamped with its marketingUpdatedAt, else the run's start.
 */
export function consentOf(root: BulkObject, runStartedAt: Date): { customerGid: string; state: string; at: Date } | null {
  const customer = root.customer as
    { id?: unknown; defaultEmailAddress?: { marketingState?: unknown; marketingUpdatedAt?: unknown } | null } | null | undefined;
  const state = customer?.defaultEmailAddress?.marketingState;
  if (typeof customer?.id !== "string" || typeof state !== "string") return null;
  const updated = customer.defaultEmailAddress?.marketingUpdatedAt;
  const at = typeof updated === "string" && Number.isFinite(Date.parse(updated)) ? new Date(updated) : runStartedAt;
  return { customerGid: customer.id, state, at };
}

/**
 * The `backfill.import` job: streams the result into the order state, ORDERS_PER_BATCH orders per transaction,
 * counting progress on the run. Run again after a crash, it starts over (the merges are idempotent).
 */
export async function importBackfill(shop: string, runId: string): Promise<{ orders: number; objects: number }> {
  const run = await prisma.backfillRun.findFirst({ where: { id: runId, shop } });
  if (!run || run.status !== "importing" || !run.bulkOperationId) return { orders: 0, objects: 0 };
  const client = await adminClientFor(shop);
  const { bulkOperation } = await client.request(BULK_OPERATION, { id: run.bulkOperationId });
  let orders = 0;
  let objects = 0;
  await prisma.backfillRun.update({ where: { id: run.id }, data: { objectsImported: 0, ordersImported: 0, heartbeatAt: new Date() } });
  try {
    // A query that matched nothing has no file.
    if (bulkOperation?.url) {
      let batch: FactInput[] = [];
      // Shopify's e-mail marketing consent of the orders' customers, as of this import (mail/consent.server.ts).
      let consents = new Map<string, { customerGid: string; state: string; at: Date }>();
      const flush = async () => {
        if (batch.length === 0) return;
        await applyOrderFacts(batch, undefined, { history: true });
        await recordImportedConsents(shop, [...consents.values()]);
        consents = new Map();
        orders += batch.length;
        batch = [];
        await prisma.backfillRun.update({ where: { id: run.id }, data: { objectsImported: objects, ordersImported: orders, heartbeatAt: new Date() } });
      };
      for await (const root of foldBulkLines(downloadLines(bulkOperation.url))) {
        objects += objectsIn(root);
        batch.push({ shop, fact: snapshotFromAdminOrder(orderNodeOf(root)) });
        const consent = consentOf(root, run.createdAt);
        if (consent) consents.set(consent.customerGid, consent);
        if (batch.length >= ORDERS_PER_BATCH) await flush();
      }
      await flush();
    }
  } catch (error) {
    await fail(run.id, `the import stopped: ${(error as Error).message}`);
    return { orders, objects };
  }
  await prisma.backfillRun.update({
    where: { id: run.id },
    data: { status: "completed", objectsImported: objects, ordersImported: orders, finishedAt: now() },
  });
  return { orders, objects };
}

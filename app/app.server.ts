// The one startup module. Every domain's jobs, domain-event subscribers, webhook topic handlers, flow-action
// executors, personal-data holders and install hooks are registered here, in this order, and the web server
// (entry.server.tsx) and `npm run worker` (jobs/worker-main.ts) start the same list. Nothing else imports this file
// (tests do, to get the registered handlers). To find who handles job X: the list below names the domain's
// jobs.server.ts, which names the handler.
import { backfillJobs } from "~/backfill/jobs.server";
import { onBulkOperationFinished, queueBackfillAtInstall } from "~/backfill/backfill.server";
import { challengeJobs } from "~/challenges/jobs.server";
import { applyChallengeEventOrQueue } from "~/challenges/events.server";
import { challengesPersonalData } from "~/challenges/privacy.server";
import { domainEventJobs } from "~/domain-events/jobs.server";
import { subscribeToDomainEvents } from "~/domain-events/subscribers";
import { registerActionExecutors } from "~/flows/executors.server";
import { flowsFlowActions } from "~/flows/flow-actions.server";
import { flowsSubscriber } from "~/flows/event-subscriber.server";
import { ensureFlowScans, ensureFlowScansForInstalledShops } from "~/flows/scan.server";
import { installFlowTemplates } from "~/flows/flows.server";
import { flowJobs } from "~/flows/jobs.server";
import { requeueLiveFlowRuns } from "~/flows/reinstall.server";
import { jobsRunInProcess, startWorkerOnce } from "~/jobs/boot.server";
import { getJobQueue, logJobError, workerSettings } from "~/jobs/index.server";
import { pingJob } from "~/jobs/ping";
import type { JobWorker } from "~/jobs/queue";
import { jobRegistry } from "~/jobs/registry";
import { loadClockOffset } from "~/lib/time/clock.server";
import { applyLoyaltyEventOrQueue } from "~/loyalty/events.server";
import { loyaltyFlowActions } from "~/loyalty/flow-actions.server";
import { loyaltyJobs } from "~/loyalty/jobs.server";
import { scheduleLoyaltyMetafieldDefinitions } from "~/loyalty/mirror.server";
import { ensureLoyaltyScans, ensureLoyaltyScansForInstalledShops } from "~/loyalty/scan.server";
import { mailFlowActions } from "~/mail/flow-actions.server";
import { mailJobs } from "~/mail/jobs.server";
import { requeueQueuedMail } from "~/mail/reinstall.server";
import { orderJobs } from "~/orders/jobs.server";
import { ensureReconciliation, ensureReconciliationForInstalledShops } from "~/orders/reconcile.server";
import { queueReferralAttribution } from "~/referrals/attribution.server";
import { referralJobs } from "~/referrals/jobs.server";
import { requeuePendingReferralRewards } from "~/referrals/reinstall.server";
import { reviewFlowActions } from "~/reviews/flow-actions.server";
import { reviewJobs } from "~/reviews/jobs.server";
import { rewardFlowActions } from "~/rewards/flow-actions.server";
import { thankYouFlowActions } from "~/thank-you/flow-actions.server";
import { requeueReviewRequests } from "~/reviews/reinstall.server";
import { orderEventsPersonalData } from "~/orders/order-events.server";
import { engagementPersonalData } from "~/privacy/engagement-data.server";
import { registerPersonalDataHolders } from "~/privacy/holders";
import { exportCustomerData, redactCustomer, redactShop } from "~/privacy/privacy.server";
import { refusedWritesPersonalData } from "~/shopify/admin-api/refused-writes.server";
import { shopifyFlowJobs } from "~/shopify-flow/jobs.server";
import { shopifyFlowSubscriber } from "~/shopify-flow/triggers.server";
import { onInstall, onReinstall } from "~/shops/install-hooks";
import { uninstallShop } from "~/shops/uninstall.server";
import { webhookJobs } from "~/webhooks/jobs.server";
import { startInboxSweeper } from "~/webhooks/sweep.server";
import { handleWebhookTopics } from "~/webhooks/topic-handlers";
import { checkoutJobs } from "~/checkouts/jobs.server";
import { recordCheckoutWebhook } from "~/checkouts/checkouts.server";
import { checkoutFlowActions } from "~/checkouts/flow-actions.server";
import { checkoutsPersonalData } from "~/checkouts/privacy.server";

/** Registers everything; idempotent (module reloads in development, tests). */
export function registerApp(): void {
  jobRegistry.register(
    pingJob,
    ...webhookJobs,
    ...domainEventJobs,
    ...orderJobs,
    ...flowJobs,
    ...loyaltyJobs,
    ...referralJobs,
    ...reviewJobs,
    ...mailJobs,
    ...shopifyFlowJobs,
    ...backfillJobs,
    ...challengeJobs,
    ...checkoutJobs,
  );

  subscribeToDomainEvents(
    // The ledger first (earn, refunds, cancellation, signup): flows that run on an event see its points.
    { name: "loyalty", onEvent: (shop, event) => applyLoyaltyEventOrQueue(shop, event) },
    // Challenge progress, completions, badges and their rewards (after the ledger: a challenge's points follow the order's).
    { name: "challenges", onEvent: (shop, event) => applyChallengeEventOrQueue(shop, event) },
    // A friend's paid order carrying a referral code: attributed in its own job (never holds up the flows).
    { name: "referrals", onEvent: (shop, event) => queueReferralAttribution(shop, event) },
    // The merchant's flows start (their runs recorded in the transaction that marks the event taken).
    flowsSubscriber,
    // Shopify Flow triggers: one flowTriggerReceive job per event, queued in that same transaction.
    shopifyFlowSubscriber,
  );

  // What a webhook topic does beside the order facts (which every order, refund, fulfilment and customer topic
  // carries, applied in batches by webhooks/process-webhook.server.ts through orders/). Each runs alone, in its place.
  handleWebhookTopics({
    "app/uninstalled": (event) => uninstallShop(event.shop),
    "customers/redact": (event) => redactCustomer(event.shop, event.payload),
    "customers/data_request": (event) => exportCustomerData(event.shop, event.payload),
    // Deletes every row of the shop, this very event included.
    "shop/redact": (event, job) => redactShop(event.shop, job.id),
    // The history import's bulk query finished (backfill/; a poll job is the fallback).
    "bulk_operations/finish": (event) => onBulkOperationFinished(event.shop, event.payload),
    // Checkouts for the "Checkout abandoned" flow trigger (checkouts/).
    "checkouts/create": (event) => recordCheckoutWebhook(event),
    "checkouts/update": (event) => recordCheckoutWebhook(event),
  });

  // What each flow action does when a run reaches it, from the domain that owns it (flows plans every action).
  registerActionExecutors(
    loyaltyFlowActions,
    reviewFlowActions,
    mailFlowActions,
    rewardFlowActions,
    thankYouFlowActions,
    flowsFlowActions,
    checkoutFlowActions,
  );

  // Personal data beside the stored webhooks: exported by customers/data_request, removed by customers/redact.
  registerPersonalDataHolders(orderEventsPersonalData, engagementPersonalData, refusedWritesPersonalData, challengesPersonalData);
  // The checkouts a customer left (app/checkouts/).
  registerPersonalDataHolders(checkoutsPersonalData);

  onInstall(
    // A webhook Shopify never delivered still reaches us: reconciliation runs for every installed shop.
    ensureReconciliation,
    // The default flows (earn points, review request, thank-you page, …), once per shop; then the daily scan that
    // starts birthday and win-back flows.
    installFlowTemplates,
    ensureFlowScans,
    // The loyalty program's daily scan: due approvals, expiry warnings and expiry, tiers that change with time.
    ensureLoyaltyScans,
    // Customer metafield definitions for the points mirror (storefront-readable), created by a job; idempotent.
    scheduleLoyaltyMetafieldDefinitions,
    // The shop's order history through one bulk query, into the order state with no events; once per shop.
    queueBackfillAtInstall,
  );

  // Installed again after app/uninstalled (which cancelled every job not started): what the rows say is still due
  // is queued again. Loyalty needs nothing here: its daily scan (an install hook above) approves due points, and
  // reconciliation fetches the orders whose webhooks were dropped meanwhile.
  onReinstall(requeueLiveFlowRuns, requeueReviewRequests, requeuePendingReferralRewards, requeueQueuedMail);
}

registerApp();

/** Recurring work of every installed shop, restarted whenever a process that runs jobs starts. */
function restartRecurringWork(): void {
  // A sandbox restarted after "advance the clock" keeps its time.
  if (process.env.AFTERGLOW_SANDBOX === "1") void loadClockOffset().catch((error) => logJobError(error));
  for (const ensure of [ensureReconciliationForInstalledShops, ensureFlowScansForInstalledShops, ensureLoyaltyScansForInstalledShops]) {
    void ensure().catch((error) => logJobError(error));
  }
  startInboxSweeper();
}

/** The web server: runs the jobs itself unless REDIS_URL or JOBS_IN_PROCESS=0 hands them to `npm run worker`. */
export function startWebProcess(): void {
  if (!jobsRunInProcess()) return;
  if (startWorkerOnce()) restartRecurringWork();
}

/** `npm run worker`: a process that only runs jobs. */
export function startWorkerProcess(): JobWorker {
  const worker = getJobQueue().startWorker({
    handlers: jobRegistry.handlers,
    batchHandlers: jobRegistry.batchHandlers,
    ...workerSettings(),
    onError: logJobError,
  });
  restartRecurringWork();
  return worker;
}

export const jobHandlers = jobRegistry.handlers;
export const jobBatchHandlers = jobRegistry.batchHandlers;

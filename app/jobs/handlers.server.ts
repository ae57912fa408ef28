// Job name → handler. Both the in-process worker (web server, no REDIS_URL) and `npm run worker` run these.
// Handlers must be idempotent: after a crash a job runs again. Throw RetryLaterError(ms) to wait a precise
// time (e.g. Admin API throttling) and PermanentJobError when running again cannot help.
import { PROCESS_WEBHOOK_JOB } from "~/webhooks/job-names";
import { dispatchFlows } from "../flows/dispatch.server";
import { FLOW_DISPATCH_JOB, FLOW_SCAN_JOB, FLOW_STEP_JOB } from "../flows/jobs";
import { runFlowSteps } from "../flows/runner.server";
import { runLoyaltyEventJob } from "../loyalty/events.server";
import { LOYALTY_APPROVE_JOB, LOYALTY_EVENT_JOB, LOYALTY_REDEMPTION_JOB, LOYALTY_SCAN_JOB } from "../loyalty/jobs";
import { runApproveJob } from "../loyalty/loyalty.server";
import { LOYALTY_RETIER_JOB } from "../loyalty/admin-tiers";
import { runRetierJob } from "../loyalty/admin-tiers.server";
import { LOYALTY_DEFINITIONS_JOB, LOYALTY_MIRROR_JOB } from "../loyalty/mirror";
import { runLoyaltyDefinitionsJob, runLoyaltyMirror } from "../loyalty/mirror.server";
import { runRedemptionJob } from "../loyalty/redemption.server";
import { runLoyaltyScan } from "../loyalty/scan.server";
import { runReferralAttributionJob } from "../referrals/attribution.server";
import { REFERRAL_ATTRIBUTE_JOB, REFERRAL_REWARD_JOB } from "../referrals/jobs";
import { runReferralRewardJob } from "../referrals/rewards.server";
import { scanShopForFlowEvents } from "../flows/scan.server";
import { processWebhookEvent } from "~/webhooks/process-webhook.server";
import { ORDER_MIRROR_JOB } from "../orders/mirror";
import { mirrorOrders } from "../orders/mirror.server";
import { reconcileShop } from "../orders/reconcile.server";
import { RECONCILE_JOB } from "../orders/reconcile";
import { MAIL_DELIVER_JOB } from "../mail/jobs";
import { deliverMail } from "../mail/mailer.server";
import { reviewIncentiveJob } from "../reviews/incentives.server";
import { REVIEW_INCENTIVE_JOB, REVIEW_RATINGS_JOB, REVIEW_REMIND_JOB, REVIEW_SEND_JOB } from "../reviews/jobs";
import { syncRatingJob } from "../reviews/ratings.server";
import { sendReviewReminderJob, sendReviewRequestJob } from "../reviews/requests.server";
import type { JobHandler } from "./queue";

export const jobHandlers: Record<string, JobHandler> = {
  /** Proves a worker is alive and consuming (ops smoke test); does nothing. */
  "jobs.ping": async () => {},
  [PROCESS_WEBHOOK_JOB]: processWebhookEvent,
  [ORDER_MIRROR_JOB]: async (job) => {
    await mirrorOrders(job);
  },
  [RECONCILE_JOB]: async (job) => {
    await reconcileShop(job);
  },
  [FLOW_DISPATCH_JOB]: async (job) => {
    await dispatchFlows(job);
  },
  [FLOW_STEP_JOB]: runFlowSteps,
  [FLOW_SCAN_JOB]: async (job) => {
    await scanShopForFlowEvents(job);
  },
  [MAIL_DELIVER_JOB]: deliverMail,
  [REVIEW_SEND_JOB]: sendReviewRequestJob,
  [REVIEW_REMIND_JOB]: sendReviewReminderJob,
  [REVIEW_RATINGS_JOB]: syncRatingJob,
  [REVIEW_INCENTIVE_JOB]: reviewIncentiveJob,
  [LOYALTY_APPROVE_JOB]: runApproveJob,
  [LOYALTY_EVENT_JOB]: runLoyaltyEventJob,
  [LOYALTY_SCAN_JOB]: runLoyaltyScan,
  [LOYALTY_REDEMPTION_JOB]: runRedemptionJob,
  [LOYALTY_MIRROR_JOB]: runLoyaltyMirror,
  [LOYALTY_DEFINITIONS_JOB]: runLoyaltyDefinitionsJob,
  [LOYALTY_RETIER_JOB]: runRetierJob,
  [REFERRAL_ATTRIBUTE_JOB]: runReferralAttributionJob,
  [REFERRAL_REWARD_JOB]: runReferralRewardJob,
};

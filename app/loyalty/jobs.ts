// Job names and keys of the loyalty module. Pure (a leaf module: the job handler registry imports it).

/** Turns one pending earn into spendable points once its window has passed; keyed per entry. */
export const LOYALTY_APPROVE_JOB = "loyalty.approve";
/** Applies one domain event to the ledger again after it failed inside the flows dispatcher. */
export const LOYALTY_EVENT_JOB = "loyalty.event";
/** The daily per-shop scan: approvals that are due, expiry and its warnings, tiers that change with time. */
export const LOYALTY_SCAN_JOB = "loyalty.scan";
/** Finishes a redemption whose discount code could not be created at once (retries, else gives the points back). */
export const LOYALTY_REDEMPTION_JOB = "loyalty.redemption";

/** Awards points for past (imported) orders, a batch of customers at a time (retroactive.server.ts). */
export const LOYALTY_RETRO_JOB = "loyalty.retro";

export const approveJobKey = (entryKey: string) => `${LOYALTY_APPROVE_JOB}:${entryKey}`;
export const eventJobKey = (eventKey: string) => `${LOYALTY_EVENT_JOB}:${eventKey}`;
export const redemptionJobKey = (redemptionId: string) => `${LOYALTY_REDEMPTION_JOB}:${redemptionId}`;
/** One key per slice of a run: the first from the start, each next one from the customer the last slice ended at. */
export const retroJobKey = (runId: string, cursor: string | null) => `${LOYALTY_RETRO_JOB}:${runId}:${cursor ?? "start"}`;

/** Ledger keys: each effect has exactly one, so a replay finds it and changes nothing. */
export const ledgerKeys = {
  programEarn: (orderGid: string) => `earn:${orderGid}`,
  approve: (entryKey: string) => `approve:${entryKey}`,
  approvePending: (entryKey: string) => `approve:${entryKey}:pending`,
  reverse: (refundGid: string, entryKey: string) => `reverse:${refundGid}:${entryKey}`,
  void: (entryKey: string) => `void:${entryKey}`,
  signup: (customerGid: string) => `signup:${customerGid}`,
  birthday: (customerGid: string, year: number) => `birthday:${customerGid}:${year}`,
  adjust: (key: string) => `adjust:${key}`,
  expire: (customerGid: string, lastActivityAt: Date) => `expire:${customerGid}:${lastActivityAt.toISOString()}`,
  redeem: (redemptionKey: string) => `redeem:${redemptionKey}`,
  redeemRefund: (redemptionKey: string) => `reverse:redeem:${redemptionKey}`,
} as const;

// Job names of the referrals module (handlers in app/jobs/handlers.server.ts).
export const REFERRAL_ATTRIBUTE_JOB = "referrals.attribute";
export const REFERRAL_REWARD_JOB = "referrals.reward";

export const attributeJobKey = (orderGid: string) => `${REFERRAL_ATTRIBUTE_JOB}:${orderGid}`;
export const rewardJobKey = (referralId: string) => `${REFERRAL_REWARD_JOB}:${referralId}`;

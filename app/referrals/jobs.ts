// Job names of the referrals module (defined with their handlers in jobs.server.ts).
export const REFERRAL_ATTRIBUTE_JOB = "referrals.attribute";
export const REFERRAL_REWARD_JOB = "referrals.reward";

export const attributeJobKey = (orderGid: string) => `${REFERRAL_ATTRIBUTE_JOB}:${orderGid}`;
export const rewardJobKey = (referralId: string) => `${REFERRAL_REWARD_JOB}:${referralId}`;

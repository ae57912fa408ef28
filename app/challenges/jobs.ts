// Job names and keys of the challenges module. Pure (a leaf module: anyone may enqueue them).

/** Gives a completed challenge's reward (points through the loyalty ledger, or a reward code); keyed per progress row. */
export const CHALLENGE_REWARD_JOB = "challenges.reward";
/** Applies one domain event to the challenges again after it failed inside the dispatcher. */
export const CHALLENGE_EVENT_JOB = "challenges.event";

export const rewardJobKey = (progressId: string) => `${CHALLENGE_REWARD_JOB}:${progressId}`;
export const challengeEventJobKey = (eventKey: string) => `${CHALLENGE_EVENT_JOB}:${eventKey}`;
/** The reward's idempotency key: the loyalty ledger entry's key, or the reward code's key. Once per customer and challenge. */
export const challengeRewardKey = (challengeId: string, customerGid: string) => `challenge:${challengeId}:${customerGid}`;
/** The domain event recorded once per completion (a Shopify Flow trigger is sent from it). */
export const CHALLENGE_COMPLETED = "challenge.completed";
export const challengeCompletedKey = (challengeId: string, customerGid: string) => `${CHALLENGE_COMPLETED}:${challengeId}:${customerGid}`;

// Job names and keys of the reviews module. Pure.
export const REVIEW_SEND_JOB = "reviews.send";
export const REVIEW_REMIND_JOB = "reviews.remind";
export const REVIEW_RATINGS_JOB = "reviews.ratings";
export const REVIEW_INCENTIVE_JOB = "reviews.incentive";

/** Unique per request and due time: a rescheduled request gets a new job, a replay of the same one does not. */
export const reviewSendJobKey = (requestId: string, sendAt: Date) => `${REVIEW_SEND_JOB}:${requestId}:${sendAt.getTime()}`;
export const reviewRemindJobKey = (requestId: string, number: number) => `${REVIEW_REMIND_JOB}:${requestId}:${number}`;
/** One per change: the job reads the published reviews when it runs, so any later job also writes the truth. */
export const reviewRatingsJobKey = (productGid: string, change: string) => `${REVIEW_RATINGS_JOB}:${productGid}:${change}`;
export const reviewIncentiveJobKey = (reviewId: string, reason: string) => `${REVIEW_INCENTIVE_JOB}:${reviewId}:${reason}`;

/** The mail keys of a request's e-mails (also what its unsubscribe link names). */
export const reviewMailKey = (requestId: string, reminder = 0) =>
  reminder ? `review-request:${requestId}:reminder-${reminder}` : `review-request:${requestId}`;

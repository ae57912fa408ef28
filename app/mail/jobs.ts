// Job names of the mail module. Pure.
export const MAIL_DELIVER_JOB = "mail.deliver";
export const mailDeliverJobKey = (mailId: string, attempt = 0) => `${MAIL_DELIVER_JOB}:${mailId}${attempt ? `:${attempt}` : ""}`;

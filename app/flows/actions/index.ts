// The built-in actions, registered once when the flows module loads. Features that add actions register their
// own spec the same way (registerFlowAction) from their own folder.
import { registerFlowAction } from "../action-registry";
import { sendCheckoutReminder, type CheckoutReminderParams } from "./checkout";
import { createRewardDiscount, type RewardDiscountParams } from "./discount";
import { notifyMerchant, requestReview, sendEmail, type NotifyMerchantParams, type RequestReviewParams, type SendEmailParams } from "./messages";
import { awardPoints, type AwardPointsParams } from "./points";
import { addCustomerTags, addOrderTags, removeCustomerTags, type TagParams } from "./tags";
import { showThankYouContent, type ThankYouParams } from "./thank-you";
import { wait, type WaitParams } from "./wait";

registerFlowAction(awardPoints);
registerFlowAction(requestReview);
registerFlowAction(sendEmail);
registerFlowAction(addCustomerTags);
registerFlowAction(removeCustomerTags);
registerFlowAction(addOrderTags);
registerFlowAction(createRewardDiscount);
registerFlowAction(showThankYouContent);
registerFlowAction(notifyMerchant);
registerFlowAction(wait);
registerFlowAction(sendCheckoutReminder);

/** Param types of the built-in actions, by type (for templates and typed callers). */
export interface BuiltinActionParams {
  award_points: AwardPointsParams;
  request_review: RequestReviewParams;
  send_email: SendEmailParams;
  add_customer_tags: TagParams;
  remove_customer_tags: TagParams;
  add_order_tags: TagParams;
  create_reward_discount: RewardDiscountParams;
  show_thank_you_content: ThankYouParams;
  notify_merchant: NotifyMerchantParams;
  wait: WaitParams;
  send_checkout_reminder: CheckoutReminderParams;
}
export type BuiltinActionType = keyof BuiltinActionParams;
export type {
  AwardPointsParams,
  CheckoutReminderParams,
  NotifyMerchantParams,
  RequestReviewParams,
  RewardDiscountParams,
  SendEmailParams,
  TagParams,
  ThankYouParams,
  WaitParams,
};

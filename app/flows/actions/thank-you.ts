// show_thank_you_content: what the thank-you / order-status extension adds for this order, beside the blocks the
// merchant switched on in the checkout editor (it never hides those).
import { type FlowActionSpec } from "../action-registry";
import { thankYouParams, type ThankYouBlock, type ThankYouParams } from "../thank-you-content";

export type { ThankYouParams } from "../thank-you-content";

const BLOCK_LABELS: Record<ThankYouBlock, string> = {
  thank_you: "thank-you message",
  points: "points earned",
  tier_progress: "tier progress",
  survey: "survey",
  referral: "referral link",
  birthday: "birthday sign-up",
  review_cta: "review invitation",
};

const SURVEY_KIND_LABELS = { nps: "NPS", csat: "satisfaction", source: "how-did-you-hear" } as const;

export const showThankYouContent: FlowActionSpec<ThankYouParams> = {
  type: "show_thank_you_content",
  label: "Show thank-you page content",
  params: thankYouParams,
  requires: ["order"],
  plan(params) {
    const labels = params.blocks.map((block) =>
      block === "survey" && params.survey ? `${SURVEY_KIND_LABELS[params.survey.kind]} survey` : BLOCK_LABELS[block],
    );
    return { summary: `Add to the thank-you page: ${labels.join(", ")}` };
  },
};

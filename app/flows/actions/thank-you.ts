// show_thank_you_content: what the thank-you / order-status extension renders for this order.
import { z } from "zod";
import { type FlowActionSpec } from "../action-registry";
import { optional, text } from "../schema-parts";

export const THANK_YOU_BLOCKS = ["thank_you", "points", "tier_progress", "survey", "referral", "birthday", "review_cta"] as const;
export type ThankYouBlock = (typeof THANK_YOU_BLOCKS)[number];

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

const surveyConfig = z.object(
  {
    questionId: z
      .string({ required_error: "Enter a question id", invalid_type_error: "Enter a question id" })
      .regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, "Use lowercase letters, digits, - or _ for the question id"),
    kind: z.enum(["nps", "csat", "source"], { errorMap: () => ({ message: "Choose NPS, satisfaction or source" }) }),
    question: optional(text({ max: 200, message: "Enter the question", maxMessage: "Keep the question to 200 characters or fewer" })),
  },
  { invalid_type_error: "Set up the survey question" },
);

export const thankYouParams = z
  .object({
    blocks: z
      .array(z.enum(THANK_YOU_BLOCKS, { errorMap: () => ({ message: "Choose a block from the list" }) }), {
        required_error: "Choose at least one block",
        invalid_type_error: "Choose at least one block",
      })
      .min(1, "Choose at least one block")
      .transform((blocks) => [...new Set(blocks)]),
    message: optional(text({ max: 500, message: "Enter a message", maxMessage: "Keep the message to 500 characters or fewer" })),
    survey: surveyConfig.optional(),
  })
  .superRefine((params, ctx) => {
    if (params.blocks.includes("survey") && !params.survey) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ["survey"], message: "Set up the survey question" });
    }
  });
export type ThankYouParams = z.infer<typeof thankYouParams>;

export const showThankYouContent: FlowActionSpec<ThankYouParams> = {
  type: "show_thank_you_content",
  label: "Show thank-you page content",
  params: thankYouParams,
  requires: ["order"],
  plan(params) {
    const labels = params.blocks.map((block) =>
      block === "survey" && params.survey ? `${SURVEY_KIND_LABELS[params.survey.kind]} survey` : BLOCK_LABELS[block],
    );
    return { summary: `Show on the thank-you page: ${labels.join(", ")}` };
  },
};

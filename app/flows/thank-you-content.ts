// What a flow may add to the thank-you / order-status page, on top of the blocks switched on in the checkout editor
// (it never hides those): the blocks and their parameters. Shared by the show_thank_you_content action
// (actions/thank-you.ts), the shopper's view (thank-you/view.ts) and the editor.
import { z } from "zod";
import { optional, text } from "./schema-parts";

export const THANK_YOU_BLOCKS = ["thank_you", "points", "tier_progress", "survey", "referral", "birthday", "review_cta"] as const;
export type ThankYouBlock = (typeof THANK_YOU_BLOCKS)[number];

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

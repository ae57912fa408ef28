// Which blocks to show, in which order: the flow's choice for this order, else the extension's settings. Pure.
import type { BlockKind, Surface, SurveyKind, SurveyQuestion, ThankYouView } from "../../../app/thank-you/contract";
import type { Settings } from "./shopify";

export const BLOCK_ORDER: readonly BlockKind[] = ["thank_you", "points", "tier_progress", "survey", "referral", "birthday", "review_cta"];

const KINDS: readonly string[] = ["nps", "csat", "source"];

/** The settings' default blocks when no flow chose any for the order. */
export function blocksFromSettings(settings: Settings): BlockKind[] {
  const survey = settings.survey ?? "nps";
  const chosen: Record<BlockKind, boolean> = {
    thank_you: true,
    points: !settings.hide_points,
    tier_progress: !settings.hide_tier,
    survey: KINDS.includes(survey),
    referral: !settings.hide_referral,
    birthday: settings.show_birthday === true,
    review_cta: !settings.hide_review,
  };
  return BLOCK_ORDER.filter((b) => chosen[b]);
}

/** What to render: the chosen blocks that have something to show for this shopper, in the page's order. */
export function visibleBlocks(view: ThankYouView, settings: Settings, surface: Surface): BlockKind[] {
  const chosen = new Set(view.blocks ?? blocksFromSettings(settings));
  // The review invitation belongs to the order status page; a merchant turns it off there with the setting.
  if (surface === "order-status" && !settings.hide_review) chosen.add("review_cta");
  const has: Record<BlockKind, boolean> = {
    thank_you: true,
    points: view.points !== null,
    tier_progress: view.tier !== null,
    survey: surveyQuestion(view, settings) !== null,
    referral: view.referral !== null,
    birthday: view.birthday !== null,
    review_cta: surface === "order-status" && view.review !== null,
  };
  return BLOCK_ORDER.filter((b) => chosen.has(b) && has[b]);
}

/** The question to ask: the flow's, else the settings' kind (asked under the kind's default id). */
export function surveyQuestion(view: ThankYouView, settings: Settings): SurveyQuestion | null {
  if (view.survey) return view.survey;
  const kind = settings.survey ?? "nps";
  return KINDS.includes(kind) ? { questionId: kind, kind: kind as SurveyKind, question: null } : null;
}

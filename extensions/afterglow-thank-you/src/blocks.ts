// Which blocks to show, in which order, and with what: the blocks the merchant switched on in the checkout editor
// (this extension's settings) always show; a flow's "Show thank-you page content" for the order adds to them,
// never removes one. Where both set the same block: the flow's survey question is asked (the survey stays on);
// both messages show, the editor's first. Pure.
import type { BlockKind, Surface, SurveyKind, SurveyQuestion, ThankYouView } from "../../../app/thank-you/contract";
import type { Settings } from "./shopify";

export const BLOCK_ORDER: readonly BlockKind[] = ["thank_you", "points", "tier_progress", "survey", "referral", "birthday", "review_cta"];

const KINDS: readonly string[] = ["nps", "csat", "source"];

/** The blocks the merchant switched on in the checkout editor (the extension's settings). */
export function blocksFromSettings(settings: Settings): BlockKind[] {
  const chosen: Record<BlockKind, boolean> = {
    thank_you: true,
    points: !settings.hide_points,
    tier_progress: !settings.hide_tier,
    survey: KINDS.includes(settings.survey ?? "nps"),
    referral: !settings.hide_referral,
    birthday: settings.show_birthday === true,
    review_cta: !settings.hide_review,
  };
  return BLOCK_ORDER.filter((b) => chosen[b]);
}

/** The editor's blocks plus the ones the order's flow added, in the page's order. */
export function chosenBlocks(settings: Settings, flowBlocks: readonly BlockKind[] | null): BlockKind[] {
  const chosen = new Set([...blocksFromSettings(settings), ...(flowBlocks ?? [])]);
  return BLOCK_ORDER.filter((b) => chosen.has(b));
}

/** What to render: the chosen blocks that have something to show for this shopper, in the page's order. */
export function visibleBlocks(view: ThankYouView, settings: Settings, surface: Surface): BlockKind[] {
  const has: Record<BlockKind, boolean> = {
    thank_you: true,
    points: view.points !== null,
    tier_progress: view.tier !== null,
    survey: surveyQuestion(view, settings) !== null,
    referral: view.referral !== null,
    birthday: view.birthday !== null,
    // The review invitation belongs to the order status page (after fulfilment).
    review_cta: surface === "order-status" && view.review !== null,
  };
  return chosenBlocks(settings, view.blocks).filter((b) => has[b]);
}

/** The question to ask: the flow's when it added the survey, else the settings' kind (under the kind's id). */
export function surveyQuestion(view: ThankYouView, settings: Settings): SurveyQuestion | null {
  if (view.survey && view.blocks?.includes("survey")) return view.survey;
  const kind = settings.survey ?? "nps";
  return KINDS.includes(kind) ? { questionId: kind, kind: kind as SurveyKind, question: null } : null;
}

/** The thank-you text: the editor's message, then the flow's; the translated default only when neither is set. */
export function messages(view: ThankYouView, settings: Settings): string[] {
  const own = [settings.message?.trim(), view.message?.trim()].filter((m): m is string => !!m);
  return own.filter((m, i) => own.indexOf(m) === i);
}

// The merge of the checkout editor's settings with a flow's content for the order: what the merchant switched on
// always shows, a flow only adds; where both set the survey the flow's question is asked, where both set a message
// both show (the editor's first).
import { describe, expect, it } from "vitest";
import type { BlockKind } from "~/thank-you/contract";
import { blocksFromSettings, chosenBlocks, messages, surveyQuestion, visibleBlocks } from "../../../extensions/afterglow-thank-you/src/blocks";
import type { Settings } from "../../../extensions/afterglow-thank-you/src/shopify";
import { fullView, guestView } from "../../support/extension/shopify-stub";

const ALL_OFF: Settings = { hide_points: true, hide_tier: true, hide_referral: true, hide_review: true, survey: "none" };

describe("blocksFromSettings (what the merchant switched on in the checkout editor)", () => {
  it.each([
    ["nothing set", {}, ["thank_you", "points", "tier_progress", "survey", "referral", "review_cta"]],
    [
      "birthday on, referral and points off",
      { show_birthday: true, hide_referral: true, hide_points: true },
      ["thank_you", "tier_progress", "survey", "birthday", "review_cta"],
    ],
    ["no survey", { survey: "none" }, ["thank_you", "points", "tier_progress", "referral", "review_cta"]],
    ["review off", { hide_review: true, hide_tier: true }, ["thank_you", "points", "survey", "referral"]],
    ["everything off", ALL_OFF, ["thank_you"]],
  ])("GIVEN %s THEN %j", (_name, settings, expected) => {
    expect(blocksFromSettings(settings)).toEqual(expected);
  });
});

describe("chosenBlocks: editor settings × the flow's blocks for the order", () => {
  it.each<[string, Settings, BlockKind[] | null, BlockKind[]]>([
    ["no flow: the editor's", {}, null, ["thank_you", "points", "tier_progress", "survey", "referral", "review_cta"]],
    [
      "a flow naming only the thanks hides nothing the editor has on",
      {},
      ["thank_you"],
      ["thank_you", "points", "tier_progress", "survey", "referral", "review_cta"],
    ],
    [
      "a flow without the survey or referral: the editor's survey and referral stay",
      { show_birthday: true },
      ["thank_you", "points", "tier_progress"],
      ["thank_you", "points", "tier_progress", "survey", "referral", "birthday", "review_cta"],
    ],
    ["everything off in the editor, a flow adds points and a survey", ALL_OFF, ["survey", "points"], ["thank_you", "points", "survey"]],
    ["everything off, a flow adds the birthday and the review invitation", ALL_OFF, ["review_cta", "birthday"], ["thank_you", "birthday", "review_cta"]],
    ["the same block from both shows once", { hide_tier: true }, ["points", "points", "referral"], ["thank_you", "points", "survey", "referral", "review_cta"]],
    ["an empty flow list is no flow", ALL_OFF, [], ["thank_you"]],
  ])("GIVEN %s THEN %j", (_name, settings, flow, expected) => {
    expect(chosenBlocks(settings, flow)).toEqual(expected);
  });
});

describe("visibleBlocks (chosen and with something to show)", () => {
  it("GIVEN a flow's blocks in any order THEN the page's order, the editor's blocks included", () => {
    const view = fullView({ blocks: ["survey", "points", "thank_you"] });
    expect(visibleBlocks(view, { hide_tier: true, hide_referral: true }, "thank-you")).toEqual(["thank_you", "points", "survey"]);
    expect(visibleBlocks(view, {}, "thank-you")).toEqual(["thank_you", "points", "tier_progress", "survey", "referral"]);
  });

  it("GIVEN a guest THEN nothing of an account, whoever switched it on", () => {
    expect(visibleBlocks(guestView({ blocks: ["thank_you", "points", "referral", "survey"] }), { show_birthday: true }, "thank-you")).toEqual([
      "thank_you",
      "survey",
    ]);
  });

  it("GIVEN the order status page THEN the review invitation when there is a link, unless hidden in the editor and no flow adds it", () => {
    const view = fullView({ blocks: ["thank_you"], review: { url: "https://x.test/r" } });
    const editor: Settings = { hide_points: true, hide_tier: true, hide_referral: true, survey: "none" };
    expect(visibleBlocks(view, editor, "order-status")).toEqual(["thank_you", "review_cta"]);
    expect(visibleBlocks(view, { ...editor, hide_review: true }, "order-status")).toEqual(["thank_you"]);
    expect(visibleBlocks({ ...view, blocks: ["review_cta"] }, { ...editor, hide_review: true }, "order-status")).toEqual(["thank_you", "review_cta"]);
    expect(visibleBlocks(view, editor, "thank-you")).toEqual(["thank_you"]);
    expect(visibleBlocks({ ...view, review: null }, editor, "order-status")).toEqual(["thank_you"]);
  });

  it("GIVEN the survey off in the editor and no flow survey THEN no survey; a flow's survey THEN asked", () => {
    const noFlow = fullView({ blocks: null, survey: null });
    expect(visibleBlocks(noFlow, { survey: "none" }, "thank-you")).not.toContain("survey");
    const flowSurvey = fullView({ blocks: ["survey"], survey: { questionId: "q1", kind: "csat", question: null } });
    expect(visibleBlocks(flowSurvey, { survey: "none" }, "thank-you")).toContain("survey");
  });
});

describe("surveyQuestion (the flow's question wins when it adds the survey; the block stays on either way)", () => {
  const flows = { questionId: "q1", kind: "csat" as const, question: "How was it?" };
  it.each<[string, Parameters<typeof surveyQuestion>[0], Settings, ReturnType<typeof surveyQuestion>]>([
    ["the flow adds a survey, the editor asks NPS: the flow's", fullView({ blocks: ["survey"], survey: flows }), { survey: "nps" }, flows],
    ["the flow adds a survey, the editor's is none: the flow's", fullView({ blocks: ["thank_you", "survey"], survey: flows }), { survey: "none" }, flows],
    [
      "a survey left in a flow that does not add the block: the editor's",
      fullView({ blocks: ["points"], survey: flows }),
      { survey: "source" },
      { questionId: "source", kind: "source", question: null },
    ],
    ["no flow: the settings' kind", fullView({ blocks: null, survey: null }), { survey: "source" }, { questionId: "source", kind: "source", question: null }],
    ["no flow, nothing set: NPS", fullView({ blocks: null, survey: null }), {}, { questionId: "nps", kind: "nps", question: null }],
    ["no flow, none", fullView({ blocks: null, survey: null }), { survey: "none" }, null],
  ])("GIVEN %s", (_name, view, settings, expected) => {
    expect(surveyQuestion(view, settings)).toEqual(expected);
  });
});

describe("messages (the editor's, then the flow's)", () => {
  it.each<[string, string | undefined, string | null, string[]]>([
    ["neither: none (the block shows the translated default)", undefined, null, []],
    ["the editor's only", "Thanks from Ana's tea shop.", null, ["Thanks from Ana's tea shop."]],
    ["the flow's only", "", "Your first order: 100 bonus points!", ["Your first order: 100 bonus points!"]],
    [
      "both: the editor's first, the flow's added",
      "Thanks from Ana's tea shop.",
      "Your first order: 100 bonus points!",
      ["Thanks from Ana's tea shop.", "Your first order: 100 bonus points!"],
    ],
    ["both the same: once", "Thank you!", " Thank you! ", ["Thank you!"]],
    ["blank: none", "   ", "  ", []],
  ])("GIVEN %s", (_name, editor, flow, expected) => {
    expect(messages(fullView({ message: flow }), editor === undefined ? {} : { message: editor })).toEqual(expected);
  });
});

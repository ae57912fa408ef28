import { describe, expect, it } from "vitest";
import { blocksFromSettings, surveyQuestion, visibleBlocks } from "../../../extensions/afterglow-thank-you/src/blocks";
import { fullView, guestView } from "../../support/extension/shopify-stub";

describe("blocksFromSettings (no flow chose blocks for the order)", () => {
  it.each([
    ["nothing set", {}, ["thank_you", "points", "tier_progress", "survey", "referral", "review_cta"]],
    [
      "birthday on, referral and points off",
      { show_birthday: true, hide_referral: true, hide_points: true },
      ["thank_you", "tier_progress", "survey", "birthday", "review_cta"],
    ],
    ["no survey", { survey: "none" }, ["thank_you", "points", "tier_progress", "referral", "review_cta"]],
    ["review off", { hide_review: true, hide_tier: true }, ["thank_you", "points", "survey", "referral"]],
  ])("GIVEN %s THEN %j", (_name, settings, expected) => {
    expect(blocksFromSettings(settings)).toEqual(expected);
  });
});

describe("visibleBlocks", () => {
  it("GIVEN a flow's blocks THEN those, in the page's order, when there is something to show", () => {
    expect(visibleBlocks(fullView({ blocks: ["survey", "points", "thank_you"] }), {}, "thank-you")).toEqual(["thank_you", "points", "survey"]);
  });

  it("GIVEN a guest THEN nothing of an account even if chosen", () => {
    expect(visibleBlocks(guestView({ blocks: ["thank_you", "points", "referral", "survey"] }), {}, "thank-you")).toEqual(["thank_you", "survey"]);
  });

  it("GIVEN the order status page THEN the review invitation when there is a link, unless the setting hides it", () => {
    const view = fullView({ blocks: ["thank_you"], review: { url: "https://x.test/r" } });
    expect(visibleBlocks(view, {}, "order-status")).toEqual(["thank_you", "review_cta"]);
    expect(visibleBlocks(view, { hide_review: true }, "order-status")).toEqual(["thank_you"]);
    expect(visibleBlocks(view, {}, "thank-you")).toEqual(["thank_you"]);
    expect(visibleBlocks({ ...view, review: null }, {}, "order-status")).toEqual(["thank_you"]);
  });
});

describe("surveyQuestion", () => {
  it.each([
    [
      "the flow's",
      fullView({ survey: { questionId: "q1", kind: "csat", question: "How was it?" } }),
      {},
      { questionId: "q1", kind: "csat", question: "How was it?" },
    ],
    ["the settings' kind", fullView({ survey: null }), { survey: "source" }, { questionId: "source", kind: "source", question: null }],
    ["NPS by default", fullView({ survey: null }), {}, { questionId: "nps", kind: "nps", question: null }],
    ["none", fullView({ survey: null }), { survey: "none" }, null],
  ])("GIVEN %s THEN %j", (_name, view, settings, expected) => {
    expect(surveyQuestion(view, settings)).toEqual(expected);
  });
});

import { describe, expect, it } from "vitest";
import { DEFAULT_REVIEW_SETTINGS, parseReviewSettings, reviewSettingsFromRow } from "~/reviews/settings";

const valid = {
  maxProducts: "3",
  reminders: "2",
  reminderDays: "7",
  autoPublishMinRating: "4",
  incentive: { points: "50", photoBonusPoints: "0", discountPercent: "0" },
  texts: { sl: { subject: "Kako je, {name}?", body: "" } },
};

describe("review settings", () => {
  it("GIVEN the form's values THEN they are stored as numbers, empty texts dropped", () => {
    expect(parseReviewSettings(valid)).toEqual({
      ok: true,
      settings: {
        maxProducts: 3,
        reminders: 2,
        reminderDays: 7,
        autoPublishMinRating: 4,
        incentive: { points: 50, photoBonusPoints: 0, discountPercent: 0 },
        texts: { sl: { subject: "Kako je, {name}?" } },
      },
    });
    expect(parseReviewSettings({ ...valid, autoPublishMinRating: "off" }).ok && true).toBe(true);
  });

  it.each([
    ["4 reminders", { reminders: "4" }, "reminders", "Enter 0 to 3 reminders"],
    ["no products", { maxProducts: "0" }, "maxProducts", "Enter a number of products from 1 to 10"],
    ["a rating of 6", { autoPublishMinRating: "6" }, "autoPublishMinRating", "Enter a rating from 1 to 5"],
    ["negative points", { incentive: { ...valid.incentive, points: "-5" } }, "incentive.points", "Enter a whole number of points (0 for none)"],
    ["110 % off", { incentive: { ...valid.incentive, discountPercent: "110" } }, "incentive.discountPercent", "Enter a percentage from 0 to 100 (0 for none)"],
    [
      "an unknown placeholder",
      { texts: { de: { subject: "Hallo {vorname}" } } },
      "texts.de.subject",
      "Unknown placeholder {vorname}: use {name}, {shop} or {order}",
    ],
    ["a two-line subject", { texts: { en: { subject: "a\nb" } } }, "texts.en.subject", "The subject must be one line"],
    ["a language we do not send", { texts: { it: { subject: "Ciao" } } }, "texts.it", undefined],
  ])("GIVEN %s THEN the field %s says what is wrong", (_what, patch, field, message) => {
    const result = parseReviewSettings({ ...valid, ...patch });
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(Object.keys(result.errors).some((k) => k.startsWith(field))).toBe(true);
      if (message) expect(result.errors[field]).toBe(message);
    }
  });

  it("GIVEN no stored row or a damaged one THEN the defaults apply", () => {
    expect(reviewSettingsFromRow(null)).toEqual(DEFAULT_REVIEW_SETTINGS);
    expect(reviewSettingsFromRow({ maxProducts: 99, reminders: 7, reminderDays: 0, autoPublishMinRating: 9, incentive: "{oops", texts: "[]" })).toEqual({
      ...DEFAULT_REVIEW_SETTINGS,
      autoPublishMinRating: 5,
    });
  });
});

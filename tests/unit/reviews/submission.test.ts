import { describe, expect, it } from "vitest";
import { cleanText, parseSubmission, photoTypeOf, PHOTO_MAX_BYTES, type FormFields, type SubmittedFile } from "~/reviews/submission";

const P1 = "gid://shopify/Product/1";
const P2 = "gid://shopify/Product/2";
const JPEG = Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 0, 16]);
const PNG = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0]);
const WEBP = Uint8Array.from([...Buffer.from("RIFF"), 0, 0, 0, 0, ...Buffer.from("WEBP"), 0]);
const GIF = Uint8Array.from(Buffer.from("GIF89a..."));
const SVG = Uint8Array.from(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'));

function form(text: Record<string, string>, files: Record<string, SubmittedFile[]> = {}): FormFields {
  return { text: (n) => text[n] ?? null, files: (n) => files[n] ?? [] };
}
const file = (name: string, bytes: Uint8Array, size = bytes.length): SubmittedFile => ({ name, bytes, size });

describe("review form submission", () => {
  it("GIVEN stars for one of two products THEN one review; the other product is skipped", () => {
    const result = parseSubmission(form({ "rating-0": "5", "title-0": "  Lovely  ", "body-0": "Great\r\n\r\n\r\nscent", name: " Ana  N. " }), [P1, P2]);
    expect(result).toEqual({
      ok: true,
      submission: { authorName: "Ana N.", honeypot: "", reviews: [{ productGid: P1, rating: 5, title: "Lovely", body: "Great\n\nscent", photos: [] }] },
      values: { name: "Ana N.", "rating-0": "5", "title-0": "Lovely", "body-0": "Great\n\nscent", "rating-1": "", "title-1": "", "body-1": "" },
    });
  });

  it("GIVEN markup in the text THEN it is kept as the shopper typed it (escaped when shown, never stripped into something else)", () => {
    const result = parseSubmission(form({ "rating-0": "4", "body-0": "<script>alert(1)</script>" }), [P1]);
    expect(result.ok && result.submission.reviews[0]!.body).toBe("<script>alert(1)</script>");
  });

  it.each([
    ["no stars anywhere", { "title-0": "" }, "rating-0", "needRating"],
    ["text without stars", { "rating-0": "5", "body-1": "and this one?" }, "rating-1", "needRating"],
    ["a rating of 6", { "rating-0": "6" }, "rating-0", "needRating"],
    ["a rating of 0", { "rating-0": "0" }, "rating-0", "needRating"],
    ["a title too long", { "rating-0": "5", "title-0": "x".repeat(121) }, "title-0", "titleTooLong"],
    ["a review too long", { "rating-0": "5", "body-0": "x".repeat(5001) }, "body-0", "bodyTooLong"],
    ["a name too long", { "rating-0": "5", name: "x".repeat(61) }, "name", "nameTooLong"],
  ])("GIVEN %s THEN the field %s has the error %s", (_what, text, field, key) => {
    const result = parseSubmission(form(text), [P1, P2]);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors[field]?.key).toBe(key);
  });

  it("GIVEN JPEG, PNG and WebP photos THEN they are kept with the type their bytes say", () => {
    const result = parseSubmission(form({ "rating-0": "5" }, { "photos-0": [file("a.gif", JPEG), file("b", PNG), file("c.jpg", WEBP)] }), [P1]);
    expect(result.ok && result.submission.reviews[0]!.photos.map((p) => p.type)).toEqual(["image/jpeg", "image/png", "image/webp"]);
  });

  it.each([
    ["a GIF", [file("a.gif", GIF)], "photoType"],
    ["an SVG named .jpg", [file("a.jpg", SVG)], "photoType"],
    ["a photo over 5 MB", [file("big.jpg", JPEG, PHOTO_MAX_BYTES + 1)], "photoSize"],
    ["four photos", [file("1", JPEG), file("2", JPEG), file("3", JPEG), file("4", JPEG)], "photoCount"],
  ])("GIVEN %s THEN the photos are refused (%s)", (_what, files, key) => {
    const result = parseSubmission(form({ "rating-0": "5" }, { "photos-0": files }), [P1]);
    expect(!result.ok && result.errors["photos-0"]?.key).toBe(key);
  });

  it("GIVEN an edit adding photos beyond the limit THEN the photos are refused", () => {
    const result = parseSubmission(form({ "rating-0": "5" }, { "photos-0": [file("1", JPEG), file("2", JPEG)] }), [P1], new Map([[P1, 2]]));
    expect(!result.ok && result.errors["photos-0"]?.key).toBe("photoCount");
  });

  it("GIVEN an empty file input (no file chosen) THEN it is ignored", () => {
    const result = parseSubmission(form({ "rating-0": "3" }, { "photos-0": [file("", new Uint8Array(), 0)] }), [P1]);
    expect(result.ok).toBe(true);
  });

  it("recognises image types by their first bytes", () => {
    expect([JPEG, PNG, WEBP, GIF, SVG, new Uint8Array()].map(photoTypeOf)).toEqual(["image/jpeg", "image/png", "image/webp", null, null, null]);
  });

  it("cleans control characters and keeps line breaks only where allowed", () => {
    expect(cleanText("a\u0000b\u0007c\n\nd", false)).toBe("abc\n\nd");
    expect(cleanText("a\n b\tc", true)).toBe("a b c");
  });
});

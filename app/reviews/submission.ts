// The review form's fields → reviews to store, or one error per field (shown next to it, in the shopper's
// language). Pure. Photos are checked by what their bytes are (JPEG, PNG, WebP), not by the name or the type
// the browser claims, and by size and count.

export const TITLE_MAX = 120;
export const BODY_MAX = 5000;
export const NAME_MAX = 60;
export const PHOTOS_MAX = 3;
export const PHOTO_MAX_BYTES = 5 * 1024 * 1024;
/** The whole form, photos included; a bigger request is refused before it is read. */
export const SUBMISSION_MAX_BYTES = 24 * 1024 * 1024;

export type PhotoType = "image/jpeg" | "image/png" | "image/webp";

export interface SubmittedFile {
  name: string;
  size: number;
  bytes: Uint8Array;
}

/** What the form sent: text fields by name, files by name. */
export interface FormFields {
  text(name: string): string | null;
  files(name: string): SubmittedFile[];
}

export type FieldErrorKey = "needRating" | "titleTooLong" | "bodyTooLong" | "nameTooLong" | "photoType" | "photoSize" | "photoCount" | "uploadTooLarge";
export interface FieldError {
  key: FieldErrorKey;
  params: Record<string, string | number>;
}

export interface ReviewDraft {
  productGid: string;
  rating: number;
  title: string;
  body: string;
  /** As sent: checked by their bytes, not yet re-encoded (photo-processing.server.ts does that before storing). */
  photos: { type: PhotoType; bytes: Uint8Array; name?: string }[];
}

export interface ParsedSubmission {
  authorName: string;
  honeypot: string;
  reviews: ReviewDraft[];
}

export type SubmissionResult =
  | { ok: true; submission: ParsedSubmission; values: Record<string, string> }
  | { ok: false; errors: Record<string, FieldError>; values: Record<string, string> };

/** Field names for the i-th product of the request. */
export const fieldNames = (i: number) => ({ rating: `rating-${i}`, title: `title-${i}`, body: `body-${i}`, photos: `photos-${i}` });

export function photoTypeOf(bytes: Uint8Array): PhotoType | null {
  const b = bytes;
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return "image/jpeg";
  if (b.length >= 8 && [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a].every((v, i) => b[i] === v)) return "image/png";
  if (b.length >= 12 && String.fromCharCode(...b.slice(0, 4)) === "RIFF" && String.fromCharCode(...b.slice(8, 12)) === "WEBP") return "image/webp";
  return null;
}

/** Text as the shopper meant it: normalised line ends, no control characters, trimmed. Markup stays text. */
export function cleanText(value: string | null, singleLine: boolean): string {
  let text = (value ?? "").replace(/\r\n?/g, "\n").normalize("NFC");
  // eslint-disable-next-line no-control-regex
  text = text.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, "");
  if (singleLine) text = text.replace(/\s+/g, " ");
  return text.replace(/\n{3,}/g, "\n\n").trim();
}

/**
 * `productGids` are the request's products in form order; `existingPhotos` how many photos each already has
 * (an edit may add photos up to the limit).
 */
export function parseSubmission(form: FormFields, productGids: readonly string[], existingPhotos: ReadonlyMap<string, number> = new Map()): SubmissionResult {
  const errors: Record<string, FieldError> = {};
  const values: Record<string, string> = {};
  const reviews: ReviewDraft[] = [];
  const authorName = cleanText(form.text("name"), true);
  values.name = authorName;
  if ([...authorName].length > NAME_MAX) errors.name = { key: "nameTooLong", params: { max: NAME_MAX } };

  productGids.forEach((productGid, i) => {
    const f = fieldNames(i);
    const ratingText = form.text(f.rating) ?? "";
    const title = cleanText(form.text(f.title), true);
    const body = cleanText(form.text(f.body), false);
    values[f.rating] = ratingText;
    values[f.title] = title;
    values[f.body] = body;
    const rating = /^[1-5]$/.test(ratingText) ? Number(ratingText) : null;
    if ([...title].length > TITLE_MAX) errors[f.title] = { key: "titleTooLong", params: { max: TITLE_MAX } };
    if ([...body].length > BODY_MAX) errors[f.body] = { key: "bodyTooLong", params: { max: BODY_MAX } };
    const files = form.files(f.photos).filter((file) => file.size > 0);
    const photos: ReviewDraft["photos"] = [];
    for (const file of files) {
      const type = photoTypeOf(file.bytes);
      if (!type) {
        errors[f.photos] ??= { key: "photoType", params: { file: file.name || "photo" } };
        continue;
      }
      if (file.size > PHOTO_MAX_BYTES || file.bytes.length > PHOTO_MAX_BYTES) {
        errors[f.photos] ??= { key: "photoSize", params: { file: file.name || "photo", mb: PHOTO_MAX_BYTES / 1024 / 1024 } };
        continue;
      }
      photos.push({ type, bytes: file.bytes, name: file.name || "photo" });
    }
    if (photos.length + (existingPhotos.get(productGid) ?? 0) > PHOTOS_MAX) errors[f.photos] ??= { key: "photoCount", params: { max: PHOTOS_MAX } };
    // Stars left empty: the shopper skips this product (text or photos without stars are a mistake to show).
    if (rating === null) {
      if (title || body || files.length > 0) errors[f.rating] = { key: "needRating", params: {} };
      return;
    }
    reviews.push({ productGid, rating, title, body, photos });
  });
  if (reviews.length === 0 && Object.keys(errors).length === 0) errors[fieldNames(0).rating] = { key: "needRating", params: {} };
  if (Object.keys(errors).length > 0) return { ok: false, errors, values };
  return { ok: true, submission: { authorName, honeypot: form.text("website") ?? "", reviews }, values };
}

// A birthday as the thank-you page takes it: month and day only ("MM-DD"), no year (we never need the age). Pure.
const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const MM_DD = /^(\d{2})-(\d{2})$/;

/** "03-14" → "03-14"; "3-14", "02-30", "13-01", "" → null. 02-29 is a birthday (celebrated on 28 February otherwise). */
export function parseBirthday(input: unknown): string | null {
  if (typeof input !== "string") return null;
  const match = MM_DD.exec(input.trim());
  if (!match) return null;
  const month = Number(match[1]);
  const day = Number(match[2]);
  if (month < 1 || month > 12 || day < 1 || day > DAYS_IN_MONTH[month - 1]!) return null;
  return `${match[1]}-${match[2]}`;
}

// Exact rounding of ratios of whole numbers, as ../shared/METRICS.md asks ("rounded half up"): no float is ever
// rounded, so 0.85765 cannot come out as 0.8576 through binary representation. Pure.

/** round(numerator / denominator) to a whole number, halves away from zero. Denominator > 0. */
export function roundHalfUp(numerator: number, denominator: number): number {
  if (!(denominator > 0)) throw new RangeError("denominator must be positive");
  const n = BigInt(numerator);
  const d = BigInt(denominator);
  const magnitude = n < 0n ? -n : n;
  const rounded = (2n * magnitude + d) / (2n * d);
  return Number(n < 0n ? -rounded : rounded);
}

/** numerator / denominator rounded half up to `places` decimals (0.8576), or null when the denominator is 0. */
export function ratio(numerator: number, denominator: number, places = 4): number | null {
  if (denominator === 0) return null;
  const scale = 10 ** places;
  return roundHalfUp(numerator * scale, denominator) / scale;
}

/**
 * Percentiles by linear interpolation between closest ranks: the R-7 definition, the default of
 * R's `quantile`, numpy's `percentile` and Excel's `PERCENTILE.INC`.
 *
 * For n sorted values x[0..n-1] and a fraction q in [0, 1], take h = (n - 1)·q; the result is
 * x[floor(h)] + (h - floor(h))·(x[floor(h) + 1] - x[floor(h)]). So q = 0 is the minimum, q = 1
 * the maximum, and the median of an even count is the mean of the two middle values.
 *
 * Written out here rather than taken from simple-statistics: its `quantile` used a different
 * definition before 7.12 and package.json allows `^7.8.8`, so the figures must not depend on
 * which 7.x the lock file happens to hold.
 */

/**
 * The R-7 quantile of values already sorted ascending; `q` is a fraction in [0, 1].
 * NaN for no values. The caller guarantees the order (this is the hot path of Monte Carlo).
 */
export function quantileOfSorted(sorted: ArrayLike<number>, q: number): number {
  if (!(q >= 0 && q <= 1)) throw new RangeError(`quantile fraction ${q} outside 0..1`);
  const n = sorted.length;
  if (n === 0) return NaN;
  const h = (n - 1) * q;
  const lower = Math.floor(h);
  const upper = Math.min(lower + 1, n - 1);
  const lowerValue = sorted[lower] as number;
  const upperValue = sorted[upper] as number;
  return lowerValue + (h - lower) * (upperValue - lowerValue);
}

/**
 * The p-th percentile (p in [0, 100], so 99 for p99) of `values` in any order, by R-7 linear
 * interpolation. NaN for no values; throws on a non-finite value, which would poison the order.
 * The input is not modified.
 */
export function percentile(values: readonly number[], p: number): number {
  if (!(p >= 0 && p <= 100)) throw new RangeError(`percentile ${p} outside 0..100`);
  return quantileOfSorted(sortedCopy(values), p / 100);
}

/** An ascending copy; throws on NaN or ±Infinity, which have no place in latency figures. */
export function sortedCopy(values: readonly number[]): Float64Array {
  const sorted = Float64Array.from(values);
  for (const value of sorted) {
    if (!Number.isFinite(value)) throw new RangeError(`non-finite value ${value} in statistics input`);
  }
  return sorted.sort();
}

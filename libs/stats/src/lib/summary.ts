/**
 * The descriptive summary of one sample (e.g. the latencies of every write at one W), and single
 * percentiles. Everything comes from simple-statistics; its `quantileSorted` (since 7.12, which
 * package.json requires) is the R-7 linear interpolation between closest ranks, the default of
 * R's `quantile`, numpy's `percentile` and Excel's `PERCENTILE.INC`.
 */
import { max, mean, min, quantileSorted, standardDeviation } from 'simple-statistics';

export interface Summary {
  count: number;
  mean: number;
  /** The 50th percentile. */
  median: number;
  /** The 95th percentile. */
  p95: number;
  /** The 99th percentile. */
  p99: number;
  min: number;
  max: number;
  /** Population standard deviation (divides by n, like numpy's `std`): 0 for one value. */
  stdDev: number;
}

/**
 * Count, mean, R-7 median/p95/p99, min, max and population standard deviation of `values`
 * (any order; not modified; units are the caller's).
 *
 * No values is a defined result, not an error: `count` is 0 and every other field is NaN, so a
 * W at which every write failed still yields a row. A NaN or infinite value throws RangeError.
 */
export function summarize(values: readonly number[]): Summary {
  const sorted = sortedCopy(values);
  if (sorted.length === 0) {
    return { count: 0, mean: NaN, median: NaN, p95: NaN, p99: NaN, min: NaN, max: NaN, stdDev: NaN };
  }
  return {
    count: sorted.length,
    mean: mean(sorted),
    median: quantileSorted(sorted, 0.5),
    p95: quantileSorted(sorted, 0.95),
    p99: quantileSorted(sorted, 0.99),
    min: min(sorted),
    max: max(sorted),
    stdDev: standardDeviation(sorted),
  };
}

/**
 * The p-th percentile (p in [0, 100], so 99 for p99) of `values` in any order, R-7. NaN for no
 * values; throws on a non-finite value, which would poison the order. The input is not modified.
 */
export function percentile(values: readonly number[], p: number): number {
  if (!(p >= 0 && p <= 100)) throw new RangeError(`percentile ${p} outside 0..100`);
  const sorted = sortedCopy(values);
  return sorted.length === 0 ? NaN : quantileSorted(sorted, p / 100);
}

/** An ascending copy; throws on NaN or ±Infinity, which have no place in latency figures. */
function sortedCopy(values: readonly number[]): number[] {
  for (const value of values) {
    if (!Number.isFinite(value)) throw new RangeError(`non-finite value ${value} in statistics input`);
  }
  return [...values].sort((a, b) => a - b);
}

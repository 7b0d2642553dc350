/**
 * The descriptive summary of one sample (e.g. the latencies of every write at one W).
 * Mean and standard deviation come from simple-statistics; the percentiles use the R-7 linear
 * interpolation of `percentile.ts`.
 */
import { max, mean, min, standardDeviation } from 'simple-statistics';
import { quantileOfSorted, sortedCopy } from './percentile';

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
  const plain = Array.from(sorted);
  return {
    count: sorted.length,
    mean: mean(plain),
    median: quantileOfSorted(sorted, 0.5),
    p95: quantileOfSorted(sorted, 0.95),
    p99: quantileOfSorted(sorted, 0.99),
    min: min(plain),
    max: max(plain),
    stdDev: standardDeviation(plain),
  };
}

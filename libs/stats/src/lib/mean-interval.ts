/**
 * A 95% confidence interval for a mean from a few repeated runs: mean ± t·s/√n, with t the
 * 97.5% quantile of Student's t with n−1 degrees of freedom. Chosen over a bootstrap because a
 * sweep is repeated a handful of times: with 2 or 3 runs a percentile bootstrap can only
 * reshuffle those values, and its interval comes out far too narrow (with 2 runs it is just
 * [min, max]); the t interval is honest about how little 2 runs say.
 */
import { mean, sampleStandardDeviation } from 'simple-statistics';

export interface MeanInterval {
  mean: number;
  low: number;
  high: number;
}

/** t(0.975, df) for df = 1..30; beyond, the normal quantile with a 1/df correction. */
const T_975 = [
  12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131, 2.12, 2.11,
  2.101, 2.093, 2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042,
];

export function tQuantile975(degreesOfFreedom: number): number {
  if (!Number.isInteger(degreesOfFreedom) || degreesOfFreedom < 1)
    throw new RangeError(`degrees of freedom ${degreesOfFreedom} must be a positive integer`);
  return T_975[degreesOfFreedom - 1] ?? 1.96 + 2.4 / degreesOfFreedom;
}

/** The 95% interval of the mean of `values` (one value: no width; none: NaN). */
export function meanInterval95(values: readonly number[]): MeanInterval {
  if (values.length === 0) return { mean: NaN, low: NaN, high: NaN };
  const center = mean(values as number[]);
  if (values.length === 1) return { mean: center, low: center, high: center };
  const half =
    (tQuantile975(values.length - 1) * sampleStandardDeviation(values as number[])) / Math.sqrt(values.length);
  return { mean: center, low: center - half, high: center + half };
}

/**
 * A percentile-bootstrap confidence interval for a mean: resample the values with
 * replacement, take each resample's mean, and read the interval off those means (R-7
 * percentiles). Used for the mean of a statistic over repeated runs. Random draws come from
 * the caller (seeded), so an interval replays exactly.
 */
import { mean } from 'simple-statistics';
import { percentile } from './percentile';

export interface MeanInterval {
  mean: number;
  low: number;
  high: number;
}

export interface BootstrapOptions {
  /** A uniform [0, 1) source, seeded by the caller. */
  random: () => number;
  /** Default 0.95. */
  confidence?: number;
  /** Default 2000. */
  resamples?: number;
}

export function bootstrapMeanInterval(values: readonly number[], options: BootstrapOptions): MeanInterval {
  if (values.length === 0) return { mean: NaN, low: NaN, high: NaN };
  const center = mean(values as number[]);
  if (values.length === 1) return { mean: center, low: center, high: center };
  const confidence = options.confidence ?? 0.95;
  const resamples = options.resamples ?? 2000;
  if (!(confidence > 0 && confidence < 1)) throw new RangeError(`confidence ${confidence} outside (0, 1)`);
  const means: number[] = [];
  for (let r = 0; r < resamples; r++) {
    let sum = 0;
    for (let i = 0; i < values.length; i++) sum += values[Math.floor(options.random() * values.length)] as number;
    means.push(sum / values.length);
  }
  const tail = ((1 - confidence) / 2) * 100;
  return { mean: center, low: percentile(means, tail), high: percentile(means, 100 - tail) };
}

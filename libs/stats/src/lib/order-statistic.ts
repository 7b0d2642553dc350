/**
 * The order-statistic model of a quorum write's ideal latency. The leader sends the write to N
 * followers at once; follower i answers after an independent delay D_i. A perfect, zero-cost
 * implementation answers the client at the W-th ack, so its latency is the W-th smallest of
 * D_1..D_N. This file gives that statistic's mean and R-7 percentiles: in closed form when all
 * delays are the same Uniform(a, b) or constants, by seeded Monte Carlo otherwise.
 */
import { quantileSorted } from 'simple-statistics';
import { uniformOrderStatisticQuantile } from './uniform-order-cdf';

/** Mean and percentiles of one order statistic, in the units of the delays (ms in this repo). */
export interface OrderStatisticEstimate {
  mean: number;
  p50: number;
  p95: number;
  p99: number;
}

/** Bounds the time and memory of one Monte Carlo estimate (8 bytes per trial). */
export const MAX_MONTE_CARLO_TRIALS = 2_000_000;

/**
 * The k-th smallest (1-based) of `values`: the ideal latency of one write whose followers drew
 * `values` as delays and which waits for k acks. Does not modify `values`.
 */
export function kthSmallest(values: readonly number[], k: number): number {
  checkW(k, values.length);
  const sorted = Float64Array.from(values).sort();
  return sorted[k - 1] as number;
}

/**
 * Closed form for the k-th smallest of n iid Uniform(minMs, maxMs) delays. It is
 * minMs + (maxMs - minMs)·B with B ~ Beta(k, n + 1 - k), so the mean is
 * minMs + (maxMs - minMs)·k/(n + 1) and the percentiles are the Beta quantiles, scaled.
 */
export function uniformOrderStatistic(n: number, k: number, minMs: number, maxMs: number): OrderStatisticEstimate {
  checkW(k, n);
  if (!(Number.isFinite(minMs) && Number.isFinite(maxMs) && minMs <= maxMs)) {
    throw new RangeError(`uniform delay needs finite minMs <= maxMs, got ${minMs}..${maxMs}`);
  }
  const widthMs = maxMs - minMs;
  const at = (q: number): number => minMs + widthMs * uniformOrderStatisticQuantile(q, k, n);
  return { mean: minMs + (widthMs * k) / (n + 1), p50: at(0.5), p95: at(0.95), p99: at(0.99) };
}

/**
 * Monte Carlo estimate of the w-th smallest of one draw from each sampler. `samplers[i]()` draws
 * follower i's delay; the caller seeds them, so the estimate replays exactly. Each trial calls
 * every sampler once, in index order. Percentiles use the R-7 definition, like `summarize`.
 */
export function orderStatisticMonteCarlo(
  samplers: ReadonlyArray<() => number>,
  w: number,
  trials: number,
): OrderStatisticEstimate {
  checkW(w, samplers.length);
  if (!Number.isInteger(trials) || trials < 1 || trials > MAX_MONTE_CARLO_TRIALS) {
    throw new RangeError(`Monte Carlo trials ${trials} outside 1..${MAX_MONTE_CARLO_TRIALS}`);
  }
  const delaysMs = new Float64Array(samplers.length);
  const idealsMs = new Float64Array(trials);
  let sumMs = 0;
  for (let t = 0; t < trials; t++) {
    for (let i = 0; i < samplers.length; i++) delaysMs[i] = drawFinite(samplers[i] as () => number, i);
    const idealMs = delaysMs.sort()[w - 1] as number;
    idealsMs[t] = idealMs;
    sumMs += idealMs;
  }
  const sortedMs = Array.from(idealsMs.sort());
  return {
    mean: sumMs / trials,
    p50: quantileSorted(sortedMs, 0.5),
    p95: quantileSorted(sortedMs, 0.95),
    p99: quantileSorted(sortedMs, 0.99),
  };
}

/** A sampler that returns NaN would silently scramble the sort; stop at the first one. */
function drawFinite(sample: () => number, follower: number): number {
  const value = sample();
  if (!Number.isFinite(value)) throw new RangeError(`sampler for follower ${follower} returned ${value}`);
  return value;
}

export function checkW(w: number, followerCount: number): void {
  if (!Number.isInteger(followerCount) || followerCount < 1) {
    throw new RangeError(`order statistic needs at least one follower, got ${followerCount}`);
  }
  if (!Number.isInteger(w) || w < 1 || w > followerCount) {
    throw new RangeError(`quorum w=${w} outside 1..${followerCount}`);
  }
}

/**
 * The model's prediction for one W, as the bench reports it beside the measured latencies.
 * The caller describes each follower's delay; this picks the closed form when one exists and a
 * seeded Monte Carlo otherwise.
 */
import {
  checkW,
  kthSmallest,
  orderStatisticMonteCarlo,
  uniformOrderStatistic,
  type OrderStatisticEstimate,
} from './order-statistic';

/**
 * One follower's delay distribution, in milliseconds. `uniform` and `constant` have the same
 * fields as the protocol's DelayModel; any other distribution comes in as a seeded `sampler`.
 */
export type FollowerDelay =
  | { kind: 'uniform'; minMs: number; maxMs: number }
  | { kind: 'constant'; ms: number }
  | { kind: 'sampler'; sample: () => number };

export interface QuorumLatencyInput {
  /** One entry per follower (N = followers.length). */
  followers: readonly FollowerDelay[];
  /** Acks the write waits for, 1..N. */
  w: number;
  /** Monte Carlo trials; ignored by the closed form. Default DEFAULT_MONTE_CARLO_TRIALS. */
  trials?: number;
  /**
   * A seeded uniform [0, 1) source, e.g. `() => rng.next()`. Needed only when Monte Carlo must
   * draw a `uniform` follower (followers of different kinds or different ranges).
   */
  random?: () => number;
}

export type ModelMethod = 'closed-form' | 'monte-carlo';

export interface QuorumLatencyModel extends OrderStatisticEstimate {
  w: number;
  method: ModelMethod;
}

/** 20,000 trials put the mean within about 1% of the range (4 standard errors) at N = 5. */
export const DEFAULT_MONTE_CARLO_TRIALS = 20_000;

/**
 * The ideal latency at W: the W-th smallest of the followers' delays. Closed form when every
 * follower is `constant` (the W-th smallest constant) or every follower is the same `uniform`
 * (the Beta order statistic); Monte Carlo for anything else.
 */
export function modelQuorumLatency(input: QuorumLatencyInput): QuorumLatencyModel {
  const { followers, w } = input;
  checkW(w, followers.length);
  followers.forEach(checkFollower);
  const closed = closedForm(followers, w);
  if (closed) return { w, ...closed, method: 'closed-form' };
  const samplers = followers.map((follower) => toSampler(follower, input.random));
  const estimate = orderStatisticMonteCarlo(samplers, w, input.trials ?? DEFAULT_MONTE_CARLO_TRIALS);
  return { w, ...estimate, method: 'monte-carlo' };
}

function closedForm(followers: readonly FollowerDelay[], w: number): OrderStatisticEstimate | null {
  const constantsMs = followers.flatMap((f) => (f.kind === 'constant' ? [f.ms] : []));
  if (constantsMs.length === followers.length) {
    const idealMs = kthSmallest(constantsMs, w);
    return { mean: idealMs, p50: idealMs, p95: idealMs, p99: idealMs };
  }
  const [first] = followers;
  const sameUniform = followers.every(
    (f) => f.kind === 'uniform' && first?.kind === 'uniform' && f.minMs === first.minMs && f.maxMs === first.maxMs,
  );
  if (sameUniform && first?.kind === 'uniform') {
    return uniformOrderStatistic(followers.length, w, first.minMs, first.maxMs);
  }
  return null;
}

function toSampler(follower: FollowerDelay, random: (() => number) | undefined): () => number {
  switch (follower.kind) {
    case 'sampler':
      return follower.sample;
    case 'constant':
      return () => follower.ms;
    case 'uniform': {
      if (!random) {
        throw new TypeError(
          'modelQuorumLatency: followers with different delays need `random` (a seeded [0, 1) source) to draw the uniform ones',
        );
      }
      const widthMs = follower.maxMs - follower.minMs;
      return () => follower.minMs + widthMs * random();
    }
  }
}

function checkFollower(follower: FollowerDelay, index: number): void {
  const bad = (why: string): never => {
    throw new RangeError(`follower ${index}: ${why}`);
  };
  switch (follower.kind) {
    case 'uniform':
      if (!(Number.isFinite(follower.minMs) && Number.isFinite(follower.maxMs) && follower.minMs <= follower.maxMs)) {
        bad(`uniform delay needs finite minMs <= maxMs, got ${follower.minMs}..${follower.maxMs}`);
      }
      return;
    case 'constant':
      if (!Number.isFinite(follower.ms)) bad(`constant delay must be finite, got ${follower.ms}`);
      return;
    case 'sampler':
      if (typeof follower.sample !== 'function') bad('sampler needs a `sample` function');
      return;
    default:
      bad(`unknown delay kind ${(follower as { kind?: unknown }).kind}`);
  }
}

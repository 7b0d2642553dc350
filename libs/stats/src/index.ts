// The public API of the stats library: descriptive summaries with R-7 percentiles, and the
// order-statistic model of a quorum write's ideal latency. Pure TypeScript, no I/O.
export { percentile, summarize, type Summary } from './lib/summary';
export {
  kthSmallest,
  orderStatisticMonteCarlo,
  uniformOrderStatistic,
  MAX_MONTE_CARLO_TRIALS,
  type OrderStatisticEstimate,
} from './lib/order-statistic';
export { uniformOrderStatisticCdf, uniformOrderStatisticQuantile } from './lib/uniform-order-cdf';
export {
  modelQuorumLatency,
  DEFAULT_MONTE_CARLO_TRIALS,
  type FollowerDelay,
  type ModelMethod,
  type QuorumLatencyInput,
  type QuorumLatencyModel,
} from './lib/quorum-latency-model';
export { meanInterval95, tQuantile975, type MeanInterval } from './lib/mean-interval';

import { createHistogram } from 'node:perf_hooks';

/** Latencies of the successful writes (ms): exact count, mean and max; quantiles from a histogram. */
export interface LatencySummary {
  count: number;
  meanMs: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

/**
 * Write latencies in bounded memory, so an hour-long soak costs the bench as little as a minute:
 * node's HDR histogram in whole microseconds (3 significant figures: a quantile is at most 0.1%
 * off), with the count, mean and max kept exact beside it.
 */
export class LatencyRecorder {
  private readonly histogram = createHistogram({ lowest: 1, highest: 3_600_000_000, figures: 3 });
  private sumMs = 0;
  private maxMs = -Infinity;

  record(latencyMs: number): void {
    const ms = Math.max(0, latencyMs);
    this.histogram.record(Math.min(3_600_000_000, Math.max(1, Math.round(ms * 1000))));
    this.sumMs += ms;
    this.maxMs = Math.max(this.maxMs, ms);
  }

  /** Quantile in ms, q in [0, 1]; NaN when nothing was recorded. */
  quantileMs(q: number): number {
    return this.histogram.count === 0 ? NaN : this.histogram.percentile(q * 100) / 1000;
  }

  summary(): LatencySummary {
    const count = this.histogram.count;
    return {
      count,
      meanMs: count === 0 ? NaN : this.sumMs / count,
      p50Ms: this.quantileMs(0.5),
      p99Ms: this.quantileMs(0.99),
      maxMs: count === 0 ? NaN : this.maxMs,
    };
  }
}

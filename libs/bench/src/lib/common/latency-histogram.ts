/**
 * Write latencies of a soak in bounded memory: a log-bucketed histogram (buckets 1% wide from
 * 1 µs up; anything above an hour shares the last bucket) instead of one number per write, so
 * an hour-long soak costs the bench as little memory as a minute. Quantiles are nearest-rank
 * and report the upper edge of their bucket, clipped to the exact min and max (exact for the
 * first and last rank): at most 1% above the exact value. Count, mean, min and max are exact. Pure.
 */

const SMALLEST_MS = 0.001;
const GROWTH = 1.01;
const LARGEST_MS = 3_600_000;
const BUCKET_COUNT = Math.ceil(Math.log(LARGEST_MS / SMALLEST_MS) / Math.log(GROWTH)) + 1;

export interface LatencySummary {
  count: number;
  meanMs: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

export class LatencyHistogram {
  private readonly counts = new Float64Array(BUCKET_COUNT);
  private total = 0;
  private sumMs = 0;
  private minMs = Infinity;
  private maxMs = -Infinity;

  record(latencyMs: number): void {
    if (!Number.isFinite(latencyMs)) throw new RangeError(`latency must be a finite number of ms, got ${latencyMs}`);
    const ms = Math.max(0, latencyMs);
    const bucket = bucketOf(ms);
    this.counts[bucket] = (this.counts[bucket] ?? 0) + 1;
    this.total++;
    this.sumMs += ms;
    this.minMs = Math.min(this.minMs, ms);
    this.maxMs = Math.max(this.maxMs, ms);
  }

  get count(): number {
    return this.total;
  }

  /** Nearest-rank quantile, q in [0, 1]; NaN when nothing was recorded. */
  quantile(q: number): number {
    if (this.total === 0) return NaN;
    const rank = Math.max(1, Math.ceil(q * this.total));
    if (rank === 1) return this.minMs;
    if (rank >= this.total) return this.maxMs;
    let seen = 0;
    for (let bucket = 0; bucket < BUCKET_COUNT; bucket++) {
      seen += this.counts[bucket] as number;
      if (seen >= rank) return Math.min(this.maxMs, Math.max(this.minMs, upperEdgeMs(bucket)));
    }
    return this.maxMs;
  }

  summary(): LatencySummary {
    return {
      count: this.total,
      meanMs: this.total === 0 ? NaN : this.sumMs / this.total,
      p50Ms: this.quantile(0.5),
      p99Ms: this.quantile(0.99),
      maxMs: this.total === 0 ? NaN : this.maxMs,
    };
  }
}

function bucketOf(ms: number): number {
  if (ms <= SMALLEST_MS) return 0;
  return Math.min(BUCKET_COUNT - 1, Math.ceil(Math.log(ms / SMALLEST_MS) / Math.log(GROWTH)));
}

function upperEdgeMs(bucket: number): number {
  return SMALLEST_MS * GROWTH ** bucket;
}

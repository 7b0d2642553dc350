/**
 * A Prometheus histogram for the hot path: its label sets are fixed when it is made (one per
 * follower, one per W and outcome) and an observation names its set by index, so observing
 * allocates nothing and hashes nothing. prom-client's `Histogram.observe(labels, v)` builds and
 * hashes a label object on every call, several times per write. The registry reads it like
 * any other metric when scraped. Every label set is printed from the first scrape, at zero
 * (unlike prom-client, which prints a set only once observed): rate() and absent() need them.
 */
import type { Registry } from 'prom-client';

interface ValuePair {
  labels: Record<string, string | number>;
  /** The label set's own labels; `labels` holds only `le` (prom-client's layout, so the text is the same). */
  sharedLabels: Record<string, string>;
  value: number;
  metricName: string;
}

export class IndexedHistogram {
  readonly type = 'histogram';
  readonly aggregator = 'sum';
  /** Per label set, the count of observations in each bucket (not cumulative); +Inf is the total. */
  private readonly bucketCounts: Float64Array;
  private readonly sums: Float64Array;
  private readonly totals: Float64Array;

  constructor(
    readonly name: string,
    readonly help: string,
    private readonly upperBounds: readonly number[],
    private readonly labelSets: ReadonlyArray<Record<string, string>>,
  ) {
    this.bucketCounts = new Float64Array(labelSets.length * upperBounds.length);
    this.sums = new Float64Array(labelSets.length);
    this.totals = new Float64Array(labelSets.length);
  }

  register(registry: Registry): this {
    registry.registerMetric(this as unknown as Parameters<Registry['registerMetric']>[0]);
    return this;
  }

  observe(index: number, value: number): void {
    if (!(index >= 0 && index < this.labelSets.length) || !Number.isFinite(value)) return;
    const bounds = this.upperBounds;
    let bucket = 0;
    for (const bound of bounds) {
      if (value <= bound) break;
      bucket++;
    }
    if (bucket < bounds.length) increment(this.bucketCounts, index * bounds.length + bucket, 1);
    increment(this.sums, index, value);
    increment(this.totals, index, 1);
  }

  /** The observations of one label set: count and sum (for tests and for callers that read them). */
  countOf(index: number): { count: number; sum: number } {
    return { count: this.totals[index] ?? 0, sum: this.sums[index] ?? 0 };
  }

  async get(): Promise<{ name: string; help: string; type: string; aggregator: string; values: ValuePair[] }> {
    const values: ValuePair[] = [];
    this.labelSets.forEach((labels, index) => {
      const total = this.totals[index] as number;
      let cumulative = 0;
      this.upperBounds.forEach((le, b) => {
        cumulative += this.bucketCounts[index * this.upperBounds.length + b] as number;
        values.push({ labels: { le }, sharedLabels: labels, value: cumulative, metricName: `${this.name}_bucket` });
      });
      values.push({ labels: { le: '+Inf' }, sharedLabels: labels, value: total, metricName: `${this.name}_bucket` });
      values.push({
        labels: {},
        sharedLabels: labels,
        value: this.sums[index] as number,
        metricName: `${this.name}_sum`,
      });
      values.push({ labels: {}, sharedLabels: labels, value: total, metricName: `${this.name}_count` });
    });
    return { name: this.name, help: this.help, type: this.type, aggregator: this.aggregator, values };
  }

  reset(): void {
    this.bucketCounts.fill(0);
    this.sums.fill(0);
    this.totals.fill(0);
  }
}

function increment(cells: Float64Array, at: number, by: number): void {
  cells[at] = (cells[at] ?? 0) + by;
}

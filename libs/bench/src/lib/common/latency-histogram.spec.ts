import { LatencyHistogram } from './latency-histogram';

describe('LatencyHistogram', () => {
  it('reports NaN for an empty histogram', () => {
    const summary = new LatencyHistogram().summary();
    expect(summary.count).toBe(0);
    expect(summary.p99Ms).toBeNaN();
    expect(summary.meanMs).toBeNaN();
  });

  it('gives nearest-rank quantiles within 1% of the exact value', () => {
    const histogram = new LatencyHistogram();
    for (let i = 1; i <= 1000; i++) histogram.record(i / 10); // 0.1 .. 100 ms
    // Each case: quantile, the exact nearest-rank value.
    const cases: Array<[number, number]> = [
      [0.5, 50], // rank 500
      [0.99, 99], // rank 990
      [0.001, 0.1], // rank 1: the minimum
      [1, 100], // rank 1000: the maximum, exact
    ];
    for (const [q, exact] of cases) {
      const got = histogram.quantile(q);
      expect(got).toBeGreaterThanOrEqual(exact - 1e-9);
      expect(got).toBeLessThanOrEqual(exact * 1.01 + 1e-9);
    }
  });

  it('keeps count, mean and max exact', () => {
    const histogram = new LatencyHistogram();
    [2, 4, 9].forEach((ms) => histogram.record(ms));
    expect(histogram.summary()).toMatchObject({ count: 3, meanMs: 5, maxMs: 9 });
  });

  it('never reports a quantile outside the recorded range', () => {
    const histogram = new LatencyHistogram();
    histogram.record(7.3);
    expect(histogram.quantile(0.5)).toBe(7.3);
    expect(histogram.quantile(0.99)).toBe(7.3);
  });

  it('holds zero, sub-microsecond and hour-plus latencies', () => {
    const histogram = new LatencyHistogram();
    [0, 0.0001, 5_000_000].forEach((ms) => histogram.record(ms));
    expect(histogram.quantile(0.01)).toBe(0);
    expect(histogram.quantile(1)).toBe(5_000_000);
  });

  it('refuses a latency that is not a number', () => {
    expect(() => new LatencyHistogram().record(NaN)).toThrow(RangeError);
  });
});

import { percentile, summarize, type Summary } from './summary';

describe('summarize', () => {
  // Every expected figure is worked by hand. Percentiles are R-7 (h = (n - 1)·p), the standard
  // deviation is the population one (divide by n).
  const tests: Array<{ name: string; values: number[]; want: Summary }> = [
    {
      // h(p50) = 4.5 → 5.5; h(p95) = 8.55 → 9.55; h(p99) = 8.91 → 9.91.
      // Population variance of 1..n is (n² - 1)/12 = 99/12 = 8.25.
      name: '1..10',
      values: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
      want: { count: 10, mean: 5.5, median: 5.5, p95: 9.55, p99: 9.91, min: 1, max: 10, stdDev: Math.sqrt(8.25) },
    },
    {
      // h(p95) = 3.8 → 40 + 0.8·10 = 48; h(p99) = 3.96 → 49.6.
      // Deviations from 32: -17, -12, 3, 8, 18; squares sum to 830; 830/5 = 166.
      name: '[15, 20, 35, 40, 50]',
      values: [15, 20, 35, 40, 50],
      want: { count: 5, mean: 32, median: 35, p95: 48, p99: 49.6, min: 15, max: 50, stdDev: Math.sqrt(166) },
    },
    {
      // One value: every statistic is that value and the population spread is 0 (not NaN).
      name: 'single value',
      values: [7],
      want: { count: 1, mean: 7, median: 7, p95: 7, p99: 7, min: 7, max: 7, stdDev: 0 },
    },
    {
      // Two values: percentiles interpolate along the one gap: p95 = 10 + 0.95·10.
      name: 'two values',
      values: [10, 20],
      want: { count: 2, mean: 15, median: 15, p95: 19.5, p99: 19.9, min: 10, max: 20, stdDev: 5 },
    },
    {
      // Same multiset as 1..10, shuffled: the summary must not depend on the order.
      name: 'unsorted 1..10',
      values: [7, 3, 10, 1, 9, 2, 8, 5, 4, 6],
      want: { count: 10, mean: 5.5, median: 5.5, p95: 9.55, p99: 9.91, min: 1, max: 10, stdDev: Math.sqrt(8.25) },
    },
  ];
  for (const tt of tests) {
    it(tt.name, () => {
      const got = summarize(tt.values);
      for (const field of Object.keys(tt.want) as Array<keyof Summary>) {
        expect([field, got[field]]).toEqual([field, expect.closeTo(tt.want[field], 10)]);
      }
    });
  }

  it('empty input gives count 0 and NaN everywhere else', () => {
    // Defined rather than thrown, so a W at which every write failed still has a summary row.
    expect(summarize([])).toEqual({
      count: 0,
      mean: NaN,
      median: NaN,
      p95: NaN,
      p99: NaN,
      min: NaN,
      max: NaN,
      stdDev: NaN,
    });
  });

  it('leaves the input array as it was', () => {
    const values = [3, 1, 2];
    summarize(values);
    expect(values).toEqual([3, 1, 2]);
  });

  it('throws on a non-finite value instead of summarizing garbage', () => {
    expect(() => summarize([1, NaN])).toThrow(RangeError);
  });
});

describe('percentile (R-7 linear interpolation between closest ranks)', () => {
  // Each case worked by hand: h = (n - 1)·p/100, result = x[floor h] + frac(h)·(next - x[floor h]).
  const tests: Array<{ name: string; values: number[]; p: number; want: number }> = [
    // p = 0 and p = 100 are exactly the minimum and the maximum.
    { name: '0th of 1..10 is the min', values: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], p: 0, want: 1 },
    { name: '100th of 1..10 is the max', values: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], p: 100, want: 10 },
    // h = 9·0.25 = 2.25: 3 + 0.25·(4 - 3).
    { name: '25th of 1..10', values: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], p: 25, want: 3.25 },
    // h = 4.5: the mean of the two middle values.
    { name: 'median of an even count', values: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], p: 50, want: 5.5 },
    // h = 9·0.99 = 8.91: 9 + 0.91·1. (Nearest rank would give 10; the old simple-statistics 9.5 at p50.)
    { name: '99th of 1..10', values: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], p: 99, want: 9.91 },
    // The Wikipedia "percentile" example: h = 4·0.4 = 1.6: 20 + 0.6·(35 - 20).
    { name: '40th of [15,20,35,40,50]', values: [15, 20, 35, 40, 50], p: 40, want: 29 },
    // Order of the input does not matter: sorted it is [1, 2, 3]; h = 2·0.95 = 1.9: 2 + 0.9.
    { name: 'unsorted input', values: [3, 1, 2], p: 95, want: 2.9 },
    // One value is every percentile.
    { name: 'single value', values: [7], p: 99, want: 7 },
  ];
  for (const tt of tests) {
    it(tt.name, () => {
      expect(percentile(tt.values, tt.p)).toBeCloseTo(tt.want, 12);
    });
  }

  it('empty input is NaN, not a throw (a W at which every write failed)', () => {
    expect(percentile([], 50)).toBeNaN();
  });

  it("does not reorder the caller's array", () => {
    const values = [3, 1, 2];
    percentile(values, 50);
    expect(values).toEqual([3, 1, 2]);
  });

  // Out-of-range arguments are caller bugs: they throw instead of returning a plausible number.
  const bad: Array<{ name: string; values: number[]; p: number }> = [
    { name: 'p below 0', values: [1, 2], p: -1 },
    {
      name: 'p above 100 (a fraction mistaken for a percent would be 0.99, this is the reverse)',
      values: [1, 2],
      p: 101,
    },
    { name: 'p is NaN', values: [1, 2], p: NaN },
    { name: 'a NaN value', values: [1, NaN, 2], p: 50 },
    { name: 'an infinite value', values: [1, Infinity], p: 50 },
  ];
  for (const tt of bad) {
    it(`throws on ${tt.name}`, () => {
      expect(() => percentile(tt.values, tt.p)).toThrow(RangeError);
    });
  }
});

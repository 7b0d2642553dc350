import { percentile, quantileOfSorted } from './percentile';

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

describe('quantileOfSorted', () => {
  it('takes a fraction, not a percent', () => {
    // h = 4·0.95 = 3.8: 40 + 0.8·(50 - 40).
    expect(quantileOfSorted([15, 20, 35, 40, 50], 0.95)).toBeCloseTo(48, 12);
    expect(() => quantileOfSorted([15, 20], 95)).toThrow(RangeError);
  });
});

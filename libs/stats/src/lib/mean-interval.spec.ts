import { meanInterval95, tQuantile975 } from './mean-interval';
import { mulberry32 } from '../testing';

describe('meanInterval95', () => {
  it('is the value itself for one value, NaN for none', () => {
    expect(meanInterval95([7])).toEqual({ mean: 7, low: 7, high: 7 });
    expect(meanInterval95([])).toEqual({ mean: NaN, low: NaN, high: NaN });
  });

  it('matches a hand computation: [10, 12, 14] → 12 ± 4.303·2/√3', () => {
    const i = meanInterval95([10, 12, 14]);
    const half = (4.303 * 2) / Math.sqrt(3);
    expect(i.mean).toBe(12);
    expect(i.low).toBeCloseTo(12 - half, 10);
    expect(i.high).toBeCloseTo(12 + half, 10);
  });

  it('is wide for 2 runs, as it must be: 12.706·s/√2', () => {
    const i = meanInterval95([100, 102]);
    expect(i.high - i.low).toBeCloseTo((2 * 12.706 * Math.SQRT2) / Math.SQRT2, 6);
  });

  it('covers the true mean about 95% of the time (seed 3, 1000 experiments of 3 normal-ish values)', () => {
    const rng = mulberry32(3);
    const normal = () => Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng());
    let covered = 0;
    for (let e = 0; e < 1000; e++) {
      const i = meanInterval95([0, 1, 2].map(() => 50 + 10 * normal()));
      if (i.low <= 50 && 50 <= i.high) covered++;
    }
    expect(covered / 1000).toBeGreaterThan(0.93);
    expect(covered / 1000).toBeLessThan(0.97);
  });

  it('shrinks as runs are added: the same spread over 2 runs and over 8', () => {
    const width = (values: number[]) => {
      const i = meanInterval95(values);
      return i.high - i.low;
    };
    // s = 7.07 over 2 runs (half-width 12.706·7.07/√2 = 63.5); s = 5.35 over 8 (2.365·5.35/√8 = 4.47).
    expect(width([95, 105])).toBeCloseTo(127.06, 1);
    expect(width([95, 105, 95, 105, 95, 105, 95, 105])).toBeCloseTo(8.94, 1);
  });
});

describe('tQuantile975', () => {
  // Table values, and the large-df approximation close to the exact ones.
  test.each([
    [1, 12.706],
    [4, 2.776],
    [30, 2.042],
    [60, 2.0],
    [120, 1.98],
  ])('df %i → %f', (df, t) => {
    expect(tQuantile975(df)).toBeCloseTo(t, 2);
  });
});

import { bootstrapMeanInterval } from './bootstrap';
import { mulberry32 } from '../testing';

describe('bootstrapMeanInterval', () => {
  it('is the value itself, with no width, for one value', () => {
    expect(bootstrapMeanInterval([7], { random: mulberry32(1) })).toEqual({ mean: 7, low: 7, high: 7 });
  });

  it('is NaN for no values', () => {
    expect(bootstrapMeanInterval([], { random: mulberry32(1) })).toEqual({ mean: NaN, low: NaN, high: NaN });
  });

  it('brackets the mean, and replays exactly from its seed (seed 42)', () => {
    const values = [10, 12, 9, 11, 13, 8, 10, 12];
    const a = bootstrapMeanInterval(values, { random: mulberry32(42) });
    expect(a.mean).toBeCloseTo(10.625, 10);
    expect(a.low).toBeLessThan(a.mean);
    expect(a.high).toBeGreaterThan(a.mean);
    expect(bootstrapMeanInterval(values, { random: mulberry32(42) })).toEqual(a);
  });

  it('shrinks about as 1/sqrt(n) as runs are added (seed 7)', () => {
    const rng = mulberry32(7);
    const draw = (n: number) => Array.from({ length: n }, () => 100 + 20 * (rng() - 0.5));
    const width = (n: number) => {
      const i = bootstrapMeanInterval(draw(n), { random: mulberry32(n) });
      return i.high - i.low;
    };
    const w4 = width(4);
    const w64 = width(64);
    // sqrt(64/4) = 4: allow slack for sampling noise.
    expect(w4 / w64).toBeGreaterThan(2);
    expect(w4 / w64).toBeLessThan(8);
  });

  it('covers the true mean about 95% of the time (seed 3, 300 experiments of 10 normal-ish values)', () => {
    const rng = mulberry32(3);
    let covered = 0;
    for (let e = 0; e < 300; e++) {
      const values = Array.from({ length: 10 }, () => (rng() + rng() + rng() + rng() - 2) * 10 + 50);
      const i = bootstrapMeanInterval(values, { random: mulberry32(1000 + e), resamples: 1000 });
      if (i.low <= 50 && 50 <= i.high) covered++;
    }
    // The percentile bootstrap under-covers a little at n=10; 85-99% is the sane band.
    expect(covered / 300).toBeGreaterThan(0.85);
    expect(covered / 300).toBeLessThan(0.99);
  });
});

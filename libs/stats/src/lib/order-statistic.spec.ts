import { mulberry32, uniformSamplers } from '../testing';
import { kthSmallest, orderStatisticMonteCarlo, uniformOrderStatistic } from './order-statistic';

// Monte Carlo tests replay from this seed; it is in every such test's name so a failure shows it.
const SEED = 20240611;
const TRIALS = 20_000;

describe('kthSmallest', () => {
  // The ideal latency of one write: the W-th smallest delay it drew.
  const tests: Array<{ name: string; delaysMs: number[]; k: number; want: number }> = [
    // W=1 waits for the fastest follower.
    { name: 'W=1 is the minimum', delaysMs: [500, 20, 900, 310, 45], k: 1, want: 20 },
    // W=3 of 5: sorted 20, 45, 310, 500, 900.
    { name: 'W=3 of 5', delaysMs: [500, 20, 900, 310, 45], k: 3, want: 310 },
    // W=N waits for the slowest.
    { name: 'W=N is the maximum', delaysMs: [500, 20, 900, 310, 45], k: 5, want: 900 },
    // Ties count once each: the 2nd and 3rd smallest of [5, 5, 5, 1] are both 5.
    { name: 'ties', delaysMs: [5, 5, 5, 1], k: 3, want: 5 },
  ];
  for (const tt of tests) {
    it(tt.name, () => {
      expect(kthSmallest(tt.delaysMs, tt.k)).toBe(tt.want);
    });
  }

  it('throws for W outside 1..N', () => {
    expect(() => kthSmallest([1, 2], 3)).toThrow(RangeError);
    expect(() => kthSmallest([1, 2], 0)).toThrow(RangeError);
  });
});

describe('uniformOrderStatistic (closed form, N=5, Uniform(0, 1000) ms)', () => {
  // DESIGN.md §6: means 1000·k/6; p99 about 602, 778, 894, 967, 998 ms. The exact p50/p95/p99
  // are scipy.stats.beta.ppf(q, k, 6 - k)·1000; W=1 and W=5 also have the closed forms
  // 1000·(1 - (1 - q)^(1/5)) and 1000·q^(1/5).
  const tests: Array<{ w: number; mean: number; p50: number; p95: number; p99: number }> = [
    { w: 1, mean: 1000 / 6, p50: 129.449436704, p95: 450.719728347, p99: 601.892829447 },
    { w: 2, mean: 2000 / 6, p50: 313.810170456, p95: 657.408318001, p99: 777.927716615 },
    { w: 3, mean: 500, p50: 500, p95: 810.744622562, p99: 894.360156449 },
    { w: 4, mean: 4000 / 6, p50: 686.189829544, p95: 923.559608588, p99: 967.317887799 },
    { w: 5, mean: 5000 / 6, p50: 870.550563296, p95: 989.793781687, p99: 997.991951661 },
  ];
  for (const tt of tests) {
    it(`W=${tt.w}`, () => {
      const got = uniformOrderStatistic(5, tt.w, 0, 1000);
      // 1e-9 in the unit interval is 1e-6 ms here; 1e-4 ms leaves room for scipy's own rounding.
      expect(got.mean).toBeCloseTo(tt.mean, 9);
      expect(Math.abs(got.p50 - tt.p50)).toBeLessThan(1e-4);
      expect(Math.abs(got.p95 - tt.p95)).toBeLessThan(1e-4);
      expect(Math.abs(got.p99 - tt.p99)).toBeLessThan(1e-4);
    });
  }

  it('rounds to the figures DESIGN.md quotes', () => {
    const rounded = [1, 2, 3, 4, 5].map((w) => {
      const { mean, p99 } = uniformOrderStatistic(5, w, 0, 1000);
      return [Math.round(mean * 100) / 100, Math.round(p99)];
    });
    expect(rounded).toEqual([
      [166.67, 602],
      [333.33, 778],
      [500, 894],
      [666.67, 967],
      [833.33, 998],
    ]);
  });

  it('shifts and scales with the range', () => {
    // Uniform(200, 300) is 200 + 100·Uniform(0, 1): mean of the median of 5 is 250.
    const got = uniformOrderStatistic(5, 3, 200, 300);
    expect(got.mean).toBeCloseTo(250, 9);
    expect(Math.abs(got.p99 - (200 + 0.1 * 894.360156449))).toBeLessThan(1e-4);
  });

  it('throws on an inverted range', () => {
    expect(() => uniformOrderStatistic(5, 1, 10, 0)).toThrow(RangeError);
  });
});

describe('orderStatisticMonteCarlo', () => {
  // Tolerances are 4 standard errors: for the mean, 4·sd/√trials with the statistic's known sd.
  it(`matches the uniform closed form at every W (seed ${SEED})`, () => {
    const n = 5;
    const random = mulberry32(SEED);
    for (let w = 1; w <= n; w++) {
      const exact = uniformOrderStatistic(n, w, 0, 1000);
      const got = orderStatisticMonteCarlo(uniformSamplers(n, 0, 1000, random), w, TRIALS);
      // Var of Beta(k, n+1-k) = k(n+1-k) / ((n+1)²(n+2)), scaled by 1000².
      const sdMs = 1000 * Math.sqrt((w * (n + 1 - w)) / ((n + 1) ** 2 * (n + 2)));
      expect(Math.abs(got.mean - exact.mean)).toBeLessThan((4 * sdMs) / Math.sqrt(TRIALS));
      // Percentile errors are larger where the density is thin (the p99 of W=1 is the worst,
      // ≈ 6 ms standard error); 25 ms covers 4 of them.
      expect(Math.abs(got.p50 - exact.p50)).toBeLessThan(10);
      expect(Math.abs(got.p95 - exact.p95)).toBeLessThan(15);
      expect(Math.abs(got.p99 - exact.p99)).toBeLessThan(25);
    }
  });

  it(`one slow follower: W=1..4 ride the fast ones, W=5 waits for the slow one (seed ${SEED})`, () => {
    // 4 followers Uniform(0, 50) and 1 Uniform(800, 1000). For W ≤ 4 the slow one is never among
    // the first W, so the W-th smallest is the W-th of 4 uniforms: 50·W/5 = 10, 20, 30, 40 ms.
    // At W=5 it is the slow follower's delay: mean 900 ms (sd 57.7 ms, standard error 0.4 ms).
    const random = mulberry32(SEED);
    const samplers = [...uniformSamplers(4, 0, 50, random), ...uniformSamplers(1, 800, 1000, random)];
    const means = [1, 2, 3, 4, 5].map((w) => orderStatisticMonteCarlo(samplers, w, TRIALS).mean);
    const want = [10, 20, 30, 40, 900];
    const tolerancesMs = [0.5, 0.5, 0.5, 0.5, 2];
    means.forEach((meanMs, i) =>
      expect(Math.abs(meanMs - (want[i] as number))).toBeLessThan(tolerancesMs[i] as number),
    );
  });

  it(`exponential delays match the known order-statistic mean (seed ${SEED})`, () => {
    // The k-th smallest of N iid Exponential(mean μ) has mean μ·Σ_{j=0}^{k-1} 1/(N-j) and
    // variance μ²·Σ_{j=0}^{k-1} 1/(N-j)² (the gaps between order statistics are independent).
    const n = 5;
    const meanMs = 100;
    const random = mulberry32(SEED);
    const exponential = (): number => -meanMs * Math.log(1 - random());
    const samplers = Array.from({ length: n }, () => exponential);
    for (let w = 1; w <= n; w++) {
      let wantMs = 0;
      let varianceMs2 = 0;
      for (let j = 0; j < w; j++) {
        wantMs += meanMs / (n - j);
        varianceMs2 += (meanMs / (n - j)) ** 2;
      }
      const got = orderStatisticMonteCarlo(samplers, w, TRIALS);
      expect(Math.abs(got.mean - wantMs)).toBeLessThan((4 * Math.sqrt(varianceMs2)) / Math.sqrt(TRIALS));
    }
  });

  it('replays exactly from its seed', () => {
    const run = (): unknown => orderStatisticMonteCarlo(uniformSamplers(5, 0, 1000, mulberry32(SEED)), 2, 1000);
    expect(run()).toEqual(run());
  });

  it('calls every sampler once per trial, in order', () => {
    const calls: number[] = [];
    const samplers = [0, 1, 2].map((i) => () => (calls.push(i), i));
    orderStatisticMonteCarlo(samplers, 2, 2);
    expect(calls).toEqual([0, 1, 2, 0, 1, 2]);
  });

  // Bad arguments are caller bugs; a NaN draw would silently scramble the sort.
  const bad: Array<{ name: string; samplers: Array<() => number>; w: number; trials: number }> = [
    { name: 'W above N', samplers: [() => 1], w: 2, trials: 10 },
    { name: 'no followers', samplers: [], w: 1, trials: 10 },
    { name: 'zero trials', samplers: [() => 1], w: 1, trials: 0 },
    { name: 'unbounded trials', samplers: [() => 1], w: 1, trials: 1e9 },
    { name: 'a sampler returning NaN', samplers: [() => 1, () => NaN], w: 1, trials: 10 },
  ];
  for (const tt of bad) {
    it(`throws on ${tt.name}`, () => {
      expect(() => orderStatisticMonteCarlo(tt.samplers, tt.w, tt.trials)).toThrow(RangeError);
    });
  }
});

import { uniformOrderStatisticCdf, uniformOrderStatisticQuantile } from './uniform-order-cdf';

describe('uniformOrderStatisticCdf (binomial tail = regularized incomplete beta)', () => {
  // Each case checks the sum against a closed form that is easy to derive by hand.
  const tests: Array<{ name: string; k: number; n: number; x: number; want: number }> = [
    // One draw: the CDF of Uniform(0, 1) itself.
    { name: 'n=1 is the identity', k: 1, n: 1, x: 0.3, want: 0.3 },
    // The minimum of 5 is ≤ x unless all 5 are above x.
    { name: 'minimum of 5', k: 1, n: 5, x: 0.2, want: 1 - 0.8 ** 5 },
    // The maximum of 5 is ≤ x only if all 5 are.
    { name: 'maximum of 5', k: 5, n: 5, x: 0.9, want: 0.9 ** 5 },
    // The median of 3 at x: P(≥2 of 3 below) = 3x²(1-x) + x³ = 3·0.16·0.6 + 0.064.
    { name: 'median of 3', k: 2, n: 3, x: 0.4, want: 0.352 },
    // Symmetry: the middle order statistic of an odd n sits at 1/2 with probability 1/2.
    { name: 'middle of 101 at 1/2', k: 51, n: 101, x: 0.5, want: 0.5 },
    // Outside [0, 1] the CDF is clamped, not extrapolated.
    { name: 'below the support', k: 2, n: 5, x: -1, want: 0 },
    { name: 'above the support', k: 2, n: 5, x: 2, want: 1 },
  ];
  for (const tt of tests) {
    it(tt.name, () => {
      expect(uniformOrderStatisticCdf(tt.x, tt.k, tt.n)).toBeCloseTo(tt.want, 12);
    });
  }

  it('stays a probability for a large n (no overflow in the binomial coefficients)', () => {
    // C(5000, 2500) overflows a double; the log-space sum must not. Middle of 4999 at 1/2 is 1/2.
    expect(uniformOrderStatisticCdf(0.5, 2500, 4999)).toBeCloseTo(0.5, 9);
  });
});

describe('uniformOrderStatisticQuantile (bisection to 1e-9)', () => {
  // Inverses with closed forms: min of n at q is 1 - (1 - q)^(1/n); max of n is q^(1/n).
  const tests: Array<{ name: string; k: number; n: number; q: number; want: number }> = [
    { name: 'p99 of the minimum of 5', k: 1, n: 5, q: 0.99, want: 1 - 0.01 ** (1 / 5) },
    { name: 'p99 of the maximum of 5', k: 5, n: 5, q: 0.99, want: 0.99 ** (1 / 5) },
    { name: 'median of the minimum of 5', k: 1, n: 5, q: 0.5, want: 1 - 0.5 ** (1 / 5) },
    // A symmetric Beta has its median in the middle.
    { name: 'median of the middle of 5', k: 3, n: 5, q: 0.5, want: 0.5 },
    { name: 'q=0 is the bottom of the support', k: 2, n: 5, q: 0, want: 0 },
    { name: 'q=1 is the top of the support', k: 2, n: 5, q: 1, want: 1 },
  ];
  for (const tt of tests) {
    it(tt.name, () => {
      expect(Math.abs(uniformOrderStatisticQuantile(tt.q, tt.k, tt.n) - tt.want)).toBeLessThan(1e-9);
    });
  }

  // Invalid orders are caller bugs, reported instead of answered.
  const bad: Array<{ name: string; k: number; n: number; q: number }> = [
    { name: 'k = 0', k: 0, n: 5, q: 0.5 },
    { name: 'k > n', k: 6, n: 5, q: 0.5 },
    { name: 'fractional k', k: 1.5, n: 5, q: 0.5 },
    { name: 'q as a percent', k: 1, n: 5, q: 99 },
  ];
  for (const tt of bad) {
    it(`throws on ${tt.name}`, () => {
      expect(() => uniformOrderStatisticQuantile(tt.q, tt.k, tt.n)).toThrow(RangeError);
    });
  }
});

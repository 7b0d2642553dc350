import { mulberry32 } from '../testing';
import { uniformOrderStatistic } from './order-statistic';
import { modelQuorumLatency, type FollowerDelay, type QuorumLatencyInput } from './quorum-latency-model';

const SEED = 7;

const uniform = (minMs: number, maxMs: number): FollowerDelay => ({ kind: 'uniform', minMs, maxMs });
const constant = (ms: number): FollowerDelay => ({ kind: 'constant', ms });

describe('modelQuorumLatency picks the method', () => {
  // Each case: the followers, W, which method must answer, and the mean it must give.
  const tests: Array<{ name: string; input: QuorumLatencyInput; method: string; meanMs: number; toleranceMs: number }> =
    [
      {
        // The seed experiment: five identical Uniform(0, 1000) → the Beta closed form, 1000·2/6.
        name: 'identical uniforms: closed form',
        input: { followers: Array.from({ length: 5 }, () => uniform(0, 1000)), w: 2 },
        method: 'closed-form',
        meanMs: 2000 / 6,
        toleranceMs: 1e-9,
      },
      {
        // All constants, even different ones: the W-th smallest constant, no randomness at all.
        name: 'constants: the W-th smallest constant',
        input: { followers: [constant(30), constant(10), constant(20)], w: 2 },
        method: 'closed-form',
        meanMs: 20,
        toleranceMs: 0,
      },
      {
        // Different uniform ranges have no closed form here: Monte Carlo, 40 ms for W=4 (see the
        // order-statistic spec for the reasoning).
        name: `one slow follower: Monte Carlo (seed ${SEED})`,
        input: {
          followers: [uniform(0, 50), uniform(0, 50), uniform(0, 50), uniform(0, 50), uniform(800, 1000)],
          w: 4,
          random: mulberry32(SEED),
        },
        method: 'monte-carlo',
        meanMs: 40,
        toleranceMs: 0.5,
      },
      {
        // A mix of kinds: one constant 5 ms and two samplers that always say 100 ms. W=1 is 5 ms.
        name: 'mixed kinds: Monte Carlo',
        input: {
          followers: [constant(5), { kind: 'sampler', sample: () => 100 }, { kind: 'sampler', sample: () => 100 }],
          w: 1,
          trials: 10,
        },
        method: 'monte-carlo',
        meanMs: 5,
        toleranceMs: 0,
      },
    ];
  for (const tt of tests) {
    it(tt.name, () => {
      const got = modelQuorumLatency(tt.input);
      expect(got.method).toBe(tt.method);
      expect(got.w).toBe(tt.input.w);
      expect(Math.abs(got.mean - tt.meanMs)).toBeLessThanOrEqual(tt.toleranceMs);
    });
  }

  it("returns the closed form's percentiles unchanged", () => {
    const got = modelQuorumLatency({ followers: Array.from({ length: 5 }, () => uniform(0, 1000)), w: 5 });
    expect(got).toEqual({ w: 5, method: 'closed-form', ...uniformOrderStatistic(5, 5, 0, 1000) });
  });

  it('honours trials (fewer trials, a different estimate from the same seed)', () => {
    const input = (trials: number): QuorumLatencyInput => ({
      followers: [uniform(0, 50), uniform(800, 1000)],
      w: 1,
      trials,
      random: mulberry32(SEED),
    });
    expect(modelQuorumLatency(input(10)).mean).not.toBe(modelQuorumLatency(input(20_000)).mean);
    expect(modelQuorumLatency(input(10))).toEqual(modelQuorumLatency(input(10)));
  });
});

describe('modelQuorumLatency rejects what it cannot model', () => {
  // Each case is a caller bug that would otherwise give a silently wrong curve.
  const tests: Array<{
    name: string;
    input: QuorumLatencyInput;
    error: ErrorConstructor | RangeErrorConstructor | TypeErrorConstructor;
  }> = [
    { name: 'W above N', input: { followers: [constant(1)], w: 2 }, error: RangeError },
    { name: 'no followers', input: { followers: [], w: 1 }, error: RangeError },
    { name: 'an inverted uniform', input: { followers: [uniform(10, 0)], w: 1 }, error: RangeError },
    { name: 'a NaN constant', input: { followers: [constant(NaN)], w: 1 }, error: RangeError },
    {
      // Different uniforms need draws, and draws need the caller's seeded source.
      name: 'Monte Carlo over uniforms without `random`',
      input: { followers: [uniform(0, 50), uniform(800, 1000)], w: 1 },
      error: TypeError,
    },
  ];
  for (const tt of tests) {
    it(tt.name, () => {
      expect(() => modelQuorumLatency(tt.input)).toThrow(tt.error);
    });
  }
});

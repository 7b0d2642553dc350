import {
  DelaySampler,
  DelaySpecError,
  delayModelMeanMs,
  formatDelayModel,
  formatDelayPlan,
  parseDelayModel,
  parseDelayPlan,
  sampleDelayMs,
  type DelayModel,
} from './delay-model';
import { createRng } from './random';

const SEED = 42;
const DRAWS = 20_000;

function sampleMean(model: DelayModel, seed: number, count = DRAWS): number {
  const rng = createRng(seed);
  let sum = 0;
  for (let i = 0; i < count; i++) sum += sampleDelayMs(model, rng);
  return sum / count;
}

describe('parseDelayModel', () => {
  const valid: Array<{ spec: string; want: DelayModel }> = [
    // The default of the study.
    { spec: 'uniform:0:1000', want: { kind: 'uniform', minMs: 0, maxMs: 1000 } },
    // Surrounding blanks come from env files and flags; they must not matter.
    { spec: '  uniform:0:1000 ', want: { kind: 'uniform', minMs: 0, maxMs: 1000 } },
    // MIN = MAX is a legal (degenerate) uniform.
    { spec: 'uniform:5:5', want: { kind: 'uniform', minMs: 5, maxMs: 5 } },
    // Zero delay is how throughput is measured.
    { spec: 'constant:0', want: { kind: 'constant', ms: 0 } },
    // Fractions of a millisecond are allowed.
    { spec: 'constant:2.5', want: { kind: 'constant', ms: 2.5 } },
    { spec: 'exponential:100', want: { kind: 'exponential', meanMs: 100 } },
    // sigma 0 is a constant at the median, still a valid lognormal.
    { spec: 'lognormal:100:0', want: { kind: 'lognormal', medianMs: 100, sigma: 0 } },
    { spec: 'lognormal:100:0.5', want: { kind: 'lognormal', medianMs: 100, sigma: 0.5 } },
    { spec: 'pareto:10:2.5', want: { kind: 'pareto', scaleMs: 10, shape: 2.5 } },
  ];
  test.each(valid)('accepts $spec', ({ spec, want }) => {
    expect(parseDelayModel(spec)).toEqual(want);
  });

  const invalid: Array<{ spec: string; why: string }> = [
    { spec: '', why: 'empty' },
    { spec: 'gauss:1:2', why: 'unknown kind' },
    { spec: 'UNIFORM:0:1', why: 'kinds are lower case' },
    { spec: 'uniform', why: 'no numbers' },
    { spec: 'uniform:1', why: 'too few numbers' },
    { spec: 'uniform:1:2:3', why: 'too many numbers' },
    { spec: 'uniform:2:1', why: 'MIN above MAX' },
    { spec: 'uniform:-1:5', why: 'negative delay' },
    { spec: 'uniform::5', why: 'empty number' },
    { spec: 'uniform:a:5', why: 'not a number' },
    { spec: 'constant:Infinity', why: 'not finite' },
    { spec: 'constant:NaN', why: 'not a number' },
    { spec: 'exponential:-1', why: 'negative mean' },
    { spec: 'lognormal:0:1', why: 'median must be positive' },
    { spec: 'pareto:0:1', why: 'scale must be positive' },
    { spec: 'pareto:1:0', why: 'shape must be positive' },
    // Names of Object.prototype members must not pass for model kinds.
    { spec: 'toString:1', why: 'prototype member, not a kind' },
    { spec: '__proto__:1', why: 'prototype accessor, not a kind' },
  ];
  // A bad spec must stop the start with a clear error, never run with a made-up model.
  test.each(invalid)('rejects "$spec" ($why)', ({ spec }) => {
    expect(() => parseDelayModel(spec)).toThrow(DelaySpecError);
  });

  test.each(valid)('formats $spec back to an equal model', ({ want }) => {
    // Run folders record the plan as text; reading it back must give the same model.
    expect(parseDelayModel(formatDelayModel(want))).toEqual(want);
  });
});

describe('parseDelayPlan', () => {
  const fast: DelayModel = { kind: 'uniform', minMs: 0, maxMs: 50 };
  const slow: DelayModel = { kind: 'uniform', minMs: 800, maxMs: 1000 };

  const valid: Array<{ spec: string; n: number; want: DelayModel[] }> = [
    // No override: every follower gets the base model.
    { spec: 'uniform:0:50', n: 3, want: [fast, fast, fast] },
    // One slow follower, numbered from 1: follower 5 is index 4.
    { spec: 'uniform:0:50;5=uniform:800:1000', n: 5, want: [fast, fast, fast, fast, slow] },
    // Overriding follower 1 changes index 0 only.
    { spec: 'uniform:0:50;1=uniform:800:1000', n: 2, want: [slow, fast] },
    // Blanks around parts and a trailing ';' are tolerated.
    { spec: 'uniform:0:50 ; 2=uniform:800:1000 ;', n: 3, want: [fast, slow, fast] },
    // A later override of the same follower wins.
    { spec: 'uniform:0:50;2=constant:1;2=uniform:800:1000', n: 2, want: [fast, slow] },
    // Zero followers: an empty plan, not an error.
    { spec: 'constant:0', n: 0, want: [] },
  ];
  test.each(valid)('accepts "$spec" for n=$n', ({ spec, n, want }) => {
    const models = parseDelayPlan(spec, n);
    expect(models).toEqual(want);
    // Round trip through the text form the run folder records.
    expect(parseDelayPlan(formatDelayPlan(models), n)).toEqual(want);
  });

  it('gives each follower its own model object', () => {
    // Sharing one object would let a change to one follower's model leak into the others.
    const models = parseDelayPlan('uniform:0:50', 2);
    expect(models[0]).not.toBe(models[1]);
  });

  // Each case: a plan for five followers that must be refused.
  const invalid: Array<{ spec: string; why: string }> = [
    { spec: '', why: 'empty plan' },
    { spec: ';2=constant:1', why: 'no base model' },
    { spec: 'bogus:1;2=constant:1', why: 'bad base model' },
    { spec: 'constant:1;0=constant:2', why: 'followers are numbered from 1' },
    { spec: 'constant:1;6=constant:2', why: 'beyond the last follower' },
    { spec: 'constant:1;-1=constant:2', why: 'negative follower number' },
    { spec: 'constant:1;1.5=constant:2', why: 'fractional follower number' },
    { spec: 'constant:1;x=constant:2', why: 'not a number' },
    { spec: 'constant:1;=constant:2', why: 'missing follower number' },
    { spec: 'constant:1;2=', why: 'missing model' },
    { spec: 'constant:1;2', why: 'missing "="' },
    { spec: 'constant:1;2=constant:-5', why: 'bad override model' },
    { spec: 'constant:1;99999999999999999999=constant:2', why: 'huge follower number' },
  ];
  test.each(invalid)('rejects "$spec" for n=5 ($why)', ({ spec }) => {
    expect(() => parseDelayPlan(spec, 5)).toThrow(DelaySpecError);
  });
});

describe('sampleDelayMs', () => {
  // The study compares latency with the model's order statistics: the samples must follow the
  // model's mean. Fixed seed, 20k draws; the bounds are a few standard errors wide.
  const means: Array<{ spec: string; relTolerance: number }> = [
    { spec: 'uniform:0:1000', relTolerance: 0.02 },
    { spec: 'uniform:200:300', relTolerance: 0.01 },
    { spec: 'exponential:100', relTolerance: 0.03 },
    { spec: 'lognormal:100:0.5', relTolerance: 0.03 },
    // Pareto with shape 3 has a finite variance, so its sample mean settles too.
    { spec: 'pareto:10:3', relTolerance: 0.05 },
  ];
  test.each(means)(
    `mean of $spec is near delayModelMeanMs (seed ${SEED}, ${DRAWS} draws)`,
    ({ spec, relTolerance }) => {
      const model = parseDelayModel(spec);
      const want = delayModelMeanMs(model);
      const got = sampleMean(model, SEED);
      expect(Math.abs(got - want) / want).toBeLessThan(relTolerance);
    },
  );

  it('knows the closed-form means', () => {
    // The bench draws the model's curve from these numbers.
    expect(delayModelMeanMs(parseDelayModel('uniform:0:1000'))).toBe(500);
    expect(delayModelMeanMs(parseDelayModel('constant:7'))).toBe(7);
    expect(delayModelMeanMs(parseDelayModel('exponential:100'))).toBe(100);
    expect(delayModelMeanMs(parseDelayModel('lognormal:100:0.5'))).toBeCloseTo(100 * Math.exp(0.125), 9);
    expect(delayModelMeanMs(parseDelayModel('pareto:10:3'))).toBeCloseTo(15, 9);
    // A Pareto with shape <= 1 has no finite mean.
    expect(delayModelMeanMs(parseDelayModel('pareto:10:1'))).toBe(Infinity);
  });

  it(`keeps uniform draws inside [MIN, MAX) and spreads them over it (seed ${SEED})`, () => {
    // A draw outside the bounds would make a write faster or slower than the model allows.
    const model = parseDelayModel('uniform:200:300');
    const rng = createRng(SEED);
    const xs = Array.from({ length: DRAWS }, () => sampleDelayMs(model, rng));
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(200);
    expect(Math.max(...xs)).toBeLessThan(300);
    expect(Math.min(...xs)).toBeLessThan(201);
    expect(Math.max(...xs)).toBeGreaterThan(299);
  });

  it(`never draws a pareto delay below its scale (seed ${SEED})`, () => {
    // SCALE is the minimum delay of the heavy-tailed model.
    const model = parseDelayModel('pareto:25:1.5');
    const rng = createRng(SEED);
    const xs = Array.from({ length: DRAWS }, () => sampleDelayMs(model, rng));
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(25);
    expect(xs.every(Number.isFinite)).toBe(true);
  });

  it(`draws non-negative finite exponential and lognormal delays (seed ${SEED})`, () => {
    // A negative or infinite delay would break the timer that injects it.
    for (const spec of ['exponential:100', 'lognormal:100:2']) {
      const model = parseDelayModel(spec);
      const rng = createRng(SEED);
      for (let i = 0; i < DRAWS; i++) {
        const x = sampleDelayMs(model, rng);
        expect(Number.isFinite(x) && x >= 0).toBe(true);
      }
    }
  });

  it('draws a constant without consuming randomness', () => {
    // Constant delays are the same whatever the seed.
    const model = parseDelayModel('constant:12');
    const rng = createRng(SEED);
    expect([sampleDelayMs(model, rng), sampleDelayMs(model, rng)]).toEqual([12, 12]);
  });
});

describe('DelaySampler', () => {
  const plan = (n: number): DelayModel[] => parseDelayPlan('uniform:0:1000', n);
  const drawsOf = (sampler: DelaySampler, follower: number, count: number): number[] =>
    Array.from({ length: count }, () => sampler.next(follower));

  it(`replays every follower's delays from the seed (seed ${SEED})`, () => {
    // The bench records the seed so a run (and its ideal latencies) can be replayed exactly.
    const a = new DelaySampler(plan(5), SEED);
    const b = new DelaySampler(plan(5), SEED);
    for (let f = 0; f < 5; f++) expect(drawsOf(a, f, 200)).toEqual(drawsOf(b, f, 200));
  });

  it(`changes the delays with the seed (seeds ${SEED}, ${SEED + 1})`, () => {
    expect(drawsOf(new DelaySampler(plan(1), SEED), 0, 50)).not.toEqual(
      drawsOf(new DelaySampler(plan(1), SEED + 1), 0, 50),
    );
  });

  it(`keeps followers' streams independent of each other's draws (seed ${SEED})`, () => {
    // Follower i's k-th delay depends only on (seed, i, k): drawing for other followers in
    // between, as concurrent writes do, must not shift it.
    const alone = new DelaySampler(plan(3), SEED);
    const interleaved = new DelaySampler(plan(3), SEED);
    const want = drawsOf(alone, 1, 300);
    const got: number[] = [];
    for (let k = 0; k < 300; k++) {
      interleaved.next(0);
      got.push(interleaved.next(1));
      if (k % 3 === 0) interleaved.next(2);
    }
    expect(got).toEqual(want);
  });

  it(`gives different followers uncorrelated delays (seed ${SEED}, ${DRAWS} draws)`, () => {
    // Correlated followers would make the W-th order statistic, and so the latency, wrong.
    const sampler = new DelaySampler(plan(2), SEED);
    const xs = drawsOf(sampler, 0, DRAWS);
    const ys = drawsOf(sampler, 1, DRAWS);
    expect(xs).not.toEqual(ys);
    const mean = (v: number[]): number => v.reduce((s, x) => s + x, 0) / v.length;
    const mx = mean(xs);
    const my = mean(ys);
    let sxy = 0;
    let sxx = 0;
    let syy = 0;
    for (let i = 0; i < DRAWS; i++) {
      sxy += ((xs[i] as number) - mx) * ((ys[i] as number) - my);
      sxx += ((xs[i] as number) - mx) ** 2;
      syy += ((ys[i] as number) - my) ** 2;
    }
    expect(Math.abs(sxy / Math.sqrt(sxx * syy))).toBeLessThan(0.03);
  });

  it(`uses each follower's own model (seed ${SEED})`, () => {
    // The slow-follower experiment: only follower 5 (index 4) draws from 800..1000.
    const sampler = new DelaySampler(parseDelayPlan('uniform:0:50;5=uniform:800:1000', 5), SEED);
    for (let k = 0; k < 1000; k++) {
      for (let f = 0; f < 4; f++) {
        const x = sampler.next(f);
        expect(x >= 0 && x < 50).toBe(true);
      }
      const slow = sampler.next(4);
      expect(slow >= 800 && slow < 1000).toBe(true);
    }
  });

  // A follower index without a model is a caller bug, not a zero delay.
  test.each([-1, 5, 0.5])('throws for follower index %p of 5', (follower) => {
    const sampler = new DelaySampler(plan(5), SEED);
    expect(() => sampler.next(follower)).toThrow(RangeError);
  });
});

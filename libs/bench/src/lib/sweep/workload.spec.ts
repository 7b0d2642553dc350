import { createRng } from '@quorum-kv/replication-protocol';
import {
  MAX_LEADER_SOCKETS,
  describeWarmupPart,
  idealLatencyMs,
  leaderSockets,
  outcomeOf,
  poissonScheduleMs,
  unlessPast,
  warmupParts,
} from './workload';

describe('poissonScheduleMs', () => {
  it('is increasing, replays from its seed, and averages the rate (seed 11)', () => {
    const a = poissonScheduleMs(20_000, 50, createRng(11, 1));
    expect(a).toEqual(poissonScheduleMs(20_000, 50, createRng(11, 1)));
    expect(a.every((t, i) => i === 0 || t > (a[i - 1] as number))).toBe(true);
    // 20000 arrivals at 50/s take about 400 s; the mean gap is 20 ms.
    expect((a[a.length - 1] as number) / 1000).toBeGreaterThan(390);
    expect((a[a.length - 1] as number) / 1000).toBeLessThan(410);
  });

  it('has exponential gaps: about 37% of them longer than the mean (seed 12)', () => {
    const a = poissonScheduleMs(20_000, 100, createRng(12, 1));
    const gaps = a.map((t, i) => t - (i === 0 ? 0 : (a[i - 1] as number)));
    const longer = gaps.filter((g) => g > 10).length / gaps.length;
    expect(longer).toBeGreaterThan(0.35);
    expect(longer).toBeLessThan(0.39);
  });
});

describe('idealLatencyMs and outcomeOf', () => {
  it('takes the W-th smallest delay, or null without enough delays', () => {
    expect(idealLatencyMs([50, 10, 40, 20, 30], 2)).toBe(20);
    expect(idealLatencyMs([50, 10], 3)).toBeNull();
  });

  // Jepsen's outcomes: ok, fail (definitely not applied), info (unknown).
  test.each([
    { status: 200, body: {}, outcome: 'ok' },
    { status: 400, body: { definite: true }, outcome: 'fail' },
    { status: 504, body: { definite: false }, outcome: 'info' },
    { status: 0, body: { error: 'no_answer' }, outcome: 'info' },
  ])('status $status is $outcome', ({ status, body, outcome }) => {
    expect(outcomeOf(status, body)).toBe(outcome);
  });
});

describe('leaderSockets', () => {
  const base = { concurrency: 10, warmupConcurrency: 100, rate: null, replicationTimeoutMs: 2000 };
  it.each([
    // Closed loop: the warm-up's 100 in flight, more than twice the measured 10.
    { name: 'closed loop, warm-up larger', config: base, expected: 100 },
    // Closed loop: twice the measured concurrency when it is the larger.
    { name: 'closed loop, measured larger', config: { ...base, concurrency: 80 }, expected: 160 },
    // Open loop at 230 writes/s: up to 230 × (2 s + 1 s) in flight before the timeout answers them,
    // far more than the 64 it used to be capped at (W=3 of the seed scenario queued in the client).
    { name: 'open loop', config: { ...base, rate: 230 }, expected: 690 },
    // Bounded whatever the rate.
    { name: 'open loop, bounded', config: { ...base, rate: 100_000 }, expected: MAX_LEADER_SOCKETS },
  ])('$name', ({ config, expected }) => {
    expect(leaderSockets(config)).toBe(expected);
  });
});

describe('warmupParts', () => {
  const base = { concurrency: 10, warmupWrites: 5000, warmupConcurrency: 100, warmupSeconds: 8 };
  it.each([
    {
      name: 'fast part, then the measured concurrency for at most the seconds',
      config: base,
      expected: [
        { writes: 5000, concurrency: 100, seconds: null },
        { writes: 5000, concurrency: 10, seconds: 8 },
      ],
    },
    // The first part already has the measured load's shape.
    {
      name: 'one part when the warm-up runs at the measured concurrency',
      config: { ...base, warmupConcurrency: 10 },
      expected: [{ writes: 5000, concurrency: 10, seconds: null }],
    },
    {
      name: 'one part with --warmup-seconds 0',
      config: { ...base, warmupSeconds: 0 },
      expected: [{ writes: 5000, concurrency: 100, seconds: null }],
    },
    { name: 'none with --warmup-writes 0', config: { ...base, warmupWrites: 0 }, expected: [] },
  ])('$name', ({ config, expected }) => {
    expect(warmupParts(config)).toEqual(expected);
  });

  it('describes each part as the log and the floor say it', () => {
    expect(warmupParts(base).map(describeWarmupPart)).toEqual([
      '5000 writes at W=1, 100 in flight',
      '5000 writes at W=1, 10 in flight, for at most 8 s',
    ]);
  });
});

describe('unlessPast', () => {
  it('runs the task before the stop time and skips it (null, not called) after', async () => {
    let calls = 0;
    const task = () => Promise.resolve(++calls);
    await expect(unlessPast(performance.now() + 60_000, task)()).resolves.toBe(1);
    await expect(unlessPast(performance.now() - 1, task)()).resolves.toBeNull();
    await expect(unlessPast(Infinity, task)()).resolves.toBe(2);
    expect(calls).toBe(2);
  });
});

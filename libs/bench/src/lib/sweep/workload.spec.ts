import { createRng } from '@quorum-kv/replication-protocol';
import { idealLatencyMs, outcomeOf, poissonScheduleMs } from './workload';

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

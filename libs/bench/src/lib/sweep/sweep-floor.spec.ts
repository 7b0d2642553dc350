import { floorComparisonOf, floorConfigOf, whyNoFloor } from './sweep-floor';
import { fakeConfig as sweepConfig } from './charts/testing';
import type { WriteRecord } from './records';

describe('whyNoFloor', () => {
  it.each([
    { name: 'asked for, closed loop, every follower up: runs', change: { floor: true }, why: null },
    { name: 'not asked for', change: { floor: false }, why: /--no-floor/ },
    { name: 'absent (a config.json older than the flag)', change: { floor: undefined }, why: /--no-floor/ },
    { name: 'open loop', change: { floor: true, rate: 100 }, why: /open loop/ },
    { name: 'a scenario that stops a follower', change: { floor: true, downFollowers: [5] }, why: /stops some/ },
  ])('$name', ({ change, why }) => {
    const result = whyNoFloor({ ...sweepConfig(), ...change });
    if (why === null) expect(result).toBeNull();
    else expect(result).toMatch(why);
  });
});

describe('floorConfigOf', () => {
  it("takes the sweep's topology, workload, delays, seed and warm-up", () => {
    const config = { ...sweepConfig(), followers: 3, quorums: [1, 3], writes: 40, concurrency: 4, keys: 7 };
    expect(
      floorConfigOf({
        ...config,
        delay: 'constant:5',
        seed: 9,
        warmupWrites: 11,
        warmupConcurrency: 6,
        warmupSeconds: 3,
      }),
    ).toEqual({
      followers: 3,
      quorums: [1, 3],
      writes: 40,
      concurrency: 4,
      keys: 7,
      delay: 'constant:5',
      seed: 9,
      warmupWrites: 11,
      warmupConcurrency: 6,
      warmupSeconds: 3,
    });
  });
});

describe('floorComparisonOf', () => {
  it("compares the first ack mode's successful writes only", () => {
    const write = (ackMode: WriteRecord['ackMode'], outcome: WriteRecord['outcome'], overheadMs: number) =>
      ({ w: 1, ackMode, outcome, overheadMs }) as WriteRecord;
    const config = {
      ...sweepConfig(),
      ackMode: 'received' as const,
      ackModes: ['received' as const, 'applied' as const],
    };
    const comparison = floorComparisonOf(
      config,
      [write('received', 'ok', 2), write('applied', 'ok', 900), write('received', 'fail', 800)],
      [{ w: 1, delaysMs: [0], latencyMs: 1 }],
    );
    expect(comparison.rows[0]?.store.overheadMsP99).toBe(2);
    expect(comparison.rows[0]?.p50PlusMs).toBe(1);
  });
});

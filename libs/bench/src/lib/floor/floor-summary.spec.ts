import { floorLines, idealMs, summarizeFloor, type FloorWrite } from './floor-summary';

describe('idealMs', () => {
  it.each([
    { name: 'W=1 is the smallest delay', delays: [30, 10, 20], w: 1, ideal: 10 },
    { name: 'W=2 is the second smallest', delays: [30, 10, 20], w: 2, ideal: 20 },
    { name: 'W=N is the largest', delays: [30, 10, 20], w: 3, ideal: 30 },
  ])('$name', ({ delays, w, ideal }) => {
    expect(idealMs(delays, w)).toBe(ideal);
  });
});

describe('summarizeFloor', () => {
  const writes: FloorWrite[] = [
    { w: 1, delaysMs: [10, 50], latencyMs: 12 },
    { w: 1, delaysMs: [40, 20], latencyMs: 23 },
    { w: 1, delaysMs: [5, 5], latencyMs: null },
    { w: 2, delaysMs: [10, 50], latencyMs: 53 },
  ];

  it('gives each W its overhead: latency minus the W-th smallest delay of the same write', () => {
    const [w1, w2] = summarizeFloor(writes);
    expect(w1).toMatchObject({ w: 1, writes: 3, errors: 1, overheadMsP50: 2.5 });
    expect(w2).toMatchObject({ w: 2, writes: 1, errors: 0, overheadMsP50: 3, latencyMsP50: 53 });
  });

  it('leaves percentiles unknown (NaN) for a W where no write was answered', () => {
    const [row] = summarizeFloor([{ w: 3, delaysMs: [1, 2, 3], latencyMs: null }]);
    expect(row?.overheadMsP50).toBeNaN();
    expect(floorLines(row ? [row] : [])[0]).toContain('overhead p50 — ms');
  });

  it('prints one line per W with p50 and p99', () => {
    expect(floorLines(summarizeFloor(writes))).toEqual([
      expect.stringMatching(/^floor W=1: overhead p50 2\.50 ms, p99 \d+\.\d\d ms .*3 writes, 1 errors/),
      expect.stringMatching(/^floor W=2: overhead p50 3\.00 ms/),
    ]);
  });
});

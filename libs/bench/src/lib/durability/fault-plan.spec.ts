import { createRng } from '@quorum-kv/replication-protocol';
import { minimumWrites, planCell, recoveryCutFor, sampleDistinct } from './fault-plan';

const N = 5;
const cells = [1, 2, 3, 4, 5].flatMap((w) => [1, 2, 3, 4, 5].map((r) => ({ w, r })));

describe('planCell', () => {
  it.each(cells)('W=$w R=$r: N − W followers cut before each crash, the W others hold the last writes', ({ w, r }) => {
    const plan = planCell({ seed: 7, followers: N, w, r, writes: 20, crashes: 3 });
    expect(plan.crashes).toHaveLength(3);
    for (const crash of plan.crashes) {
      expect(crash.cutBefore).toHaveLength(N - w);
      expect(crash.holders).toHaveLength(w);
      expect([...crash.cutBefore, ...crash.holders].sort()).toEqual([1, 2, 3, 4, 5]);
    }
  });

  it.each(cells)(
    'W=$w R=$r: the recovery cuts every holder exactly when W + R ≤ N, and leaves max(R, N − W) followers to answer',
    ({ w, r }) => {
      for (const crash of planCell({ seed: 11, followers: N, w, r, writes: 9, crashes: 2 }).crashes) {
        expect(crash.adversarial).toBe(w + r <= N);
        expect(crash.recoveryCut.every((f) => crash.holders.includes(f))).toBe(true);
        expect(N - crash.recoveryCut.length).toBe(Math.max(r, N - w));
      }
    },
  );

  it.each([
    { writes: 3, crashes: 1, reason: 'the fewest writes one crash needs' },
    { writes: 5, crashes: 2, reason: 'the fewest for two: every slot is taken' },
    { writes: 40, crashes: 4, reason: 'plenty of room' },
  ])(
    '$writes writes, $crashes crashes: a write before each cut, between cut and crash, and after the last ($reason)',
    ({ writes, crashes }) => {
      const plan = planCell({ seed: 3, followers: N, w: 2, r: 2, writes, crashes });
      let previous = 0;
      for (const crash of plan.crashes) {
        expect(crash.cutAtWrite).toBeGreaterThan(previous);
        expect(crash.crashAtWrite).toBeGreaterThan(crash.cutAtWrite);
        previous = crash.crashAtWrite;
      }
      expect(previous).toBeLessThan(writes);
    },
  );

  it('gives the same plan for the same seed and cell, and another for another seed', () => {
    const input = { followers: N, w: 2, r: 3, writes: 30, crashes: 3 };
    expect(planCell({ seed: 5, ...input })).toEqual(planCell({ seed: 5, ...input }));
    const others = [6, 7, 8, 9].map((seed) => JSON.stringify(planCell({ seed, ...input })));
    expect(others.some((p) => p !== JSON.stringify(planCell({ seed: 5, ...input })))).toBe(true);
  });

  it('plans no crash when asked for none, whatever the writes', () => {
    expect(planCell({ seed: 1, followers: N, w: 1, r: 1, writes: 1, crashes: 0 }).crashes).toEqual([]);
  });

  it.each([
    { input: { w: 0, r: 1, writes: 10, crashes: 1 }, error: /between 1 and 5/, reason: 'W below 1' },
    { input: { w: 1, r: 6, writes: 10, crashes: 1 }, error: /between 1 and 5/, reason: 'R above N' },
    {
      input: { w: 1, r: 1, writes: 4, crashes: 2 },
      error: /at least 5 writes/,
      reason: 'too few writes to place two crashes',
    },
  ])('refuses $reason', ({ input, error }) => {
    expect(() => planCell({ seed: 1, followers: N, ...input })).toThrow(error);
  });
});

describe('recoveryCutFor', () => {
  it.each([
    { holders: [2, 4], r: 3, cut: 2, reason: 'W=2: three stale followers make up R=3, so both holders are cut' },
    { holders: [1, 2, 3], r: 3, cut: 2, reason: 'W=3: two stale followers, so one holder must answer for R=3' },
    { holders: [1, 2, 3, 4, 5], r: 5, cut: 0, reason: 'W=5, R=5: every follower must answer' },
    { holders: [1, 2, 3, 4, 5], r: 1, cut: 4, reason: 'W=5, R=1: one holder answers, four are cut' },
  ])('$reason', ({ holders, r, cut }) => {
    const recoveryCut = recoveryCutFor(holders, N, r, createRng(1));
    expect(recoveryCut).toHaveLength(cut);
    expect(recoveryCut.every((f) => holders.includes(f))).toBe(true);
  });
});

describe('minimumWrites and sampleDistinct', () => {
  it.each([
    { crashes: 0, writes: 1 },
    { crashes: 1, writes: 3 },
    { crashes: 4, writes: 9 },
  ])('$crashes crashes need $writes writes', ({ crashes, writes }) => {
    expect(minimumWrites(crashes)).toBe(writes);
  });

  it('draws distinct values in range, ascending, and refuses to draw more than there are', () => {
    const drawn = sampleDistinct(createRng(9), 3, 12, 6);
    expect(new Set(drawn).size).toBe(6);
    expect(drawn).toEqual([...drawn].sort((a, b) => a - b));
    expect(drawn.every((v) => v >= 3 && v <= 12)).toBe(true);
    expect(() => sampleDistinct(createRng(9), 1, 3, 4)).toThrow(RangeError);
  });
});

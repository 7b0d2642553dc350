import {
  buildSoakSummary,
  fitSlope,
  memoryTrend,
  nodeNames,
  slopeMiBPerMin,
  soakVerdict,
  summarizeNodes,
} from './soak-summary';
import { fakeLoadTotals, fakeSamples, fakeSoakConfig } from './testing';

describe('slopeMiBPerMin', () => {
  // Each case: points (s, MiB), slope in MiB/min.
  it.each([
    [
      [
        [0, 100],
        [60, 160],
      ],
      60,
    ], // 1 MiB/s
    [
      [
        [30, 50],
        [40, 50],
        [50, 50],
      ],
      0,
    ], // flat
    [
      [
        [0, 10],
        [30, 9.5],
        [60, 9],
      ],
      -1,
    ], // shrinking
  ] as Array<[Array<[number, number]>, number]>)('%j -> %p', (points, slope) => {
    expect(slopeMiBPerMin(points)).toBeCloseTo(slope, 9);
  });

  it('is NaN without two distinct times', () => {
    expect(slopeMiBPerMin([])).toBeNaN();
    expect(slopeMiBPerMin([[5, 1]])).toBeNaN();
    expect(
      slopeMiBPerMin([
        [5, 1],
        [5, 2],
      ]),
    ).toBeNaN();
  });

  it('is not fooled by one spike the way first-to-last would be', () => {
    const points: Array<[number, number]> = [
      [30, 80],
      [32, 80],
      [34, 80],
      [36, 80],
      [38, 80],
      [40, 80],
      [42, 80],
      [44, 80],
      [46, 80],
      [48, 80],
      [50, 80],
      [52, 80],
      [54, 80],
      [56, 80],
      [58, 80],
      [60, 95],
    ];
    expect(slopeMiBPerMin(points)).toBeLessThan(15); // first-to-last: 30 MiB/min
  });
});

describe('fitSlope', () => {
  it('has no band on a straight line, and none with two points', () => {
    expect(
      fitSlope([
        [0, 1],
        [30, 2],
        [60, 3],
      ]),
    ).toEqual({ slopeMiBPerMin: 2, bandMiBPerMin: 0 });
    expect(
      fitSlope([
        [0, 1],
        [60, 3],
      ]).bandMiBPerMin,
    ).toBeNaN();
  });

  it('gives two standard errors of the slope as its band', () => {
    // Residuals +1, -1, -1, +1 around the line 0 (x̄ = 3, Sxx = 20): SE = sqrt(4/2/20) per s.
    const { slopeMiBPerMin: slope, bandMiBPerMin: band } = fitSlope([
      [0, 1],
      [2, -1],
      [4, -1],
      [6, 1],
    ]);
    expect(slope).toBeCloseTo(0, 9);
    expect(band).toBeCloseTo(2 * Math.sqrt(4 / 2 / 20) * 60, 9);
  });

  it('gives a wide band to a GC saw-tooth in a short window', () => {
    // Heap climbing 2 MiB/s and dropping by 40 MiB every 20 s: flat on average.
    const points: Array<[number, number]> = [];
    for (let tS = 30; tS <= 60; tS += 2) points.push([tS, 20 + 2 * (tS % 20)]);
    expect(fitSlope(points).bandMiBPerMin).toBeGreaterThan(10);
  });
});

describe('memoryTrend', () => {
  it('reads after warm-up, end, max and the second-half slope', () => {
    // Grows 2 MiB/min until 30 s, then flat at 81 with a peak at 20 s.
    const samples = fakeSamples((_, tS) => (tS === 20 ? 90 : tS < 30 ? 80 + tS / 30 : 81));
    expect(memoryTrend(samples, 'leader', 'rssMiB', 10, 60)).toEqual({
      afterWarmupMiB: 80 + 10 / 30,
      endMiB: 81,
      maxMiB: 90,
      slopeMiBPerMin: 0,
      slopeBandMiBPerMin: 0,
    });
  });

  it('skips samples at which the node could not be read', () => {
    const samples = fakeSamples((_, tS) => (tS === 10 || tS === 60 ? null : 50 + tS / 60));
    const trend = memoryTrend(samples, 'follower1', 'heapUsedMiB', 10, 60);
    expect(trend.afterWarmupMiB).toBeCloseTo(25 + 12 / 120, 9); // the sample at 12 s: 10 s failed
    expect(trend.endMiB).toBeCloseTo(25 + 58 / 120, 9); // the sample at 58 s: 60 s failed
    expect(trend.slopeMiBPerMin).toBeCloseTo(0.5, 9);
  });

  it('is empty for a node never read', () => {
    expect(
      memoryTrend(
        fakeSamples(() => null),
        'leader',
        'rssMiB',
        10,
        60,
      ),
    ).toEqual({ afterWarmupMiB: null, endMiB: null, maxMiB: null, slopeMiBPerMin: NaN, slopeBandMiBPerMin: NaN });
  });
});

describe('soakVerdict', () => {
  it('is flat when every node grows slower than the threshold and every band is narrower', () => {
    const nodes = summarizeNodes(
      fakeSamples((node, tS) => 60 + (node === 'leader' ? tS / 120 : 0)),
      10,
      60,
    ); // leader +0.5 MiB/min RSS
    expect(soakVerdict(nodes, 1)).toEqual({
      status: 'flat',
      flat: true,
      thresholdMiBPerMin: 1,
      growing: [],
      unresolved: [],
    });
  });

  it('grows when a slope reaches the threshold, naming every node and measure that does', () => {
    const nodes = summarizeNodes(
      fakeSamples((node, tS) => 60 + (node === 'leader' ? tS / 10 : 0)),
      10,
      60,
    ); // leader RSS +6, heap +3 MiB/min
    const verdict = soakVerdict(nodes, 1);
    expect(verdict.status).toBe('grows');
    expect(verdict.flat).toBe(false);
    expect(verdict.growing.map((g) => [g.node, g.measure, Math.round(g.slopeMiBPerMin)])).toEqual([
      ['leader', 'RSS', 6],
      ['leader', 'heap used', 3],
    ]);
  });

  it('is inconclusive when a band is as wide as the threshold, even if every slope is below it', () => {
    // follower1 saw-tooths by 40 MiB every 20 s (a major GC); everyone else is flat.
    const nodes = summarizeNodes(
      fakeSamples((node, tS) => (node === 'follower1' ? 60 + 2 * (tS % 20) : 60)),
      10,
      60,
    );
    const verdict = soakVerdict(nodes, 1);
    expect(verdict.status).toBe('inconclusive');
    expect(verdict.unresolved.map((s) => `${s.node} ${s.measure}`)).toEqual(['follower1 RSS', 'follower1 heap used']);
  });

  it('is inconclusive when a slope cannot be computed (a node unreadable in the second half), or nothing was read', () => {
    const nodes = summarizeNodes(
      fakeSamples((node, tS) => (node === 'follower2' && tS >= 30 ? null : 60)),
      10,
      60,
    );
    expect(soakVerdict(nodes, 1).status).toBe('inconclusive');
    expect(soakVerdict(nodes, 1).unresolved.map((g) => g.node)).toEqual(['follower2', 'follower2']);
    expect(soakVerdict([], 1).status).toBe('inconclusive');
  });
});

describe('buildSoakSummary', () => {
  it('reports rates per second of the schedule, the load, the leader log and the nodes', () => {
    const samples = fakeSamples(() => 70, { logEntries: (tS) => (tS === 30 ? 900 : 400) });
    const summary = buildSoakSummary(fakeSoakConfig(), samples, fakeLoadTotals());
    expect(summary).toMatchObject({
      offeredRatePerS: 200,
      sentRatePerS: 200,
      writesOk: 11_998,
      writesFailed: 2,
      writesDropped: 0,
    });
    expect(summary.achievedRatePerS).toBeCloseTo(199.97, 2);
    expect(summary.leader).toEqual({
      lsnAtEnd: 12_000,
      logEntriesAtEnd: 400,
      logEntriesMax: 900,
      logEntriesExported: true,
    });
    expect(nodeNames(samples)).toEqual(['leader', 'follower1', 'follower2']);
    expect(summary.nodes).toHaveLength(3);
    expect(summary.verdict.status).toBe('flat');
  });

  it('says so when the leader exports no log-size gauge', () => {
    const summary = buildSoakSummary(
      fakeSoakConfig(),
      fakeSamples(() => 70),
      fakeLoadTotals(),
    );
    expect(summary.leader).toMatchObject({ logEntriesAtEnd: null, logEntriesMax: null, logEntriesExported: false });
  });
});
